"""coursecheck.mixml gives exactly the track dicts pymediainfo gives, on recorded reports and on
real files (media from other tools included), so the faster reader changes no fact."""

from __future__ import annotations

from pathlib import Path

import pytest
from pymediainfo import MediaInfo

from coursecheck import mixml
from coursecheck.probe import run_mediainfo
from tests.helpers import Media

DATA = Path(__file__).parent / "data"


def pymediainfo_tracks(xml: str) -> list[dict[str, object]]:
    return [track.to_data() for track in MediaInfo(xml).tracks]


@pytest.mark.parametrize("report", sorted((DATA / "mediainfo").glob("*.xml")),
                         ids=lambda p: p.stem)
def test_recorded_reports_give_pymediainfos_tracks(report: Path) -> None:
    xml = report.read_text(encoding="utf-8")
    found = mixml.tracks(xml)
    assert found == pymediainfo_tracks(xml)
    assert found and found[0]["track_type"] == "General"


def test_real_files_give_pymediainfos_tracks(media: Media) -> None:
    files = [media.clip(), media.cover(), *sorted((DATA / "others").glob("*.*"))]
    for path in files:
        if path.suffix == ".md":
            continue
        xml = run_mediainfo(path)
        assert mixml.tracks(xml) == pymediainfo_tracks(xml), path.name


def test_a_repeated_tag_keeps_the_number_first_and_the_words_after() -> None:
    xml = ('<?xml version="1.0"?><Mediainfo version="24.12"><File><track type="General">'
           "<Duration>7 min 0 s</Duration><Duration>420000</Duration><ID>1</ID>"
           "<Format_>MPEG-4</Format_><Title></Title><Title>x</Title></track></File></Mediainfo>")
    (general,) = mixml.tracks(xml)
    assert general == pymediainfo_tracks(xml)[0]
    assert general["duration"] == 420000 and general["other_duration"] == ["420000", "7 min 0 s"]
    assert general["track_id"] == "1" and general["format"] == "MPEG-4"
    assert mixml.of_type([general], "General") == [general]
    assert mixml.of_type([general], "Video") == []
