"""Where a file dialog starts: where the clerk's files are, never the folder the program started in.

In order: the folder of the open report; else the last folder used for that kind of file; else
Documents (else the home folder). Each kind remembers its own folder: registers live elsewhere than
reports, and the roll-up's units elsewhere again.
"""

from __future__ import annotations

from pathlib import Path

from . import settings

KINDS = ("report", "export", "register", "rollup")


def _usable(folder: str | Path | None) -> Path | None:
    if not folder:
        return None
    path = Path(folder)
    try:
        return path if path.is_dir() else None
    except OSError:  # a vanished share or USB stick
        return None


def documents() -> Path:
    from PySide6.QtCore import QStandardPaths  # (its class and enums: on first use, not at start)

    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return _usable(docs) or Path.home()


def start_folder(kind: str, report_path: Path | None = None) -> Path:
    """The folder a ``kind`` dialog opens in (``report_path``: the open report's file, if any)."""
    if report_path is not None and (here := _usable(report_path.parent)):
        return here
    return _usable(settings.get(f"folders/{kind}")) or _usable(settings.get("last_folder")) or documents()


def remember(kind: str, path: str | Path) -> None:
    """A file of ``kind`` was chosen at ``path`` (a file or a folder): start there next time."""
    p = Path(path)
    folder = p if _usable(p) else p.parent
    settings.put(f"folders/{kind}", str(folder))
