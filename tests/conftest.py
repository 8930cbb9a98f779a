"""Session-wide fixtures: one media cache for the whole run, and a fresh course per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deep_corpus import DeepCorpus
from tests.helpers import Course, Media


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> Media:
    """Real clips made by ffmpeg, each made once per session."""
    return Media(tmp_path_factory.mktemp("media"))


@pytest.fixture
def course(tmp_path: Path, media: Media) -> Course:
    """A course that passes every rule until a test changes it."""
    return Course.good(tmp_path / "course", media)


@pytest.fixture(scope="session", autouse=True)
def _session_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """English messages and a private probe cache for the whole session.

    Module- and session-scoped fixtures (the one fix run of test_fix.py, the audited tree of
    test_audit.py) are set up before any per-test fixture, so they see these and never the
    user's real cache or locale. Autouse session fixtures are set up before every other fixture.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COURSECHECK_LANG", "en")
        patch.setenv("COURSECHECK_CACHE_DIR", str(tmp_path_factory.mktemp("session-cache")))
        yield


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests read English messages unless they ask for Chinese."""
    monkeypatch.setenv("COURSECHECK_LANG", "en")


@pytest.fixture(autouse=True)
def _private_probe_cache(monkeypatch: pytest.MonkeyPatch,
                         tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test gets its own empty probe cache, never the user's real one."""
    monkeypatch.setenv("COURSECHECK_CACHE_DIR", str(tmp_path_factory.mktemp("probe-cache")))


@pytest.fixture(scope="session")
def deep_corpus(tmp_path_factory: pytest.TempPathFactory) -> DeepCorpus:
    """Lessons with planted defects for the deep checks, each made once per session."""
    return DeepCorpus(tmp_path_factory.mktemp("deep-media"))
