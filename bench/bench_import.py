"""Benchmark: importing a full real report from DOCX (goal under 0.3 s). .venv/bin/python bench/bench_import.py"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from govreport_gui.readers.docx_import import import_docx

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def main() -> None:
    for name in ("sample-2025-word-template.docx", "sample-2025-website-libreoffice.docx",
                 "sample-2025-fullwidth-blanks.docx"):
        runs = []
        for _ in range(20):
            t = time.perf_counter()
            import_docx(DATA / name)
            runs.append(time.perf_counter() - t)
        print(f"import {name:40s} median {statistics.median(runs) * 1e3:6.1f} ms")
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "govreport_gui.cli", "import", str(DATA / "sample-2025-word-template.docx"),
                    "-o", "/tmp/bench-import.govreport"], check=True, capture_output=True)
    print(f"`govreport import` as a new process (interpreter start included): {(time.perf_counter() - t) * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
