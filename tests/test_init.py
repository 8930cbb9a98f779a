"""``coursecheck init``: a first course.yaml listing the videos in order and asking for the rest."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from coursecheck.initmanifest import natural_key
from coursecheck.manifest import Manifest
from coursecheck.spec import THEMES
from tests.helpers import Media, check_json, link_or_copy, run_cli

REPO = Path(__file__).resolve().parent.parent

FILLED = {  # what an author writes over each placeholder
    "name": '"老年人智能手机使用入门"', "theme": '"老年智慧生活"', "intro": '"面向社区老年居民。"',
    "created": "2023-03-15", "level": "township", "province": '"浙江省"',
    "phone": '"13800138000"', "public_welfare": "true", "no_copyright_dispute": "true",
    "open_sharing_consent": "true",
}
NESTED = {("instructor", "name"): '"李明"', ("instructor", "intro"): '"社区学校专职教师。"',
          ("contact", "name"): '"王老师"'}


def required_fields(model: type[BaseModel], prefix: str = "") -> list[str]:
    """The dotted paths of every required scalar field (``lessons`` aside)."""
    found = []
    for name, field in model.model_fields.items():
        if not field.is_required() or name == "lessons":
            continue
        kind = field.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            found += required_fields(kind, f"{prefix}{name}.")
        else:
            found.append(prefix + name)
    return found


def twelve_clips(folder: Path, media: Media) -> Path:
    """``folder`` holding 1.mp4 … 12.mp4 (real clips) and a cover, made in shuffled order."""
    folder.mkdir(parents=True)
    for n in (7, 12, 1, 10, 3, 2, 11, 5, 9, 4, 8, 6):
        link_or_copy(media.clip(), folder / f"{n}.mp4")
    link_or_copy(media.cover(), folder / "cover.jpg")
    return folder


def fill_in(text: str) -> str:
    """Replace every placeholder the way an author would, keeping the comments."""
    lines, block = [], ""
    for line in text.splitlines():
        match = re.match(r"^(\s*)([a-z_]+): (\"\"|false)(\s+#.*)$", line)
        if not line.startswith(" "):
            block = line.split(":")[0]
        if match:
            indent, key, _, comment = match.groups()
            value = NESTED.get((block, key)) if indent else None
            line = f"{indent}{key}: {value or FILLED[key]}{comment}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def test_init_lists_12_clips_in_natural_order(tmp_path: Path, media: Media) -> None:
    folder = twelve_clips(tmp_path / "course", media)
    run = run_cli("init", folder, "--lang", "en")
    assert run.exit_code == 0
    data = yaml.safe_load((folder / "course.yaml").read_text("utf-8"))
    assert [lesson["file"] for lesson in data["lessons"]] == [f"{n}.mp4" for n in range(1, 13)]
    assert [lesson["title"] for lesson in data["lessons"]] == [str(n) for n in range(1, 13)]
    assert data["cover"] == "cover.jpg"
    assert "with 12 lessons" in run.stdout


def test_natural_order_compares_numbers_by_value_folder_by_folder() -> None:
    files = ["b/1.mp4", "a/第10课.mp4", "a/第2课 开机.mp4", "a/10.mp4", "a/9.MP4"]
    assert sorted(files, key=natural_key) == [
        "a/9.MP4", "a/10.mp4", "a/第2课 开机.mp4", "a/第10课.mp4", "b/1.mp4"]


def test_manifest_points_to_no_schema_inside_the_clone_and_lists_the_ten_themes(
        tmp_path: Path, media: Media) -> None:
    folder = twelve_clips(tmp_path / "course", media)
    run_cli("init", folder)
    text = (folder / "course.yaml").read_text("utf-8")
    assert "$schema" not in text and str(REPO) not in text  # issue 9 §9: no path into the clone
    assert "coursecheck schema > course.schema.json" in text  # and how to get the schema
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    for theme in THEMES:
        assert any(theme in line for line in comments), theme


def test_every_required_field_has_a_commented_placeholder_that_check_reports(
        tmp_path: Path, media: Media) -> None:
    folder = twelve_clips(tmp_path / "course", media)
    (folder / "cover.jpg").unlink()  # no cover: it becomes a placeholder too
    run = run_cli("init", folder, "--lang", "en")
    lines = (folder / "course.yaml").read_text("utf-8").splitlines()
    placeholders = set()
    for name in required_fields(Manifest):
        parent, _, key = name.rpartition(".")
        after = lines.index(f"{parent}:") + 1 if parent else 0  # inside its block
        indent = "  " if parent else ""
        hits = [i for i, line in enumerate(lines, 1)
                if i > after and line.startswith(f'{indent}{key}: ""  # TODO ')]
        assert hits, name
        assert f"course.yaml:{hits[0]}  {name}  (" in run.stdout  # printed as still to do
        placeholders.add(hits[0])
    assert len(placeholders) == 7  # name, theme, intro, created, instructor ×2, cover
    check = check_json(folder)
    assert check.findings("C002") == []
    assert {line for _, line in check.where("C003")} >= placeholders


def test_filled_in_manifest_loads_without_c002_or_c003_and_passes(
        tmp_path: Path, media: Media) -> None:
    folder = twelve_clips(tmp_path / "course", media)
    run_cli("init", folder)
    manifest = folder / "course.yaml"
    manifest.write_text(fill_in(manifest.read_text("utf-8")), encoding="utf-8")
    check = check_json(folder)
    assert check.findings("C002") == [] and check.findings("C003") == []
    assert check.findings() == [] and check.exit_code == 0


def test_init_refuses_to_overwrite_a_manifest_unless_force(tmp_path: Path, media: Media) -> None:
    folder = twelve_clips(tmp_path / "course", media)
    (folder / "course.yaml").write_text("name: mine\n", encoding="utf-8")
    refused = run_cli("init", folder)
    assert refused.exit_code == 2
    assert "already exists" in refused.stderr and "--force" in refused.stderr
    assert (folder / "course.yaml").read_text("utf-8") == "name: mine\n"
    forced = run_cli("init", folder, "--force")
    assert forced.exit_code == 0
    assert "lessons:" in (folder / "course.yaml").read_text("utf-8")


@pytest.mark.parametrize(("make", "error"), [("missing", "path does not exist"),
                                             ("file", "not a folder")])
def test_init_on_something_that_is_not_a_folder_is_a_usage_error(tmp_path: Path, make: str,
                                                                  error: str) -> None:
    target = tmp_path / "x"
    if make == "file":
        target.write_text("", encoding="utf-8")
    run = run_cli("init", target)
    assert run.exit_code == 2
    assert run.stderr.startswith(f"coursecheck: error: {error}: ")


def test_a_video_name_that_is_not_utf8_is_left_out_with_a_note(tmp_path: Path,
                                                                 media: Media) -> None:
    folder = twelve_clips(tmp_path / "course", media)
    link_or_copy(media.clip(), Path(os.fsdecode(os.fsencode(folder) + b"/5b\xff.mp4")))
    run = run_cli("init", folder, "--lang", "en")
    assert run.exit_code == 0, run.stderr
    text = (folder / "course.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    assert [lesson["file"] for lesson in data["lessons"]] == [f"{n}.mp4" for n in range(1, 13)]
    comment = next(line for line in text.splitlines() if "5b\ufffd.mp4" in line)
    assert comment.startswith("  # ") and "rename" in comment
    assert text.splitlines().index(comment) > text.splitlines().index('    file: "5.mp4"')
    assert "Not listed, because the name is not valid UTF-8" in run.stdout
    assert "  5b\ufffd.mp4\n" in run.stdout and "with 12 lessons" in run.stdout
    check = check_json(folder)
    assert check.findings("C002") == [] and check.findings("C201") == []


def test_names_with_characters_yaml_cannot_hold_are_escaped(tmp_path: Path,
                                                            media: Media) -> None:
    folder = tmp_path / "course"
    folder.mkdir()
    names = ["1 del\x7f.mp4", "2 nel\x85.mp4", "3 csi\x9b.mp4", "4 ls\u2028.mp4", "5 esc\x1b.mp4"]
    for name in names:
        link_or_copy(media.clip(), folder / name)
    assert run_cli("init", folder).exit_code == 0
    data = yaml.safe_load((folder / "course.yaml").read_text("utf-8"))
    assert [lesson["file"] for lesson in data["lessons"]] == names
    check = check_json(folder)
    assert check.findings("C002") == [] and check.findings("C201") == []


def test_init_speaks_chinese_with_lang_zh_and_by_default_from_the_environment(
        tmp_path: Path, media: Media, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = twelve_clips(tmp_path / "course", media)
    run = run_cli("init", folder, "--lang", "zh")
    assert run.exit_code == 0
    assert "共 12 个微课" in run.stdout and "还需要填写：" in run.stdout
    assert "然后运行：coursecheck check" in run.stdout
    monkeypatch.setenv("COURSECHECK_LANG", "zh")
    again = run_cli("init", folder, "--force")
    assert again.exit_code == 0 and "微课标题取自文件名" in again.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    english = run_cli("init", empty, "--lang", "en")
    assert "No video files found in" in english.stdout and "with 0 lessons" in english.stdout
