"""The HTML report's inline style sheet, its page-level words in zh and en, and its policy.

Everything a browser needs is in the file: no web fonts (a CJK-friendly system font stack), one
constant inline script (the filter bar, allowed by its hash), and a Content-Security-Policy that
forbids loading anything but ``data:`` images. Cards off screen are not laid out
(``content-visibility``), so a report of thousands of lessons opens quickly.
"""

from __future__ import annotations

from coursecheck.audit.html_filter import SCRIPT_HASH
from coursecheck.messages import phrase

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; " \
      f"form-action 'none'; script-src '{SCRIPT_HASH}'"

FONTS = ('system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", '
         '"Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", '
         '"Noto Sans", Roboto, Arial, sans-serif')

CSS = """
:root{--pass:#15803d;--warn:#b45309;--fail:#b91c1c;--ink:#1f2937;--dim:#6b7280;--line:#e5e7eb}
*{box-sizing:border-box}
body{margin:0;background:#f3f4f6;color:var(--ink);font:15px/1.55 %FONTS%}
main{max-width:1200px;margin:0 auto;padding:24px 16px 48px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:0}h3{font-size:15px;margin:18px 0 8px}
code,pre{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"Noto Sans Mono CJK SC",monospace}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f9fafb;padding:8px;border-radius:6px;
margin:4px 0}
a{color:inherit}
.sub,.dim{color:var(--dim)}
.tiles{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0}
.tile{background:#fff;border-radius:10px;padding:10px 16px;min-width:110px;
box-shadow:0 1px 2px rgba(0,0,0,.08)}
.tile b{display:block;font-size:26px;line-height:1.2}
.tile.pass b{color:var(--pass)}.tile.warn b{color:var(--warn)}.tile.fail b{color:var(--fail)}
.banner{background:#fef2f2;border:1px solid var(--fail);color:var(--fail);padding:10px 14px;
border-radius:8px;font-weight:600}
table.overview{width:100%;border-collapse:collapse;background:#fff;border-radius:10px;
overflow:hidden;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.overview th,.overview td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left}
.overview td.n{text-align:right;font-variant-numeric:tabular-nums}
.pill{display:inline-block;padding:1px 10px;border-radius:999px;color:#fff;font-weight:600;
font-size:13px;white-space:nowrap}
.pill.pass{background:var(--pass)}.pill.warn{background:var(--warn)}.pill.fail{background:var(--fail)}
section.card,section.province{background:#fff;border-radius:10px;margin:18px 0;padding:16px 18px;
border-left:8px solid var(--line);box-shadow:0 1px 3px rgba(0,0,0,.1);break-inside:avoid-page}
.card.pass{border-left-color:var(--pass)}.card.warn{border-left-color:var(--warn)}
.card.fail{border-left-color:var(--fail)}
.card-head{display:flex;gap:12px;align-items:center;flex-wrap:wrap}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:10px 0 0}
dl.meta dt{color:var(--dim)}dl.meta dd{margin:0;overflow-wrap:anywhere}
.lessons{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:12px;
list-style:none;padding:0;margin:0}
.lesson{border:1px solid var(--line);border-radius:8px;padding:8px;overflow-wrap:anywhere}
.lesson.has-error{border-color:var(--fail)}.lesson.has-warning{border-color:var(--warn)}
.thumb{display:block;width:160px;max-width:100%;aspect-ratio:16/9;object-fit:contain;
background:#111;border-radius:4px}
.thumb.none{background:#9ca3af;color:#f9fafb;display:flex;align-items:center;
justify-content:center;font-size:12px}
.lesson .title{font-weight:600;margin-top:6px}.lesson .file,.lesson .specs{font-size:12px}
.bar{position:relative;height:10px;background:var(--line);border-radius:5px;margin:8px 0 2px}
.bar .fill{position:absolute;left:0;top:0;bottom:0;min-width:3px;border-radius:5px}
.bar .fill.ok{background:var(--pass)}.bar .fill.long{background:var(--warn)}
.bar .fill.over{background:var(--fail)}
.bar .mark{position:absolute;top:-3px;bottom:-3px;width:2px;background:var(--ink)}
.bar .mark.max{background:var(--fail)}
.bar-label{font-size:12px;font-variant-numeric:tabular-nums}
ul.findings{list-style:none;padding:0;margin:0}
.finding{border-top:1px solid var(--line);padding:8px 0}
.sev{font-weight:700;margin-right:6px}.finding.error .sev{color:var(--fail)}
.finding.warning .sev{color:var(--warn)}
.finding p{margin:2px 0}
details{margin-top:4px}summary{cursor:pointer;color:#1d4ed8}
details dl{margin:6px 0 0 12px}details dt{font-weight:600;margin-top:6px}details dd{margin:0}
.ok-note{color:var(--pass);font-weight:600}
footer{color:var(--dim);font-size:12px;margin-top:32px}
[hidden]{display:none!important}
section.card{content-visibility:auto;contain-intrinsic-size:auto 900px}
.filters{display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin:16px 0;position:sticky;
top:0;z-index:1;background:#f3f4f6;padding:8px 0}
.filters input,.filters select{font:inherit;padding:4px 8px;border:1px solid var(--line);
border-radius:6px;background:#fff}
.filters input{min-width:16em}
@media print{.filters{display:none!important}section.card{content-visibility:visible}
body{background:#fff}section.card,section.province{box-shadow:none;
border:1px solid var(--line);border-left-width:8px}details>*{display:block}}
""".replace("%FONTS%", FONTS)

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "coursecheck audit report", "courses": "courses", "lessons": "Lessons",
        "findings": "Findings", "no_preview": "no preview", "unnamed": "(no name)",
        "unknown_duration": "duration unknown", "level": "level", "explain": "Explanation",
        "scale": "Each bar runs from 0 to {top} min; the black line marks the advised {advised} "
                 "min, the red line the maximum {max} min.",
        "footer": "Made by coursecheck {version}. This file loads nothing from the network.",
    },
    "zh": {
        "title": "课程核查报告", "courses": "课程", "lessons": "微课", "findings": "问题",
        "no_preview": "无预览", "unnamed": "（未填课程名称）",
        "unknown_duration": "时长未知", "level": "所处层级", "explain": "说明",
        "scale": "每条时长条从 0 到 {top} 分钟；"
                 "黑线为建议时长 {advised} 分钟，红线为上限 {max} 分钟。",
        "footer": "由 coursecheck {version} 生成。本文件不从网络加载任何内容。",
    },
}


def word(lang: str, key: str, **args: object) -> str:
    """A page-level word or sentence of the HTML report in ``lang`` (English as fallback)."""
    return phrase(WORDS, lang, key, **args)
