"""Text from a manifest or a file name reaches the xlsx and CSV exports as inert text, never as a
formula a spreadsheet runs (issue 10 §4, OWASP CSV injection)."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from coursecheck.inert import csv_cell
from tests.helpers import GOOD, Course, Media, run_cli

LINK = '=HYPERLINK("http://example.invalid/x", "点击查看")'
DDE = "-2+3+cmd|' /C calc'!A0"
ROOT_FILE = "=SUM(1,2).mp4"


@pytest.mark.parametrize(("value", "shown"), [
    (LINK, "'" + LINK),
    ("+SUM(1,2)", "'+SUM(1,2)"),
    (DDE, "'" + DDE),
    ("@SUM(1+1)", "'@SUM(1+1)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("  =1+1", "'  =1+1"),
    ("+86 138 0013 8000", "+86 138 0013 8000"),
    ("-23.5", "-23.5"),
    ("010-66097008", "010-66097008"),
    ("家庭营养与健康", "家庭营养与健康"),
    ("a=b", "a=b"),
    ("", ""),
])
def test_a_csv_field_a_spreadsheet_would_run_gets_a_quote(value: str, shown: str) -> None:
    assert csv_cell(value) == shown


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory, media: Media) -> Path:
    root = tmp_path_factory.mktemp("hostile-tree")
    listed = Course.good(root / "listed", media)
    listed.manifest["name"] = LINK
    listed.manifest["contact"] = {"name": "@SUM(1+1)", "phone": DDE}  # A004: a warning only
    listed.build()
    phone = Course.good(root / "phone", media)
    phone.manifest["name"] = "+课程"
    phone.manifest["contact"] = {"name": "王老师", "phone": "+86 138 0013 8000"}
    phone.build()
    failing = Course.good(root / "failing", media)
    failing.set_lesson(1, GOOD.but(fps="30"), name=ROOT_FILE)  # V105 on a file named like a formula
    failing.build()
    out = tmp_path_factory.mktemp("hostile-out")
    run = run_cli("audit", root, "--jobs", "1", "--no-cache", "--xlsx", out / "s.xlsx",
                  "--csv", out / "f.csv")
    assert run.exit_code == 1, run.stderr
    return out


def test_no_xlsx_cell_is_a_formula_and_every_text_cell_is_text(exports: Path) -> None:
    with zipfile.ZipFile(exports / "s.xlsx") as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in book.read(n) or b"<f " in book.read(n)
                                  for n in sheets)
    book = load_workbook(exports / "s.xlsx")
    texts = [c for s in book.worksheets for row in s.iter_rows() for c in row
             if isinstance(c.value, str)]
    assert {c.data_type for c in texts} == {"s"}
    summary = [[c.value for c in row] for row in book["汇总表"].iter_rows(min_row=5, max_row=6)]
    assert summary == [[1, LINK, "乡镇（街道）", "@SUM(1+1)", DDE],
                       [2, "+课程", "乡镇（街道）", "王老师", "+86 138 0013 8000"]]
    assert all(c.quotePrefix for c in texts if c.value in (LINK, DDE, "@SUM(1+1)"))
    findings = [[c.value for c in row] for row in book["问题清单"].iter_rows(min_row=2)]
    assert [row[1] for row in findings if row[3] == "V105"] == [ROOT_FILE]


def test_csv_fields_that_would_run_start_with_a_quote(exports: Path) -> None:
    rows = list(csv.reader((exports / "f.csv").read_text("utf-8-sig").splitlines()))
    a004 = next(r for r in rows if r[4] == "A004")
    assert a004[8] == "'" + DDE
    v105 = next(r for r in rows if r[4] == "V105")
    assert v105[2] == "'" + ROOT_FILE
    risky = [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@", "\t")]
    assert risky == []
