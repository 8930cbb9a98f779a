"""The benchmark corpus: N courses × 10 lessons of 7 minutes at 1280×720, 25 fps, H.264 + AAC.

One 10-second clip is encoded, joined 42 times by stream copy into a 420-second lesson, and that
one file is hard-linked as every lesson, so even the 2,000-lesson corpus (200 courses) takes a few
megabytes on disk. The corpus is reused when its stamp file says it was made with the same layout.
The first 20 courses of the large corpus are the small one (see :func:`course_dirs`).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import yaml

from coursecheck.synth import (
    ClipSpec,
    join_copies,
    link_or_copy,
    make_clip,
    make_cover,
    passing_manifest,
)

COURSES = 20
LESSONS = 10
LESSON_SECONDS = 420
CLIP_SECONDS = 10
LARGE = 200


def layout(courses: int) -> dict[str, int]:
    """What the stamp file records about a corpus of ``courses`` courses."""
    return {"courses": courses, "lessons": LESSONS, "seconds": LESSON_SECONDS, "version": 2}
STAMP = ".bench-corpus.json"


def course_dirs(corpus: Path, courses: int = COURSES) -> list[Path]:
    """The first ``courses`` course folders of the corpus, in order."""
    return [corpus / f"course-{n:03d}" for n in range(1, courses + 1)]


def lesson_files(corpus: Path, courses: int = COURSES) -> list[Path]:
    """Every lesson file of the first ``courses`` courses, in order."""
    return [course / "lessons" / f"{i:02d}.mp4" for course in course_dirs(corpus, courses)
            for i in range(1, LESSONS + 1)]


def manifest(number: int) -> dict[str, object]:
    """A manifest that passes every course rule, with a name, institution and phone of its own."""
    files = [f"lessons/{i:02d}.mp4" for i in range(1, LESSONS + 1)]
    return passing_manifest(files, name=f"老年人智能手机使用入门（第{number}期）",
                            institution=f"某某街道社区学校{number}",
                            contact={"name": "王老师", "phone": f"138{number:08d}"})


def ensure_corpus(corpus: Path, courses: int = COURSES) -> bool:
    """Make ``corpus`` of ``courses`` courses unless a complete one is there; ``True`` when it
    was made now.

    A folder is only ever replaced when it is empty or holds an earlier corpus (its stamp file).
    """
    stamp = corpus / STAMP
    try:
        if json.loads(stamp.read_text(encoding="utf-8")) == layout(courses) and all(
                p.is_file() for p in lesson_files(corpus, courses)):
            return False
    except (OSError, ValueError):
        pass
    if corpus.exists() and not stamp.exists() and any(corpus.iterdir()):
        raise SystemExit(f"bench: {corpus} is not empty and holds no benchmark corpus; "
                         "give an empty or new folder with --corpus")
    shutil.rmtree(corpus, ignore_errors=True)
    corpus.mkdir(parents=True)
    stamp.write_text(json.dumps({"building": True}), encoding="utf-8")
    folders = course_dirs(corpus, courses)
    first = folders[0] / "lessons" / "01.mp4"
    first.parent.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="bench-clip-") as tmp:
        clip = make_clip(ClipSpec(seconds=CLIP_SECONDS, pattern="color"), Path(tmp) / "10s.mp4")
        join_copies(clip, LESSON_SECONDS // CLIP_SECONDS, first)
    cover = make_cover(folders[0] / "cover.jpg")
    for number, course in enumerate(folders, 1):
        (course / "lessons").mkdir(parents=True, exist_ok=True)
        if course != folders[0]:
            link_or_copy(cover, course / "cover.jpg")
        for lesson in (course / "lessons" / f"{i:02d}.mp4" for i in range(1, LESSONS + 1)):
            if lesson != first:
                link_or_copy(first, lesson)
        text = yaml.safe_dump(manifest(number), allow_unicode=True, sort_keys=False)
        (course / "course.yaml").write_text(text, encoding="utf-8")
    stamp.write_text(json.dumps(layout(courses)), encoding="utf-8")
    return True
