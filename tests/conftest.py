"""Session-wide fixtures: one media cache for the whole run, and a fresh course per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import Course, Media


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> Media:
    """Real clips made by ffmpeg, each made once per session."""
    return Media(tmp_path_factory.mktemp("media"))


@pytest.fixture
def course(tmp_path: Path, media: Media) -> Course:
    """A course that passes every rule until a test changes it."""
    return Course.good(tmp_path / "course", media)


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests read English messages unless they ask for Chinese."""
    monkeypatch.setenv("COURSECHECK_LANG", "en")


@pytest.fixture(autouse=True)
def _private_probe_cache(monkeypatch: pytest.MonkeyPatch,
                         tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test gets its own empty probe cache, never the user's real one."""
    monkeypatch.setenv("COURSECHECK_CACHE_DIR", str(tmp_path_factory.mktemp("probe-cache")))
