"""Hypothesis fuzzing of the manifest loader and of the MP4 sniffing and probing path (issue 10
§5): no input may give exit code 2 or a traceback. ``make test`` runs a few examples of each;
``make fuzz`` runs many (``COURSECHECK_FUZZ_EXAMPLES``)."""

from __future__ import annotations

import os
import struct

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursecheck.gather import read_manifest
from coursecheck.probe import probe
from coursecheck.sniff import refusal
from coursecheck.synth import passing_manifest
from tests.helpers import check_json
from tests.media_traits import H264, ffmpeg

EXAMPLES = int(os.environ.get("COURSECHECK_FUZZ_EXAMPLES", "10"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
pytestmark = pytest.mark.timeout(max(300, 10 * EXAMPLES))  # a loaded machine

# --- the manifest -------------------------------------------------------------------------------

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=30), st.dates().map(str))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=12)
KEYS = list(passing_manifest(["a.mp4"]))


@st.composite
def manifests(draw: st.DrawFn) -> bytes:
    """A course.yaml: a valid one with fields replaced by anything, or random text or bytes."""
    kind = draw(st.sampled_from(["mutated", "text", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    if kind == "text":
        return draw(st.text(max_size=300)).encode(draw(st.sampled_from(["utf-8", "utf-16"])),
                                                   "surrogatepass")
    data = passing_manifest(["lessons/01.mp4"])
    for key in draw(st.lists(st.sampled_from([*KEYS, "extra", "lessons"]), max_size=4)):
        data[key] = draw(values)
    return yaml.safe_dump(data, allow_unicode=True).encode("utf-8")


@FUZZ
@given(raw=manifests())
def test_any_manifest_loads_without_raising_and_checks_without_exit_2(
        tmp_path_factory: pytest.TempPathFactory, raw: bytes) -> None:
    root = tmp_path_factory.mktemp("fuzz-manifest")
    (root / "course.yaml").write_bytes(raw)
    facts = read_manifest(root / "course.yaml")
    assert facts.load_error is not None or facts.doc is not None
    run = check_json(root, "--no-cache")
    assert run.exit_code in (0, 1), run.stderr
    assert run.report["courses"][0]["verdict"] in ("pass", "warn", "fail")


# --- MP4 sniffing and probing -------------------------------------------------------------------

@pytest.fixture(scope="module")
def mp4(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A 0.4 s MP4 with H.264 and AAC, the seed every mutation starts from."""
    out = tmp_path_factory.mktemp("fuzz-seed") / "seed.mp4"
    ffmpeg(out, "-f", "lavfi", "-i", "testsrc=s=64x36:r=25:d=0.4", "-f", "lavfi", "-i",
           "sine=d=0.4", *H264, "-c:a", "aac", "-movflags", "+faststart")
    return out.read_bytes()


def box_offsets(data: bytes) -> list[int]:
    """Where each four-letter box type of the seed sits (from its size field)."""
    found, at = [], data.find(b"ftyp") - 4
    names = (b"moov", b"mvhd", b"trak", b"tkhd", b"mdia", b"mdhd", b"minf", b"dinf", b"dref",
             b"stbl", b"stsd", b"stts", b"stsz", b"stco", b"stsc", b"mdat", b"udta", b"edts")
    for name in names:
        at = data.find(name)
        while at >= 4:
            found.append(at - 4)
            at = data.find(name, at + 1)
    return sorted(found)


@st.composite
def mutations(draw: st.DrawFn, seed: bytes) -> bytes:
    """The seed with box sizes, bytes and its length changed."""
    data = bytearray(seed)
    offsets = box_offsets(seed)
    sizes = st.one_of(st.sampled_from([0, 1, 7, 8, 0xFFFFFFFF]), st.integers(0, 0xFFFFFFFF))
    for at in draw(st.lists(st.sampled_from(offsets), max_size=4)):
        struct.pack_into(">I", data, at, draw(sizes))
    for _ in range(draw(st.integers(0, 8))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        kind = draw(st.sampled_from([b"url ", b"alis", b"rmra", b"co64", b"free"]))
        at = draw(st.sampled_from(offsets))
        data[at + 4:at + 8] = kind
    cut = draw(st.one_of(st.none(), st.integers(0, len(data))))
    return bytes(data[:cut] if cut is not None else data)


@FUZZ
@given(data=st.data())
def test_any_damaged_mp4_is_probed_without_raising_and_checked_without_exit_2(
        tmp_path_factory: pytest.TempPathFactory, mp4: bytes, data: st.DataObject) -> None:
    raw = data.draw(mutations(mp4))
    root = tmp_path_factory.mktemp("fuzz-mp4")
    lesson = root / "lessons" / "01.mp4"
    lesson.parent.mkdir()
    lesson.write_bytes(raw)
    with lesson.open("rb") as handle:
        assert refusal(handle, len(raw)) in (None, "unknown", "external")
    facts = probe(lesson)
    assert facts.error is not None or facts.video is not None or facts.audio_formats
    (root / "course.yaml").write_text(yaml.safe_dump(passing_manifest(["lessons/01.mp4"]),
                                                     allow_unicode=True), encoding="utf-8")
    run = check_json(root, "--no-cache")
    assert run.exit_code in (0, 1), run.stderr
    lesson_rules = {f["rule"] for f in run.findings() if f["file"] == "lessons/01.mp4"}
    assert "X001" not in {f["rule"] for f in run.findings()}
    assert facts.error is None or "V001" in lesson_rules


# --- the byte readers behind the sniff and the timing -------------------------------------------

SIGNATURES = [b"GIF89a", b"\x1a\x45\xdf\xa3", b"\x47", b"\x06\x0e\x2b\x34\x02\x05\x01\x01\x0d"
              b"\x01\x02\x01\x01\x02", b"\x00\x00\x00\x18ftyp", b"FORM", b"OggS"]


@settings(max_examples=EXAMPLES * 10, deadline=None, database=None)
@given(signature=st.sampled_from(SIGNATURES), tail=st.binary(max_size=4000))
def test_the_sniff_and_timing_readers_take_any_bytes(signature: bytes, tail: bytes) -> None:
    import io

    from coursecheck.timing import read_timing

    raw = signature + tail
    assert refusal(io.BytesIO(raw), len(raw)) in (None, "unknown", "external")
    timing = read_timing(io.BytesIO(raw), raw[:16])
    assert timing is None or timing.frame_rate is None or timing.frame_rate > 0
