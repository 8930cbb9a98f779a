"""The guide pages come in both languages and each language's index lists them all; the
optional static site's hooks (scripts/mkdocs_hooks.py) do what they say, tested without MkDocs.

``make site`` builds the site with ``mkdocs build --strict``; these tests keep ``make test`` free
of MkDocs while pinning what the hooks do to the plain Markdown.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mkdocs_hooks", ROOT / "scripts/mkdocs_hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HOOKS = _hooks()


def test_mkdocs_yml_names_the_hooks_and_builds_from_docs() -> None:
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    assert "- scripts/mkdocs_hooks.py" in config
    assert "docs_dir: docs" in config
    assert "/site/" in (ROOT / ".gitignore").read_text("utf-8").splitlines()


def test_nav_is_chinese_first_in_the_index_order_and_keeps_forgotten_pages() -> None:
    pages = {"README.md", "zh/README.md", "zh/b.md", "zh/a.md", "zh/new.md", "en/README.md",
             "en/a.md", "rules/zh/README.md", "rules/zh/V101.md", "rules/zh/C001.md"}
    indexes = {"zh/README.md": "[B](b.md) [A](a.md#x) [B](b.md) [rules](../rules/zh/README.md)",
               "en/README.md": "[A](a.md)"}
    nav = HOOKS.build_nav(pages, lambda uri: indexes.get(uri, ""))
    assert nav == [
        "README.md",
        {"中文": ["zh/README.md", "zh/b.md", "zh/a.md", "zh/new.md",
                  {"规则": ["rules/zh/README.md", "rules/zh/C001.md", "rules/zh/V101.md"]}]},
        {"English": ["en/README.md", "en/a.md"]},
    ]


def test_the_nav_of_the_real_docs_lists_every_page_once() -> None:
    docs = ROOT / "docs"
    pages = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")}
    nav = HOOKS.build_nav(pages, lambda uri: (docs / uri).read_text("utf-8"))

    def flat(items: list[object]) -> list[str]:
        out: list[str] = []
        for item in items:
            if isinstance(item, str):
                out.append(item)
            else:
                assert isinstance(item, dict)
                for value in item.values():
                    out += flat(value)
        return out

    listed = flat(nav)
    assert sorted(listed) == sorted(pages)
    assert listed[:2] == ["README.md", "zh/README.md"]


def test_links_that_leave_docs_point_at_the_site_home_or_the_repository() -> None:
    text = "[README](../../README.md) · [ci](ci.md) · [schema](../../schemas/course.schema.json)"
    assert HOOKS.site_markdown(text, "en/ci.md", None) == \
        "[README](../README.md) · [ci](ci.md) · schema"
    assert HOOKS.site_markdown(text, "en/ci.md", "https://example.org/cc/") == (
        "[README](../README.md) · [ci](ci.md) · "
        "[schema](https://example.org/cc/blob/main/schemas/course.schema.json)")
    assert HOOKS.site_markdown("[web](https://example.org/x.md)", "README.md", None) == \
        "[web](https://example.org/x.md)"


def test_chinese_line_breaks_are_joined_outside_code_only() -> None:
    text = "第一行写到这里，\n  接着写。\nEnglish wraps\nhere.\n\n```\n代码\n保留\n```\n新段落"
    assert HOOKS.site_markdown(text, "zh/a.md", None) == \
        "第一行写到这里，接着写。\nEnglish wraps\nhere.\n\n```\n代码\n保留\n```\n新段落"


def _guides(lang: str) -> set[str]:
    return {p.name for p in (ROOT / "docs" / lang).glob("*.md") if p.name != "README.md"}


def test_every_guide_is_written_in_both_languages() -> None:
    assert _guides("zh") == _guides("en"), "each page under docs/zh/ needs its twin in docs/en/"


def test_each_language_index_links_every_guide_and_the_rules() -> None:
    for lang in ("zh", "en"):
        index = (ROOT / "docs" / lang / "README.md").read_text("utf-8")
        linked = set(HOOKS.linked_pages(index))
        missing = sorted(_guides(lang) - linked)
        assert not missing, f"link these from docs/{lang}/README.md: {missing}"
        assert f"(../rules/{lang}/README.md)" in index


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_unwrap_zh_joins_chinese_paragraphs_and_leaves_blocks_alone() -> None:
    unwrap = _script("unwrap_zh").unwrap
    text = ("第一段写到\n这里，用 `make`\n命令（见\n`deep.md`）。\n\n- 列表项\n  接着写\n- 第二项\n"
            "| 表 |\n| 格 |\n```\n代码\n保留\n```\n# 标题\n正文")
    assert unwrap(text) == ("第一段写到这里，用 `make` 命令（见 `deep.md`）。\n\n"
                            "- 列表项接着写\n- 第二项\n"
                            "| 表 |\n| 格 |\n```\n代码\n保留\n```\n# 标题\n正文")
    assert unwrap("English only\nstays wrapped.") == "English only\nstays wrapped."
