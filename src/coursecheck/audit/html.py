"""``--html``: one self-contained HTML report to read in a browser.

A header with the summary counts and an overview table, the province findings, then one card per
course: its verdict, name, path and province, every lesson with a thumbnail and a duration bar
against that course's own limits, and every finding with its rule's explanation. Every text from
a course is escaped, with control characters and lone surrogates (a file name that is not UTF-8)
shown as U+FFFD; the page loads nothing (inline CSS, ``data:`` thumbnails, a CSP that forbids
the rest).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from pathlib import Path

from coursecheck import __version__
from coursecheck.audit.html_deep import DEEP_CSS, legend, spread, timeline
from coursecheck.audit.html_filter import filter_bar, province_key, script_tag, search_text
from coursecheck.audit.html_style import CSP, CSS, word
from coursecheck.audit.html_thumbs import ThumbKey, thumbnails
from coursecheck.audit.model import AuditCourse, AuditResult
from coursecheck.findings import Finding, LessonSummary, Severity
from coursecheck.messages import ui
from coursecheck.messages.values import value_in
from coursecheck.rules import REGISTRY
from coursecheck.settings import Settings
from coursecheck.spec import LEVELS
from coursecheck.text import format_duration, printable

BAR_HEADROOM = 1.2  # the bar runs to 1.2 × the maximum, so an over-long lesson shows as such


def write_html(result: AuditResult, path: Path, lang: str,
               thumbs: Mapping[ThumbKey, str] | None = None) -> None:
    """Write the report for ``result`` to ``path`` as one UTF-8 HTML file, ``thumbs`` (made
    here, without a cache, when not given) inline."""
    if thumbs is None:
        thumbs = thumbnails(result.courses)
    path.write_text(render(result, lang, thumbs), encoding="utf-8")


def render(result: AuditResult, lang: str, thumbs: Mapping[ThumbKey, str]) -> str:
    """The whole page; ``thumbs`` maps ``(course root, lesson file)`` to a data URI."""
    cards = "".join(_card(n, course, lang, thumbs) for n, course in enumerate(result.courses, 1))
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n'
        f'<meta charset="utf-8">\n<meta name="viewport" content="width=device-width">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f'<meta name="referrer" content="no-referrer">\n'
        f"<title>{_e(word(lang, 'title'))}</title>\n<style>{CSS}{DEEP_CSS}</style>\n"
        "</head>\n<body><main>\n"
        f"{_header(result, lang)}{_provinces(result, lang)}{_cases(result, lang)}"
        f"{filter_bar(lang, list(dict.fromkeys(c.province for c in result.courses)))}{cards}"
        f"<footer>{_e(word(lang, 'footer', version=__version__))}</footer>\n"
        f"</main>{script_tag()}</body>\n</html>\n")


def _e(text: object) -> str:
    return escape(printable(str(text)), quote=True)


def _pill(verdict: str, lang: str) -> str:
    return f'<span class="pill {_e(verdict)}">{_e(ui(lang, verdict))}</span>'


def _header(result: AuditResult, lang: str) -> str:
    counts = result.summary()
    tiles = "".join(
        f'<div class="tile {cls}" data-count="{key}"><b>{counts[key]}</b>{_e(label)}</div>'
        for key, cls, label in (
            ("courses", "", word(lang, "courses")), ("passed", "pass", ui(lang, "pass")),
            ("warned", "warn", ui(lang, "warn")), ("failed", "fail", ui(lang, "fail")),
            ("errors", "fail", ui(lang, "col_errors")),
            ("warnings", "warn", ui(lang, "col_warnings"))))
    banner = ""
    if result.interrupted:
        text = ui(lang, "interrupted", done=len(result.courses), found=result.found)
        banner = f'<p class="banner">{_e(text)}</p>\n'
    rows = "".join(
        f'<tr data-course="course-{n}"><td>{_pill(str(c.result.verdict), lang)}</td>'
        f'<td><a href="#course-{n}">{_e(c.result.name or word(lang, "unnamed"))}</a></td>'
        f"<td>{_e(c.province or ui(lang, 'no_province'))}</td>"
        f'<td class="n">{len(c.result.lessons)}</td><td class="n">'
        f"{format_duration(c.result.total_duration_s)}</td>"
        f'<td class="n">{c.result.errors}</td><td class="n">{c.result.warnings}</td>'
        f"<td><code>{_e(c.result.path)}</code></td></tr>\n"
        for n, c in enumerate(result.courses, 1))
    heads = "".join(f"<th>{_e(ui(lang, key))}</th>" for key in (
        "col_verdict", "col_name", "col_province", "col_lessons", "col_duration", "col_errors",
        "col_warnings", "col_path"))
    return (f"<header><h1>{_e(word(lang, 'title'))}</h1>\n"
            f'<p class="sub">{_e(ui(lang, "summary", **counts))}</p>\n'
            f'<div class="tiles">{tiles}</div>\n{banner}</header>\n'
            f'<table class="overview"><thead><tr>{heads}</tr></thead>\n<tbody>\n{rows}'
            "</tbody></table>\n")


def _provinces(result: AuditResult, lang: str) -> str:
    reports = [p for p in result.provinces if p.findings]
    if not reports:
        return ""
    body = "".join(f"<h3>{_e(p.province or ui(lang, 'no_province'))}</h3>"
                   f"{_findings(p.findings, lang)}" for p in reports)
    return (f'<section class="province"><h2>{_e(ui(lang, "province_findings"))}</h2>'
            f"{body}</section>\n")


def _cases(result: AuditResult, lang: str) -> str:
    """The learning-centre cases: verdict, school, province, path and findings of each."""
    if not result.cases:
        return ""
    body = "".join(
        f'<div class="case" id="case-{n}" data-verdict="{c.result.verdict}">'
        f'<div class="card-head">{_pill(str(c.result.verdict), lang)}'
        f'<h3 class="name">{_e(c.result.name or word(lang, "unnamed"))}</h3></div>'
        f'<p class="dim">{_e(c.province or ui(lang, "no_province"))} · '
        f"<code>{_e(c.result.path)}</code></p>"
        + (_findings(c.result.findings, lang) if c.result.findings else
           f'<p class="ok-note">{_e(ui(lang, "no_findings"))}</p>') + "</div>"
        for n, c in enumerate(result.cases, 1))
    return f'<section class="province cases"><h2>{_e(ui(lang, "cases"))}</h2>{body}</section>\n'


def _card(n: int, course: AuditCourse, lang: str, thumbs: Mapping[ThumbKey, str]) -> str:
    result, limits = course.result, course.settings
    verdict = str(result.verdict)
    meta = [(ui(lang, "col_path"), f"<code>{_e(result.path)}</code>"),
            (ui(lang, "col_province"), _e(course.province or ui(lang, "no_province")))]
    if course.level:
        meta.append((word(lang, "level"), _e(LEVELS.get(course.level, course.level))))
    duration = format_duration(result.total_duration_s)
    meta.append((ui(lang, "col_lessons"), _e(ui(lang, "lessons", count=len(result.lessons),
                                                 duration=duration))))
    loudness = spread(result.lessons, lang)
    if loudness:
        meta.append(loudness)
    dl = "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in meta)
    lessons = "".join(_lesson(course, lesson, lang, thumbs, limits) for lesson in result.lessons)
    lesson_part = ""
    if lessons:
        top = limits.max_minutes * BAR_HEADROOM
        scale = word(lang, "scale", top=f"{top:g}", advised=f"{limits.advised_minutes:g}",
                     max=f"{limits.max_minutes:g}")
        deep = legend(lang) if any(x.deep for x in result.lessons) else ""
        lesson_part = (f"<h3>{_e(word(lang, 'lessons'))}</h3><p class=\"dim\">{_e(scale)}</p>"
                       f'{deep}<ol class="lessons">{lessons}</ol>')
    findings = (_findings(result.findings, lang) if result.findings else
                f'<p class="ok-note">{_e(ui(lang, "no_findings"))}</p>')
    return (f'<section class="card {verdict}" id="course-{n}" data-verdict="{verdict}" '
            f'data-province="{province_key(course.province)}" '
            f'data-search="{search_text(result.name, result.path)}">\n'
            f'<div class="card-head">{_pill(verdict, lang)}'
            f'<h2 class="name">{_e(result.name or word(lang, "unnamed"))}</h2></div>\n'
            f'<dl class="meta">{dl}</dl>\n{lesson_part}\n'
            f"<h3>{_e(word(lang, 'findings'))}</h3>\n{findings}\n</section>\n")


def _lesson(course: AuditCourse, lesson: LessonSummary, lang: str,
            thumbs: Mapping[ThumbKey, str], limits: Settings) -> str:
    uri = thumbs.get((course.root, lesson.file))
    thumb = (f'<img class="thumb" src="{_e(uri)}" width="160" height="90" alt="" '
             'decoding="async">' if uri else
             f'<div class="thumb none">{_e(word(lang, "no_preview"))}</div>')
    mine = [f.severity for f in course.result.findings if f.file == lesson.file]
    state = (" has-error" if Severity.ERROR in mine else
             " has-warning" if Severity.WARNING in mine else "")
    specs = " · ".join(part for part in (
        f"{lesson.width}×{lesson.height}" if lesson.width and lesson.height else "",
        f"{lesson.fps:g} fps" if lesson.fps else "", lesson.codec or "") if part)
    return (f'<li class="lesson{state}">{thumb}<div class="title">{_e(lesson.title)}</div>'
            f'<div class="file dim"><code>{_e(lesson.file)}</code></div>'
            f'<div class="specs dim">{_e(specs)}</div>{_bar(lesson.duration_s, lang, limits)}'
            f"{timeline(lesson, lang)}</li>")


def _bar(duration_s: float | None, lang: str, limits: Settings) -> str:
    if duration_s is None:
        return f'<div class="bar-label dim">{_e(word(lang, "unknown_duration"))}</div>'
    top = limits.max_minutes * 60 * BAR_HEADROOM
    minutes = duration_s / 60
    kind = ("over" if minutes > limits.max_minutes else
            "long" if minutes > limits.advised_minutes else "ok")
    width = min(duration_s / top, 1.0) * 100
    marks = "".join(f'<span class="mark {cls}" style="left:{m * 60 / top * 100:.2f}%"></span>'
                    for cls, m in (("advised", limits.advised_minutes),
                                   ("max", limits.max_minutes)))
    return (f'<div class="bar" data-seconds="{duration_s:g}"><span class="fill {kind}" '
            f'style="width:{width:.2f}%"></span>{marks}</div>'
            f'<div class="bar-label">{format_duration(duration_s)}</div>')


def _findings(findings: Iterable[Finding], lang: str) -> str:
    return '<ul class="findings">' + "".join(_finding(f, lang) for f in findings) + "</ul>"


def _finding(finding: Finding, lang: str) -> str:
    where = finding.file + (f":{finding.line}" if finding.line else "")
    facts = " · ".join(f"{ui(lang, key)}: {value_in(lang, value)}" for key, value in (
        ("expected", finding.expected), ("actual", finding.actual)) if value)
    rule = REGISTRY.get(finding.rule)
    explained = ""
    if rule is not None:
        doc = rule.doc_in(lang)
        parts = "".join(f"<dt>{_e(heading)}</dt><dd><pre>{_e(text)}</pre></dd>"
                        for heading, text in doc.sections(lang))
        explained = (f'<details class="explain"><summary>{_e(rule.summary_in(lang))}</summary>'
                     f"<dl>{parts}</dl></details>")
    severity = str(finding.severity)
    return (f'<li class="finding {_e(severity)}" data-rule="{_e(finding.rule)}">'
            f'<span class="sev">{_e(ui(lang, severity))}</span><code class="rule">'
            f"{_e(finding.rule)}</code> "
            + (f'<code class="loc">{_e(where)}</code>' if where else "")
            + f'<p class="msg">{_e(finding.message)}</p>'
            + (f'<p class="facts dim">{_e(facts)}</p>' if facts else "")
            + f"{explained}</li>")
