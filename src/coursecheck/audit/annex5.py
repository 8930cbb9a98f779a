"""附件5 社区教育机构统计表: a province's statistics.yaml as the annex's one-row table, and the
Annex 3 summary table as a workbook of its own. Both print on one A4 page width."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coursecheck.audit.model import Project
from coursecheck.audit.xlsx import as_text, cell_text, summary_sheet
from coursecheck.statistics import COLUMNS, TRAINING_NOTE, StatisticsFacts

TITLE = "社区教育机构统计表"


def write_annex3(province: str, projects: list[Project], path: Path) -> None:
    """The Annex 3 summary table of ``projects`` (in the order given) as its own workbook."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "附件3"
    summary_sheet(sheet, province, projects)
    as_text(sheet)
    book.save(path)


def write_annex5(stats: StatisticsFacts, path: Path) -> None:
    """The Annex 5 table filled in from ``stats``; a column the file leaves out stays blank."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "附件5"
    last = get_column_letter(len(COLUMNS))
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"] = TITLE
    sheet["A1"].font, sheet["A1"].alignment = Font(name="黑体", size=16, bold=True), center
    sheet.row_dimensions[1].height = 36
    for col, (key, heading) in enumerate(COLUMNS, start=1):
        head = sheet.cell(row=2, column=col, value=heading)
        head.font, head.alignment, head.border = Font(name="黑体", size=10), center, box
        value: Any = stats.text(key) if key == "center_name" else stats.value(key)
        cell = sheet.cell(row=3, column=col, value=cell_text(value) if value is not None else None)
        cell.font, cell.alignment, cell.border = Font(name="宋体", size=11), center, box
        sheet.column_dimensions[get_column_letter(col)].width = 22 if col == 1 else 11
    sheet.row_dimensions[2].height = 90
    sheet.row_dimensions[3].height = 30
    sheet.merge_cells(f"A5:{last}5")
    sheet["A5"] = TRAINING_NOTE
    sheet["A5"].font = Font(name="宋体", size=10)
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    as_text(sheet)
    book.save(path)
