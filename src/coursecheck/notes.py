"""Notes: the one-line remarks a run prints at its end (a cache it could not use, a folder it
could not search, a zip that holds no course), kept as data until the run's language is known.

A :class:`Note` is a ``str`` holding its English text, so it travels wherever a note went before
(a list of strings, a worker's pipe), and it also carries its catalog key and arguments, so
:func:`render` gives it in the run's language. The texts live in ``messages/en.py`` and
``messages/zh.py`` under ``note.<key>``. An argument may itself be a :class:`Note` (a word that
is translated too) or a tuple of them (joined with the language's separator). Text from users'
files (names, paths) must be passed through :func:`coursecheck.text.printable` by the code that
makes the note, as before.
"""

from __future__ import annotations

from typing import Any

from coursecheck.messages import message


class Note(str):
    """A note's English text, with the ``key`` and ``args`` to render it in another language."""

    key: str
    args: dict[str, Any]

    def __new__(cls, key: str, **args: Any) -> Note:
        """The note ``note.<key>`` of the catalogs, filled with ``args``."""
        self = super().__new__(cls, _fill("en", key, args))
        self.key = key
        self.args = args
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its key and arguments (it crosses a worker's pipe)."""
        return (_remake, (self.key, self.args))

    def render(self, lang: str) -> str:
        """The note in ``lang`` (English for a language with no text for it)."""
        return _fill(lang, self.key, self.args)


def _remake(key: str, args: dict[str, Any]) -> Note:
    return Note(key, **args)


def _fill(lang: str, key: str, args: dict[str, Any]) -> str:
    return message(lang, f"note.{key}", {name: _shown(value, lang) for name, value in args.items()})


def _shown(value: Any, lang: str) -> Any:
    if isinstance(value, Note):
        return value.render(lang)
    if isinstance(value, tuple):
        return message(lang, "note.join", {}).join(str(_shown(v, lang)) for v in value)
    return value


# The C library's words for the OS errors a cache or a folder walk meets, and their catalog keys
# (``note.os.<key>``): on Linux and macOS Python gives them in English whatever the locale.
# Other words (Windows' own, already in the system's language) are kept as they are.
_OS_WORDS: dict[str, str] = {
    "Permission denied": "denied",
    "Operation not permitted": "not_permitted",
    "Not a directory": "not_dir",
    "Is a directory": "is_dir",
    "No such file or directory": "missing",
    "Read-only file system": "read_only",
    "No space left on device": "no_space",
    "Disk quota exceeded": "quota",
    "Input/output error": "io",
    "File name too long": "name_too_long",
    "Too many levels of symbolic links": "loop",
    "Stale file handle": "stale",
}


def os_words(text: str) -> str:
    """An OS error's words (``strerror``) for a note: a :class:`Note`, so they are translated,
    when the catalogs know them; else ``text`` as it is."""
    key = _OS_WORDS.get(text)
    return Note(f"os.{key}") if key else text


def render(note: str, lang: str) -> str:
    """``note`` in ``lang``: a :class:`Note` is rendered, any other text is kept as it is."""
    return note.render(lang) if isinstance(note, Note) else note


def note_line(note: str, lang: str) -> str:
    """``coursecheck: note: TEXT`` (``coursecheck: 提示：TEXT`` in Chinese), for stderr."""
    return message(lang, "note.line", {"text": render(note, lang)})
