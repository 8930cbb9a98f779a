"""A zip of several course folders (a province's batch) is read as several courses, each
located inside the zip (``batch.zip!/course-c/lessons/02.mp4``)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

from coursecheck.synth import passing_case
from tests.helpers import GOOD, Course, Media, check_json, run_cli
from tests.test_submission import STATS_OK
from tests.test_zip import _member, zip_folder

COURSES = ["batch.zip!/course-a", "batch.zip!/course-b", "batch.zip!/course-c"]


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory, media: Media) -> Path:
    """``batch.zip``: course-a and course-b pass, course-c's lesson 2 is 30 fps (V105)."""
    src = tmp_path_factory.mktemp("batch-src")
    for name in ("a", "b", "c"):
        course = Course.good(src / f"course-{name}", media)
        course.manifest["name"] = f"批量课程{name}"
        if name == "c":
            course.set_lesson(2, GOOD.but(fps="30"))
        course.build()
    return zip_folder(src, tmp_path_factory.mktemp("batch") / "batch.zip")


def test_audit_checks_each_course_in_a_batch_zip(batch: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "浙江").mkdir()
    shutil.copy(batch, tmp_path / "浙江" / "batch.zip")
    monkeypatch.chdir(tmp_path / "浙江")
    monkeypatch.setattr("coursecheck.rules.province.MAX_COURSES", 2)  # they count as courses
    run = run_cli("audit", ".", "--format", "json", "--lang", "en")
    assert [c["path"] for c in run.report["courses"]] == COURSES
    assert run.report["audit"]["courses_found"] == 3
    by_path = {c["path"]: c["findings"] for c in run.report["courses"]}
    assert by_path[COURSES[0]] == [] and by_path[COURSES[1]] == []
    assert [(f["rule"], f["file"]) for f in by_path[COURSES[2]]] == [("V105", "lessons/02.mp4")]
    (province,) = run.report["audit"]["provinces"]
    assert [f["rule"] for f in province["findings"]] == ["A001"]
    assert "3 courses" in province["findings"][0]["message"]
    assert run.exit_code == 1
    text = run_cli("audit", ".", "--lang", "en")
    assert "batch.zip!/course-c/lessons/02.mp4" in text.stdout


def test_check_a_batch_zip_locates_refused_members_in_their_course(
        batch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(batch, tmp_path / "batch.zip")
    with zipfile.ZipFile(tmp_path / "batch.zip", "a", zipfile.ZIP_DEFLATED) as archive:
        _member(archive, "course-b/notes/link.txt", b"/etc/passwd", symlink=True)
        _member(archive, "../evil.txt")  # in no course: on the first, at the course
    monkeypatch.chdir(tmp_path)
    run = check_json(Path("batch.zip"))
    assert [c["path"] for c in run.report["courses"]] == COURSES
    found = [(c["path"], f["rule"], f["file"]) for c in run.report["courses"]
             for f in c["findings"]]
    assert found == [(COURSES[0], "Z001", "."), (COURSES[1], "Z002", "notes/link.txt"),
                     (COURSES[2], "V105", "lessons/02.mp4")]
    assert run.exit_code == 1
    text = run_cli("check", "batch.zip", "--lang", "en")
    assert "  batch.zip!/course-b/notes/link.txt\n    Z002 error" in text.stdout
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path / "course-a").exists()


def test_a_batch_in_one_top_folder_is_still_a_batch(batch: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(batch) as source, zipfile.ZipFile(
            tmp_path / "省.zip", "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr("浙江/" + info.filename, source.read(info))
    run = check_json(tmp_path / "省.zip")
    assert [c["path"].rpartition("省.zip!")[2] for c in run.report["courses"]] == [
        "/浙江/course-a", "/浙江/course-b", "/浙江/course-c"]
    assert run.where("V105") == [("lessons/02.mp4", None)]
    assert run.exit_code == 1


def test_audit_of_a_batch_zip_checks_its_cases_and_statistics(
        batch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(batch, tmp_path / "batch.zip")
    with zipfile.ZipFile(tmp_path / "batch.zip", "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("k1/case.yaml", yaml.safe_dump(
            passing_case(school="学校一", highlights="特" * 1001), allow_unicode=True))
        archive.writestr("statistics.yaml", yaml.safe_dump(
            {**STATS_OK, "province": "浙江省", "county_colleges": -1}, allow_unicode=True))
    monkeypatch.chdir(tmp_path)
    run = run_cli("audit", "batch.zip", "--format", "json", "--lang", "en")  # a zip as ROOT
    assert [c["path"] for c in run.report["courses"]] == COURSES
    (case,) = run.report["audit"]["cases"]
    assert case["path"] == "batch.zip!/k1"
    assert [(f["rule"], f["file"]) for f in case["findings"]] == [("K101", "case.yaml")]
    (province,) = run.report["audit"]["provinces"]
    assert province["cases"] == ["batch.zip!/k1"]
    assert province["statistics"] == "batch.zip!/statistics.yaml"
    assert [(f["rule"], f["file"]) for f in province["findings"]] == [
        ("S001", "batch.zip!/statistics.yaml")]
    assert run.exit_code == 1


def test_check_deep_checks_a_case_as_a_case(tmp_path: Path) -> None:
    """A case (in a batch zip or not) has no lessons to decode: --deep leaves it as it is."""
    (tmp_path / "k1").mkdir()
    (tmp_path / "k1" / "case.yaml").write_text(yaml.safe_dump(
        passing_case(school="学校一", highlights="特" * 1001), allow_unicode=True), "utf-8")
    run = check_json(tmp_path / "k1", "--deep", "quick")
    assert [(f["rule"], f["file"]) for f in run.findings()] == [("K101", "case.yaml")]
    assert run.exit_code == 1


def test_one_course_deep_in_a_zip_is_that_course(batch: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(batch) as source, zipfile.ZipFile(
            tmp_path / "深.zip", "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename.startswith("course-c/"):
                out.writestr("浙江/" + info.filename, source.read(info))
        _member(out, "浙江/course-c/notes/link.txt", b"/etc/passwd", symlink=True)
    run = check_json(tmp_path / "深.zip")
    (course,) = run.report["courses"]
    assert course["path"].endswith("深.zip!/浙江/course-c")
    assert sorted(run.where("V105") + run.where("Z002")) == [("lessons/02.mp4", None),
                                                             ("notes/link.txt", None)]
    assert run.exit_code == 1
