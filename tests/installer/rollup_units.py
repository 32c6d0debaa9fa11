"""A folder of unit reports for the installed builds' roll-up tests (the Linux package, wine)."""

from __future__ import annotations

from pathlib import Path

from govreport_gui.readers.rollup_sources import PARALLEL_FROM
from govreport_gui.report import native

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "data" / "sample-2025.govreport"
# > 2 × PARALLEL_FROM (the window starts processes from there) and 25+ chunks of 64: the first worker
# cannot read them all before the second has started, even under wine
FILES = max(2 * PARALLEL_FROM, 1600)


def write_units(folder: Path, n: int = FILES) -> Path:
    """``n`` reports: the sample under numbered agencies with one count varied, 1 in 20 with a 表四
    error (so the roll-up has units with errors to count), in 10 subfolders."""
    base = native.load(SAMPLE)
    for i in range(n):
        r = native.from_dict(native.to_dict(base))
        r.meta.agency = f"测试区第{i:05d}号单位"
        r.cells["t2.licensing.decisions"] = i % 997
        if i % 20 == 0:
            r.cells["t4.review.total"] = 999
        sub = folder / f"街道{i % 10}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:05d}.govreport").write_text(native.dumps(r), encoding="utf-8")
    return folder
