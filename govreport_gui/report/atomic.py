"""Writing a file so that a crash leaves the old or the new one, never half — and so that the file
stays what it was: its mode, its group (and owner where the system allows), the link it was
reached through, and its read-only mark.

Qt-free; every writer (the report file, DOCX/XLSX/HTML/PDF exports, recovery files) goes through
:func:`atomic_write`.
"""

from __future__ import annotations

import os
import shutil
import stat
import time
from pathlib import Path

STALE_TMP_SECONDS = 300  # a temp file this old is left by a killed save (a live save takes ms)
NAME_MAX = 255  # bytes of one file name (ext4, XFS, btrfs; NTFS counts 255 UTF-16 units)
TMP_PREFIX = ".~gr-"  # short: a 255-byte report name must still get a temp file beside it


class ReadOnlyFile(PermissionError):
    """The file is marked read-only (no write permission for anyone, or not for us): like Word, we
    do not replace it, even where the folder would let us."""


def fits(name: str) -> bool:
    return len(os.fsencode(name)) <= NAME_MAX


def fitted(name: str, suffix: str) -> str:
    """``name + suffix``, or when that is longer than a file name may be, ``name`` cut (from the
    end of its stem) so that it fits: ``.bak`` of a 252-byte name."""
    if fits(name + suffix):
        return name + suffix
    stem, dot, ext = name.rpartition(".")
    stem, ext = (stem, dot + ext) if dot else (name, "")
    while stem and not fits(stem + ext + suffix):
        stem = stem[:-1]
    return stem + ext + suffix if stem else (ext + suffix)


def backup_path(target: Path) -> Path:
    """Where the previous version of ``target`` is kept: ``target.bak`` (cut to fit a long name)."""
    return target.with_name(fitted(target.name, ".bak"))


def is_read_only(path: Path, st: os.stat_result | None = None) -> bool:
    """Whether the file is marked read-only: no write bit at all (root may write anything, yet a
    0444 file is a "do not change" in every office), or none that lets this user write it."""
    try:
        st = st or os.stat(path)
    except OSError:
        return False
    if os.name == "nt":
        return not st.st_mode & stat.S_IWRITE
    if not st.st_mode & 0o222:
        return True
    return not os.access(path, os.W_OK)


def _umask() -> int:
    try:  # Linux ≥ 4.7 tells it without changing it (os.umask would, racing other threads)
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_folder(folder: Path) -> None:
    try:  # make renames durable (POSIX); Windows has no directory fds
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def _temp(folder: Path) -> tuple[int, Path]:
    """A new, empty temp file in ``folder`` with a short name (O_EXCL: never someone else's)."""
    for _ in range(100):
        path = folder / f"{TMP_PREFIX}{os.getpid()}-{os.urandom(4).hex()}.tmp"
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        except FileExistsError:
            continue
        return fd, path
    raise FileExistsError(f"{folder}: no temp name free")


def _keep_owner(fd: int, existing: os.stat_result) -> None:
    """The new file keeps the old one's group (a colleague's file in a group folder stays the
    group's) and, for an administrator, its owner; where the system refuses, it stays ours."""
    if not hasattr(os, "fchown"):
        return
    for uid in (existing.st_uid, -1):
        try:
            os.fchown(fd, uid, existing.st_gid)
            return
        except OSError:
            continue


def _backup(target: Path) -> None:
    """The backup becomes the current file, atomically: a hard link to it (no bytes written, so a
    full disk cannot spoil it), or where links are not supported a fsynced copy renamed in place."""
    bak = backup_path(target)
    try:
        if os.path.samefile(target, bak):  # a save killed after its backup: rename(2) would do nothing
            return
    except OSError:
        pass
    fd, tmp = _temp(target.parent)
    os.close(fd)
    try:
        tmp.unlink()
        try:
            os.link(target, tmp)
        except OSError:  # FAT, some network shares
            shutil.copy2(target, tmp)
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp, bak)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def clean_stale_temps(target: Path) -> None:
    """Remove temp files left in ``target``'s folder by saves that were killed (older than a few
    minutes), of this naming and of the one before it (``.NAME.xxxxxxxx.tmp``)."""
    cutoff = time.time() - STALE_TMP_SECONDS
    try:
        for pattern in (f"{TMP_PREFIX}*.tmp", f".{target.name}.*.tmp"):
            for tmp in target.parent.glob(pattern):
                try:
                    if tmp.lstat().st_mtime < cutoff:
                        tmp.unlink()
                except OSError:
                    pass
    except OSError:
        pass


def real_target(path: str | os.PathLike[str]) -> Path:
    """The file a save really writes: a symbolic link's target (the link stays a link)."""
    target = Path(path)
    if not str(target.parent):
        target = Path(".") / target
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    return target


def atomic_write(path: str | os.PathLike[str], data: bytes, backup: bool = True) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old or the new file, never half.

    Temp file in the same folder + fsync + ``os.replace``; with ``backup`` the previous file
    becomes its backup first (see :func:`_backup`). An existing file keeps its permissions and group
    (its owner too where allowed); a new one gets the umask's mode (mkstemp alone would make every
    file 0600). A symbolic link's target is written, not the link replaced. A read-only file raises
    :class:`ReadOnlyFile` and stays as it is.
    """
    target = real_target(path)
    try:
        existing: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        existing = None
    if existing is not None and stat.S_ISREG(existing.st_mode) and is_read_only(target, existing):
        raise ReadOnlyFile(13, "只读文件", str(target))
    mode = stat.S_IMODE(existing.st_mode) if existing else 0o666 & ~_umask()
    fd, tmp = _temp(target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if existing is not None:
                _keep_owner(fh.fileno(), existing)
            if hasattr(os, "fchmod"):
                os.fchmod(fh.fileno(), mode)  # after chown, which may clear set-id bits
            os.fsync(fh.fileno())
        if backup and existing is not None and stat.S_ISREG(existing.st_mode):
            _backup(target)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_folder(target.parent)
    clean_stale_temps(target)
