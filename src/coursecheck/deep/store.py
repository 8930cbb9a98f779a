"""Deep results kept next to the probe cache, so an unchanged lesson is never decoded twice.

An entry lives in the cache folder's ``deep/`` sub-folder, named by a hash of the lesson's
resolved path, and is used only when its key matches: path, size, mtime_ns, the coursecheck
version, :data:`ANALYSIS_VERSION`, the level and the detector settings. Writes go to a temporary
file moved into place. Any trouble reading or writing is only a slower run.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import Any

import coursecheck
from coursecheck.deep.facts import ANALYSIS_VERSION, DeepFacts, Level, from_json
from coursecheck.deep.runner import DeepParams

MAX_ENTRY_BYTES = 4 << 20


class DeepStore:
    """Reads and writes deep results in ``folder`` (``None``: no cache)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.write_error: str | None = None

    def _where(self, path: str, level: Level, params: DeepParams) -> tuple[Path, dict[str, Any]]:
        assert self.folder is not None
        st = os.stat(path)
        key = {"path": path, "size": st.st_size, "mtime_ns": st.st_mtime_ns,
               "coursecheck": coursecheck.__version__, "analysis": ANALYSIS_VERSION,
               "level": level, "params": params.key()}
        digest = hashlib.sha256(f"{path}\0{level}".encode("utf-8", "surrogateescape"))
        return self.folder / f"{digest.hexdigest()[:40]}.json", key

    def get(self, path: str, level: Level, params: DeepParams) -> DeepFacts | None:
        """The kept result for this file, level and settings, or ``None``."""
        if self.folder is None:
            return None
        try:
            entry, key = self._where(path, level, params)
            with entry.open("rb") as handle:
                raw = handle.read(MAX_ENTRY_BYTES + 1)
            data = json.loads(raw)
            return from_json(data["facts"]) if data["key"] == key else None
        except Exception:  # missing, damaged or of another version: decode again
            return None

    def put(self, path: str, level: Level, params: DeepParams, facts: DeepFacts) -> None:
        """Keep ``facts`` unless the pass was cut short by a limit (that may not recur)."""
        if self.folder is None or self.write_error is not None or facts.failure:
            return
        tmp: str | None = None
        try:
            entry, key = self._where(path, level, params)
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=self.folder)
            with os.fdopen(fd, "wb") as handle:
                handle.write(json.dumps({"key": key, "facts": facts.to_json()}).encode())
            os.replace(tmp, entry)
        except Exception as exc:
            self.write_error = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            if tmp is not None:
                with suppress(OSError):
                    os.unlink(tmp)
