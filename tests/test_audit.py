"""``coursecheck audit`` on a province tree: 22 courses in two provinces, made of hard links."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.helpers import (
    GOOD,
    SCRIPTS,
    Course,
    Media,
    Run,
    run_cli,
    run_process,
    spy_on_config_parsing,
)


@dataclass
class Tree:
    """The audited tree and one JSON audit of it with every export written."""

    root: Path
    out: Path
    run: Run

    @property
    def report(self) -> dict[str, Any]:
        return self.run.report

    def course(self, name: str) -> dict[str, Any]:
        return next(c for c in self.report["courses"] if c["path"].endswith("/" + name))

    def province(self, name: str | None) -> dict[str, Any]:
        return next(p for p in self.report["audit"]["provinces"] if p["province"] == name)


def build_tree(root: Path, media: Media) -> None:
    """浙江省: 21 courses (two share a name, one has a bad phone); 江苏省: 1 lacking contact."""
    for i in range(1, 22):
        course = Course.good(root / "浙江省" / f"c{i:02d}", media)
        course.manifest["name"] = f"浙江课程{i:02d}"
        if i == 7:
            course.manifest["name"] = "浙江课程03"          # A002 with c03
        if i == 9:
            course.manifest["contact"]["phone"] = "1380013800"  # A004: ten digits
        if i == 11:
            course.manifest["contact"]["phone"] = "0571-87654321"  # a landline is fine
        if i == 12:
            course.set_lesson(4, GOOD.but(fps="30"))        # a failing course
        course.build()
    lone = Course.good(root / "江苏省" / "only", media)
    lone.manifest["province"] = "江苏省"
    lone.manifest["name"] = "江苏课程"
    del lone.manifest["contact"]                             # A003
    lone.build()
    inner = root / "江苏省" / "only" / "nested" / "inner"
    inner.mkdir(parents=True)
    (inner / "course.yaml").write_text("name: 不应被发现\n", encoding="utf-8")  # not searched


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory, media: Media) -> Tree:
    root = tmp_path_factory.mktemp("provinces")
    out = tmp_path_factory.mktemp("exports")
    build_tree(root, media)
    run = run_cli("audit", root, "--format", "json", "--jobs", "1", "--xlsx", out / "s.xlsx",
                  "--csv", out / "f.csv", "--no-cache")
    return Tree(root, out, run)


def test_every_course_is_found_but_not_inside_a_course(tree: Tree) -> None:
    paths = [c["path"] for c in tree.report["courses"]]
    assert len(paths) == 22 and not any("nested" in p for p in paths)
    assert tree.report["audit"]["courses_found"] == 22


def test_courses_are_sorted_by_province_then_path(tree: Tree) -> None:
    provinces = [p["province"] for p in tree.report["audit"]["provinces"]]
    assert provinces == sorted(provinces)
    assert provinces == ["江苏省", "浙江省"]  # Unicode order
    paths = [c["path"] for c in tree.report["courses"]]
    assert paths[0].endswith("江苏省/only") and paths[1:] == sorted(paths[1:])


def test_a001_fires_for_the_province_with_21_courses_only(tree: Tree) -> None:
    zj = tree.province("浙江省")
    assert [f["rule"] for f in zj["findings"] if f["rule"] == "A001"] == ["A001"]
    assert "21 courses" in next(f for f in zj["findings"] if f["rule"] == "A001")["message"]
    assert all(f["rule"] != "A001" for f in tree.province("江苏省")["findings"])


def test_a002_fires_on_the_repeated_name_only(tree: Tree) -> None:
    found = [f for f in tree.province("浙江省")["findings"] if f["rule"] == "A002"]
    assert [(Path(f["file"]).parent.name, f["line"]) for f in found] == [("c07", 1)]
    assert all(f["rule"] != "A002" for f in tree.province("江苏省")["findings"])


def test_a003_fires_on_the_course_without_contact(tree: Tree) -> None:
    only = tree.course("only")
    assert [(f["rule"], f["file"]) for f in only["findings"]] == [("A003", "course.yaml")]
    assert "contact.name, contact.phone" in only["findings"][0]["message"]
    assert only["verdict"] == "fail"
    others = [c for c in tree.report["courses"] if not c["path"].endswith("/only")]
    assert all(f["rule"] != "A003" for c in others for f in c["findings"])


def test_a004_fires_on_the_bad_phone_only(tree: Tree) -> None:
    bad = tree.course("c09")
    assert [(f["rule"], f["file"]) for f in bad["findings"]] == [("A004", "course.yaml")]
    assert bad["findings"][0]["actual"] == "1380013800"
    assert tree.course("c11")["findings"] == []  # a landline with its area code


def test_exit_code_and_summary_count_audit_findings(tree: Tree) -> None:
    assert tree.run.exit_code == 1
    summary = tree.report["summary"]
    assert summary["courses"] == 22 and summary["failed"] == 2
    assert summary["errors"] == 2  # V105 in c12 and A003 in only
    assert summary["warnings"] == 3  # A001, A002, A004


def test_workbook_has_a_summary_sheet_per_province_and_two_lists(tree: Tree) -> None:
    book = load_workbook(tree.out / "s.xlsx")
    assert book.sheetnames == ["汇总表-江苏省", "汇总表-浙江省", "课程核查", "问题清单"]
    sheet = book["汇总表-浙江省"]
    assert sheet["A1"].value == "社区教育品牌项目汇总表"
    assert sheet["A2"].value == "省级教育行政部门（盖章）：浙江省"
    assert [c.value for c in sheet[4]] == ["序号", "品牌社区学习中心名称/品牌课程名称",
                                          "所处层级（县、市、区/乡镇、街道/村、社区）", "联系人",
                                          "联系电话"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5, max_row=24)]
    assert len(rows) == 20  # 21 courses less c12, which has an error
    assert rows[0] == [1, "浙江课程01", "乡镇（街道）", "王老师", "13800138000"]
    assert all(row[2] == "乡镇（街道）" for row in rows)
    assert "浙江课程12" not in [row[1] for row in rows]
    assert sheet.cell(row=5, column=5).data_type == "s"  # the phone is text, not a number
    assert sheet.cell(row=26, column=1).value.startswith("注：社区教育品牌项目")
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    js = book["汇总表-江苏省"]
    assert js.cell(row=5, column=1).value is None  # its only course fails A003


def test_workbook_check_and_findings_sheets(tree: Tree) -> None:
    book = load_workbook(tree.out / "s.xlsx")
    checks = list(book["课程核查"].iter_rows(values_only=True))
    assert len(checks) == 23 and checks[0][0] == "path"
    findings = list(book["问题清单"].iter_rows(values_only=True))
    rules = sorted(row[3] for row in findings[1:])
    assert rules == ["A001", "A002", "A003", "A004", "V105"]
    v105 = next(row for row in findings if row[3] == "V105")
    assert v105[1] == "lessons/04.mp4" and "ffmpeg" in v105[9]  # after expected, found
    assert v105[6:8] == ("25", "30")


def test_csv_has_a_bom_and_every_finding(tree: Tree) -> None:
    raw = (tree.out / "f.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:6] == ["course", "province", "file", "line", "rule", "severity"]
    assert sorted(r[4] for r in rows[1:]) == ["A001", "A002", "A003", "A004", "V105"]
    assert any(r[1] == "浙江省" and r[4] == "A002" for r in rows)


def test_text_report_has_a_row_per_course_and_failing_details(tree: Tree) -> None:
    run = run_cli("audit", tree.root, "--jobs", "1")
    lines = run.stdout.splitlines()
    assert sum(1 for line in lines if line.startswith(("PASS", "WARN", "FAIL"))) == 22
    assert any("V105 error" in line for line in lines)
    assert not any("c01  浙江课程01" in line for line in lines)  # passing: no details
    detailed = run_cli("audit", tree.root, "--jobs", "1", "--details")
    assert "c01" in detailed.stdout and "no problems found" in detailed.stdout


def test_a_crashing_course_is_x001_and_the_rest_are_reported(
        tree: Tree, monkeypatch: pytest.MonkeyPatch) -> None:
    import coursecheck.audit.run as audit_run

    real = audit_run.plan_course

    def flaky(root: Path, manifest: Path | None, *rest: Any) -> Any:
        if root.name == "c05":
            raise ZeroDivisionError("division by zero in a broken course")
        return real(root, manifest, *rest)

    monkeypatch.setattr(audit_run, "plan_course", flaky)
    run = run_cli("audit", tree.root, "--format", "json", "--jobs", "1", "--no-cache")
    crashed = next(c for c in run.report["courses"] if c["path"].endswith("/c05"))
    assert [f["rule"] for f in crashed["findings"]] == ["X001"]
    assert crashed["findings"][0]["message"] == (
        "Internal error while checking this course: ZeroDivisionError: division by zero in a "
        "broken course. Please report it.")
    assert len(run.report["courses"]) == 22
    assert run.exit_code == 1


def test_parallel_audit_gives_the_same_findings(tree: Tree) -> None:
    proc = run_process("audit", tree.root, "--format", "json", "--jobs", "2", "--no-cache",
                       timeout=300)
    parallel = json.loads(proc.stdout)
    assert parallel["courses"] == tree.report["courses"]
    assert parallel["audit"] == {**tree.report["audit"], "engine": {"kind": "local", "jobs": 2}}
    assert proc.returncode == 1


def test_missing_root_is_a_usage_error(tmp_path: Path) -> None:
    proc = run_process("audit", tmp_path / "none", timeout=60)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1


def _children(pid: int) -> set[int]:
    kids = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.add(int(entry.name))
    return kids


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to list worker processes")
def test_ctrl_c_stops_cleanly_with_exit_130(tree: Tree, tmp_path: Path) -> None:
    slow = tmp_path / "slow"
    slow.mkdir()
    # Slow every probe down (test-only, through sitecustomize) so Ctrl-C lands mid-run.
    (slow / "sitecustomize.py").write_text(
        "import time, coursecheck.probe as p\n_real = p.run_mediainfo\n"
        "def _slow(path):\n    time.sleep(0.15)\n    return _real(path)\n"
        "p.run_mediainfo = _slow\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(slow), "COURSECHECK_LANG": "en"}
    proc = subprocess.Popen([str(SCRIPTS / "coursecheck"), "audit", str(tree.root), "--jobs",
                             "2", "--no-cache"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 2:
        workers |= _children(proc.pid)
        time.sleep(0.1)
    time.sleep(1.0)
    assert proc.poll() is None, "the audit finished before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "interrupted" in err and "Traceback" not in err
    assert "interrupted:" in out
    assert workers and all(not Path(f"/proc/{pid}").exists() for pid in workers)


# Odd names, settings, options and export paths (each on a small tree of its own)


def _course(root: Path, media: Media, name: str = "课程") -> Course:
    course = Course.good(root, media)
    course.manifest["name"] = name
    return course


def test_exports_survive_control_characters_and_names_that_are_not_utf8(
        tmp_path: Path, media: Media) -> None:
    root = _course(tmp_path / "tree" / "c1", media, "红色\x1b[31m课程\x07").build()
    (root / "lessons" / "bell\x07.mp4").write_bytes(b"x")           # C204, a control character
    with open(os.fsencode(root / "lessons") + b"/x\xff.mp4", "wb") as stray:  # C204, not UTF-8
        stray.write(b"x")
    odd_folder = Path(os.fsdecode(os.fsencode(tmp_path / "tree") + b"/c\xff"))
    _course(odd_folder, media, "另一门").build()                      # a folder that is not UTF-8
    out = tmp_path / "out"
    out.mkdir()
    run = run_cli("audit", tmp_path / "tree", "--format", "json", "--jobs", "1", "--no-cache",
                  "--xlsx", out / "s.xlsx", "--csv", out / "f.csv", "--html", out / "r.html")
    assert run.exit_code in (0, 1), run.stderr
    assert [c["path"].rsplit("/", 1)[1] for c in run.report["courses"]] == ["c1", "c\ufffd"]
    c1 = run.report["courses"][0]
    assert sorted(f["file"] for f in c1["findings"]) == ["lessons/bell\x07.mp4",
                                                        "lessons/x\ufffd.mp4"]  # C204 twice
    book = load_workbook(out / "s.xlsx")
    assert book["汇总表"].cell(row=5, column=2).value == "红色\ufffd[31m课程\ufffd"
    assert [row[0].rsplit("/", 1)[1] for row in
            book["课程核查"].iter_rows(min_row=2, values_only=True)] == ["c1", "c\ufffd"]
    listed = [row[1] for row in book["问题清单"].iter_rows(min_row=2, values_only=True)
              if row[3] == "C204"]
    assert sorted(listed) == ["lessons/bell\ufffd.mp4", "lessons/x\ufffd.mp4"]
    rows = list(csv.reader((out / "f.csv").read_text("utf-8-sig").splitlines()))
    assert sorted(r[2] for r in rows[1:] if r[4] == "C204") == ["lessons/bell\ufffd.mp4",
                                                               "lessons/x\ufffd.mp4"]
    page = (out / "r.html").read_text("utf-8")
    assert "lessons/x\ufffd.mp4" in page and "红色\ufffd[31m课程\ufffd" in page
    assert "/c\ufffd</code>" in page and "\x1b" not in page and "\x07" not in page
    text = run_cli("audit", tmp_path / "tree", "--jobs", "1", "--details")
    assert text.exit_code in (0, 1) and "/c\ufffd" in text.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``tmp_path/repo``, a repository root holding the courses; the working directory is
    ``tmp_path/elsewhere``, another repository root with a broken configuration."""
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / ".git").mkdir(parents=True)
    (elsewhere / ".coursecheck.yaml").write_text("rules: {V999: off}\n", encoding="utf-8")
    monkeypatch.chdir(elsewhere)
    return tmp_path / "repo"


def test_province_rules_use_the_courses_settings_not_the_working_directorys(
        repo: Path, media: Media) -> None:
    lone = _course(repo / "js" / "only", media)
    del lone.manifest["contact"]  # A003, an error by default
    lone.build()
    (repo / ".coursecheck.yaml").write_text("rules: {A003: warning}\n", encoding="utf-8")
    run = run_cli("audit", repo, "--format", "json", "--jobs", "1", "--no-cache")
    assert run.exit_code == 0, run.stderr  # the cwd's broken file is not read
    assert [(f["rule"], f["severity"]) for f in run.findings()] == [("A003", "warning")]
    assert run.report["courses"][0]["verdict"] == "warn"


def test_audit_headers_follow_the_configured_language(
        repo: Path, media: Media, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("COURSECHECK_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    _course(repo / "c1", media).build()
    (repo / ".coursecheck.yaml").write_text("lang: zh\n", encoding="utf-8")
    run = run_cli("audit", repo, "--jobs", "1", "--no-cache")
    assert run.exit_code == 0
    header = run.stdout.splitlines()[0]
    assert "结论" in header and "路径" in header and "verdict" not in header
    english = run_cli("audit", repo, "--jobs", "1", "--no-cache", "--lang", "en")
    assert "verdict" in english.stdout.splitlines()[0]


def test_audit_parses_a_shared_config_file_once(
        repo: Path, media: Media, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("c1", "c2", "c3"):
        _course(repo / "zj" / name, media, name).build()
    (repo / ".coursecheck.yaml").write_text("rules: {V204: off}\n", encoding="utf-8")
    parsed = spy_on_config_parsing(monkeypatch)
    run = run_cli("audit", repo, "--format", "json", "--jobs", "1", "--no-cache")
    assert run.exit_code == 0 and len(run.report["courses"]) == 3
    assert parsed == [repo / ".coursecheck.yaml"]


def test_select_or_ignore_matching_no_rule_stops_the_audit(
        tmp_path: Path, media: Media, capsys: pytest.CaptureFixture[str]) -> None:
    from coursecheck.audit.report import run_audit_command
    from coursecheck.options import RunOptions

    root = _course(tmp_path / "tree" / "c1", media).build()
    for select, ignore, said in (
            (("Z9",), (), "--select Z9 matches no rule; "),
            (("V1",), ("V10X",), "--ignore V10X matches no rule (did you mean V108?); ")):
        options = RunOptions(paths=(root.parent,), fmt="json", select=select, ignore=ignore)
        code = run_audit_command(options, 1, False, xlsx=None, csv=None, html=None)
        out, err = capsys.readouterr()
        assert code == 2 and out == ""
        assert err == f"coursecheck: error: {said}`coursecheck rules` lists them\n"


@pytest.mark.parametrize(("option", "name", "problem"), [
    ("--xlsx", "missing/x.xlsx", "does not exist"),
    ("--csv", "a-folder", "it is a folder"),
    ("--html", "n" * 300 + ".html", "too long"),
])
def test_an_export_path_that_cannot_be_written_is_refused_before_any_work(
        tmp_path: Path, media: Media, option: str, name: str, problem: str) -> None:
    (tmp_path / "a-folder").mkdir()
    _course(tmp_path / "tree" / "c1", media).build()
    run = run_cli("audit", tmp_path / "tree", "--jobs", "1", option, tmp_path / name)
    assert run.exit_code == 2 and run.stdout == ""
    assert run.stderr.startswith(f"coursecheck: error: cannot write {option} ")
    assert problem in run.stderr and run.stderr.count("\n") == 1


def test_an_export_that_fails_while_writing_is_one_line_and_the_others_are_written(
        tmp_path: Path, media: Media) -> None:
    _course(tmp_path / "tree" / "c1", media).build()
    dangling = tmp_path / "out.csv"
    dangling.symlink_to(tmp_path / "gone" / "out.csv")  # passes the early check, fails to open
    run = run_cli("audit", tmp_path / "tree", "--jobs", "1", "--no-cache", "--csv", dangling,
                  "--xlsx", tmp_path / "s.xlsx")
    assert run.exit_code == 2
    said = [line for line in run.stderr.splitlines()  # a slow machine also shows progress
            if not line.startswith("coursecheck: probing ")]
    assert said == [f"coursecheck: error: cannot write --csv {dangling}: "
                    "No such file or directory"]
    assert load_workbook(tmp_path / "s.xlsx").sheetnames[0] == "汇总表"


def test_a_crash_outside_any_rule_reads_naturally_in_both_languages() -> None:
    from coursecheck.engine import crashed
    from coursecheck.settings import Settings

    error = ZeroDivisionError("division by zero")
    en = crashed("c", Settings(lang="en"), error).findings[0].message
    zh = crashed("c", Settings(lang="zh"), error).findings[0].message
    assert en == ("Internal error while checking this course: ZeroDivisionError: division by "
                  "zero. Please report it.")
    assert zh == "检查此课程时内部出错：ZeroDivisionError: division by zero。请报告此问题。"


def test_audit_takes_select_and_ignore(tree: Tree) -> None:
    run = run_cli("audit", tree.root, "--format", "json", "--jobs", "1", "--ignore", "A00")
    rules = {f["rule"] for c in run.report["courses"] for f in c["findings"]}
    rules |= {f["rule"] for p in run.report["audit"]["provinces"] for f in p["findings"]}
    assert rules == {"V105"}
    only = run_cli("audit", tree.root, "--format", "json", "--jobs", "1", "--select", "A001")
    assert [f["rule"] for p in only.report["audit"]["provinces"] for f in p["findings"]] == [
        "A001"]
    assert only.exit_code == 0


def test_a_warm_audit_never_starts_a_pool_however_slow_the_machine(
        course: Course, monkeypatch: pytest.MonkeyPatch) -> None:
    from coursecheck import workers
    from coursecheck.audit import pool

    root = course.build()
    cold = run_cli("audit", root, "--format", "json", "--jobs", "1")  # fills the probe cache
    started: list[int] = []
    real = workers.ProbePool._start

    def spy(self: workers.ProbePool) -> Any:
        started.append(1)
        return real(self)

    monkeypatch.setattr(workers.ProbePool, "_start", spy)
    monkeypatch.setattr(pool, "POOL_COST_S", -1.0)  # any file, however quick, looks worth a pool
    warm = run_cli("audit", root, "--format", "json", "--jobs", "2")
    assert started == []
    assert warm.report["courses"] == cold.report["courses"]
    assert warm.exit_code == cold.exit_code == 0


@pytest.mark.parametrize(("lang", "line"), [
    ("en", "coursecheck: reading 3/3 courses"), ("zh", "coursecheck: 正在读取课程清单 3/3 门课程")])
def test_reading_many_courses_shows_its_progress(
        tmp_path: Path, media: Media, monkeypatch: pytest.MonkeyPatch, lang: str,
        line: str) -> None:
    """Before any file is probed, thousands of manifests take seconds: that phase says so too
    (here each course is made to take 0.4 s, as a slow network share would)."""
    import coursecheck.audit.run as audit_run
    from coursecheck import uilang

    monkeypatch.setattr(uilang, "_current", [lang])  # what the command line's --lang sets
    for name in ("c1", "c2", "c3"):
        _course(tmp_path / "tree" / name, media).build()
    real = audit_run._plan

    def slow(*args: Any) -> Any:
        time.sleep(0.4)
        return real(*args)

    monkeypatch.setattr(audit_run, "_plan", slow)
    run = run_cli("audit", tmp_path / "tree", "--no-cache", "--format", "json", "--lang", lang)
    assert run.exit_code == 0
    assert [x for x in run.stderr.splitlines() if x.startswith(line)], run.stderr
    assert len(json.loads(run.stdout)["courses"]) == 3
