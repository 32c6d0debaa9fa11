"""Benchmark: all rules over a full report (goal: well under 1 ms). Run: .venv/bin/python bench/bench_rules.py"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from govreport_gui.report import native
from govreport_gui.report.carry import carry_forward
from govreport_gui.report.rules import check

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def timed(fn, repeat: int = 2000) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs) * 1e6, sorted(runs)[int(repeat * 0.99)] * 1e6


def main() -> None:
    sample = native.load(DATA / "sample-2025.govreport")
    faulty = native.load(DATA / "sample-2025-faulty.govreport")
    chained = carry_forward(sample)
    chained.sections = {k: list(v) for k, v in sample.sections.items()}  # worst case: x.identical compares
    for name, report in (("consistent", sample), ("faulty", faulty), ("with last year", chained)):
        med, p99 = timed(lambda r=report: check(r))
        print(f"check() {name:15s} median {med:7.1f} µs   p99 {p99:7.1f} µs")
    # after an edit, with a long 一 (≈10,000 characters, bench_gui's): a table figure changes each run
    from bench_gui import long_section_one

    long_one = native.load(DATA / "sample-2025.govreport")
    long_one.sections["s1"] = long_section_one(long_one)
    flip = [57]

    def edit_and_check() -> None:
        flip[0] = 115 - flip[0]  # 57 ↔ 58: a finding comes and goes
        long_one.cells["t3.new.natural_person"] = flip[0]
        check(long_one)

    med, p99 = timed(edit_and_check)
    print(f"check() {'long 一, edited':15s} median {med:7.1f} µs   p99 {p99:7.1f} µs")


if __name__ == "__main__":
    main()
