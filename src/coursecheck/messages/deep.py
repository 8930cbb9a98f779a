"""Messages of the D-rules (``--deep``), in English and Chinese, merged into the catalogs."""

EN: dict[str, str] = {
    "D001": "The file does not decode cleanly: {count} decode errors, the first at about {at} "
            "({sample}). Re-export or copy it again from the original; re-encoding keeps the "
            "damage.",
    "D002": "Decoding stops at {decoded}, but the header claims {claimed}: the file is cut "
            "short or its end is damaged.",
    "D002.timeout": "The file could not be decoded to its end ({detail}); it may be damaged.",
    "D002.output_cap": "The file could not be decoded to its end ({detail}); it may be damaged.",
    "D002.crashed": "The file could not be decoded to its end ({detail}); it may be damaged.",
    "D003.count": "The video has {frames} frames where duration × frame rate gives {expected}: "
                  "frames are missing or doubled.",
    "D003.backwards": "Frame timestamps go backwards {count} times.",
    "D003.jump": "Frame timestamps jump by {gap} s (more than {limit} s): frames are missing.",
    "D101": "The picture is black for {limit} s or more at {spans}.",
    "D102": "The picture does not change for {limit} s or more at {spans}.",
    "D103": "The sound is silent for {limit} s or more at {spans}.",
    "D103.whole": "The whole lesson is silent.",
    "D104.quiet": "Integrated loudness is {lufs} LUFS, quieter than the {low}…{high} LUFS "
                  "window ({profile}).",
    "D104.loud": "Integrated loudness is {lufs} LUFS, louder than the {low}…{high} LUFS "
                 "window ({profile}).",
    "D105": "The true peak is {true} dBTP (sample peak {sample} dBFS), above {limit} dBTP.",
    "D105.clipped": "The audio is clipped: true peak {true} dBTP, sample peak {sample} dBFS "
                    "(at most {limit} dBTP).",
    "D106": "Sound and picture do not line up: video {v_start}–{v_end}, audio "
            "{a_start}–{a_end}.",
    "D107": "Lesson loudness differs by {spread} LU (at most {limit}): {quiet} at {quiet_lufs} "
            "LUFS, {loud} at {loud_lufs} LUFS.",
}

ZH: dict[str, str] = {
    "D001": "文件无法完整解码：共 {count} 个解码错误，第一个约在 {at}（{sample}）。请重新导出或从原始文件"
            "重新复制；重新编码会保留损坏。",
    "D002": "解码在 {decoded} 处结束，但文件头声明时长为 {claimed}：文件不完整或结尾已损坏。",
    "D002.timeout": "文件未能解码到结尾（{detail}），可能已损坏。",
    "D002.output_cap": "文件未能解码到结尾（{detail}），可能已损坏。",
    "D002.crashed": "文件未能解码到结尾（{detail}），可能已损坏。",
    "D003.count": "视频有 {frames} 帧，按时长×帧率应为 {expected} 帧：有丢帧或重复帧。",
    "D003.backwards": "帧时间戳倒退了 {count} 次。",
    "D003.jump": "帧时间戳跳变 {gap} 秒（超过 {limit} 秒）：有帧丢失。",
    "D101": "画面在 {spans} 全黑，达到 {limit} 秒或更久。",
    "D102": "画面在 {spans} 静止不变，达到 {limit} 秒或更久。",
    "D103": "声音在 {spans} 静音，达到 {limit} 秒或更久。",
    "D103.whole": "整节微课都没有声音。",
    "D104.quiet": "整体响度为 {lufs} LUFS，低于 {low}…{high} LUFS 的范围（{profile}）。",
    "D104.loud": "整体响度为 {lufs} LUFS，高于 {low}…{high} LUFS 的范围（{profile}）。",
    "D105": "真峰值为 {true} dBTP（采样峰值 {sample} dBFS），高于 {limit} dBTP。",
    "D105.clipped": "音频已削波：真峰值 {true} dBTP，采样峰值 {sample} dBFS（上限 {limit} dBTP）。",
    "D106": "声音与画面的起止不一致：视频 {v_start}–{v_end}，音频 {a_start}–{a_end}。",
    "D107": "各微课响度相差 {spread} LU（上限 {limit}）：{quiet} 为 {quiet_lufs} LUFS，{loud} 为 "
            "{loud_lufs} LUFS。",
}
