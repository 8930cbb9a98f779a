"""The rule pages under ``docs/rules/``: one Markdown page per rule and language, made from the
registry so that the prose lives with the rule's code and the pages cannot drift from it.

``scripts/make_docs.py`` (``make docs``) writes them; a test fails when a committed page differs.
"""

from __future__ import annotations

from coursecheck.rules import REGISTRY, Rule, ordered

LANGS = ("zh", "en")
DOCS_DIR = "docs/rules"

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "severity": "Default severity", "scope": "Checked", "error": "error",
        "warning": "warning", "course": "once per course", "lesson": "on every lesson",
        "province": "over a province's projects (`coursecheck audit` only)",
        "case": "once per learning-centre case (case.yaml)",
        "other": "中文", "index": "All rules", "explain": "In the terminal",
        "config": "Change its severity or turn it off in `.coursecheck.yaml`",
        "title": "coursecheck rules", "id": "ID", "summary": "What it checks",
        "intro": "One page per rule, generated from the rule registry by `make docs`. "
                 "`coursecheck explain ID` prints the same text in the terminal.",
    },
    "zh": {
        "severity": "默认级别", "scope": "检查范围", "error": "错误（error）",
        "warning": "警告（warning）", "course": "每门课程一次", "lesson": "每个微课文件",
        "province": "同一省份的全部项目（仅 `coursecheck audit`）",
        "case": "每个学习中心典型案例一次（case.yaml）",
        "other": "English", "index": "全部规则", "explain": "在终端中查看",
        "config": "在 `.coursecheck.yaml` 中调整级别或关闭",
        "title": "coursecheck 规则", "id": "编号", "summary": "检查内容",
        "intro": "每条规则一页，由 `make docs` 根据规则注册表自动生成，请勿手工修改。"
                 "`coursecheck explain 编号` 在终端中显示同样的内容。",
    },
}


def page_path(rule_id: str, lang: str) -> str:
    """The page's path in the repository, POSIX style: ``docs/rules/<lang>/<ID>.md``."""
    return f"{DOCS_DIR}/{lang}/{rule_id}.md"


def page_url(rule_id: str, lang: str, base_url: str | None = None) -> str:
    """Where the page is: ``base_url`` joined with :func:`page_path`, or the relative path."""
    path = page_path(rule_id, lang)
    return f"{base_url.rstrip('/')}/{path}" if base_url else path


def _fenced(text: str, kind: str = "text") -> str:
    fence = "````" if "```" in text else "```"
    return f"{fence}{kind}\n{text}\n{fence}"


def render_page(rule: Rule, lang: str) -> str:
    """One rule's page in ``lang``: summary, severity, scope, then what, why, fix and examples."""
    words = _WORDS[lang]
    other = "en" if lang == "zh" else "zh"
    doc = rule.doc_in(lang)
    colon = "：" if lang == "zh" else ":"
    lines = [
        f"# {rule.id}: {rule.summary_in(lang)}",
        "",
        f"[{words['other']}](../{other}/{rule.id}.md) · [{words['index']}](README.md)",
        "",
        f"- **{words['severity']}{colon}** {words[str(rule.severity)]}",
        f"- **{words['scope']}{colon}** {words.get(str(rule.scope), str(rule.scope))}",
        f"- **{words['explain']}{colon}** `coursecheck explain {rule.id} --lang {lang}`",
        f"- **{words['config']}{colon}** `rules: {{{rule.id}: off}}`",
        "",
    ]
    heads = doc.sections(lang)
    for index, (heading, body) in enumerate(heads):
        lines += [f"## {heading}", ""]
        if index >= 3:
            body = _fenced(body)
        elif body.startswith("ffmpeg "):
            body = _fenced(body, "sh")
        lines.append(body)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_index(lang: str) -> str:
    """The rule index in ``lang``: one table row per rule with a link to its page."""
    words = _WORDS[lang]
    other = "en" if lang == "zh" else "zh"
    lines = [f"# {words['title']}", "", f"[{words['other']}](../{other}/README.md)", "",
             words["intro"], "",
             f"| {words['id']} | {words['severity']} | {words['summary']} |", "|---|---|---|"]
    for rule in ordered():
        summary = rule.summary_in(lang).replace("|", "\\|")
        lines.append(f"| [{rule.id}]({rule.id}.md) | {rule.severity} | {summary} |")
    return "\n".join(lines) + "\n"


def all_pages() -> dict[str, str]:
    """Every generated page, keyed by its repository path."""
    pages: dict[str, str] = {}
    for lang in LANGS:
        pages[f"{DOCS_DIR}/{lang}/README.md"] = render_index(lang)
        for rule_id in sorted(REGISTRY):
            pages[page_path(rule_id, lang)] = render_page(REGISTRY[rule_id], lang)
    return pages
