"""``coursecheck audit --html``: the report parsed and checked, then loaded in headless Chromium.

The tree holds a good course, a course with wrong, long and over-long lessons, and a course named
``<script>alert(1)</script>`` whose lessons include one outside its folder and one missing. The
browser is Debian's Chromium (installed here once when missing), driven over the DevTools
protocol on a pipe (``--remote-debugging-pipe``), so no extra package is needed.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import io
import json
import os
import select
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import pytest
from PIL import Image

from coursecheck.audit.html import render
from coursecheck.audit.html_filter import SCRIPT, SCRIPT_HASH
from coursecheck.audit.html_thumbs import thumbnail_command, thumbnail_source
from coursecheck.audit.model import AuditCourse, AuditResult
from coursecheck.findings import CourseResult, Finding, LessonSummary, Severity
from coursecheck.rules import REGISTRY
from tests.helpers import GOOD, Course, Media, apt_install, run_cli

XSS = "<script>alert(1)</script>"
XSS_TITLE = "<img src=x onerror=alert(2)>"
NAMES = {"good": "老年人智能手机使用入门", "needs-work": "家庭营养与健康", "xss": XSS}
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--mute-audio", "--hide-scrollbars"]


# --- a small DOM from the standard library's parser -------------------------------------------

@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def all(self, tag: str, cls: str | None = None) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag and (cls is None or cls in child.classes):
                    found.append(child)
                found.extend(child.all(tag, cls))
        return found


class _Builder(HTMLParser):
    VOID: ClassVar[frozenset[str]] = frozenset(
        {"meta", "img", "br", "hr", "link", "input", "source", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack = [Node("#document", {})]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        while len(self.stack) > 1 and self.stack.pop().tag != tag:
            pass

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.stack[0]


# --- the audited tree --------------------------------------------------------------------------

@dataclass
class Report:
    root: Path
    html_path: Path
    html: str
    dom: Node
    exit_code: int
    before: dict[str, float]
    after: dict[str, float]

    def card(self, key: str) -> Node:
        cards = [c for c in self.dom.all("section", "card")
                 if c.all("h2", "name")[0].text() == NAMES[key]]
        assert len(cards) == 1
        return cards[0]


def _listing(root: Path) -> dict[str, float]:
    return {str(p.relative_to(root)): p.lstat().st_mtime for p in sorted(root.rglob("*"))}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, media: Media) -> Report:
    root = tmp_path_factory.mktemp("html-tree")
    Course.good(root / "zj" / "good", media).build()
    needs = Course.good(root / "zj" / "needs-work", media)
    needs.manifest["name"] = NAMES["needs-work"]
    needs.set_lesson(3, GOOD.but(width=1920, height=1080))
    needs.set_lesson(5, media.long(480))
    needs.set_lesson(6, media.long(960))
    needs.build()
    xss = Course.good(root / "js" / "xss", media)
    xss.manifest.update(name=XSS, province="江苏省")
    xss.manifest["lessons"][0]["title"] = XSS_TITLE
    xss.set_lesson(2, media.clip(), name="../outside.mp4")
    del xss.files["lessons/04.mp4"]
    xss.manifest["lessons"][3]["file"] = "lessons/missing.mp4"
    xss.build()
    out = tmp_path_factory.mktemp("html-out") / "report.html"
    before = _listing(root)
    run = run_cli("audit", root, "--html", out, "--lang", "zh", "--no-cache", "--jobs", "2")
    text = out.read_text(encoding="utf-8")
    return Report(root, out, text, parse(text), run.exit_code, before, _listing(root))


def test_the_audit_fails_and_writes_nothing_into_the_tree(report: Report) -> None:
    assert report.exit_code == 1
    assert report.after == report.before


def test_each_course_gets_one_card_with_its_verdict(report: Report) -> None:
    cards = report.dom.all("section", "card")
    # the xss course's "../outside.mp4" is a stray video in js/, a folder without course.yaml:
    # the audit lists it as a course of its own with C001 (issue 9 §3)
    assert len(cards) == 4
    stray = [c for c in cards if c.all("h2", "name")[0].text() not in NAMES.values()]
    assert len(stray) == 1 and "C001" in stray[0].text()
    assert stray[0].attrs["data-verdict"] == "fail"
    for key, verdict, word in (("good", "pass", "通过"), ("needs-work", "fail", "不通过"),
                               ("xss", "fail", "不通过")):
        card = report.card(key)
        assert card.attrs["data-verdict"] == verdict and verdict in card.classes
        assert card.all("span", "pill")[0].text() == word
    meta = report.card("xss").all("dl", "meta")[0].text()
    assert "江苏省" in meta and "js/xss" in meta
    tiles = {t.attrs["data-count"]: t.all("b")[0].text() for t in report.dom.all("div", "tile")}
    assert tiles["courses"] == "4" and tiles["passed"] == "1" and tiles["failed"] == "3"


def test_every_probed_lesson_has_a_real_jpeg_thumbnail(report: Report) -> None:
    for key in ("good", "needs-work"):
        lessons = report.card(key).all("li", "lesson")
        assert len(lessons) == 10
        for lesson in lessons:
            src = lesson.all("img", "thumb")[0].attrs["src"]
            assert src.startswith("data:image/jpeg;base64,")
            image = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))
            image.load()
            assert image.format == "JPEG" and image.width == 160 and image.height == 90


def test_lessons_outside_the_folder_or_missing_get_a_grey_placeholder(report: Report) -> None:
    lessons = report.card("xss").all("li", "lesson")
    by_file = {lesson.all("code")[0].text(): lesson for lesson in lessons}
    for file in ("../outside.mp4", "lessons/missing.mp4"):
        assert not by_file[file].all("img")
        assert by_file[file].all("div", "thumb")[0].text() == "无预览"
        assert "时长未知" in by_file[file].text()
    assert len([x for x in lessons if x.all("img")]) == 8


def test_a_lesson_is_opened_only_when_probed_and_inside_its_folder(tmp_path: Path) -> None:
    course = tmp_path / "course"
    (course / "lessons").mkdir(parents=True)
    (course / "lessons" / "01.mp4").write_bytes(b"x")
    (tmp_path / "secret.mp4").write_bytes(b"x")
    (course / "lessons" / "link.mp4").symlink_to(tmp_path / "secret.mp4")
    probed = LessonSummary("t", "lessons/01.mp4", duration_s=1.0)
    assert thumbnail_source(course, probed) == (course / "lessons" / "01.mp4").resolve()
    assert thumbnail_source(course, LessonSummary("t", "lessons/01.mp4")) is None
    for written in ("../secret.mp4", str(tmp_path / "secret.mp4"), "lessons/link.mp4",
                    "lessons/none.mp4"):
        assert thumbnail_source(course, LessonSummary("t", written, duration_s=1.0)) is None


def test_the_thumbnail_command_pipes_one_small_jpeg_from_a_local_file() -> None:
    cmd = thumbnail_command("ffmpeg", Path("/c/lessons/01.mp4"), 90.0)
    assert cmd[0] == "ffmpeg" and cmd[-1] == "pipe:1"
    assert cmd.index("-ss") < cmd.index("-i")  # seek by the index, before opening the input
    joined = " ".join(cmd)
    for part in ("-ss 90.000", "-protocol_whitelist file", "-i file:/c/lessons/01.mp4",
                 "-skip_frame nokey", "-noaccurate_seek", "-f image2pipe", "-vcodec mjpeg",
                 "-frames:v 1", "scale=160:-2"):
        assert part in joined


def test_each_lesson_has_a_duration_bar_against_the_7_and_15_minute_lines(
        report: Report) -> None:
    bars = {lesson.all("code")[0].text(): lesson.all("div", "bar")[0]
            for lesson in report.card("needs-work").all("li", "lesson")}
    kinds = {file: bar.all("span", "fill")[0].classes[1] for file, bar in bars.items()}
    assert kinds["lessons/01.mp4"] == "ok"
    assert kinds["lessons/05.mp4"] == "long" and kinds["lessons/06.mp4"] == "over"
    assert float(bars["lessons/05.mp4"].attrs["data-seconds"]) == pytest.approx(480, abs=1)
    for bar in bars.values():
        marks = {m.classes[1]: m.attrs["style"] for m in bar.all("span", "mark")}
        assert marks == {"advised": "left:38.89%", "max": "left:83.33%"}  # 7 and 15 of 18 min
    fill = bars["lessons/05.mp4"].all("span", "fill")[0].attrs["style"]
    assert float(fill.removeprefix("width:").removesuffix("%")) == pytest.approx(44.44, abs=0.05)


def test_findings_come_with_their_explanations(report: Report) -> None:
    findings = {f.attrs["data-rule"]: f for f in report.card("needs-work").all("li", "finding")}
    assert {"V104", "V107", "V108"} <= set(findings)
    v104 = findings["V104"]
    assert "error" in v104.classes and "lessons/03.mp4" in v104.text()
    assert "1920×1080" in v104.text()
    details = v104.all("details")[0]
    doc = REGISTRY["V104"].doc_in("zh")
    assert details.all("summary")[0].text() == REGISTRY["V104"].summary_in("zh")
    assert doc.fix in details.text() and doc.why in details.text()
    assert {"C201", "C202"} <= {f.attrs["data-rule"] for f in report.card("xss").all("li")
                                if "finding" in f.classes}


def test_nothing_is_loaded_from_the_network(report: Report) -> None:
    [script] = report.dom.all("script")  # the filter bar's, allowed by its hash alone
    assert script.attrs == {} and script.text() == SCRIPT
    assert not report.dom.all("link")
    for tag in ("img", "a", "iframe", "source", "object", "embed", "form"):
        for node in report.dom.all(tag):
            for attr in ("src", "href", "action"):
                value = node.attrs.get(attr, "")
                assert value == "" or value.startswith(("data:image/jpeg;", "#course-"))
    styles = [s.text() for s in report.dom.all("style")]
    styles += [n.attrs["style"] for tag in ("span", "div") for n in report.dom.all(tag)
               if "style" in n.attrs]
    assert not [s for s in styles if "url(" in s or "@import" in s or "//" in s]
    csp = next(m for m in report.dom.all("meta") if m.attrs.get("http-equiv"))
    assert "default-src 'none'" in csp.attrs["content"]
    assert f"script-src '{SCRIPT_HASH}'" in csp.attrs["content"]


def test_user_text_is_escaped_and_shown_as_text(report: Report) -> None:
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report.html
    assert report.html.count("<script") == 1 and "<img src=x" not in report.html  # ours
    assert report.card("xss").all("li", "lesson")[0].all("div", "title")[0].text() == XSS_TITLE


def test_chinese_is_declared_and_fonted(report: Report) -> None:
    assert report.html.startswith("<!DOCTYPE html>")
    assert report.dom.all("html")[0].attrs["lang"] == "zh-CN"
    assert report.dom.all("meta")[0].attrs == {"charset": "utf-8"}
    assert '"Noto Sans CJK SC"' in report.html and '"Microsoft YaHei"' in report.html
    assert "课程核查报告" in report.dom.all("h1")[0].text()


def test_an_english_interrupted_report_without_thumbnails(tmp_path: Path) -> None:
    result = CourseResult("c", None, (LessonSummary("t", "a.mp4", 1000.0),))
    page = render(AuditResult((AuditCourse(result, tmp_path),), interrupted=True, found=4),
                  "en", {})
    dom = parse(page)
    assert dom.all("html")[0].attrs["lang"] == "en"
    assert "1 of 4 courses checked" in dom.all("p", "banner")[0].text()
    assert dom.all("div", "thumb")[0].text() == "no preview"
    assert dom.all("span", "fill")[0].classes == ["fill", "over"]
    assert dom.all("h2", "name")[0].text() == "(no name)"


# --- a real headless Chromium --------------------------------------------------------------------

@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's /usr/bin/chromium, installed once per session when missing (else a skip)."""
    if not CHROMIUM.exists():
        reason = apt_install("chromium")
        if reason is not None or not CHROMIUM.exists():
            pytest.skip(f"headless Chromium unavailable: {reason or 'install left no binary'}")
    try:
        subprocess.run([str(CHROMIUM), "--version"], capture_output=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"{CHROMIUM} does not run: {exc}")
    return str(CHROMIUM)


class Browser:
    """One headless Chromium driven over the DevTools protocol on fds 3 and 4."""

    def __init__(self, exe: str, profile: Path) -> None:
        to_chrome, self._writer = os.pipe()
        self._reader, from_chrome = os.pipe()

        def wire() -> None:  # in the child: the pipe ends become fds 3 (read) and 4 (write)
            low_in = fcntl.fcntl(to_chrome, fcntl.F_DUPFD, 10)
            low_out = fcntl.fcntl(from_chrome, fcntl.F_DUPFD, 10)
            os.dup2(low_in, 3)
            os.dup2(low_out, 4)

        self.log = profile / "chromium.log"
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                [exe, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe",
                 "about:blank"], stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                preexec_fn=wire, close_fds=False)
        os.close(to_chrome)
        os.close(from_chrome)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target,
                                 flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=self.session)

    def _receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._reader], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer; see " + str(self.log))
            chunk = os.read(self._reader, 1 << 20)
            if not chunk:
                raise ConnectionError("Chromium closed the pipe; see " + str(self.log))
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command and return its result; events met on the way are kept."""
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._writer, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + 30
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply["result"]
                return result
            self.events.append(reply)

    def load(self, url: str, settle_s: float = 0.5) -> list[str]:
        """Open ``url``, wait for its load event and a little more; the errors it logged."""
        self.events.clear()
        nav = self.call("Page.navigate", session=self.session, url=url)
        assert "errorText" not in nav, nav
        deadline = time.monotonic() + 30
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self.events.append(self._receive(deadline))
        end = time.monotonic() + settle_s
        while True:
            try:
                self.events.append(self._receive(end))
            except TimeoutError:
                break
        return [line for e in self.events if (line := _as_error(e))]

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page."""
        reply = self.call("Runtime.evaluate", session=self.session, expression=expression,
                          returnByValue=True)
        assert "exceptionDetails" not in reply, reply
        return reply["result"].get("value")

    def close(self) -> None:
        with contextlib.suppress(OSError, TimeoutError, ConnectionError, RuntimeError):
            self.call("Browser.close")
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._writer)
        os.close(self._reader)


def _as_error(event: dict[str, Any]) -> str | None:
    """A console error, an uncaught exception, an error log entry or a dialog, as one line."""
    method, params = event.get("method"), event.get("params", {})
    if method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
        return "console: " + " ".join(str(a.get("value", a.get("description")))
                                      for a in params["args"])
    if method == "Runtime.exceptionThrown":
        details = params["exceptionDetails"]
        return "exception: " + str(details.get("exception", {}).get("description")
                                   or details.get("text"))
    if method == "Log.entryAdded" and params["entry"]["level"] == "error":
        return f"log ({params['entry']['source']}): {params['entry']['text']}"
    if method == "Page.javascriptDialogOpening":
        return f"dialog: {params['message']}"
    return None


@pytest.fixture(scope="module")
def browser(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    chrome = Browser(chromium, tmp_path_factory.mktemp("chromium-profile"))
    yield chrome
    chrome.close()


def test_the_browser_check_does_see_console_errors(browser: Browser, tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; script-src 'unsafe-inline'\">"
        "<script>console.error('boom'); throw new Error('kaput')</script>"
        '<img src="http://127.0.0.1:9/x.png">', encoding="utf-8")
    errors = "\n".join(browser.load(page.as_uri()))
    assert "boom" in errors and "kaput" in errors and "127.0.0.1:9" in errors


def test_the_report_loads_in_chromium_without_errors_and_shows_every_course(
        browser: Browser, report: Report) -> None:
    assert browser.load(report.html_path.as_uri()) == []
    assert browser.evaluate("document.characterSet") == "UTF-8"
    names = browser.evaluate(
        # cards off screen are not laid out (content-visibility), so no innerText
        "[...document.querySelectorAll('section.card h2.name')]"
        ".filter(e => e.closest('section').offsetHeight > 0).map(e => e.textContent)")
    assert sorted(names) == sorted([*NAMES.values(), "（未填课程名称）"])  # the stray js/ folder
    images = browser.evaluate("[...document.images].map(i => i.complete && i.naturalWidth)")
    # 28 lessons of the three courses, and the stray js/outside.mp4 (not js/xss's lessons again)
    assert len(images) == 29 and set(images) == {160}
    assert browser.evaluate("document.querySelectorAll('.bar .mark').length") == 2 * 29


def test_a_screenshot_of_the_report_is_not_blank(chromium: str, report: Report,
                                                  tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    done = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
         "--window-size=1280,2000", report.html_path.as_uri()],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 2000)
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 50
    assert (185, 28, 28) in {rgb for _, rgb in colours}  # the red of a failing verdict


def test_duration_bars_use_each_courses_configured_limits(tmp_path: Path, media: Media) -> None:
    (tmp_path / ".git").mkdir()
    strict = Course.good(tmp_path / "tree" / "a" / "strict", media)
    strict.set_lesson(2, media.long(360))  # 6 minutes: over an advised 5, under a maximum of 10
    root = strict.build()
    # the auditor's settings for the folder above the course (a course's own file is not read)
    (root.parent / ".coursecheck.yaml").write_text("max_minutes: 10\nadvised_minutes: 5\n",
                                                   encoding="utf-8")
    Course.good(tmp_path / "tree" / "b" / "plain", media).build()
    out = tmp_path / "report.html"
    run = run_cli("audit", tmp_path / "tree", "--html", out, "--lang", "en", "--jobs", "1")
    assert run.exit_code == 0, run.stderr
    cards = {c.all("code")[0].text().rsplit("/", 1)[-1]: c
             for c in parse(out.read_text("utf-8")).all("section", "card")}
    marks = {name: {m.classes[1]: m.attrs["style"]
                    for m in card.all("div", "bar")[0].all("span", "mark")}
             for name, card in cards.items()}
    assert marks["strict"] == {"advised": "left:41.67%", "max": "left:83.33%"}  # 5, 10 of 12
    assert marks["plain"] == {"advised": "left:38.89%", "max": "left:83.33%"}  # 7, 15 of 18
    bar = cards["strict"].all("li", "lesson")[1].all("div", "bar")[0]
    assert bar.all("span", "fill")[0].classes == ["fill", "long"]
    assert "from 0 to 12 min;" in cards["strict"].all("p", "dim")[0].text()


HOSTILE = ('<script>alert(1)</script>" onmouseover="alert(2)" x="', "javascript:alert(3)",
           "<a href=\"javascript:alert(4)\">点我</a>")


def test_hostile_names_render_as_inert_text_in_chromium(browser: Browser, tmp_path: Path) -> None:
    name, title, file = HOSTILE
    finding = Finding("V105", Severity.ERROR, file, f"{name} {title}", actual=title)
    result = CourseResult(name, name, (LessonSummary(title, file, 60.0),), (finding,))
    page = tmp_path / "hostile.html"
    page.write_text(render(AuditResult((AuditCourse(result, tmp_path),)), "en", {}),
                    encoding="utf-8")
    assert browser.load(page.as_uri()) == []
    assert browser.evaluate("[...document.scripts].map(s => s.text)") == [SCRIPT]
    assert browser.evaluate(
        "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes])"
        ".filter(a => a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value)).length") == 0
    assert browser.evaluate("[...document.links].map(a => a.getAttribute('href'))") == [
        "#course-1"]
    browser.evaluate("document.querySelectorAll('*').forEach(e => {"
                     "e.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));"
                     "e.dispatchEvent(new MouseEvent('click', {bubbles: true}))})")
    assert [line for e in browser.events if (line := _as_error(e))] == []  # no alert() dialog
    shown = parse(page.read_text(encoding="utf-8"))
    assert shown.all("h2", "name")[0].text() == name
    assert shown.all("li", "lesson")[0].all("div", "title")[0].text() == title
