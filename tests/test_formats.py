"""Real media that check used to read wrongly (issue 10 §2), each trait made by ffmpeg and
byte-edited where ffmpeg cannot make it: every self-contained format reaches the rules, files with
nothing to play are V001, constant-rate TS and Matroska are not VFR, an animated GIF is a video."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests import media_traits as t
from tests.helpers import Course, Media, check_json

CHECK_TIMEOUT = pytest.mark.timeout(120)


class Traits:
    """Each trait file made once per session, on first use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.made: dict[str, Path] = {}
        d = folder
        self.recipes: dict[str, Callable[[], Path]] = {
            "aiff": lambda: t.ffmpeg(d / "a.aiff", *t.TONE),
            "ac3": lambda: t.ffmpeg(d / "a.ac3", *t.TONE, "-c:a", "ac3"),
            "eac3": lambda: t.ffmpeg(d / "a.eac3", *t.TONE, "-c:a", "eac3"),
            "wv": lambda: t.ffmpeg(d / "a.wv", *t.TONE),
            "tta": lambda: t.ffmpeg(d / "a.tta", *t.TONE),
            "ogg": lambda: t.ffmpeg(d / "a.ogg", *t.TONE, "-c:a", "libvorbis"),
            "m4a": lambda: t.ffmpeg(d / "a.m4a", *t.TONE, "-c:a", "aac"),
            "mp3": lambda: t.ffmpeg(d / "a.mp3", *t.TONE),
            "jpg": lambda: t.ffmpeg(d / "c.jpg", "-f", "lavfi", "-i", "color=s=64x64:d=1",
                                    "-frames:v", "1"),
            "mp3_cover": lambda: t.ffmpeg(d / "cover.mp3", *t.TONE, "-i", str(self["jpg"]),
                                          "-map", "0:a", "-map", "1", "-c:v", "copy",
                                          "-disposition:v", "attached_pic"),
            "mxf": lambda: t.ffmpeg(d / "v.mxf", *t.BARS, *t.TONE, "-c:v", "mpeg2video",
                                    "-c:a", "pcm_s16le"),
            "ts": lambda: t.ffmpeg(d / "v.ts", *t.NTSC, *t.H264),
            "mkv": lambda: t.ffmpeg(d / "v.mkv", *t.NTSC, *t.H264),
            "vfr_ts": lambda: t.ffmpeg(d / "vfr.ts", *t.BARS, *VFR, *t.H264),
            "vfr_mkv": lambda: t.ffmpeg(d / "vfr.mkv", *t.BARS, *VFR, *t.H264),
            "mp4": lambda: t.ffmpeg(d / "v.mp4", *t.BARS, *t.H264),
            "3g2": lambda: t.ffmpeg(d / "v.3g2", "-f", "lavfi", "-i",
                                    "testsrc=s=176x144:r=15:d=2", *t.TONE, *t.H264,
                                    "-c:a", "aac", "-ar", "8000", "-f", "3g2"),
            "gif": lambda: t.ffmpeg(d / "moving.gif", "-f", "lavfi", "-i",
                                    "testsrc=s=64x36:r=10:d=1"),
            "still_gif": lambda: t.ffmpeg(d / "still.gif", "-i", str(self["jpg"])),
            "no_tracks_mp4": lambda: t.no_tracks_mp4(self["mp4"], d / "none.mp4"),
            "no_tracks_mkv": lambda: t.no_tracks_mkv(self["mkv"], d / "none.mkv"),
            "empty_tables": lambda: t.empty_tables_m4a(self["m4a"], d / "empty.m4a"),
            "lying": lambda: t.lying_duration_ogg(self["ogg"], d / "lying.ogg"),
            "tag_only": lambda: t.tag_only_mp3(self["mp3_cover"], d / "tag.mp3"),
            "tiny_mp3": lambda: t.head(self["mp3"], d / "tiny.mp3", 72),
            "cut_ogg": lambda: t.cut_ogg(self["ogg"], d / "cut.ogg"),
            "op_atom": lambda: t.op_atom_mxf(self["mxf"], d / "atom.mxf"),
        }

    def __getitem__(self, name: str) -> Path:
        if name not in self.made:
            self.made[name] = self.recipes[name]()
        return self.made[name]


# 25 fps for a second, then frames alternately 20 ms late: in a 1 ms time base, so nothing rounds
VFR = ["-vf", r"settb=1/1000,setpts=N*40+if(gte(N\,25)\,20*mod(N\,2)\,0)",
       "-fps_mode", "passthrough"]


@pytest.fixture(scope="session")
def traits(tmp_path_factory: pytest.TempPathFactory) -> Traits:
    return Traits(tmp_path_factory.mktemp("traits"))


def lesson_findings(course: Course, source: Path) -> tuple[dict[str, dict[str, object]], int]:
    """Check the course with ``source`` as lesson 1 (keeping its extension); the findings on
    that lesson by rule, and the exit code."""
    where = course.set_lesson(1, source, name=f"lessons/01{source.suffix}")
    run = check_json(course.build())
    found = {f["rule"]: f for f in run.findings() if f["file"] == where}
    assert all(f["file"] == where and f["line"] is None for f in found.values())
    assert all(f["file"] == where for f in run.findings() if f["rule"].startswith("V"))
    return found, run.exit_code


AUDIO = [("aiff", "AIFF", "PCM"), ("ac3", "AC-3", "AC-3"), ("eac3", "E-AC-3", "E-AC-3"),
         ("wv", "WavPack", "WavPack"), ("tta", "TTA", "TTA"), ("ogg", "Ogg", "Vorbis")]


@CHECK_TIMEOUT
@pytest.mark.parametrize(("name", "container", "codec"), AUDIO)
def test_self_contained_audio_reaches_the_rules(course: Course, traits: Traits, name: str,
                                                container: str, codec: str) -> None:
    found, code = lesson_findings(course, traits[name])
    assert code == 1
    assert "V001" not in found and {"V101", "V102"} <= set(found)
    assert found["V101"]["actual"] == container
    assert f"container is {container}," in str(found["V101"]["message"])
    assert found["V205"]["actual"] == codec


@CHECK_TIMEOUT
def test_mxf_op1a_is_read_and_its_mpeg2_video_named(course: Course, traits: Traits) -> None:
    found, code = lesson_findings(course, traits["mxf"])
    assert code == 1 and "V001" not in found
    assert found["V101"]["actual"] == "MXF"
    assert found["V103"]["actual"] == "MPEG-2 Video"
    assert "V102" not in found and "V106" not in found


@CHECK_TIMEOUT
def test_mxf_op_atom_refers_to_other_files_and_is_not_read(course: Course,
                                                           traits: Traits) -> None:
    found, code = lesson_findings(course, traits["op_atom"])
    assert code == 1 and list(found) == ["V001"]
    assert "other files" in str(found["V001"]["message"])


@CHECK_TIMEOUT
@pytest.mark.parametrize(("name", "container"), [("ts", "MPEG-TS"), ("mkv", "Matroska")])
def test_constant_29_97_in_ts_and_matroska_is_not_vfr(course: Course, traits: Traits, name: str,
                                                      container: str) -> None:
    found, code = lesson_findings(course, traits[name])
    assert code == 1
    assert found["V101"]["actual"] == container
    assert found["V105"]["actual"] == "29.97"
    assert "V106" not in found


@CHECK_TIMEOUT
@pytest.mark.parametrize("name", ["vfr_ts", "vfr_mkv"])
def test_really_variable_ts_and_matroska_are_vfr(course: Course, traits: Traits,
                                                 name: str) -> None:
    found, code = lesson_findings(course, traits[name])
    assert code == 1 and "V106" in found and "V105" not in found


@CHECK_TIMEOUT
def test_an_animated_gif_is_a_video_in_the_wrong_format(course: Course, traits: Traits) -> None:
    found, code = lesson_findings(course, traits["gif"])
    assert code == 1 and "V102" not in found and "V001" not in found
    assert found["V101"]["actual"] == "GIF" and found["V103"]["actual"] == "GIF"
    assert found["V105"]["actual"] == "10"
    assert found["V104"]["actual"] == "64×36"


@CHECK_TIMEOUT
def test_a_still_gif_is_no_lesson(course: Course, traits: Traits) -> None:
    found, code = lesson_findings(course, traits["still_gif"])
    assert code == 1 and list(found) == ["V001"]
    assert "still picture" in str(found["V001"]["message"])


@CHECK_TIMEOUT
def test_3gpp2_is_named_3gpp2_not_by_its_brand(course: Course, traits: Traits) -> None:
    found, _ = lesson_findings(course, traits["3g2"])
    assert found["V101"]["actual"] == "3GPP2"
    assert "3GPP2" in str(found["V101"]["message"])


NOTHING = ["no_tracks_mp4", "no_tracks_mkv", "empty_tables", "tag_only", "tiny_mp3", "cut_ogg"]


@CHECK_TIMEOUT
@pytest.mark.parametrize("name", NOTHING)
def test_a_file_with_nothing_to_play_is_v001_only(course: Course, traits: Traits,
                                                  name: str) -> None:
    found, code = lesson_findings(course, traits[name])
    assert code == 1 and list(found) == ["V001"]


@CHECK_TIMEOUT
def test_a_header_claiming_47_hours_over_2_seconds_of_data_is_v001(course: Course,
                                                                   traits: Traits) -> None:
    found, code = lesson_findings(course, traits["lying"])
    assert code == 1 and list(found) == ["V001"]
    assert "47:00:00" in str(found["V001"]["message"])


def test_the_2_second_originals_are_media(course: Course, traits: Traits, media: Media) -> None:
    """The files the traits above were cut from are read as media (so the edits made the
    difference)."""
    from coursecheck.probe import probe

    for name in ("mp4", "mkv", "m4a", "mp3_cover", "ogg", "mxf"):
        facts = probe(traits[name])
        assert facts.error is None, name
        assert facts.video is not None or facts.audio_formats, name


@pytest.mark.timeout(300)
def test_fix_converts_the_formats_check_now_reads(course: Course, traits: Traits,
                                                  tmp_path: Path) -> None:
    from tests.helpers import run_cli

    for number, name in enumerate(["aiff", "ac3", "mxf", "gif", "mkv"], 1):
        course.set_lesson(number, traits[name], f"lessons/{number:02d}{traits[name].suffix}")
    out = tmp_path / "out"
    run = run_cli("fix", course.build(), "--out", out, "--preset", "ultrafast", "--lang", "en",
                  "--add-silence")  # the GIF and the MKV have no sound
    assert run.exit_code == 0, run.stdout + run.stderr
    assert "Cannot fix automatically" not in run.stdout
    after = check_json(out)
    assert after.exit_code == 0, after.stdout
    assert not [f for f in after.findings() if f["rule"].startswith("V")]


HEADS = {"DSF": b"DSD \x1c\x00\x00\x00", "DSDIFF": b"FRM8\x00\x00\x00\x00", "TAK": b"tBaK",
         "Musepack SV8": b"MPCKSH", "Musepack SV7": b"MP+\x17", "APE": b"MAC \x96\x0f",
         "ADIF": b"ADIF\x00", "AMR": b"#!AMR\n", "CAF": b"caff\x00\x01", "AU": b".snd\x00",
         "DTS": b"\x7f\xfe\x80\x01", "RF64": b"RF64\xff\xff\xff\xffWAVE", "IVF": b"DKIF\x00",
         "Wave64": b"riff\x2e\x91\xcf\x11\xa5\xd6\x28\xdb\x04\xc1\x00\x00", "WavPack": b"wvpk",
         "TTA": b"TTA1", "AIFF": b"FORM\x00\x00\x00\x04AIFF", "AC-3": b"\x0b\x77\x00\x00"}


@pytest.mark.parametrize("name", HEADS)
def test_every_listed_format_is_let_through_to_mediainfo(name: str) -> None:
    """Formats ffmpeg cannot write (DSD, TAK, Musepack, APE, ADIF) are checked by their first
    bytes; MediaInfo then says what the file really holds."""
    import io

    from coursecheck.sniff import refusal

    head = HEADS[name] + bytes(64)
    assert refusal(io.BytesIO(head), len(head)) is None


def test_unknown_bytes_and_a_playlist_are_not_read() -> None:
    import io

    from coursecheck.sniff import refusal

    for head in (b"#EXTM3U\n#EXT-X-VERSION:3\n", b"<?xml version='1.0'?><MPD>", b"hello"):
        assert refusal(io.BytesIO(head), len(head)) == "unknown"


@CHECK_TIMEOUT
def test_an_mxf_naming_another_file_is_not_read(course: Course, traits: Traits,
                                                tmp_path: Path) -> None:
    from coursecheck.mxf import NETWORK_LOCATOR

    data = traits["mxf"].read_bytes()
    identification = NETWORK_LOCATOR[:14] + b"\x30\x00"  # the Identification set's key
    assert identification in data
    located = tmp_path / "located.mxf"
    located.write_bytes(data.replace(identification, NETWORK_LOCATOR, 1))
    found, code = lesson_findings(course, located)
    assert code == 1 and list(found) == ["V001"]
    assert "other files" in str(found["V001"]["message"])
