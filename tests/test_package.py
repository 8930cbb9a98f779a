"""``audit --package``: the forms written per province, read back (the tree of test_submission)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from docx.oxml.ns import qn
from openpyxl import load_workbook

from coursecheck.audit.annex4 import LABELS
from coursecheck.audit.package import safe_name
from tests.helpers import apt_install, run_cli, snapshot
from tests.test_submission import JS, ZJ, Tree, tree

__all__ = ["tree"]  # the session-scoped fixture, shared with test_submission

ANNEX3 = "附件3-社区教育品牌项目汇总表.xlsx"
ANNEX5 = "附件5-社区教育机构统计表.xlsx"


def cells_in_order(path: Path) -> list[Any]:
    """The distinct cells of the first table, row by row (a merged cell once)."""
    table = docx.Document(str(path)).tables[0]
    seen: list[Any] = []
    for row in table.rows:
        for cell in row.cells:
            if not any(cell._tc is other._tc for other in seen):
                seen.append(cell)
    return seen


def test_each_province_gets_its_forms_and_errors_are_left_out(tree: Tree) -> None:
    zj, js = tree.out / "pkg" / ZJ, tree.out / "pkg" / JS
    assert sorted(p.name for p in zj.iterdir()) == sorted([
        ANNEX3, "核查报告.html", "未纳入清单.txt",
        *(f"附件4-学校{n}.docx" for n in ("二", "四", "五", "六"))])  # 一 K101, 三 K102
    assert (js / ANNEX5).is_file() and not (zj / ANNEX5).exists()  # 浙江's has S001/S002
    left = (zj / "未纳入清单.txt").read_text(encoding="utf-8-sig")
    assert "k1" in left and "K101" in left and "k3" in left and "K102" in left
    assert "statistics.yaml" in left and "S001" in left and "S002" in left
    assert "k2" not in left and "S003" not in left


def test_windows_forbidden_characters_are_made_safe(tree: Tree) -> None:
    assert (tree.out / "pkg" / JS / "附件4-CON_东区_学院.docx").is_file()
    assert safe_name("CON") == "_CON" and safe_name("a<b>:c|d?.") == "a_b__c_d_"
    assert safe_name("  ..  ", "学校") == "学校"


def test_annex4_has_every_label_in_order_the_texts_and_east_asian_fonts(tree: Tree) -> None:
    path = tree.out / "pkg" / ZJ / "附件4-学校六.docx"
    texts = [cell.text for cell in cells_in_order(path)]
    position = 0
    for label in LABELS:
        position = next(i for i in range(position, len(texts))
                        if texts[i].split("\n")[0] == label) + 1
    case = tree.case("k6")
    assert case["name"] == "学校六"
    data = yaml.safe_load((tree.root / ZJ / "k6" / "case.yaml").read_text("utf-8"))
    after = {texts[i].split("\n")[0]: texts[i + 1] for i in range(len(texts) - 1)}
    assert after["学校名称（准确填写全称）"] == "学校六"
    for label, field in (("基础保障", "foundation"), ("特色和经验", "highlights"),
                         ("重点宣传推介内容", "promotion")):
        assert after[label] == data[field]
    assert after["电子邮箱"] == data["school_contact"]["email"]
    assert texts.count("\n\n\n（盖章）\n年    月    日") == 4
    document = docx.Document(str(path))
    fonts = {r._element.rPr.rFonts.get(qn("w:eastAsia"))
             for p in document.tables[0].rows[0].cells[2].paragraphs for r in p.runs}
    assert fonts == {"仿宋"}
    normal = document.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia"))
    assert normal == "仿宋"


def test_package_annex3_lists_centres_and_courses_in_order_as_text(tree: Tree) -> None:
    sheet = load_workbook(tree.out / "pkg" / ZJ / ANNEX3).active
    rows = [r for r in sheet.iter_rows(min_row=5, max_col=5) if isinstance(r[0].value, int)]
    assert [r[0].value for r in rows] == list(range(1, 8))
    assert [r[1].value for r in rows][:4] == ["浙江课程c1", "学校二", "浙江课程c2", "学校六"]
    assert all(c.data_type == "s" for r in rows for c in r[1:] if c.value)
    assert int(sheet.page_setup.paperSize) == 9 and sheet.page_setup.fitToWidth == 1  # A4


def test_annex5_is_filled_from_statistics_yaml(tree: Tree) -> None:
    sheet = load_workbook(tree.out / "pkg" / JS / ANNEX5).active
    heads = [c.value for c in sheet[2]]
    values = dict(zip(heads, [c.value for c in sheet[3]], strict=True))
    assert values["省级社区教育指导服务中心名称"] == "江苏省社区教育指导服务中心"
    assert values["镇（街道）数（个）"] == 1200 and values["村（社区）数（个）"] is None
    assert values["县域社区教育人均投入经费（元/年/人）"] == 12.5
    assert "2022 年 9 月至 2023 年 9 月" in sheet["A5"].value
    assert sheet.page_setup.orientation == "landscape"


def test_an_existing_package_folder_is_refused_without_force(tree: Tree,
                                                             tmp_path: Path) -> None:
    target = tmp_path / "pkg"
    target.mkdir()
    (target / "keep.txt").write_text("mine", encoding="utf-8")
    before = snapshot(tmp_path)
    run = run_cli("audit", tree.root / JS, "--package", target)
    assert run.exit_code == 2 and "--force" in run.stderr
    assert snapshot(tmp_path) == before
    forced = run_cli("audit", tree.root / JS, "--package", target, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]  # no temporary folder left
    assert not (target / "keep.txt").exists() and (target / JS / ANNEX3).is_file()


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice's soffice, installed from Debian's packages once when missing (else a skip)."""
    found = shutil.which("soffice")
    if found is None:
        reason = apt_install("libreoffice-writer-nogui", "libreoffice-calc-nogui")
        found = shutil.which("soffice")
        if found is None:
            pytest.skip("LibreOffice (soffice) unavailable, so the A4 page count is not checked: "
                        f"{reason or 'the install left no soffice'}")
    return found


def _pdf_pages(soffice: str, source: Path, out: Path) -> int:
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{out}/profile",
                    "--convert-to", "pdf", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    data = (out / (source.stem + ".pdf")).read_bytes()
    return len(re.findall(rb"/Type\s*/Page\b", data))  # a page, not /Pages (the page tree)


@pytest.mark.timeout(900)
@pytest.mark.parametrize("name", ["附件4-学校六.docx", ANNEX3])
def test_forms_print_on_one_or_two_a4_pages(soffice: str, tree: Tree, tmp_path: Path,
                                            name: str) -> None:
    assert 1 <= _pdf_pages(soffice, tree.out / "pkg" / ZJ / name, tmp_path) <= 2


def test_a_package_inside_a_case_folder_is_refused(tree: Tree) -> None:
    inside = tree.root / JS / "jk" / "out"
    run = run_cli("audit", tree.root / JS, "--package", inside)
    assert run.exit_code == 2 and "never writes into" in run.stderr and not inside.exists()
