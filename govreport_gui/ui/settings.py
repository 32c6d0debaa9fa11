"""Settings declared once (name, type, default); tests point QSettings at a temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ORG = APP = "GovReport"
MAX_RECENT = 8

DECLARED: dict[str, tuple[type, object]] = {
    "recent_files": (list, []),
    "window/geometry": (QByteArray, QByteArray()),
    "window/state": (QByteArray, QByteArray()),
    "autofill/t2": (bool, False),
    "autofill/t3": (bool, True),
    "autofill/t4": (bool, True),
    "last_folder": (str, ""),  # before folders/<kind>: still read as their fallback
    "folders/report": (str, ""),
    "folders/export": (str, ""),
    "folders/register": (str, ""),
    "folders/rollup": (str, ""),
}


def store() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORG, APP)


def get(name: str):  # type: ignore[no-untyped-def]
    kind, default = DECLARED[name]
    s = store()
    if not s.contains(name):
        return default
    value = s.value(name)
    if kind is bool:
        return value in (True, "true", "1", 1)
    if kind is list:
        if value is None:
            return []
        return [str(v) for v in (value if isinstance(value, list) else [value])]
    return value if isinstance(value, kind) else default


def put(name: str, value: object) -> None:
    if name not in DECLARED:
        raise KeyError(name)
    store().setValue(name, value)


def add_recent(path: str) -> list[str]:
    files = [f for f in get("recent_files") if f != path]
    files.insert(0, path)
    put("recent_files", files[:MAX_RECENT])
    return files[:MAX_RECENT]


def data_dir() -> Path:
    """Where recovery files live. ``GOVREPORT_HOME`` overrides (tests, portable installs)."""
    override = os.environ.get("GOVREPORT_HOME")
    if not override:
        from PySide6.QtCore import QStandardPaths  # (its class and enums: on first use, not at start)
    base = Path(override) if override else Path(
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation) or Path.home() / ".govreport"
    )
    base.mkdir(parents=True, exist_ok=True)
    return base
