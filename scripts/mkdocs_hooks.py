"""MkDocs hooks for the optional static site (``make site``, see mkdocs.yml).

- **Navigation from the files.** 中文 first, then English; in each, the language's index page, the
  guides in the order that index links them (any guide it forgets comes last, by name), then the
  rules: their index and one page per rule ID. Nothing to keep in step by hand.
- **Chinese line breaks.** A line break inside Chinese prose is dropped, so a browser does not show
  it as a space between two characters, as it does for wrapped Chinese Markdown.
- **Links that leave docs/.** The pages link to the repository's README (``../../README.md``), which
  is not part of the site: those links go to the site's home page (docs/README.md). Any other link
  outside docs/ goes to ``repo_url`` when mkdocs.yml sets one, else it becomes its plain text.

The Markdown itself stays plain and reads the same on GitHub and Gitee.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

LANGS = (("zh", "中文", "规则"), ("en", "English", "Rules"))
INDEX = "README.md"
_LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(([^)\s]+)\)")
_FENCE = re.compile(r"^\s*(```+|~~~+)")
# A Chinese character or full-width punctuation mark, as at either end of a wrapped line.
_WIDE = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\u201c\u201d\u2018\u2019"
_CJK_BREAK = re.compile(rf"(?<=[{_WIDE}])\n[ \t]*(?=[{_WIDE}])")


def linked_pages(index_text: str) -> list[str]:
    """The local pages an index links, in order, without anchors and without repeats."""
    seen: list[str] = []
    for match in _LINK.finditer(index_text):
        target = match.group(2).split("#", 1)[0]
        if target.endswith(".md") and "/" not in target and target not in seen:
            seen.append(target)
    return seen


def build_nav(pages: set[str], read: Any) -> list[Any]:
    """The site's navigation over ``pages`` (paths relative to docs/, POSIX)."""
    nav: list[Any] = []
    if INDEX in pages:
        nav.append(INDEX)
    for lang, title, rules_title in LANGS:
        index = f"{lang}/{INDEX}"
        guides = sorted(p.split("/", 1)[1] for p in pages
                        if p.startswith(f"{lang}/") and p.count("/") == 1 and p != index)
        order = [p for p in linked_pages(read(index)) if p in guides] if index in pages else []
        section: list[Any] = [index] if index in pages else []
        section += [f"{lang}/{p}" for p in order + [g for g in guides if g not in order]]
        rules = sorted(p for p in pages if p.startswith(f"rules/{lang}/") and p.count("/") == 2)
        rule_index = f"rules/{lang}/{INDEX}"
        if rules:
            ordered = ([rule_index] if rule_index in rules else []) + \
                [p for p in rules if p != rule_index]
            section.append({rules_title: ordered})
        nav.append({title: section})
    return nav


def on_files(files: Any, config: Any) -> Any:
    """Build ``nav`` from the documentation pages unless mkdocs.yml lists one."""
    if not config.get("nav"):
        pages = {f.src_uri for f in files.documentation_pages()}

        def read(src_uri: str) -> str:
            found = files.get_file_from_path(src_uri)
            return found.content_string if found is not None else ""

        config["nav"] = build_nav(pages, read)
    return files


def _outside_target(target: str, page_dir: str) -> str | None:
    """The repository path ``target`` points to when it leaves docs/, else ``None``."""
    if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", target, re.I):
        return None
    path = target.split("#", 1)[0]
    joined = posixpath.normpath(posixpath.join("docs", page_dir, path))
    return None if joined == "docs" or joined.startswith("docs/") else joined


def _prose_blocks(markdown: str) -> list[tuple[bool, str]]:
    """``markdown`` cut into ``(is_prose, text)`` runs: fenced code blocks are not prose."""
    blocks: list[tuple[bool, str]] = []
    fence = ""
    for line in markdown.split("\n"):
        match = _FENCE.match(line)
        boundary = match is not None and (not fence or match.group(1).startswith(fence))
        prose = not fence and not boundary
        if match is not None and boundary:
            fence = "" if fence else match.group(1)
        if blocks and blocks[-1][0] == prose:
            blocks[-1] = (prose, blocks[-1][1] + "\n" + line)
        else:
            blocks.append((prose, line))
    return blocks


def site_markdown(markdown: str, page_uri: str, repo_url: str | None) -> str:
    """``markdown`` as the site shows it: links that leave docs/ pointed at the site, and line
    breaks inside Chinese prose dropped (see the module doc). Code blocks stay as they are."""
    page_dir = posixpath.dirname(page_uri)
    out = []
    for prose, text in _prose_blocks(markdown):
        if prose:
            text = _CJK_BREAK.sub("", text)
            text = _LINK.sub(lambda m: _rewrite(m, page_dir, repo_url), text)
        out.append(text)
    return "\n".join(out)


def _rewrite(match: re.Match[str], page_dir: str, repo_url: str | None) -> str:
    text, target = match.group(1), match.group(2)
    repo_path = _outside_target(target, page_dir)
    if repo_path is None:
        return match.group(0)
    if repo_path == "README.md":
        return f"[{text}]({posixpath.relpath(INDEX, page_dir or '.')})"
    if repo_url:
        return f"[{text}]({repo_url.rstrip('/')}/blob/main/{repo_path})"
    return text


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Point the page's links that leave docs/ at the site's home, the repository, or nothing."""
    return site_markdown(markdown, page.file.src_uri, config.get("repo_url"))
