"""Benchmark: a register of 100,000 rows read and counted (goal ≤ 2 s). .venv/bin/python bench/bench_register.py

Reading (.xlsx through openpyxl read-only, and .csv) and counting are timed separately; the rows come
from the test generator (every date shape, synonyms, carry-in/out), so the counts are also checked.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from govreport_gui.readers import register_vocab  # noqa: E402
from govreport_gui.readers.register import read_register  # noqa: E402
from govreport_gui.report.register_count import count, overdue  # noqa: E402
from tests.readers.register_builders import generate, write_csv, write_xlsx  # noqa: E402

ROWS = 100_000
RUNS = 3


def _cold() -> None:
    # every run starts without the per-text caches, as a fresh process would
    for f in (register_vocab._date_text, register_vocab.applicant_key, register_vocab._outcome_key):
        f.cache_clear()


def _excel_like(xlsx: Path) -> Path | None:
    """The register as an office suite saves it (shared strings, UTF-8), via LibreOffice if present."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    out = xlsx.parent / "lo"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{xlsx.parent}/lo-profile",
                    "--convert-to", "xlsx", "--outdir", str(out), str(xlsx)], check=True, capture_output=True)
    return out / xlsx.name


def main() -> None:
    rows, expected = generate(2025, ROWS)
    print(f"load average before: {os.getloadavg()[0]:.1f} (2 cores shared with other sessions)")
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        xlsx = write_xlsx(Path(tmp) / "register.xlsx", rows)
        print(f"(writing the {ROWS:,}-row test register: {time.perf_counter() - t:.1f} s, "
              f"{xlsx.stat().st_size / 1e6:.1f} MB)")
        csv_rows = [tuple(v.isoformat() if isinstance(v, dt.date) else v for v in r) for r in rows]
        csv = write_csv(Path(tmp) / "register.csv", csv_rows)
        files = [("xlsx, as LibreOffice/Excel save it (shared strings)", _excel_like(xlsx)),
                 ("xlsx, openpyxl write-only (inline strings)", xlsx), ("csv, UTF-8", csv)]
        for label, path in files:
            if path is None:
                continue
            reads, counts, cpus = [], [], []
            for _ in range(RUNS):
                _cold()
                t, c = time.perf_counter(), time.process_time()
                register = read_register(path)
                t1 = time.perf_counter()
                result = count(register, 2025)
                t2 = time.perf_counter()
                reads.append(t1 - t)
                counts.append(t2 - t1)
                cpus.append(time.process_time() - c)
            assert all(result.cells[k] == expected.get(k, 0) for k in result.cells), "counts differ"
            r, k = statistics.median(reads), statistics.median(counts)
            print(f"{label:52s} read {r:5.2f} s  count {k * 1e3:4.0f} ms  total wall {r + k:5.2f} s  "
                  f"CPU {statistics.median(cpus):5.2f} s (best {min(cpus):.2f})")
        t = time.perf_counter()
        late = overdue(register, 2025)
        print(f"deadlines of {ROWS:,} rows: {time.perf_counter() - t:.2f} s ({len(late):,} late or open past due)")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
