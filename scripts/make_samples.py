#!/usr/bin/env python3
"""Make sample_courses/good-course and sample_courses/needs-work with ffmpeg.

Run it with `make samples` (or `.venv/bin/python scripts/make_samples.py`). The clips are one
second long and tiny, so the committed samples stay around a megabyte in all.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from coursecheck.synth import ClipSpec, make_clip, make_cover

ROOT = Path(__file__).resolve().parent.parent / "sample_courses"
GOOD = ClipSpec(seconds=1.0)

TITLES = ["开机与解锁", "连接无线网络", "添加微信好友", "视频通话", "扫码付款", "预约挂号",
          "查看健康码", "打车出行", "识别诈骗电话", "调大字体与音量"]

MANIFEST = """\
# yaml-language-server: $schema=../../schemas/course.schema.json
name: 老年人智能手机使用入门
theme: {theme}
intro: {intro}
created: 2023-03-15
instructor:
  name: 李明
  intro: 社区学校专职教师，从事老年教育工作十年，擅长用生活化的例子讲解数码产品。
cover: cover.jpg
level: township
province: 浙江省
institution: 某某街道社区学校
contact: {{name: 王老师, phone: "13800138000"}}
declarations:
  public_welfare: true
  no_copyright_dispute: true
{consent}lessons:
{lessons}"""

GOOD_INTRO = "本课程面向社区老年居民，用十个微课讲解智能手机的基本操作，帮助老年人跨越数字鸿沟。"
LONG_INTRO = ("本课程面向社区老年居民，围绕日常生活中最常用的智能手机功能，用通俗易懂的语言和"
              "贴近生活的案例，系统讲解开机解锁、连接网络、社交通讯、移动支付、预约挂号、出行"
              "打车、防范诈骗等内容，帮助老年人跨越数字鸿沟，安全、便捷、自信地融入智慧社会，"
              "共享数字时代的发展成果。")


def lesson_lines(files: list[str]) -> str:
    """The manifest's ``lessons`` list for these files, in order."""
    return "".join(f"  - title: 第{i}课 {TITLES[i - 1]}\n    file: {f}\n"
                   f"    knowledge_point: {TITLES[i - 1]}\n" for i, f in enumerate(files, 1))


def good_course(folder: Path) -> None:
    """Ten conforming lessons and a complete manifest: passes every rule."""
    files = [f"lessons/{i:02d}.mp4" for i in range(1, 11)]
    for name in files:
        make_clip(GOOD, folder / name)
    make_cover(folder / "cover.jpg")
    consent = "  open_sharing_consent: true\n"
    text = MANIFEST.format(theme="老年智慧生活", intro=GOOD_INTRO, consent=consent,
                           lessons=lesson_lines(files))
    (folder / "course.yaml").write_text(text, encoding="utf-8")


def needs_work(folder: Path) -> None:
    """A realistic mix of problems an author meets in a first submission."""
    problems = {
        3: GOOD.but(width=1920, height=1080),      # V104 exported at 1080p
        5: GOOD.but(fps="30"),                     # V105 30 fps from a phone
        6: GOOD.but(faststart=False),              # V203 moov at the end
        8: GOOD.but(audio="mp3"),                  # V205 MP3 audio
    }
    files = [f"lessons/{i:02d}.mp4" for i in range(1, 11)]
    files[6] = "lessons/07.mov"                    # V101 a QuickTime movie
    for i, name in enumerate(files, 1):
        spec = problems.get(i, GOOD)
        make_clip(spec.but(container="mov") if name.endswith(".mov") else spec, folder / name)
    make_clip(GOOD, folder / "lessons/旧版/03-old-take.mp4")   # C204 not in the manifest
    make_cover(folder / "cover.jpg")
    text = MANIFEST.format(theme="老年人智慧生活", intro=LONG_INTRO, consent="",
                           lessons=lesson_lines(files))
    (folder / "course.yaml").write_text(text, encoding="utf-8")


def main() -> int:
    """Rebuild both samples from scratch."""
    for name, build in (("good-course", good_course), ("needs-work", needs_work)):
        folder = ROOT / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        build(folder)
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        print(f"{folder.relative_to(ROOT.parent)}: {size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
