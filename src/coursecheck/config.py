"""Configuration: turn options plus config files into the :class:`Settings` for each course.

Where it comes from, first match wins:

1. ``--config FILE`` (YAML; or TOML when the name ends in ``.toml``: a ``pyproject.toml`` is read
   from its ``[tool.coursecheck]`` table, any other TOML file from its top level);
2. the nearest ``.coursecheck.yaml`` (or ``.coursecheck.yml``) or ``pyproject.toml`` with a
   ``[tool.coursecheck]`` table, searched from the course folder up through its parents; in one
   folder ``.coursecheck.yaml`` beats ``.coursecheck.yml`` beats ``pyproject.toml``. The search
   stops at the repository root (a folder holding ``.git``) or the filesystem root. A
   ``pyproject.toml`` without the table is passed over;
3. the built-in defaults of :class:`Settings`.

Files are never merged. ``--select``/``--ignore`` then narrow the rules the file leaves on.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from coursecheck.config_schema import ConfigModel, cross_check, describe
from coursecheck.findings import Severity
from coursecheck.options import RunOptions
from coursecheck.settings import LOUDNESS_PROFILES, Settings, default_lang
from coursecheck.yamlload import YamlError, decode, load_yaml

SEARCHED = (".coursecheck.yaml", ".coursecheck.yml", "pyproject.toml")
_YAML_PROBLEMS = {
    "not_mapping": "the configuration must be a mapping of keys, not {}",
    "duplicate_key": "the key {!r} appears twice",
    "not_text": "the configuration is not UTF-8 text ({})",
}
_TOML_LINE = re.compile(r"\s*\(at line (\d+), column \d+\)")
_HEADER = re.compile(r"""^\[\[?[\w."' -]+\]\]?\s*(#.*)?$""")
_SECTION = re.compile(r"""^\[\s*tool\s*\.\s*["']?coursecheck["']?\s*[.\]]""")
_LONG_NUMBER = re.compile(r"\d[\d_]{4300,}")

Locate = Callable[[tuple[str | int, ...]], int | None]


class ConfigError(Exception):
    """A bad configuration: unknown key, unknown rule ID or bad value. Exit code 2.

    ``file`` is empty for a mistake in the command-line options; the text then stands alone.
    """

    def __init__(self, file: str, line: int | None, text: str) -> None:
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {text}" if where else text)
        self.file, self.line, self.text = file, line, text


class ConfigCache:
    """The configuration files one run has parsed, and where each folder's search ended."""

    def __init__(self) -> None:
        self._files: dict[Path, ConfigModel | None] = {}
        self._nearest: dict[Path, ConfigModel] = {}

    def for_course(self, course_root: Path, config: Path | None) -> ConfigModel:
        """The configuration for the course in ``course_root``, or the defaults."""
        if config is not None:
            model = self.load(config, str(config), explicit=True)
            assert model is not None  # an explicit file always yields a model or an error
            return model
        return self.nearest(course_root.resolve())

    def nearest(self, folder: Path) -> ConfigModel:
        """The nearest configuration at or above ``folder``, up to the repository root.

        A file or folder that cannot be looked at (no permission, a name too long) counts as
        absent. The search is a loop, so a course a thousand folders deep is no problem.
        """
        climbed: list[Path] = []
        found: ConfigModel | None = None
        while folder not in self._nearest:
            climbed.append(folder)
            found = self._here(folder)
            if found is not None:
                break
            if _exists(folder / ".git") or folder.parent == folder:
                found = ConfigModel()
                break
            folder = folder.parent
        result = found if found is not None else self._nearest[folder]
        for seen in climbed:
            self._nearest[seen] = result
        return result

    def _here(self, folder: Path) -> ConfigModel | None:
        for name in SEARCHED:
            candidate = folder / name
            if _is_file(candidate):
                found = self.load(candidate, _shown(candidate))
                if found is not None:
                    return found
        return None

    def load(self, path: Path, shown: str, explicit: bool = False) -> ConfigModel | None:
        """Parse and validate one file (once per run); ``None`` for a pyproject.toml without
        ``[tool.coursecheck]`` that was found by searching."""
        key = path.resolve()
        if key not in self._files:
            self._files[key] = _parse(path, shown, explicit)
        return self._files[key]


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False


def settings_for(course_root: Path, options: RunOptions,
                 cache: ConfigCache | None = None) -> Settings:
    """The settings that apply to the course in ``course_root``; pass one ``cache`` per run.

    Without ``options.course_config`` (``audit``, ``check --no-course-config``) the search
    starts above a course or case folder (or zip), so nothing inside a submission configures it.
    """
    if not options.course_config and _is_submission(course_root):
        course_root = course_root.parent
    model = (ConfigCache() if cache is None else cache).for_course(course_root, options.config)
    thresholds = model.thresholds()
    profile = LOUDNESS_PROFILES[thresholds.get("loudness_profile", Settings().loudness_profile)]
    window = dict(zip(("loudness_target", "loudness_tolerance", "true_peak_max"), profile,
                      strict=True))
    settings = replace(Settings(), **{**window, **thresholds}, severities=model.severities(),
                       lang=options.lang or default_lang(configured=model.lang))
    if options.deep is not None:
        settings = replace(settings, deep=options.deep)
    if not options.course_config:
        settings = replace(settings, course_config=False)
    return apply_selection(settings, options)


def _is_submission(folder: Path) -> bool:
    """A course or case folder, or a zipped course: what a submitter controls."""
    from coursecheck.spec import CASE_NAMES, MANIFEST_NAMES

    if folder.suffix.lower() == ".zip":
        return True
    return any(_is_file(folder / name) for name in (*MANIFEST_NAMES, *CASE_NAMES))


def check_selection(options: RunOptions) -> None:
    """Raise :class:`ConfigError` for a ``--select`` or ``--ignore`` ID or prefix that matches
    no rule, so a typo cannot silently turn every rule off (or leave one on)."""
    from coursecheck.rules import REGISTRY

    for option, patterns in (("--select", options.select), ("--ignore", options.ignore)):
        for pattern in patterns:
            if not any(rule_id.startswith(pattern) for rule_id in REGISTRY):
                close = difflib.get_close_matches(pattern, list(REGISTRY), n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                raise ConfigError("", None, f"{option} {pattern} matches no rule{hint}; "
                                            "`coursecheck rules` lists them")


def apply_selection(settings: Settings, options: RunOptions) -> Settings:
    """Turn off rules not matched by ``--select`` or matched by ``--ignore`` (IDs or prefixes).

    Raises :class:`ConfigError` when one of them matches no rule (see :func:`check_selection`).
    """
    if not options.select and not options.ignore:
        return settings
    from coursecheck.rules import REGISTRY

    check_selection(options)
    severities = dict(settings.severities)
    for rule_id in REGISTRY:
        selected = not options.select or any(rule_id.startswith(p) for p in options.select)
        ignored = any(rule_id.startswith(p) for p in options.ignore)
        if not selected or ignored:
            severities[rule_id] = Severity.OFF
    return replace(settings, severities=severities)


def _parse(path: Path, shown: str, explicit: bool) -> ConfigModel | None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(shown, None, f"cannot read the configuration: {exc.strerror}") from None
    if path.suffix.lower() == ".toml":
        table = _toml_table(raw, path.name == "pyproject.toml", shown, explicit)
        if table is None:
            return None
        data, text = table
        return _validate(data, shown, lambda loc: _toml_line(text, loc))
    text_or_error = decode(raw)
    doc = text_or_error if isinstance(text_or_error, YamlError) else load_yaml(text_or_error.text)
    if not isinstance(text_or_error, YamlError):
        _refuse_slips(text_or_error.text, shown, parsed=not isinstance(doc, YamlError))
    if isinstance(doc, YamlError):
        if doc.kind == "empty":
            return ConfigModel()
        problem = _YAML_PROBLEMS.get(doc.kind, "the configuration is not valid YAML ({})")
        raise ConfigError(shown, doc.line, problem.format(doc.detail))
    parsed = doc
    return _validate(parsed.data, shown, lambda loc: parsed.line_of(tuple(str(p) for p in loc)))


_SLIPS = {
    "fullwidth_colon": "'{key}' is followed by a full-width colon '：' (Chinese input method); "
                       "write '{key}: ' (colon, then a space)",
    "fullwidth_space": "the line of '{key}' uses full-width spaces (U+3000); use ordinary spaces",
    "tab": "the line of '{key}' is indented with a tab; indent with spaces",
    "tight_colon": "'{key}' has no space after its colon; write '{key}: ' (colon, then a space)",
}


def _refuse_slips(text: str, shown: str, parsed: bool) -> None:
    """A ConfigError for the first slip a Chinese input method made on a key's line (anywhere,
    when the YAML did not parse), which YAML misreads or refuses without saying why."""
    from coursecheck.slips import find_slips

    for slip in find_slips(text):
        if slip.key or not parsed:
            raise ConfigError(shown, slip.line,
                              _SLIPS[slip.kind].format(key=slip.key or "this line"))


def _toml_table(raw: bytes, pyproject: bool, shown: str,
                explicit: bool) -> tuple[Any, str] | None:
    import tomllib  # only a folder with a TOML configuration needs it

    try:
        text = raw.decode("utf-8-sig")
        data: Any = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ConfigError(shown, None, "the configuration is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        line = int(match.group(1)) if match else getattr(exc, "lineno", None)
        raise ConfigError(shown, line,
                          f"the file is not valid TOML ({_TOML_LINE.sub('', str(exc))})") from None
    except ValueError as exc:  # Python refuses integers of more than 4,300 digits
        long = _LONG_NUMBER.search(text)
        if long is None:
            raise ConfigError(shown, None, f"the file is not valid TOML ({exc})") from None
        raise ConfigError(shown, text[: long.start()].count("\n") + 1,
                          "the file is not valid TOML (a number has more than 4300 digits)"
                          ) from None
    if pyproject:
        tool = data.get("tool")
        data = tool.get("coursecheck") if isinstance(tool, dict) else None
        if data is None:
            if explicit:
                raise ConfigError(shown, None, "there is no [tool.coursecheck] table")
            return None
    if not isinstance(data, dict):
        raise ConfigError(shown, _toml_line(text, ()), "[tool.coursecheck] must be a table")
    return data, text


def _validate(data: Any, shown: str, locate: Locate) -> ConfigModel:
    try:
        model = ConfigModel.model_validate(data)
    except ValidationError as exc:
        problems = [describe(error) for error in exc.errors()]
        lines = [locate(loc) for loc, _ in problems]
        first = min(range(len(problems)), key=lambda i: lines[i] or 0)
        raise ConfigError(shown, lines[first], problems[first][1]) from None
    problem = cross_check(model, Settings().max_minutes)
    if problem is not None:
        raise ConfigError(shown, locate(problem[0]), problem[1])
    return model


def _toml_line(text: str, loc: tuple[str | int, ...]) -> int | None:
    """The line of the last key of ``loc`` (else an earlier one), found by scanning the text.

    When the file has ``[tool.coursecheck…]`` tables, only their lines are searched.
    """
    lines = text.splitlines()
    sectioned = any(_SECTION.match(line.strip()) for line in lines)
    ours: list[int] = []
    inside = not sectioned
    for no, line in enumerate(lines, 1):
        if sectioned and _HEADER.match(line.strip()):
            inside = bool(_SECTION.match(line.strip()))
        if inside:
            ours.append(no)
    for key in reversed([str(part) for part in loc]):
        pattern = re.compile(rf"""(^|[\s{{,.])["']?{re.escape(key)}["']?\s*[=\]]""")
        for no in ours:
            if pattern.search(lines[no - 1]):
                return no
    return ours[0] if sectioned else None


def _shown(path: Path) -> str:
    """``path`` relative to the working directory when it is below it, else absolute."""
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)
