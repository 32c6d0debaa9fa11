"""Benchmark: roll-up with statuses of generated unit files (goal: ≤ 5 s for 1,000, linear).

.venv/bin/python bench/bench_rollup.py [N ...]   (default 1000 10000; files in a temp folder)
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from govreport_gui.readers.rollup_sources import load_units
from govreport_gui.report import native
from govreport_gui.report.aggregate import sum_cells
from govreport_gui.report.rollup import roll_up

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def generate(folder: Path, n: int) -> None:
    """``n`` units: the sample under another agency with counts shuffled a little (still balanced
    rows are not needed: statuses are part of what is measured), 1 in 20 with an error."""
    base = native.load(DATA / "sample-2025.govreport")
    rng = random.Random(1)
    for i in range(n):
        r = native.from_dict(native.to_dict(base))
        r.meta.agency = f"示例区第{i:05d}号单位"
        r.cells["t2.licensing.decisions"] = rng.randrange(5000)
        if i % 20 == 0:
            r.cells["t4.review.total"] = 999
        sub = folder / f"街道{i % 25:02d}"
        sub.mkdir(exist_ok=True)
        (sub / f"{i:05d}.govreport").write_text(native.dumps(r), encoding="utf-8")


def main(sizes: list[int]) -> None:
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            generate(folder, n)
            t, cpu = time.perf_counter(), time.process_time()
            units = load_units([folder])
            read = time.perf_counter() - t
            result = roll_up(units, agency="示例区")
            total, cpu = time.perf_counter() - t, time.process_time() - cpu  # CPU: the machine is shared
            assert result.total is not None and len(result.summed) == n
            t = time.perf_counter()
            sum_cells([(str(i), native.load(p)) for i, p in enumerate(sorted(folder.rglob("*.govreport")))])
            old = time.perf_counter() - t
            line = (f"{n:6d} files: read+check {read:6.2f} s, roll-up with statuses {total:6.2f} s "
                    f"({total / n * 1e3:.2f} ms/file; CPU {cpu:6.2f} s = {cpu / n * 1e3:.2f} ms/file); load + sum without statuses {old:6.2f} s")
            if n <= 2000:
                from govreport_gui.export.rollup_xlsx import write_rollup_xlsx

                t = time.perf_counter()
                write_rollup_xlsx(result, folder / "汇总.xlsx")
                line += f"; 汇总 workbook {time.perf_counter() - t:5.2f} s"
            print(line, flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])
