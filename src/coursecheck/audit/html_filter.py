"""The HTML report's filter bar: course cards filtered by verdict and province, searched by name.

The script is one constant (no text from a course is ever in it), so the page's
Content-Security-Policy allows exactly it by its SHA-256 hash and no other script. It reads the
cards' ``data-`` attributes, hides what does not match (and the overview row of each hidden
course), and says how many are shown. Without JavaScript the bar stays hidden and every course
shows.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from html import escape

from coursecheck.messages import ui
from coursecheck.text import printable

SCRIPT = """(function () {
  var bar = document.getElementById("filters");
  var q = document.getElementById("f-q"), v = document.getElementById("f-verdict");
  var p = document.getElementById("f-province"), n = document.getElementById("f-shown");
  var cards = Array.prototype.slice.call(document.querySelectorAll("section.card"));
  var rows = {};
  Array.prototype.forEach.call(document.querySelectorAll("tr[data-course]"), function (r) {
    rows[r.getAttribute("data-course")] = r;
  });
  function apply() {
    var text = q.value.trim().toLowerCase(), verdict = v.value, province = p.value, shown = 0;
    cards.forEach(function (c) {
      var ok = (!verdict || c.getAttribute("data-verdict") === verdict) &&
        (!province || c.getAttribute("data-province") === province) &&
        (!text || c.getAttribute("data-search").indexOf(text) >= 0);
      c.hidden = !ok;
      if (rows[c.id]) { rows[c.id].hidden = !ok; }
      if (ok) { shown += 1; }
    });
    n.textContent = n.getAttribute("data-template").replace("{shown}", shown)
      .replace("{total}", cards.length);
  }
  q.addEventListener("input", apply);
  v.addEventListener("change", apply);
  p.addEventListener("change", apply);
  bar.hidden = false;
  apply();
})();
"""
SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()

WORDS = {
    "en": {"search": "Search course names", "all_verdicts": "every verdict",
           "all_provinces": "every province", "shown": "{shown} of {total} courses shown"},
    "zh": {"search": "搜索课程名称", "all_verdicts": "全部结论", "all_provinces": "全部省份",
           "shown": "共 {total} 门课程，显示 {shown} 门"},
}


def _e(text: object) -> str:
    return escape(printable(str(text)), quote=True)


def _w(lang: str, key: str) -> str:
    return WORDS.get(lang, WORDS["en"])[key]


def search_text(*parts: str | None) -> str:
    """What the search box matches a course against: its name and path, in lower case."""
    return _e(" ".join(p for p in parts if p).lower())


def province_key(province: str) -> str:
    """What a card carries in ``data-province``: never empty, so ``""`` can mean "all"."""
    return _e("p:" + province)


def filter_bar(lang: str, provinces: Sequence[str]) -> str:
    """The bar (hidden until the script runs) for the ``provinces`` in the report, in order,
    ``""`` for courses without one."""
    verdicts = "".join(f'<option value="{v}">{_e(ui(lang, v))}</option>'
                       for v in ("pass", "warn", "fail"))
    places = "".join(f'<option value="{province_key(p)}">'
                     f'{_e(p or ui(lang, "no_province"))}</option>' for p in provinces)
    return (f'<div class="filters" id="filters" hidden>'
            f'<input type="search" id="f-q" placeholder="{_e(_w(lang, "search"))}" '
            f'aria-label="{_e(_w(lang, "search"))}">'
            f'<select id="f-verdict" aria-label="{_e(ui(lang, "col_verdict"))}">'
            f'<option value="">{_e(_w(lang, "all_verdicts"))}</option>{verdicts}</select>'
            f'<select id="f-province" aria-label="{_e(ui(lang, "col_province"))}">'
            f'<option value="">{_e(_w(lang, "all_provinces"))}</option>{places}</select>'
            f'<span id="f-shown" class="dim" data-template="{_e(_w(lang, "shown"))}"></span>'
            "</div>\n")


def script_tag() -> str:
    """The one inline script the page's policy allows."""
    return f"<script>{SCRIPT}</script>\n"
