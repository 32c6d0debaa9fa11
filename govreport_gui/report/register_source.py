"""Where 表三/表四 came from when they were counted from a register (依申请公开台账).

The report keeps only what ties a figure to the register without personal data: the register file's
name, its SHA-256, the import time and report year, and for each counted cell the 编号 of the
applications that make it up. Applicant names and request contents are never stored.

Saved in the ``.govreport`` file as the top-level ``"register"`` object, versioned on its own
(``"version": 1``) so that the file format's version does not change; keys this version does not
know are kept and written back untouched.
"""

from __future__ import annotations

VERSION = 1
_KNOWN = ("version", "file", "sha256", "imported_at", "year", "cells")


class RegisterSource:
    """``cells``: cell key → 编号 of its applications; only the six applicant columns of 表三 (the
    总计 column is their union) and 表四's parts, and only cells with at least one application.
    ``extra``: keys of a newer version, kept as read. (A plain class: a dataclass compiles its
    generated methods at every start.)"""

    __slots__ = ("file", "sha256", "imported_at", "year", "cells", "version", "extra")
    file: str
    sha256: str
    imported_at: str  # ISO 8601 with time zone
    year: int | None
    cells: dict[str, list[str]]
    version: int
    extra: dict[str, object]

    def __init__(self, file: str, sha256: str, imported_at: str, year: int | None,
                 cells: dict[str, list[str]] | None = None, version: int = VERSION,
                 extra: dict[str, object] | None = None) -> None:
        self.file = file
        self.sha256 = sha256
        self.imported_at = imported_at
        self.year = year
        self.cells = {} if cells is None else cells
        self.version = version
        self.extra = {} if extra is None else extra

    def _key(self) -> tuple:
        return self.file, self.sha256, self.imported_at, self.year, self.cells, self.version, self.extra

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._key() == other._key()  # type: ignore[attr-defined]
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return (f"RegisterSource(file={self.file!r}, sha256={self.sha256!r}, imported_at={self.imported_at!r}, "
                f"year={self.year!r}, cells={self.cells!r}, version={self.version!r}, extra={self.extra!r})")

    def ids(self, key: str) -> list[str]:
        """The 编号 behind a cell; for a 总计 column cell the union of its row's applicant cells."""
        if key.endswith(".total") and key.startswith("t3."):
            row = key[: -len(".total")]
            return [i for k, ids in self.cells.items() if k.rsplit(".", 1)[0] == row for i in ids]
        return list(self.cells.get(key, []))

    def covers(self, key: str) -> bool:
        """Whether the 编号 of ``key`` are known: 表三 except its （七）总计 row, and 表四's parts when
        表四 came from a case list."""
        if key.startswith("t3."):
            return ".result.total." not in key
        return (key.startswith("t4.") and not key.endswith(".total")
                and any(k.startswith("t4.") for k in self.cells))

    def to_json(self) -> dict:
        data: dict = {"version": self.version, "file": self.file, "sha256": self.sha256,
                      "imported_at": self.imported_at, "year": self.year,
                      "cells": {k: list(v) for k, v in sorted(self.cells.items())}}
        data.update(self.extra)
        return data

    @classmethod
    def from_json(cls, raw: object) -> RegisterSource | None:
        """The saved object, or None when absent or not an object (a damaged field is dropped,
        never the report)."""
        if not isinstance(raw, dict):
            return None
        cells_raw = raw.get("cells")
        cells = {
            str(k): [str(i) for i in v]
            for k, v in (cells_raw.items() if isinstance(cells_raw, dict) else ())
            if isinstance(v, list)
        }
        version = raw.get("version")
        year = raw.get("year")
        return cls(
            file=str(raw.get("file") or ""),
            sha256=str(raw.get("sha256") or ""),
            imported_at=str(raw.get("imported_at") or ""),
            year=year if isinstance(year, int) and not isinstance(year, bool) else None,
            cells=cells,
            version=version if isinstance(version, int) and not isinstance(version, bool) else VERSION,
            extra={k: v for k, v in raw.items() if k not in _KNOWN},
        )
