"""The files of a roll-up: folders searched recursively for reports, each file read into a
:class:`~govreport_gui.report.rollup.Unit` (an unreadable one keeps its Chinese reason)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from ..report.native import FileFormatError
from ..report.oserrors import os_error_text
from ..report.rollup import Unit, assess, unreadable
from .formats import open_report

SUFFIXES = (".govreport", ".docx", ".xlsx", ".html", ".htm", ".pdf")

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


def load_unit(path: Path) -> Unit:
    """One file as a checked unit, or an unreadable unit with the reason."""
    source = str(path)
    if path.is_dir():  # named, or a subfolder that could not be listed
        try:
            os.listdir(path)
        except OSError as e:
            return unreadable(source, f"无法读取文件夹“{path}”（{_why(e)}），其中的报告没有汇总")
        return unreadable(source, f"“{path}”是文件夹，其中的报告没有汇总")
    if not path.exists():
        return unreadable(source, f"找不到文件或文件夹“{path}”")
    try:
        report = open_report(path)
    except FileFormatError as e:
        return unreadable(source, str(e))
    except OSError as e:
        return unreadable(source, f"无法读取“{path.name}”：{os_error_text(e)}")
    except Exception as e:  # one odd file must not stop the roll-up of hundreds
        return unreadable(source, f"读取“{path.name}”时发生意外问题（{type(e).__name__}），请在窗口中单独打开检查")
    return assess(source, report)


def load_units(paths: Iterable[str | Path], progress: Progress | None = None,
               exclude: Iterable[str | Path] = ()) -> list[Unit]:
    """Every source file read into a unit; ``progress`` may stop the reading (files read so far)."""
    files = find_sources(paths, exclude)
    units: list[Unit] = []
    for i, path in enumerate(files):
        if progress is not None and not progress(i, len(files), path):
            break
        units.append(load_unit(path))
    if progress is not None and len(units) == len(files):
        progress(len(files), len(files), files[-1] if files else Path())
    return units
