"""Benchmark: the report as a PDF through the print path (layout → QTextDocument, paginated by
measuring Qt's layout: one pass per page break planned). Run: .venv/bin/python bench/bench_pdf.py"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QGuiApplication  # noqa: E402

from govreport_gui.report import native  # noqa: E402
from govreport_gui.ui.printout import paginate  # noqa: E402
from govreport_gui.ui.printout.printing import export_pdf  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def main() -> None:
    app = QGuiApplication([])  # noqa: F841 (fonts need it)
    passes = []
    original = paginate._plan_next_break

    def counted(*args):  # type: ignore[no-untyped-def]
        passes.append(1)
        return original(*args)

    paginate._plan_next_break = counted
    report = native.load(DATA / "sample-2025.govreport")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.pdf"
        export_pdf(report, out)  # fonts and Qt's layout warmed up
        runs = []
        for _ in range(7):
            passes.clear()
            t = time.perf_counter()
            export_pdf(report, out)
            runs.append(time.perf_counter() - t)
    print(f"PDF of the sample report: median {statistics.median(runs) * 1e3:.0f} ms, "
          f"min {min(runs) * 1e3:.0f} ms, {len(passes)} layout passes")


if __name__ == "__main__":
    main()
