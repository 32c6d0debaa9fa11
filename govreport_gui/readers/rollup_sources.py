"""The files of a roll-up: folders searched recursively for reports, each file read into a
:class:`~govreport_gui.report.rollup.Unit` (an unreadable one keeps its Chinese reason).

Reading and checking a unit is independent of every other, so many files are read by a pool of
processes (:class:`UnitReader`), in chunks, with a sequential fallback; the CLI waits on it and the
roll-up window polls it from its event loop (and can cancel).
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..report.aggregate import CellSums
from ..report.document import Report
from ..report.native import FileFormatError
from ..report.oserrors import os_error_text
from ..report.rollup import Unit, assess, unreadable
from ..report.schema import load_schema
from .formats import open_report

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

SUFFIXES = (".govreport", ".docx", ".xlsx", ".html", ".htm", ".pdf")
PARALLEL_FROM = 300  # files: below this starting processes costs more than it saves
# units read: then what is in memory is set aside from the cycle collector's full passes (gc.freeze)
# until all are read; each pass over 10,000 units read so far took 0.1–0.2 s. Cycles made by a
# file that failed are young and still collected by the young generations' passes.
FREEZE_EVERY = 512
CHUNK = 64  # files per task: few messages, yet progress moves and cancel stops soon

# (files done, files in all, the file being read) → False to stop
Progress = Callable[[int, int, Path], bool]


def _wanted(name: str) -> bool:
    # ~$x.docx: Word/WPS lock files; .x: hidden files (macOS ._x copies on USB sticks)
    return name.lower().endswith(SUFFIXES) and not name.startswith(("~$", "."))


def path_key(p: Path) -> str:
    return os.path.normcase(os.path.abspath(p))


def find_sources(paths: Iterable[str | Path], exclude: Iterable[str | Path] = ()) -> list[Path]:
    """Files named directly (whatever their type: reading them says what is wrong) and the report
    files in the named folders and their subfolders, in name order, each file once; ``exclude``
    (the roll-up's own output, which a second run would otherwise count as a unit) left out."""
    out: list[Path] = []
    seen: set[str] = {path_key(Path(p)) for p in exclude}

    def add(p: Path) -> None:
        key = path_key(p)
        if key not in seen:
            seen.add(key)
            out.append(p)

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = []
            # a folder that cannot be listed becomes a source of its own, read as unreadable: its
            # units must not go missing from the totals without a word (os.walk skips it silently)
            for folder, dirs, files in os.walk(p, onerror=lambda e, into=found: into.append(Path(e.filename))):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                found += [Path(folder) / f for f in files if _wanted(f)]
            for f in sorted(found, key=lambda f: [part.lower() for part in f.parts]):
                add(f)
        else:
            add(p)
    return out


def _why(e: OSError) -> str:
    return os_error_text(e)


def load_unit(path: Path, sums: CellSums | None = None) -> Unit:
    """One file as a checked unit, or an unreadable unit with the reason; a readable one is added
    to ``sums`` if given."""
    source = str(path)
    try:
        report = open_report(path)
    except FileFormatError as e:
        return _missing(path) or unreadable(source, str(e))
    except OSError as e:
        return _missing(path) or unreadable(source, f"无法读取“{path.name}”：{os_error_text(e)}")
    except Exception as e:  # one odd file must not stop the roll-up of hundreds
        return _missing(path) or unreadable(
            source, f"读取“{path.name}”时发生意外问题（{type(e).__name__}），请在窗口中单独打开检查")
    return assess(source, report, sums)


def _missing(path: Path) -> Unit | None:
    """A folder or nothing where a file was to be read, said so (asked only when reading failed:
    two look-ups a file less for a roll-up of 10,000)."""
    source = str(path)
    if path.is_dir():  # named, or a subfolder that could not be listed
        try:
            os.listdir(path)
        except OSError as e:
            return unreadable(source, f"无法读取文件夹“{path}”（{_why(e)}），其中的报告没有汇总")
        return unreadable(source, f"“{path}”是文件夹，其中的报告没有汇总")
    if not path.exists():
        return unreadable(source, f"找不到文件或文件夹“{path}”")
    return None


# --- reading in several processes -------------------------------------------------------------

def _rebuild_report(template: str, state: dict) -> Report:
    report = Report.__new__(Report)
    report.__dict__.update(state)
    report.schema = load_schema(template)
    return report


def _reduce_report(report: Report):  # type: ignore[no-untyped-def]
    """A report travels between processes without its schema (75 KB pickled, 1.8 ms a unit): the
    receiving side loads its own, cached once per process."""
    state = {k: v for k, v in vars(report).items() if k != "schema"}
    return _rebuild_report, (report.schema.template, state)


def _register_reducer() -> None:
    """For multiprocessing's pickler only, not pickle's; in the reading processes too (a spawned
    one imports this module afresh). multiprocessing is imported only when a pool is used."""
    from multiprocessing.reduction import ForkingPickler

    ForkingPickler.register(Report, _reduce_report)


class Units(list):  # list[Unit]
    """Units read, in file order, and ``sums``: the running sum of the readable ones' cells (made
    while reading, in the reading processes; ``roll_up(..., sums=units.sums)`` then only takes out
    what it leaves out). ``workers``: the other processes that read some of them (0: all were read
    in this one); ``fell_back``: a pool was asked for but could not start or broke, and the files it
    had not read were read here."""

    def __init__(self, units: Iterable[Unit] = (), sums: CellSums | None = None, workers: int = 0,
                 fell_back: bool = False) -> None:
        super().__init__(units)
        self.sums = sums if sums is not None else CellSums()
        self.workers = workers
        self.fell_back = fell_back


def _load_chunk(paths: list[str]) -> tuple[list[Unit], CellSums, int]:
    _register_reducer()
    sums = CellSums()
    return [load_unit(Path(p), sums) for p in paths], sums, os.getpid()


def cores() -> int:
    """The processor cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def default_workers(files: int) -> int:
    """Processes worth starting for ``files``: as many as there are idle cores (by the load average
    where the system keeps one: on a busy machine a second process only competes with the first),
    and 1 (read here) for a few files. (The frozen .deb's launchers call
    ``multiprocessing.freeze_support`` first, so its executables can be workers too.)"""
    if files < PARALLEL_FROM:
        return 1
    n = cores()
    try:
        idle = n - os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows keeps no load average
        idle = n
    return max(1, min(n, 8, round(idle)))


class UnitReader:
    """Files read into units by ``workers`` processes in chunks of :data:`CHUNK`, kept in file
    order. :meth:`poll` collects what has finished (non-blocking or waiting), :meth:`cancel` stops;
    with one worker, or when the pool cannot start or breaks, files are read in this process, for
    the time a poll allows (the roll-up window's event loop keeps turning)."""

    def __init__(self, files: list[Path], workers: int, context: str | None = None) -> None:
        import multiprocessing

        self.files = files
        self.units: list[Unit | None] = [None] * len(files)
        self.sums = CellSums()  # of the readable units read so far
        self.done = 0
        self._pending: dict[Future, int] = {}
        self._sequential_from: int | None = None
        self._pool: ProcessPoolExecutor | None = None
        self.worker_pids: set[int] = set()  # the processes that read the chunks collected
        self.fell_back = False  # a pool was asked for and could not be used: read here
        if workers <= 1:  # read here, a time slice per poll
            self._sequential_from = 0
            return
        try:
            from concurrent.futures import ProcessPoolExecutor

            _register_reducer()
            ctx = multiprocessing.get_context(context) if context else None
            self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx)
            for start in range(0, len(files), CHUNK):
                chunk = [str(p) for p in files[start:start + CHUNK]]
                self._pending[self._pool.submit(_load_chunk, chunk)] = start
        except (OSError, ValueError, RuntimeError, ImportError):  # no semaphores, no fork: read here
            self._fall_back()

    @property
    def finished(self) -> bool:
        return self.done == len(self.files)

    @property
    def sequential(self) -> bool:
        """Reading here (one worker, or the pool could not be used)."""
        return self._sequential_from is not None

    def _fall_back(self) -> None:
        self.fell_back = True
        for future in self._pending:
            future.cancel()
        self._pending.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        self._sequential_from = 0

    def poll(self, timeout: float | None = 0.0) -> int:
        """Collect finished chunks (waiting up to ``timeout`` s for one; None: until one is done).
        Returns the number of files now read."""
        if self._sequential_from is not None:
            return self._read_here(timeout)
        from concurrent.futures import FIRST_COMPLETED, wait

        if not self._pending:
            return self.done
        finished, _ = wait(list(self._pending), timeout=timeout, return_when=FIRST_COMPLETED)
        for future in finished:
            start = self._pending.pop(future)
            try:
                chunk, sums, pid = future.result()
            except Exception:  # noqa: BLE001 — a broken pool (a worker killed): read the rest here
                self._fall_back()
                return self._read_here(timeout)
            self.worker_pids.add(pid)
            self.units[start:start + len(chunk)] = chunk
            self.sums.merge(sums)
            self.done += len(chunk)
        if not self._pending:
            self.close(wait=True)  # the workers are idle: joining them is quick (and counts their CPU)
        return self.done

    def _read_here(self, timeout: float | None) -> int:
        import time

        end = None if timeout is None else time.monotonic() + max(timeout, 0.02)
        for i in range(len(self.files)):
            if self.units[i] is None:
                self.units[i] = load_unit(self.files[i], self.sums)
                self.done += 1
                if end is not None and time.monotonic() > end:
                    break
        return self.done

    def read(self) -> Units:
        """The units read so far, in file order, with their sums."""
        return Units((u for u in self.units if u is not None), self.sums, len(self.worker_pids - {os.getpid()}),
                     self.fell_back)

    def unread(self) -> list[Path]:
        return [p for p, u in zip(self.files, self.units) if u is None]

    def cancel(self) -> None:
        """Stop: queued chunks are dropped; a worker finishes the chunk it is in (a fraction of a
        second) and ends. Workers are not killed: one killed while it holds the task queue's lock
        would leave the pool's manager thread, and the exit of this process, waiting for ever."""
        for future in self._pending:
            future.cancel()
        self._pending.clear()
        self._sequential_from = None
        self.close()

    def close(self, wait: bool = False) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=True)


def load_units(paths: Iterable[str | Path], progress: Progress | None = None,
               exclude: Iterable[str | Path] = (), workers: int | None = None) -> Units:
    """Every source file read into a unit, in file order; ``progress`` may stop the reading (the
    files read so far are returned). ``workers``: processes (None: :func:`default_workers`)."""
    files = find_sources(paths, exclude)
    n = default_workers(len(files)) if workers is None else max(1, workers)
    try:
        if n > 1 and len(files) > CHUNK:
            return _load_parallel(files, n, progress)
        units = Units()
        for i, path in enumerate(files):
            if progress is not None and not progress(i, len(files), path):
                break
            units.append(load_unit(path, units.sums))
            if i % FREEZE_EVERY == FREEZE_EVERY - 1:
                gc.freeze()
        if progress is not None and len(units) == len(files):
            progress(len(files), len(files), files[-1] if files else Path())
        return units
    finally:
        gc.unfreeze()


def _load_parallel(files: list[Path], workers: int, progress: Progress | None) -> Units:
    reader = UnitReader(files, workers)
    try:
        while not reader.finished:
            done = reader.poll(timeout=0.5)
            gc.freeze()
            if progress is not None and not progress(done, len(files), files[min(done, len(files) - 1)]):
                break
    finally:
        reader.cancel()
    return reader.read()


ROSTER_SUFFIXES = (".txt", ".csv", ".xlsx")
MAX_ROSTER = 5000  # names: a province's units, with room
_ROSTER_HEADS = {"单位", "单位名称", "机关", "机关名称", "名称", "序号", "部门", "应报单位"}


def roster_names(lines: Iterable[Iterable[object]]) -> list[str]:
    """The agency names of a list's rows: in each row the first text that is not a number (a
    序号 column may come first) nor a header; each name once, in order."""
    out: list[str] = []
    seen: set[str] = set()
    for row in lines:
        for value in row:
            text = re.sub(r"\s+", "", str(value if value is not None else ""))[:100]
            if not text or re.fullmatch(r"[\d.、．,，]+", text):
                continue
            if text not in _ROSTER_HEADS and text not in seen:
                seen.add(text)
                out.append(text)
            break
        if len(out) >= MAX_ROSTER:
            break
    return out


def read_roster(path: str | Path) -> list[str]:
    """应报单位名单: agency names from a text file (one a line; CSV takes the first column) or an
    Excel sheet's first text column. Raises FileFormatError (Chinese) when it cannot be used."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in ROSTER_SUFFIXES:
        raise FileFormatError(f"应报单位名单“{p.name}”须为 .txt、.csv 或 .xlsx 文件（每行一个单位名称）")
    try:
        if suffix == ".xlsx":
            from .xlsx_bounds import open_workbook, rows

            wb, _ = open_workbook(p)
            names = roster_names(rows(wb.worksheets[0])) if wb.worksheets else []
        else:
            with open(p, "rb") as f:
                data = f.read(4 * 1024 * 1024 + 1)
            if len(data) > 4 * 1024 * 1024:
                raise FileFormatError(f"应报单位名单“{p.name}”太大（超过4 MB），不像单位名单")
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("gb18030", errors="replace")  # saved by Excel/WPS on a Chinese Windows
            names = roster_names(re.split(r"[,\t，]", line) for line in text.splitlines())
    except OSError as e:
        raise FileFormatError(f"无法读取应报单位名单“{p.name}”：{_why(e)}") from None
    if not names:
        raise FileFormatError(f"应报单位名单“{p.name}”中没有单位名称（每行写一个单位名称）")
    return names
