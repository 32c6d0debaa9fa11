"""Autosave to a recovery file, and the offer to restore it after a crash.

Each running window holds a ``QLockFile`` next to its recovery file; a recovery file whose lock
can be taken belongs to a process that is gone (crashed or killed): that is what we offer back.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path

from PySide6.QtCore import QLockFile

from ..report import native
from ..report.document import Report
from .settings import data_dir


class Recovery:
    def __init__(self) -> None:
        self.folder = data_dir() / "recovery"
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = f"autosave-{os.getpid()}-{time.time_ns() % 10**9:09d}"
        self.path = self.folder / f"{stem}.govreport"
        self.lock = QLockFile(str(self.folder / f"{stem}.lock"))
        self.lock.setStaleLockTime(0)
        self.lock.tryLock(0)

    def save(self, report: Report, original: Path | None) -> None:
        data = native.to_dict(report)
        data["recovery"] = {"path": str(original) if original else None, "saved_at": dt.datetime.now().isoformat()}
        native.atomic_write(self.path, json.dumps(data, ensure_ascii=False).encode("utf-8"), backup=False)

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)

    def close(self) -> None:
        self.discard()
        self.lock.unlock()

    def orphans(self) -> list[Path]:
        """Recovery files left by windows that are no longer running."""
        found = []
        for p in sorted(self.folder.glob("autosave-*.govreport")):
            if p == self.path:
                continue
            lock = QLockFile(str(p.with_suffix(".lock")))
            lock.setStaleLockTime(0)
            if lock.tryLock(0):
                lock.unlock()
                found.append(p)
        return found

    @staticmethod
    def read(path: Path) -> tuple[Report, Path | None, str]:
        """(report, the file it was a copy of, when it was saved)."""
        report = native.load(path)
        data = json.loads(path.read_text(encoding="utf-8"))
        info = data.get("recovery") or {}
        original = Path(info["path"]) if info.get("path") else None
        return report, original, str(info.get("saved_at", ""))[:16].replace("T", " ")
