"""Benchmark: a register of 100,000 rows read and counted (goal ≤ 1 s, issues 19 and 22).

    .venv/bin/python bench/bench_register.py [--before TREE] [--runs N] [--files DIR] [--only xlsx]

The rows come from the test generator (every date shape, synonyms, carry-in/out), written as
openpyxl writes them, then opened and saved by LibreOffice as .xlsx (shared strings, as Excel and
WPS save it), .xls (two sheets of 65,000 and 35,000 rows: a sheet of .xls holds at most 65,536) and
.ods; and as UTF-8 .csv. Each read + count runs in a fresh process (per-text caches cold, as the
clerk's), its CPU time and wall time measured inside; the counts are checked against the
generator's tally. ``--before TREE`` times another checkout (e.g. ``git worktree``/``git archive``
of the commit before) on the same files in the same run, the two trees' runs alternating, for
before/after ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.readers.register_builders import HEADER, generate, write_csv, write_xlsx  # noqa: E402  (the same rows)

ROWS = 100_000

_CHILD = """
import gc, json, sys, time
sys.path.insert(0, {root!r})
from govreport_gui.readers.register import read_register
from govreport_gui.report.register_count import count
gc.collect()
t, c = time.perf_counter(), time.process_time()
register = read_register({path!r})
t1, c1 = time.perf_counter(), time.process_time()
result = count(register, 2025)
t2, c2 = time.perf_counter(), time.process_time()
print(json.dumps({{"read": t1 - t, "count": t2 - t1, "cpu": c2 - c, "cells": result.cells,
                  "problems": len(register.problems)}}))
"""


def _two_sheets(path: Path, rows: list[tuple]) -> Path:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for title, part in (("2025年上", rows[:65_000]), ("2025年下", rows[65_000:])):
        ws = wb.create_sheet(title)
        ws.append(list(HEADER))
        for row in part:
            ws.append(list(row))
    wb.save(path)
    return path


def _libreoffice(src: Path, kind: str) -> Path | None:
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    out = src.parent / kind
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{src.parent}/lo-profile",
                    "--convert-to", kind, "--outdir", str(out), str(src)], check=True, capture_output=True)
    return out / f"{src.stem}.{kind}"


def _run(root: Path, path: Path) -> dict:
    code = _CHILD.format(root=str(root), path=str(path))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", type=Path, help="another checkout to time on the same files")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", help="only the registers whose label holds this text (e.g. xlsx)")
    parser.add_argument("--files", type=Path, help="keep the registers in this folder and reuse them next time "
                                                     "(LibreOffice takes minutes to save 100,000 rows on a busy machine)")
    args = parser.parse_args()
    rows, expected = generate(2025, ROWS)
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores shared with other sessions)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.files or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        if not (folder / "register.csv").exists():
            xlsx = write_xlsx(folder / "register.xlsx", rows)
            two = _two_sheets(folder / "register2.xlsx", rows)
            _libreoffice(xlsx, "xlsx"), _libreoffice(two, "xls"), _libreoffice(xlsx, "ods")
            csv_rows = [tuple(v.isoformat() if isinstance(v, dt.date) else v for v in r) for r in rows]
            write_csv(folder / "register.csv", csv_rows)
        found = [folder / "xlsx" / "register.xlsx", folder / "register.xlsx", folder / "xls" / "register2.xls",
                 folder / "ods" / "register.ods", folder / "register.csv"]
        labels = ["xlsx, as LibreOffice/Excel/WPS save it (shared strings)", "xlsx, openpyxl write-only (inline strings)",
                  "xls, LibreOffice (2 sheets: 65,000 + 35,000 rows)", "ods, LibreOffice", "csv, UTF-8"]
        files = [(label, path if path.exists() else None) for label, path in zip(labels, found)]
        print(f"(the {ROWS:,}-row registers: {time.perf_counter() - t:.0f} s)")
        trees = [("after", ROOT)] + ([("before", args.before)] if args.before else [])
        for label, path in files:
            if path is None or (args.only and args.only not in label):
                continue
            size = path.stat().st_size / 1e6
            # the trees' runs alternate (after, before, before, after, …): a change in the machine's
            # load during the runs weighs on both alike
            runs: dict[str, list[dict]] = {tree: [] for tree, _ in trees}
            for i in range(args.runs):
                for tree, root in (trees if i % 2 == 0 else trees[::-1]):
                    if runs[tree] and "error" in runs[tree][0]:
                        continue
                    try:
                        runs[tree].append(_run(root, path))
                    except subprocess.CalledProcessError as e:
                        runs[tree] = [{"error": e.stderr.strip().splitlines()[-1]}]
            for tree, _ in trees:
                if "error" in runs[tree][0]:
                    print(f"{label:52s} {tree:6s} {runs[tree][0]['error'][:90]}")
                    continue
                for r in runs[tree]:
                    assert all(r["cells"][k] == expected.get(k, 0) for k in r["cells"]), (label, tree, "counts differ")
                cpu = [r["cpu"] for r in runs[tree]]
                wall = [r["read"] + r["count"] for r in runs[tree]]
                print(f"{label:52s} {tree:6s} {size:5.1f} MB  CPU {statistics.median(cpu):5.2f} s (best {min(cpu):.2f})  "
                      f"wall {statistics.median(wall):5.2f} s  count {statistics.median(r['count'] for r in runs[tree]) * 1e3:4.0f} ms")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
