"""Courses sent as zip files: check and audit read them safely, findings are located inside them
(``course.zip!/lessons/02.mp4``), the probe cache spares a second unpacking."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from coursecheck import zipcourse
from coursecheck.zipsession import ZipSession
from tests.helpers import GOOD, Course, Media, check_json, run_cli


def zip_folder(folder: Path, out: Path, top: str | None = None) -> Path:
    """Zip ``folder``'s files, under the one top folder ``top`` when given."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                name = path.relative_to(folder).as_posix()
                archive.write(path, f"{top}/{name}" if top else name)
    return out


def patch_names(path: Path, old: bytes, new: bytes) -> None:
    """Replace ``old`` with ``new`` (same length) in every member name, in local headers and the
    central directory, leaving the UTF-8 flag (bit 11) as it was: clear for ASCII names."""
    data = path.read_bytes()
    assert len(old) == len(new) and data.count(old) >= 2
    path.write_bytes(data.replace(old, new))


@pytest.fixture
def failing_zip(course: Course, tmp_path: Path) -> Path:
    """A zipped course whose lesson 2 is 30 fps (V105), no top folder."""
    course.set_lesson(2, GOOD.but(fps="30"))
    return zip_folder(course.build(), tmp_path / "课程包.zip")


def test_check_a_zip_locates_findings_inside_it(failing_zip: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(failing_zip.parent)
    run = check_json(Path(failing_zip.name))
    (course,) = run.report["courses"]
    assert course["path"] == "课程包.zip!"
    assert run.where("V105") == [("lessons/02.mp4", None)]
    assert run.exit_code == 1
    text = run_cli("check", failing_zip.name, "--lang", "en")
    assert "✗ 课程包.zip!" in text.stdout
    assert "  课程包.zip!/lessons/02.mp4\n    V105 error" in text.stdout


@pytest.mark.parametrize("fmt, needle", [
    ("sarif", '"uri": "%E8%AF%BE%E7%A8%8B%E5%8C%85.zip!/lessons/02.mp4"'),
    ("junit", "课程包.zip!/lessons/02.mp4"),
    ("github", "file=课程包.zip!/lessons/02.mp4"),
    ("gitlab", '"path": "课程包.zip!/lessons/02.mp4"'),
])
def test_every_machine_format_names_the_member_in_the_zip(
        failing_zip: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, needle: str) -> None:
    monkeypatch.chdir(failing_zip.parent)
    run = run_cli("check", failing_zip.name, "--format", fmt)
    assert needle in run.stdout
    assert run.exit_code == 1


def test_a_course_in_one_top_folder_with_gbk_names_not_flagged_utf8(
        tmp_path: Path, media: Media, monkeypatch: pytest.MonkeyPatch) -> None:
    """As Windows' own zip tool and WinRAR write on Chinese Windows: GBK bytes, bit 11 clear."""
    course = Course.good(tmp_path / "src", media)
    course.set_lesson(1, media.clip(), "lessons/xxxxxx.mp4")  # 第一课 is 6 bytes in GBK
    course.manifest["lessons"][0]["file"] = "lessons/第一课.mp4"
    package = zip_folder(course.build(), tmp_path / "申报.zip", top="TOPD")  # 课程: 4 bytes
    patch_names(package, b"TOPD/", "课程/".encode("gbk"))
    patch_names(package, b"xxxxxx.mp4", "第一课.mp4".encode("gbk"))
    with zipfile.ZipFile(package) as archive:
        assert not any(info.flag_bits & 0x800 for info in archive.infolist())
    monkeypatch.chdir(tmp_path)
    run = check_json(Path("申报.zip"))
    (result,) = run.report["courses"]
    assert result["path"] == "申报.zip!/课程"
    assert result["lessons"][0]["file"] == "lessons/第一课.mp4"
    assert result["lessons"][0]["duration_s"] == 1.0
    assert run.findings() == [] and run.exit_code == 0


def _member(archive: zipfile.ZipFile, name: str, data: bytes = b"x", *,
            symlink: bool = False) -> None:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    if symlink:
        info.create_system = 3
        info.external_attr = (0o120777 << 16)
    archive.writestr(info, data)


def test_members_that_escape_link_or_are_encrypted_are_refused(
        course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = zip_folder(course.build(), tmp_path / "bad.zip")
    with zipfile.ZipFile(package, "a", zipfile.ZIP_DEFLATED) as archive:
        _member(archive, "../evil.txt")
        _member(archive, "/etc/evil.txt")
        _member(archive, "C:/evil.txt")
        _member(archive, "notes/link.txt", b"/etc/passwd", symlink=True)
        _member(archive, "notes/secretXX.txt", b"hidden")
        _member(archive, "notes/zeros.bin", bytes(2 << 20))  # 2 MiB packs to ~2 KB
    # mark one member encrypted (flag bit 0) in both of its headers
    package.write_bytes(_set_encrypted(package.read_bytes(), b"notes/secretXX.txt"))
    monkeypatch.chdir(tmp_path)
    run = check_json(Path("bad.zip"))
    found = sorted((f["rule"], f["file"]) for f in run.findings())
    assert found == [("Z001", "."), ("Z001", "."), ("Z001", "."),
                     ("Z002", "notes/link.txt"), ("Z003", "notes/secretXX.txt"),
                     ("Z004", "notes/zeros.bin")]
    assert any("'../evil.txt'" in f["message"] for f in run.findings("Z001"))
    assert not (tmp_path / "evil.txt").exists()
    assert run.exit_code == 1


def _set_encrypted(data: bytes, name: bytes) -> bytes:
    """Set general-purpose flag bit 0 for the member ``name`` in its local header (flag at
    offset 6, name at 30) and its central-directory entry (flag at 8, name at 46)."""
    out = bytearray(data)
    start = 0
    while (at := data.find(name, start)) != -1:
        for header, flag, offset in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
            if data[at - offset:at - offset + 4] == header:
                out[at - offset + flag] |= 0x01
        start = at + 1
    return bytes(out)


def test_a_zip_over_the_size_limit_is_not_unpacked(
        course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    zip_folder(course.build(), tmp_path / "big.zip")
    (tmp_path / ".coursecheck.yaml").write_text("zip_max_bytes: 1000\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    run = check_json(Path("big.zip"))
    assert [(f["rule"], f["file"]) for f in run.findings()] == [("Z004", ".")]
    assert "zip_max_bytes" in run.findings()[0]["message"]
    assert run.exit_code == 1


def test_a_damaged_zip_is_z005(tmp_path: Path, failing_zip: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "cut.zip").write_bytes(failing_zip.read_bytes()[:2000])
    monkeypatch.chdir(tmp_path)
    run = check_json(Path("cut.zip"))
    assert [(f["rule"], f["file"]) for f in run.findings()] == [("Z005", ".")]
    assert run.exit_code == 1


def test_a_named_zip_without_a_course_is_a_usage_error(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "photos.zip", "w") as archive:
        archive.writestr("a.txt", "hello")
    run = run_cli("check", tmp_path / "photos.zip")
    assert run.exit_code == 2
    assert "photos.zip holds no course" in run.stderr


def test_a_rerun_answers_zipped_lessons_from_the_cache_without_unpacking(
        failing_zip: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    unpacked: list[str] = []
    real = zipcourse.Member.extract

    def spy(self: zipcourse.Member) -> str | None:
        unpacked.append(self.info.filename)
        return real(self)

    monkeypatch.setattr(zipcourse.Member, "extract", spy)
    first = check_json(failing_zip)
    assert len(unpacked) == 10
    second = check_json(failing_zip)
    assert len(unpacked) == 10  # nothing unpacked again
    assert second.report["courses"][0]["findings"] == first.report["courses"][0]["findings"]
    with zipfile.ZipFile(failing_zip, "a") as archive:  # the zip changed: unpack again
        archive.writestr("notes.txt", "changed")
    check_json(failing_zip)
    assert len(unpacked) == 20


def test_audit_finds_zips_and_exports_them(failing_zip: Path, tmp_path: Path, media: Media,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "收件箱"
    (root / "浙江").mkdir(parents=True)
    failing_zip.rename(root / "浙江" / failing_zip.name)
    with zipfile.ZipFile(root / "photos.zip", "w") as archive:
        archive.writestr("a.txt", "hello")
    good = Course.good(tmp_path / "good-src", media)
    good.manifest["name"] = "另一门课程"
    zip_folder(good.build(), root / "好.zip", top="好课程")
    monkeypatch.chdir(root)
    run = run_cli("audit", ".", "--format", "json", "--xlsx", tmp_path / "s.xlsx", "--lang",
                  "en")
    assert sorted(c["path"] for c in run.report["courses"]) == ["好.zip!/好课程",
                                                                "浙江/课程包.zip!"]
    assert "photos.zip holds no course; skipped" in run.stderr
    assert run.exit_code == 1
    rows = list(load_workbook(tmp_path / "s.xlsx")["问题清单"].iter_rows(values_only=True))
    assert any(row[3] == "V105" and row[1] == "lessons/02.mp4" for row in rows)
    table = load_workbook(tmp_path / "s.xlsx")["汇总表"]  # one province: one table
    assert "另一门课程" in [c.value for c in table["B"]]  # the Annex 3 row of the passing zip


def test_an_audit_that_finds_nothing_exits_2_naming_the_folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    run = run_cli("audit", tmp_path / "a", tmp_path / "b")
    assert run.exit_code == 2
    assert f"found in {tmp_path / 'a'}, {tmp_path / 'b'}" in run.stderr


def test_the_temporary_folder_goes_on_ctrl_c(tmp_path: Path, failing_zip: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    with pytest.raises(KeyboardInterrupt), ZipSession() as zips:
        opened = zips.open(failing_zip, "x.zip", 10**9, 100)
        assert (opened.root / "course.yaml").is_file()
        raise KeyboardInterrupt
    assert not opened.folder.exists()


def test_the_temporary_folder_goes_on_sigterm(tmp_path: Path, failing_zip: Path) -> None:
    script = ("import os, signal, sys; from pathlib import Path\n"
              "from coursecheck.zipsession import ZipSession\n"
              "with ZipSession() as zips:\n"
              "    opened = zips.open(Path(sys.argv[1]), 'x.zip', 10**9, 100)\n"
              "    print(opened.folder, flush=True)\n"
              "    os.kill(os.getpid(), signal.SIGTERM)\n"
              "    signal.pause()\n")
    private = tmp_path / "tmp"
    private.mkdir()
    done = subprocess.run([sys.executable, "-c", script, str(failing_zip)], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "TMPDIR": str(private)})
    folder = Path(done.stdout.strip())
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert folder.parent == private.resolve() and not folder.exists()
    assert list(private.iterdir()) == []


def test_a_zip_of_too_many_members_is_not_unpacked(failing_zip: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zipcourse, "MAX_MEMBERS", 5)  # the course has 12 files
    run = check_json(failing_zip)
    assert [(f["rule"], f["file"]) for f in run.findings()] == [("Z004", ".")]
    assert "holds 12 entries" in run.findings()[0]["message"]
    assert run.exit_code == 1


def test_a_note_beside_the_course_folder_does_not_hide_the_course(
        course: Course, tmp_path: Path) -> None:
    package = zip_folder(course.build(), tmp_path / "带说明.zip", top="课程")
    with zipfile.ZipFile(package, "a") as archive:
        archive.writestr("说明.txt", "请查收")
    run = check_json(package)
    assert run.report["courses"][0]["path"].endswith("带说明.zip!/课程")
    assert run.findings() == [] and run.exit_code == 0
