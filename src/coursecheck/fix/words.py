"""What ``fix`` and ``init`` say, in English and Chinese. Rule messages come from the catalogs."""

from __future__ import annotations

from typing import Any

from coursecheck.messages import phrase

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "plan": "Fixing {source} → {out}: {encode} to re-encode, {copy} to copy.",
        "encode": "  re-encode  {file} → {out}  ({rules})",
        "encode_same": "  re-encode  {file}  ({rules})",
        "copy": "  copy       {file}",
        "picture_cover": "audio over the cover",
        "picture_slate": "audio over a slate with the title",
        "silence": "adds a silent track",
        "rename": "  {manifest}: lessons[{index}].file {old} → {new} (only that value changes)",
        "unfixable": "Cannot fix automatically; do this by hand:",
        "rename_failed": "  {manifest} cannot be rewritten safely, so it is copied unchanged; "
                         "change these lesson files by hand: {files}",
        "next": "      → {text}",
        "split": "Split it into {parts} lessons of at most {each}, cutting at a natural pause "
                 "near {points}. Stream copy cuts without re-encoding: {example}",
        "split_keys": " The re-encoded file has key frames at those points, so the cuts are "
                      "exact.",
        "add_silence": "Re-export it with sound, or run fix with --add-silence to add a silent "
                       "track.",
        "no_picture_no_sound": "The file has neither video nor audio; export the lesson again.",
        "no_packets": "ffmpeg finds no audio or video packets in it (whatever its header "
                      "says), so there is nothing to convert; it is copied unchanged.",
        "no_video_packets": "Its header lists a video track, but ffmpeg finds no video packets "
                            "in it; it is copied unchanged.",
        "no_audio_packets": "ffmpeg finds no audio packets in it (whatever its header says), "
                            "so there is no sound to put over the picture; it is copied "
                            "unchanged.",
        "unreadable": "ffmpeg cannot read it ({detail}); it is copied unchanged.",
        "scan_limit": "Reading it hit the {limit} limit; it is copied unchanged.",
        "limit_time": "time",
        "limit_memory": "memory",
        "limit_cpu": "CPU time",
        "export_again": "Export the lesson again from the original recording or editing "
                        "project, then run check.",
        "failed_limit_time": "ffmpeg on {file} was stopped after {bound:.0f} s, the time limit "
                             "for a lesson this long.",
        "failed_limit_memory": "ffmpeg on {file} reached its memory cap of {bound:.0f} MiB and "
                               "was stopped.",
        "failed_limit_cpu": "ffmpeg on {file} used up its CPU time and was stopped.",
        "kept_original": "  the original {file} is copied unchanged, so the manifest still "
                         "names a file that exists.",
        "explain": "See `coursecheck explain {rule}`.",
        "no_manifest": "The course has no readable manifest, so there is nothing to fix yet.",
        "dry_run": "Dry run: nothing was written. Each file is written under a temporary name "
                   "and renamed when ffmpeg succeeds.",
        "failed": "ffmpeg failed on {file} (exit {code}): {detail}",
        "copy_failed": "Could not write {file}: {detail}",
        "interrupted": "Interrupted: ffmpeg stopped, partial files removed; {done} finished "
                       "files kept in {out}.",
        "checking": "Checking the fixed course {out}:",
        "no_video_slate": "(a 1280×720 slate with the lesson title, made at run time)",
        "init_wrote": "Wrote {file} with {count} lessons.",
        "init_none": "No video files found in {folder}; list the lessons under `lessons:`.",
        "init_todo": "Still to fill in:",
        "init_titles": "Lesson titles were taken from the file names; edit them as needed.",
        "init_skipped": "Not listed, because the name is not valid UTF-8 (shown with \ufffd); "
                        "rename each, then add it under `lessons:`:",
        "init_then": "Then run: coursecheck check {folder}",
    },
    "zh": {
        "plan": "修复 {source} → {out}：重新编码 {encode} 个，复制 {copy} 个。",
        "encode": "  重新编码  {file} → {out}（{rules}）",
        "encode_same": "  重新编码  {file}（{rules}）",
        "copy": "  原样复制  {file}",
        "picture_cover": "音频配封面画面",
        "picture_slate": "音频配标题画面",
        "silence": "加入静音音轨",
        "rename": "  {manifest}：lessons[{index}].file {old} → {new}（只改这一个值）",
        "unfixable": "以下问题无法自动修复，请手动处理：",
        "rename_failed": "  无法安全地改写 {manifest}，将原样复制；"
                         "请手动修改这些微课文件名：{files}",
        "next": "      → {text}",
        "split": "在 {points} 附近的自然停顿处拆成 {parts} 个微课，每个不超过 {each}。"
                 "用流复制拆分，无须重新编码：{example}",
        "split_keys": "重新编码后的文件在这些时间点有关键帧，可精确切分。",
        "add_silence": "重新导出带声音的版本，或加 --add-silence 运行 fix 以加入静音音轨。",
        "no_picture_no_sound": "文件既没有视频也没有音频，请重新导出该微课。",
        "no_packets": "ffmpeg 在文件中找不到任何音频或视频数据包（无论文件头怎么写），"
                      "无内容可转换；已原样复制。",
        "no_video_packets": "文件头列有视频轨，但 ffmpeg 找不到任何视频数据包；已原样复制。",
        "no_audio_packets": "ffmpeg 在文件中找不到任何音频数据包（无论文件头怎么写），"
                            "没有可配画面的声音；已原样复制。",
        "unreadable": "ffmpeg 无法读取该文件（{detail}）；已原样复制。",
        "scan_limit": "读取该文件时达到{limit}限制；已原样复制。",
        "limit_time": "时间",
        "limit_memory": "内存",
        "limit_cpu": "CPU 时间",
        "export_again": "请从原始录像或剪辑工程重新导出该微课，然后运行 check。",
        "failed_limit_time": "ffmpeg 处理 {file} 超过了这一时长的微课所允许的 {bound:.0f} 秒，"
                             "已被停止。",
        "failed_limit_memory": "ffmpeg 处理 {file} 时达到 {bound:.0f} MiB 的内存上限，"
                               "已被停止。",
        "failed_limit_cpu": "ffmpeg 处理 {file} 时用完了 CPU 时间配额，已被停止。",
        "kept_original": "  已原样复制原文件 {file}，清单中列出的文件仍然存在。",
        "explain": "详见 `coursecheck explain {rule}`。",
        "no_manifest": "课程没有可读取的清单，暂时无法修复。",
        "dry_run": "试运行：未写入任何文件。实际运行时每个文件先写入临时文件名，"
                   "ffmpeg 成功后才改名。",
        "failed": "ffmpeg 处理 {file} 失败（退出码 {code}）：{detail}",
        "copy_failed": "无法写入 {file}：{detail}",
        "interrupted": "已中断：ffmpeg 已停止，未完成的文件已删除；"
                       "{out} 中保留了 {done} 个已完成的文件。",
        "checking": "检查修复后的课程 {out}：",
        "no_video_slate": "（运行时生成的 1280×720 标题画面）",
        "init_wrote": "已写入 {file}，共 {count} 个微课。",
        "init_none": "{folder} 中没有找到视频文件；请在 `lessons:` 下列出微课。",
        "init_todo": "还需要填写：",
        "init_titles": "微课标题取自文件名，请按需修改。",
        "init_skipped": "以下视频的文件名不是有效的 UTF-8（无法识别的字符显示为 \ufffd），"
                        "未列入清单；请重命名后在 `lessons:` 下添加：",
        "init_then": "然后运行：coursecheck check {folder}",
    },
}


def say(lang: str, key: str, **args: Any) -> str:
    """The phrase ``key`` in ``lang`` (else English), filled with ``args``."""
    return phrase(WORDS, lang, key, **args)
