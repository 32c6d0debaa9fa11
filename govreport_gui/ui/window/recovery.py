"""Autosave to a recovery file, and the offer to restore it after a crash.

Each running window holds a ``QLockFile`` next to its recovery file; a recovery file whose lock
can be taken belongs to a process that is gone (crashed or killed): that is what we offer back.

The keystroke pays only for a snapshot of the report (its containers copied, ~20 µs); turning it
into JSON and the atomic write with its fsync run on one background thread. Writes asked for while
one is going on collapse into one (only the newest state matters), and each part of the file (meta,
cells, sections, last year's report …) is serialised again only when it changed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ...report import native
from ...report.atomic import fits
from ...report.document import Report
from ...report.oserrors import os_error_text
from ...report.sharing import DiskState
from ..settings import data_dir

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

    from PySide6.QtCore import QLockFile

_DISCARD = object()  # in the slot: remove the recovery file (everything is saved)


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


def snapshot(report: Report) -> Report:
    """A copy of ``report`` the GUI may go on editing while a thread serialises the copy: the
    containers edits change are copied; their values (str, int, Decimal, frozen waivers) and the
    parts only ever replaced whole (last year's report, the register source) are shared."""
    return report.replace(meta=report.meta.copy(), cells=dict(report.cells),
                          sections={k: list(v) for k, v in report.sections.items()},
                          waivers=list(report.waivers), import_notes=[])


class PartCache:
    """The recovery file's JSON built from its top-level parts, each dumped again only when it
    changed (a part equal to the last one dumped — compared mostly by identity of its strings —
    reuses its text: last year's report and the narrative are not serialised on every write)."""

    def __init__(self) -> None:
        self._parts: dict[str, tuple[object, str]] = {}

    def dumps(self, data: dict) -> str:
        out = []
        for key, value in data.items():
            cached = self._parts.get(key)
            if cached is None or cached[0] != value:
                cached = self._parts[key] = (value, json.dumps(value, ensure_ascii=False))
            out.append(f"{json.dumps(key, ensure_ascii=False)}: {cached[1]}")
        return "{" + ", ".join(out) + "}\n"


class Recovered:
    """A recovery file read back: the report, the file it was a copy of (``original``), when it
    was written (``saved_at``, for the offer) and that file as it was on disk when the window read
    or saved it (``disk``)."""

    __slots__ = ("report", "original", "saved_at", "disk")

    def __init__(self, report: Report, original: Path | None, saved_at: str, disk: DiskState | None) -> None:
        self.report = report
        self.original = original
        self.saved_at = saved_at
        self.disk = disk


class Recovery:
    """This window's recovery file. Its folder, file name and lock are worked out on first use (the
    folder asks QStandardPaths, the lock is a QLockFile: neither is needed to show the window)."""

    def __init__(self) -> None:
        self._stem = f"autosave-{os.getpid()}-{time.time_ns() % 10**9:09d}"
        self._folder: Path | None = None
        self._path: Path | None = None
        self._lock: QLockFile | None = None
        self._writer: ThreadPoolExecutor | None = None  # on the first write (concurrent.futures: ~2 ms of start-up)
        self._last: Future | None = None
        self._slot: object = None  # the newest state asked for, not yet taken by the writer
        self._slot_lock = threading.Lock()
        self._parts = PartCache()
        self.error: str | None = None  # why the last write failed (Chinese), None when it worked
        self.on_result: Callable[[str | None], None] | None = None  # called by the writer thread

    @property
    def folder(self) -> Path:
        if self._folder is None:
            folder = data_dir() / "recovery"
            folder.mkdir(parents=True, exist_ok=True)
            self._folder = folder
        return self._folder

    @property
    def path(self) -> Path:
        if self._path is None:
            self._path = self.folder / f"{self._stem}.govreport"
        return self._path

    @path.setter
    def path(self, path: Path) -> None:
        self._path = path

    @property
    def lock(self) -> QLockFile:
        """Taken with the first write (a file on disk, ~1 ms and more at start)."""
        if self._lock is None:
            from PySide6.QtCore import QLockFile

            self._lock = QLockFile(str(self.folder / f"{self._stem}.lock"))
            self._lock.setStaleLockTime(0)
        return self._lock

    def save(self, report: Report, original: Path | None, disk: DiskState | None = None) -> None:
        """Queue a write of ``report`` (a snapshot is taken now; the JSON and the write follow)."""
        info = {"path": str(original) if original else None, "saved_at": dt.datetime.now().isoformat(),
                "disk": disk.to_json() if disk else None}
        self._put((snapshot(report), info))

    def _put(self, job: object) -> None:
        with self._slot_lock:
            queued = self._slot is not None
            self._slot = job
        if not queued:  # a job already queued will take the newest state
            if self._writer is None:  # the first write: the recovery file is ours before it exists
                from concurrent.futures import ThreadPoolExecutor

                self.lock.tryLock(0)
                self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="recovery")
            self._last = self._writer.submit(self._run)

    def _run(self) -> None:
        with self._slot_lock:
            job, self._slot = self._slot, None
        if job is None:
            return
        try:
            if job is _DISCARD:
                self.path.unlink(missing_ok=True)
            else:
                report, info = job  # type: ignore[misc]
                data = native.to_dict(report)
                data["recovery"] = info
                native.atomic_write(self.path, self._parts.dumps(data).encode("utf-8"), backup=False)
            error = None
        except OSError as e:
            error = os_error_text(e)
        except (ValueError, TypeError, RecursionError) as e:  # a report the JSON writer refuses: a bug
            error = f"无法生成恢复文件（{type(e).__name__}）"
        changed = error != self.error
        self.error = error
        if changed and self.on_result is not None:
            self.on_result(error)

    def flush(self) -> None:
        """Wait until every write asked for so far is on disk."""
        if self._last is not None:
            self._last.result()

    def discard(self) -> None:
        # through the writer: a write still queued must not bring the file back afterwards
        self._put(_DISCARD)

    def close(self) -> None:
        self.discard()
        if self._writer is not None:
            self._writer.shutdown(wait=True)
        if self._lock is not None:
            self._lock.unlock()

    def keep(self, report: Report, original: Path) -> Path:
        """Our version of ``original`` as a report file of its own in the recovery folder (when the
        clerk loads a colleague's version instead); written now, not on the thread."""
        folder = self.folder / "kept"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y-%m-%d %H%M%S")
        stem = original.stem
        while len(stem) > 1 and not fits(f"{stem}（我的修改 {stamp}）{native.SUFFIX}"):
            stem = stem[:-1]
        path = folder / f"{stem}（我的修改 {stamp}）{native.SUFFIX}"
        native.atomic_write(path, native.dumps(report).encode("utf-8"), backup=False)
        return path

    def orphans(self) -> list[Path]:
        """Recovery files left by windows that are no longer running, oldest first."""
        found = []
        for p in sorted(self.folder.glob("autosave-*.govreport"), key=_mtime):
            if p == self.path:
                continue
            from PySide6.QtCore import QLockFile

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
    def read(path: Path) -> Recovered:
        report = native.load(path)
        data = json.loads(native.read_regular(path, native.MAX_BYTES))
        info = data.get("recovery") or {}
        original = Path(info["path"]) if info.get("path") else None
        return Recovered(report, original, str(info.get("saved_at", ""))[:16].replace("T", " "),
                         DiskState.from_json(info.get("disk")))
