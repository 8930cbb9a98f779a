"""The deep parser on recorded ffmpeg output (tests/data/deep), and DeepFacts' JSON round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursecheck.deep.facts import DeepFacts, from_json
from coursecheck.deep.parse import LogScan, merge, parse, subtract
from coursecheck.deep.runner import DeepParams, build_argv

DATA = Path(__file__).parent / "data" / "deep"


def recorded(name: str) -> DeepFacts:
    packets = (DATA / f"{name}.framecrc").read_text()
    return parse("full", packets, (DATA / f"{name}.log").read_text())


def test_black_span_loudness_and_timing_from_a_recorded_pass() -> None:
    facts = recorded("black")
    assert facts.black == ((2.0, 5.0),)
    assert facts.frozen == ()  # the black stretch is frozen too, and subtracted
    assert facts.loudness_lufs == pytest.approx(-18.0, abs=0.5)
    assert facts.loudness_gate_lufs == pytest.approx(-28.0, abs=0.5)
    assert facts.true_peak_dbtp is not None and facts.sample_peak_dbfs is not None
    assert facts.frames == 200 and facts.decoded_s == 8.0 and facts.decode_errors == 0
    assert facts.video is not None and facts.video.max_gap_s == pytest.approx(0.04)
    assert facts.audio is not None and facts.audio.start_s == 0.0  # priming packet discarded


def test_a_cut_file_counts_its_errors_and_ends_early() -> None:
    facts = recorded("cut")
    assert facts.decode_errors >= 3
    assert facts.decoded_s is not None and facts.decoded_s < 5
    assert "Invalid NAL unit size" in facts.error_lines[0]


def test_a_silent_lesson_is_one_span_to_the_end_and_minus_70_lufs() -> None:
    facts = recorded("silent")
    assert facts.silent == ((0.0, 8.0),)
    assert facts.loudness_lufs == -70.0
    assert facts.true_peak_dbtp is None  # -inf is no number


def test_the_last_vfr_line_counts_and_summary_lines_survive_interleaving() -> None:
    log = LogScan()
    for line in ["[Parsed_vfrdet_1 @ 0x1] [info] VFR:0.000000 (0/10)",
                 "[Parsed_ebur128_2 @ 0x2] [info] Summary:", "", "  Integrated loudness:",
                 "    I:         -19.5 LUFS",
                 "[Parsed_blackdetect_3 @ 0x3] [info] black_start:1 black_end:3.5 "
                 "black_duration:2.5",
                 "  True peak:", "    Peak:       -3.2 dBFS",
                 "[Parsed_vfrdet_1 @ 0x1] [info] VFR:0.100000 (2/18) min: 1 max: 9 avg: 2"]:
        log.feed(line, 1.5)
    assert log.vfr_frames == 21
    assert log.loudness == {"I": -19.5, "True peak Peak": -3.2}
    assert log.black == [(1.0, 3.5)]


def test_error_lines_are_counted_with_the_time_reached() -> None:
    log = LogScan()
    log.feed("[h264 @ 0x1] [error] corrupted macroblock 3 4", 192.4)
    log.feed("[aac @ 0x2] [error] Number of bands (43) exceeds limit (34).", 200.0)
    log.feed("[h264 @ 0x1] [warning] concealing 40 DC errors", 201.0)
    assert (log.errors, log.first_error_s) == (2, 192.4)


def test_spans_merge_and_holes_cut() -> None:
    assert merge([(5.0, 7.0), (1.0, 2.0), (1.5, 3.0)]) == ((1.0, 3.0), (5.0, 7.0))
    assert subtract([(0.0, 10.0)], [(2.0, 5.0)]) == ((0.0, 2.0), (5.0, 10.0))


def test_deep_facts_round_trip_through_json() -> None:
    facts = recorded("black")
    assert from_json(facts.to_json()) == facts
    with pytest.raises(ValueError):
        from_json({"level": "full"})


def test_the_pass_pins_threads_and_never_explodes_on_errors() -> None:
    argv = build_argv("ffmpeg", "a:b.mp4", "full", DeepParams(), has_video=True, has_audio=True)
    assert argv[argv.index("-threads") + 1] == "1"
    assert "explode" not in " ".join(argv)
    assert any(a.startswith("file:") and a.endswith("a:b.mp4") for a in argv)
    assert "-vf" in argv and "-af" in argv
    quick = build_argv("ffmpeg", "x.mp4", "quick", DeepParams(), has_video=True, has_audio=True)
    assert "-vf" not in quick and "-af" in quick
