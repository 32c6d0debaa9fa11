"""Autosave to a recovery file, and the offer to restore it after a crash.

Each running window holds a ``QLockFile`` next to its recovery file; a recovery file whose lock
can be taken belongs to a process that is gone (crashed or killed): that is what we offer back.
The report is serialised on the GUI thread (a consistent snapshot, ~1 ms); the atomic write and
its fsync run on one background thread, in order, so a slow disk never stalls typing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QLockFile

from ...report import native
from ...report.document import Report
from ..settings import data_dir


def _same_file(a: Path | None, b: Path | None) -> bool:
    if a is None or b is None:
        return a is b
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b


def _mtime(p: Path) -> float:
    try:
        return p.stat().st_mtime
    except OSError:
        return 0.0


class Recovery:
    def __init__(self) -> None:
        self.folder = data_dir() / "recovery"
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = f"autosave-{os.getpid()}-{time.time_ns() % 10**9:09d}"
        self.path = self.folder / f"{stem}.govreport"
        self.lock = QLockFile(str(self.folder / f"{stem}.lock"))
        self.lock.setStaleLockTime(0)
        self.lock.tryLock(0)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="recovery")
        self._last: Future | None = None
        self.error: str | None = None  # the last failed write, for the status bar

    def save(self, report: Report, original: Path | None) -> None:
        data = native.to_dict(report)
        data["recovery"] = {"path": str(original) if original else None, "saved_at": dt.datetime.now().isoformat()}
        blob = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self._last = self._writer.submit(self._write, self.path, blob)

    def _write(self, path: Path, blob: bytes) -> None:
        try:
            native.atomic_write(path, blob, backup=False)
            self.error = None
        except OSError as e:
            self.error = e.strerror or str(e)

    def flush(self) -> None:
        """Wait until every write asked for so far is on disk."""
        if self._last is not None:
            self._last.result()

    def discard(self) -> None:
        # through the writer: a write still queued must not bring the file back afterwards
        self._last = self._writer.submit(self.path.unlink, missing_ok=True)

    def close(self) -> None:
        self.discard()
        self._writer.shutdown(wait=True)
        self.lock.unlock()

    def orphans(self) -> list[Path]:
        """Recovery files left by windows that are no longer running, oldest first."""
        found = []
        for p in sorted(self.folder.glob("autosave-*.govreport"), key=_mtime):
            if p == self.path:
                continue
            lock = QLockFile(str(p.with_suffix(".lock")))
            lock.setStaleLockTime(0)
            if lock.tryLock(0):
                lock.unlock()
                found.append(p)
        return found

    def orphans_of(self, original: Path | None) -> list[Path]:
        """The orphans that are copies of ``original`` (None: of a report never saved)."""
        out = []
        for p in self.orphans():
            try:
                info = json.loads(native.read_regular(p, native.MAX_BYTES)).get("recovery") or {}
            except (native.FileFormatError, ValueError, AttributeError):
                continue
            if _same_file(Path(info["path"]) if info.get("path") else None, original):
                out.append(p)
        return out

    @staticmethod
    def remove(orphan: Path) -> None:
        orphan.unlink(missing_ok=True)
        orphan.with_suffix(".lock").unlink(missing_ok=True)

    @staticmethod
    def read(path: Path) -> tuple[Report, Path | None, str]:
        """(report, the file it was a copy of, when it was saved)."""
        report = native.load(path)
        data = json.loads(native.read_regular(path, native.MAX_BYTES))
        info = data.get("recovery") or {}
        original = Path(info["path"]) if info.get("path") else None
        return report, original, str(info.get("saved_at", ""))[:16].replace("T", " ")
