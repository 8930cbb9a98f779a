"""附件4 品牌社区学习中心典型案例推介表: one learning-centre case as a Word table (python-docx).

The table follows the annex row by row on an eight-column grid, so the contact rows (label,
联系人, name, 联系电话, phone) and the four 申报意见 cells line up. Every run names its East Asian
font (``w:eastAsia``), so WPS and Word show 仿宋 and 黑体 rather than a Latin fallback. Text from
case.yaml goes through :func:`printable`: it is never markup, and a control character cannot
make the document unreadable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coursecheck.case import CaseView
from coursecheck.text import printable

TITLE = "品牌社区学习中心典型案例推介表"
BODY_FONT = "仿宋"
LABEL_FONT = "黑体"
GRID = 8
# 附件4's narrative rows: (field, label, the annex's hint under the label).
SECTION_ROWS: tuple[tuple[str, str, str], ...] = (
    ("foundation", "基础保障", "（主要填写设施、经费保障情况等）"),
    ("team", "队伍建设", "（主要填写社区教育工作者、志愿者队伍情况等）"),
    ("activities", "教育活动与服务", "（主要填写教育活动、业务指导与服务、服务社区建设、实践研究、"
                                  "数字化学习平台与资源等情况）"),
    ("sustainability", "可持续发展", "（主要填写办学成效、社会影响等情况）"),
    ("highlights", "特色和经验", "（字数不超过 1000 字）"),
    ("promotion", "重点宣传推介内容",
     "（主要凝练可推广、可复制的典型做法和经验。字数不超过 300 字内）"),
)
OPINIONS = ("申报学校意见", "县级教育行政部门意见", "市级教育行政部门意见", "省级教育行政部门意见")
SEAL = "（盖章）\n年    月    日"
# Every label of the annex, in the order the form reads (the tests check this order).
LABELS: tuple[str, ...] = (
    "学校名称（准确填写全称）", "省级教育主管部门", "联系人", "联系电话", "申报学校联系方式",
    "联系人", "联系电话", "电子邮箱", *(label for _, label, _ in SECTION_ROWS), "申报意见",
    *OPINIONS)


def _font(run: Any, name: str, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _write(cell: Any, text: str, *, font: str = BODY_FONT, size: float = 12,
           bold: bool = False, center: bool = False) -> None:
    """Put ``text`` in ``cell``, one paragraph per line."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines = printable(text).split("\n") or [""]
    first = cell.paragraphs[0]
    for n, line in enumerate(lines):
        paragraph = first if n == 0 else cell.add_paragraph()
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(paragraph.add_run(line), font, size, bold)


def _label(cell: Any, text: str, hint: str = "") -> None:
    _write(cell, text, font=LABEL_FONT, size=12, center=True)
    if hint:
        paragraph = cell.add_paragraph()
        _font(paragraph.add_run(hint), BODY_FONT, 9)


def write_case_docx(view: CaseView, path: Path) -> None:
    """Write the 附件4 form for one case to ``path`` (a .docx file)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(2.2)
    _font(document.add_paragraph().add_run("附件4"), LABEL_FONT, 14)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(TITLE), LABEL_FONT, 18, bold=True)
    table = document.add_table(rows=0, cols=GRID)
    table.style = "Table Grid"
    _rows(table, view)
    document.save(str(path))


def _span(row: Any, start: int, end: int) -> Any:
    """The cell made of grid columns ``start``..``end`` of ``row``."""
    cells = row.cells
    return cells[start] if start == end else cells[start].merge(cells[end])


def _rows(table: Any, view: CaseView) -> None:
    school = view.school_contact
    province = view.province_contact
    row = table.add_row()
    _label(_span(row, 0, 1), "学校名称（准确填写全称）")
    _write(_span(row, 2, 7), view.school or "")
    row = table.add_row()
    _label(_span(row, 0, 1), "省级教育主管部门")
    _contact(row, province.name if province else None, province.phone if province else None)
    first = table.add_row()
    _contact(first, school.name if school else None, school.phone if school else None)
    second = table.add_row()
    _label(second.cells[2], "电子邮箱")
    _write(_span(second, 3, 7), school.email or "" if school else "")
    _label(first.cells[0].merge(second.cells[1]), "申报学校联系方式")
    for field, label, hint in SECTION_ROWS:
        row = table.add_row()
        _label(_span(row, 0, 1), label, hint)
        _write(_span(row, 2, 7), getattr(view, field) or "", size=12)
    row = table.add_row()
    _label(_span(row, 0, 7), "申报意见")
    heads, seals = table.add_row(), table.add_row()
    for n, text in enumerate(OPINIONS):
        _label(_span(heads, 2 * n, 2 * n + 1), text)
        _write(_span(seals, 2 * n, 2 * n + 1), "\n\n\n" + SEAL, center=True)


def _contact(row: Any, name: str | None, phone: str | None) -> None:
    _label(row.cells[2], "联系人")
    _write(_span(row, 3, 4), name or "", center=True)
    _label(row.cells[5], "联系电话")
    _write(_span(row, 6, 7), phone or "", center=True)
