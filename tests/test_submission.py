"""The province's whole submission: recommendation order (A005), learning-centre cases (K rules,
A006) and statistics (S rules), on one generated tree of two provinces."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook

from coursecheck.synth import passing_case
from tests.helpers import Course, Media, Run, check_json, run_cli

ZJ, JS = "浙江省", "江苏省"
STATS_OK: dict[str, Any] = {
    "province": JS, "center_name": "江苏省社区教育指导服务中心", "prefecture_cities": 13,
    "prefecture_guidance_centers": 13, "higher_vocational_colleges": 90,
    "higher_vocational_colleges_active": 60, "county_level_units": 95, "county_colleges": 90,
    "secondary_vocational_schools": 200, "secondary_vocational_schools_active": 150,
    "towns": 1200, "town_schools": 1100, "training_total": 2_500_000,
    "per_capita_funding": 12.5}


def write_yaml(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build_tree(root: Path, media: Media) -> None:
    """浙江省: 3 courses and 6 cases, orders mixed and one repeated, statistics with S001-S003;
    江苏省: one case (order 1) and one course (order 2), clean statistics."""
    for name, order in (("c1", 2), ("c2", 4), ("c3", None)):
        course = Course.good(root / ZJ / name, media)
        course.manifest["name"] = f"浙江课程{name}"
        if order is not None:
            course.manifest["recommendation_order"] = order
        course.build()
    cases = {
        "k1": passing_case(school="学校一", recommendation_order=1, highlights="特" * 1001),
        "k2": passing_case(school="学校二", recommendation_order=3, highlights="特" * 1000),
        "k3": passing_case(school="学校三", recommendation_order=5, promotion="推" * 301),
        "k4": passing_case(school="学校四", recommendation_order=6,
                           school_contact={"name": "赵老师", "phone": "87654321",
                                           "email": "zhao.example.cn"}),
        "k5": passing_case(school="学校五", recommendation_order=7, team="师资力量雄厚。"),
        "k6": passing_case(school="学校六", recommendation_order=4),
    }
    for name, data in cases.items():
        write_yaml(root / ZJ / name / "case.yaml", data)
    write_yaml(root / ZJ / "statistics.yaml", {
        **STATS_OK, "province": ZJ, "center_name": "浙江省社区教育指导服务中心",
        "higher_vocational_colleges": 40, "higher_vocational_colleges_active": 49,  # S002
        "towns": 1200, "town_schools": 1300,                                       # S003
        "county_colleges": -1})                                                    # S001
    course = Course.good(root / JS / "j1", media)
    course.manifest.update(name="江苏课程", province=JS, recommendation_order=2)
    course.build()
    write_yaml(root / JS / "jk" / "case.yaml",
               passing_case(school="南京市社区学院", province=JS, recommendation_order=1))
    write_yaml(root / JS / "jk2" / "case.yaml",
               passing_case(school="CON:东区?学院.", province=JS, recommendation_order=3))
    write_yaml(root / JS / "statistics.yaml", STATS_OK)


@dataclass
class Tree:
    root: Path
    out: Path
    run: Run

    def province(self, name: str) -> dict[str, Any]:
        return next(p for p in self.run.report["audit"]["provinces"] if p["province"] == name)

    def rules(self, province: str) -> list[str]:
        return [f["rule"] for f in self.province(province)["findings"]]

    def case(self, name: str) -> dict[str, Any]:
        return next(c for c in self.run.report["audit"]["cases"]
                    if c["path"].endswith("/" + name))


@pytest.fixture(scope="session")
def tree(tmp_path_factory: pytest.TempPathFactory, media: Media) -> Tree:
    root = tmp_path_factory.mktemp("submission")
    out = tmp_path_factory.mktemp("submission-out")
    build_tree(root, media)
    run = run_cli("audit", root, "--format", "json", "--jobs", "1", "--xlsx", out / "s.xlsx",
                  "--package", out / "pkg")
    return Tree(root, out, run)


def key_line(path: Path, key: str, nth: int = 1) -> int:
    """The line of the ``nth`` line of ``path`` whose text (indented or not) starts ``key:``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [i for i, text in enumerate(lines, 1) if text.strip().startswith(key + ":")][nth - 1]


def where(findings: list[dict[str, Any]], rule: str) -> list[tuple[str, int | None]]:
    return [(f["file"], f["line"]) for f in findings if f["rule"] == rule]


def test_cases_are_found_and_reported_by_school(tree: Tree) -> None:
    cases = tree.run.report["audit"]["cases"]
    assert sorted(c["name"] for c in cases) == sorted(
        ["学校一", "学校二", "学校三", "学校四", "学校五", "学校六", "南京市社区学院",
         "CON:东区?学院."])
    assert tree.province(ZJ)["cases"] == sorted(c["path"] for c in cases if ZJ in c["path"])
    assert tree.run.exit_code == 1


def test_a006_fires_for_six_cases_not_for_one(tree: Tree) -> None:
    assert tree.rules(ZJ).count("A006") == 1
    assert "A006" not in tree.rules(JS)


def test_a005_names_the_project_without_an_order_and_the_repeated_number(tree: Tree) -> None:
    found = [f for f in tree.province(ZJ)["findings"] if f["rule"] == "A005"]
    mixed = next(f for f in found if "no recommendation_order" in f["message"])
    assert mixed["message"].startswith("1 project") and mixed["message"].endswith("/c3.")
    repeated = next(f for f in found if "used more than once" in f["message"])
    assert "/c2" in repeated["message"] and "/k6" in repeated["message"]
    assert repeated["file"].endswith("k6/case.yaml")
    assert repeated["line"] == key_line(tree.root / ZJ / "k6" / "case.yaml", "recommendation_order")
    assert "A005" not in tree.rules(JS)


def test_k101_fires_for_1001_characters_not_for_1000(tree: Tree) -> None:
    k1 = tree.case("k1")
    line = key_line(tree.root / ZJ / "k1" / "case.yaml", "highlights")
    assert where(k1["findings"], "K101") == [("case.yaml", line)]
    assert "1001" in next(f for f in k1["findings"] if f["rule"] == "K101")["message"]
    assert k1["verdict"] == "fail"
    assert where(tree.case("k2")["findings"], "K101") == []


def test_k102_fires_for_301_characters(tree: Tree) -> None:
    line = key_line(tree.root / ZJ / "k3" / "case.yaml", "promotion")
    assert where(tree.case("k3")["findings"], "K102") == [("case.yaml", line)]
    assert where(tree.case("k2")["findings"], "K102") == []


def test_k103_fires_for_the_bad_phone_and_email(tree: Tree) -> None:
    k4 = tree.case("k4")
    path = tree.root / ZJ / "k4" / "case.yaml"
    assert where(k4["findings"], "K103") == [("case.yaml", key_line(path, "phone", 2)),
                                             ("case.yaml", key_line(path, "email"))]
    assert k4["verdict"] == "warn"
    assert where(tree.case("k6")["findings"], "K103") == []


def test_k104_fires_for_the_short_section(tree: Tree) -> None:
    k5 = tree.case("k5")
    line = key_line(tree.root / ZJ / "k5" / "case.yaml", "team")
    assert where(k5["findings"], "K104") == [("case.yaml", line)]
    assert "team" in k5["findings"][0]["message"]
    assert where(tree.case("k6")["findings"], "K104") == []


@pytest.mark.parametrize(("rule", "key"), [("S001", "county_colleges"),
                                           ("S002", "higher_vocational_colleges_active"),
                                           ("S003", "town_schools")])
def test_statistics_rules_fire_at_the_line(tree: Tree, rule: str, key: str) -> None:
    stats = tree.root / ZJ / "statistics.yaml"
    lines = stats.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.startswith(key + ":"))
    found = [(Path(f["file"]).name, f["line"]) for f in tree.province(ZJ)["findings"]
             if f["rule"] == rule]
    assert found == [("statistics.yaml", line)]
    assert rule not in tree.rules(JS)


def test_annex3_interleaves_centres_and_courses_by_order(tree: Tree) -> None:
    book = load_workbook(tree.out / "s.xlsx")
    zj = book["汇总表-浙江省"]
    rows = [(r[0].value, r[1].value) for r in zj.iter_rows(min_row=5, max_col=2)
            if isinstance(r[0].value, int)]
    assert rows == [(1, "浙江课程c1"), (2, "学校二"), (3, "浙江课程c2"), (4, "学校六"),
                    (5, "学校四"), (6, "学校五"), (7, "浙江课程c3")]
    js = book["汇总表-江苏省"]
    assert [js.cell(row=r, column=2).value for r in (5, 6, 7)] == [
        "南京市社区学院", "江苏课程", "CON:东区?学院."]


def test_check_accepts_a_case_folder(tree: Tree) -> None:
    run = check_json(tree.root / ZJ / "k1")
    assert run.report["courses"][0]["name"] == "学校一"
    line = key_line(tree.root / ZJ / "k1" / "case.yaml", "highlights")
    assert run.where("K101") == [("case.yaml", line)] and run.exit_code == 1
    clean = check_json(tree.root / ZJ / "k6" / "case.yaml")
    assert clean.findings() == [] and clean.exit_code == 0


def test_k001_locates_a_bad_field_and_an_unknown_key(tmp_path: Path) -> None:
    data = passing_case(recommendation_order=0, school_name="x")
    del data["foundation"]
    write_yaml(tmp_path / "case.yaml", data)
    run = check_json(tmp_path)
    found = sorted((f["line"], f["message"]) for f in run.findings("K001"))
    path = tmp_path / "case.yaml"
    assert [line for line, _ in found] == [1, key_line(path, "recommendation_order"),
                                           key_line(path, "school_name")]
    assert "foundation" in found[0][1] and "school_name" in found[2][1]
    assert run.exit_code == 1


def test_k001_reports_a_case_yaml_that_is_not_yaml(tmp_path: Path) -> None:
    (tmp_path / "case.yaml").write_text("school: [学校\n", encoding="utf-8")
    run = check_json(tmp_path)
    assert [f["rule"] for f in run.findings()] == ["K001"] and run.exit_code == 1


def test_a002_and_a003_cover_cases(tmp_path: Path) -> None:
    write_yaml(tmp_path / "a" / "case.yaml", passing_case())
    write_yaml(tmp_path / "b" / "case.yaml", passing_case())               # the same school
    lacking = passing_case(school="另一所学校")
    del lacking["school_contact"], lacking["level"]
    write_yaml(tmp_path / "c" / "case.yaml", lacking)
    run = run_cli("audit", tmp_path, "--format", "json")
    province = run.report["audit"]["provinces"][0]
    assert [(f["rule"], Path(f["file"]).parent.name) for f in province["findings"]] == [
        ("A002", "b")]
    cases = {Path(c["path"]).name: c for c in run.report["audit"]["cases"]}
    a003 = [f for f in cases["c"]["findings"] if f["rule"] == "A003"]
    assert [(f["file"], f["line"]) for f in a003] == [("case.yaml", 1)]
    assert "level, school_contact.name, school_contact.phone" in a003[0]["message"]
    assert all(f["rule"] != "A003" for name in "ab" for f in cases[name]["findings"])
    assert run.exit_code == 1


def test_the_text_report_lists_cases_and_counts_them(tree: Tree) -> None:
    run = run_cli("audit", tree.root / JS, "--lang", "en")
    assert "南京市社区学院" in run.stdout and "2 case(s): 2 passed" in run.stdout
    assert run.exit_code == 0
