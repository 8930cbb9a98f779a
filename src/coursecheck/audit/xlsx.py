"""``--xlsx``: the province summary table (附件3) filled in, plus a verdict and a findings sheet.

Each province gets its own summary sheet laid out like Annex 3 and set up to print on A4. Every
text from a course (names, file names, messages) goes through :func:`cell_text`, so a control
character or a file name that is not UTF-8 shows as U+FFFD instead of stopping the export. Every
text cell is written as text (:func:`as_text`): openpyxl would otherwise store a name that starts
with ``=`` as a live formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from coursecheck.audit.model import AuditCourse, AuditResult, Project, by_recommendation
from coursecheck.inert import risky
from coursecheck.messages import ui
from coursecheck.messages.values import value_in
from coursecheck.rules import REGISTRY
from coursecheck.spec import LEVELS
from coursecheck.text import format_duration, printable

TITLE = "社区教育品牌项目汇总表"
STAMP = "省级教育行政部门（盖章）："
CONTACT_LINE = "联系人：                              联系电话："
HEADER = ["序号", "品牌社区学习中心名称/品牌课程名称", "所处层级（县、市、区/乡镇、街道/村、社区）",
          "联系人", "联系电话"]
NOTE = ("注：社区教育品牌项目，包括品牌社区学习中心和社区教育品牌课程。"
        "（此表请省级教育行政部门按照推荐顺序填写）")
WIDTHS = [7, 44, 26, 12, 17]
CHECK_SHEET = "课程核查"
FINDINGS_SHEET = "问题清单"


def cell_text(value: Any) -> Any:
    """``value``, with a text's control characters and lone surrogates shown as U+FFFD (openpyxl
    refuses the first, and the second cannot be written as UTF-8)."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # openpyxl loads only for --xlsx

    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", printable(value))


def sheet_title(province: str, several: bool, taken: set[str]) -> str:
    """A valid, unique Excel sheet name (≤31 characters, none of ``[]:*?/\\``)."""
    province = cell_text(province)
    base = (f"汇总表-{province}" if several else "汇总表") if province else "汇总表-未填省份"
    name = re.sub(r"[\[\]:*?/\\]", "_", base)[:31]
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name[:28]}-{n}", n + 1
    taken.add(candidate)
    return candidate


def write_xlsx(audit: AuditResult, path: Path, lang: str) -> None:
    """Write the workbook: one summary sheet per province, 课程核查 and 问题清单."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    provinces = sorted({c.province for c in audit.courses} | {c.province for c in audit.cases})
    taken: set[str] = set()
    for province in provinces or [""]:
        summary_sheet(book.create_sheet(sheet_title(province, len(provinces) > 1, taken)),
                      province, annex3_rows(audit, province))
    _check_sheet(book.create_sheet(CHECK_SHEET), audit.courses, lang)
    _findings_sheet(book.create_sheet(FINDINGS_SHEET), audit, lang)
    for sheet in book.worksheets:
        as_text(sheet)
    book.save(path)


def as_text(sheet: Any) -> None:
    """Mark every text cell as a string (never a formula); one a spreadsheet would read as a
    formula once edited also gets Excel's quote prefix, so it stays text then too."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                if risky(cell.value):
                    cell.quotePrefix = True


def annex3_rows(audit: AuditResult, province: str) -> list[Project]:
    """The province's courses and cases without errors, in its recommendation order."""
    projects: list[Project] = [*audit.courses, *audit.cases]
    return by_recommendation(p for p in projects if p.province == province and p.listable)


def summary_sheet(sheet: Any, province: str, courses: list[Project]) -> None:
    """Fill ``sheet`` with the Annex 3 table of ``courses`` (and cases), in the order given, set
    up to print on A4."""
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name="宋体", size=11)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    sheet.merge_cells("A1:E1")
    sheet["A1"] = TITLE
    sheet["A1"].font = Font(name="黑体", size=16, bold=True)
    sheet["A1"].alignment = center
    sheet.row_dimensions[1].height = 36
    sheet.merge_cells("A2:E2")
    sheet["A2"] = cell_text(STAMP + province)
    sheet.merge_cells("A3:E3")
    sheet["A3"] = CONTACT_LINE
    for cell in ("A2", "A3"):
        sheet[cell].font, sheet[cell].alignment = body, left
    for col, (text, width) in enumerate(zip(HEADER, WIDTHS, strict=True), start=1):
        cell = sheet.cell(row=4, column=col, value=text)
        cell.font, cell.alignment, cell.border = Font(name="黑体", size=11, bold=True), center, box
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.row_dimensions[4].height = 32
    for number, course in enumerate(courses, start=1):
        row = 4 + number
        values = [number, course.result.name or "", LEVELS.get(course.level or "", ""),
                  course.contact_name or "", course.contact_phone or ""]
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=col, value=cell_text(value))
            cell.font, cell.border = body, box
            cell.alignment = left if col == 2 else center
            if col == 5:
                cell.number_format = "@"  # keep phone numbers as text
        sheet.row_dimensions[row].height = 24
    note_row = 5 + len(courses) + 1
    sheet.merge_cells(start_row=note_row, start_column=1, end_row=note_row, end_column=5)
    sheet.cell(row=note_row, column=1, value=NOTE).font = Font(name="宋体", size=10)
    sheet.cell(row=note_row, column=1).alignment = left
    sheet.row_dimensions[note_row].height = 30
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "4:4"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5


def _table(sheet: Any, header: list[str], rows: Iterable[list[Any]], widths: list[int]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([cell_text(value) for value in row])
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _check_sheet(sheet: Any, courses: Sequence[AuditCourse], lang: str) -> None:
    header = [ui(lang, k) for k in ("col_path", "col_name", "col_province", "col_verdict",
                                    "col_lessons", "col_duration", "col_errors", "col_warnings")]
    rows = [[c.result.path, c.result.name or "", c.province, ui(lang, str(c.result.verdict)),
             len(c.result.lessons),
             format_duration(c.result.total_duration_s),
             c.result.errors, c.result.warnings] for c in courses]
    widths = [36, 30, 10, 10, 8, 12, 8, 8]
    if any(x.deep for c in courses for x in c.result.lessons):  # --deep ran
        from coursecheck.audit.html_deep import sheet_columns

        for row, course in zip(rows, courses, strict=True):
            row += sheet_columns(course.result.lessons, lang)[1]
        header += sheet_columns((), lang)[0]
        widths += [16, 10]
    _table(sheet, header, rows, widths)


def _findings_sheet(sheet: Any, audit: AuditResult, lang: str) -> None:
    zh = lang == "zh"
    header = (["路径", "文件", "行", "规则", "级别", "问题", "应为", "实际", "规则说明", "修改方法"]
              if zh else ["path", "file", "line", "rule", "severity", "message", "expected",
                          "found", "rule summary", "how to fix"])
    rows: list[list[Any]] = []
    for course, province, finding in audit.findings_in_order():
        where = course if course is not None else province or ui(lang, "no_province")
        rule = REGISTRY.get(finding.rule)
        rows.append([where, finding.file, finding.line or "", finding.rule,
                     ui(lang, str(finding.severity)), finding.message,
                     value_in(lang, finding.expected or ""), value_in(lang, finding.actual or ""),
                     rule.summary_in(lang) if rule else "", rule.doc_in(lang).fix if rule else ""])
    _table(sheet, header, rows, [30, 24, 6, 7, 8, 50, 16, 16, 30, 60])
