"""Two clerks, one file: who has a report open, and whether the file changed since we read it.

Qt-free. While a report is open, a small lock file lies beside it (``~$name.govreport``, as Word
and WPS do), holding who and when; a second opener is told. A lock whose window is gone (same
computer, process ended) or that was not refreshed for :data:`STALE_SECONDS` (another computer that
crashed or lost the network) is ignored. Before a save, :class:`DiskState` tells whether the file on
disk is still the one we read or last saved — by size and content, so a colleague's save, a
``register --into`` or another program's change is never silently overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path

from .atomic import atomic_write, fits, real_target
from .frozen import Frozen

LOCK_PREFIX = "~$"
HEARTBEAT_SECONDS = 60  # a window refreshes its lock this often …
STALE_SECONDS = 10 * 60  # … so a lock older than this belongs to a window that is gone
MAX_LOCK_BYTES = 4096


def lock_path(report: Path) -> Path:
    """``~$name`` beside the report's real file (two links to one file share one lock); a name too
    long for the prefix loses characters from its start, as Word's do."""
    target = real_target(report)
    name = LOCK_PREFIX + target.name
    while len(os.fsencode(name)) > 255 and len(name) > len(LOCK_PREFIX) + 1:
        name = LOCK_PREFIX + name[len(LOCK_PREFIX) + 1:]
    return target.with_name(name)


def _hostname() -> str:
    import socket  # (here: socket and its selectors cost ~5 ms at every start; the lock is taken after the first paint)

    return socket.gethostname()


def _user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):  # no passwd entry, no USER variable
        return f"用户{os.getuid()}" if hasattr(os, "getuid") else "未知用户"


def _alive(pid: int) -> bool:
    if os.name == "nt":
        return True  # no cheap check without extra packages: the heartbeat's age decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


class Holder(Frozen):
    """Who holds a lock (what the lock file says): user, host, pid, since (ISO time the report was
    opened), token."""

    __slots__ = _fields = ("user", "host", "pid", "since", "token")
    user: str
    host: str
    pid: int
    since: str
    token: str

    def describe(self) -> str:
        """``张三（计算机 PC-12）自 12月2日 14:30 起``"""
        try:
            when = dt.datetime.fromisoformat(self.since)
            since = f"自 {when.month}月{when.day}日 {when:%H:%M} 起"
        except ValueError:
            since = ""
        here = self.host == _hostname()
        where = "本机的另一个窗口" if here and self.user == _user() else f"计算机 {self.host}"
        return f"{self.user}（{where}）{since}"


def read_holder(report: Path, now: float | None = None) -> Holder | None:
    """Who else has ``report`` open, or None: no lock, a stale one, an unreadable one, or ours."""
    path = lock_path(report)
    try:
        st = path.stat()
        if st.st_size > MAX_LOCK_BYTES:
            return None
        data = json.loads(path.read_bytes().decode("utf-8"))
        holder = Holder(str(data["user"])[:64], str(data["host"])[:64], int(data["pid"]), str(data["since"])[:40],
                        str(data["token"])[:64])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if (now or time.time()) - st.st_mtime > STALE_SECONDS:
        return None
    if holder.host == _hostname() and (holder.pid == os.getpid() or not _alive(holder.pid)):
        return None
    return holder


class FileLock:
    """Our lock beside one report (taken at open, refreshed by a heartbeat, removed at close)."""

    def __init__(self, report: Path) -> None:
        self.report = report
        self.path = lock_path(report)
        self.token = os.urandom(8).hex()
        self.held = False

    def acquire(self) -> bool:
        """Write the lock; False when it cannot be written (a read-only folder or share): the
        report still opens, others are just not told."""
        data = {"app": "GovReport", "user": _user(), "host": _hostname(), "pid": os.getpid(),
                "since": dt.datetime.now().isoformat(timespec="seconds"), "token": self.token}
        try:
            atomic_write(self.path, json.dumps(data, ensure_ascii=False).encode("utf-8"), backup=False)
        except OSError:
            return False
        _hide(self.path)
        self.held = True
        return True

    def _ours(self) -> bool:
        try:
            return json.loads(self.path.read_bytes()[:MAX_LOCK_BYTES].decode("utf-8")).get("token") == self.token
        except (OSError, ValueError, AttributeError):
            return False

    def refresh(self) -> None:
        """The heartbeat: the lock's time says this window is alive (a lock taken over meanwhile,
        after ours went stale, is left to its new holder)."""
        if self.held and self._ours():
            try:
                os.utime(self.path)
            except OSError:
                pass
        elif self.held and not self.path.exists():
            self.acquire()  # removed by someone: put it back while we have the report open

    def release(self) -> None:
        if self.held and self._ours():
            try:
                self.path.unlink()
            except OSError:
                pass
        self.held = False


def _hide(path: Path) -> None:
    if os.name == "nt":  # as Word's ~$ files: not in the clerk's way in Explorer
        try:
            import ctypes

            ctypes.windll.kernel32.SetFileAttributesW(str(path), 0x2)  # type: ignore[attr-defined]
        except (OSError, AttributeError):
            pass


class DiskState(Frozen):
    """What a report file on disk was when we read or saved it: size, time, content hash."""

    __slots__ = _fields = ("size", "mtime_ns", "digest")
    size: int
    mtime_ns: int
    digest: str

    @classmethod
    def of(cls, path: Path, data: bytes | None = None) -> DiskState | None:
        """The file's state now (``data``: its bytes, already read); None when there is no file."""
        try:
            st = os.stat(path)
            if data is None:
                with open(path, "rb") as fh:
                    data = fh.read()
        except OSError:
            return None
        import hashlib  # (~3 ms to import: not before the first paint)

        return cls(st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest())

    def same_file(self, other: DiskState | None) -> bool:
        """Whether ``other`` holds the same content (a touched or copied-back file is the same)."""
        return other is not None and other.size == self.size and other.digest == self.digest

    def looks_unchanged(self, path: Path) -> bool:
        """A cheap look (stat only): same size and time. False may still be the same content."""
        try:
            st = os.stat(path)
        except OSError:
            return False
        return st.st_size == self.size and st.st_mtime_ns == self.mtime_ns

    def to_json(self) -> dict:
        return {"size": self.size, "mtime_ns": self.mtime_ns, "sha256": self.digest}

    @classmethod
    def from_json(cls, raw: object) -> DiskState | None:
        if not isinstance(raw, dict):
            return None
        try:
            return cls(int(raw["size"]), int(raw["mtime_ns"]), str(raw["sha256"]))
        except (KeyError, TypeError, ValueError):
            return None


def changed_on_disk(path: Path, expected: DiskState | None) -> DiskState | None:
    """The file's state now when it differs from ``expected`` (someone saved over it); None when it
    is unchanged, when nothing was expected, or when the file is gone (nothing of theirs to lose)."""
    if expected is None:
        return None
    now = DiskState.of(path)
    if now is None or expected.same_file(now):
        return None
    return now


def copy_name(path: Path) -> Path:
    """Where “save as a copy” suggests: ``name（副本）.govreport`` beside the original."""
    stem = path.stem
    while len(stem) > 1 and not fits(f"{stem}（副本）{path.suffix}"):
        stem = stem[:-1]
    return path.with_name(f"{stem}（副本）{path.suffix}")
