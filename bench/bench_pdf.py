"""Benchmark: the report as a PDF through the print path (layout → QTextDocument, measured, paged
by ``ui/printout/paginate.py``, painted into a QPdfWriter), as the export and the preview run it.

Run: .venv/bin/python bench/bench_pdf.py [runs]
Prints wall and CPU time (median and min over ``runs`` exports after a warm-up), the number of
Qt layouts per export, and the load average: the machine is shared, so compare CPU times and
runs made side by side.

.venv/bin/python bench/bench_pdf.py --hostile
The hostile texts of ``tests/safety/test_hostile_print.py``, each exported (report and sign-off
sheet) in its own child capped at +256 MB: seconds, peak memory growth, outcome, as a table.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QGuiApplication  # noqa: E402

from govreport_gui.report import native  # noqa: E402
from govreport_gui.ui.printout import paginate  # noqa: E402
from govreport_gui.ui.printout.printing import export_pdf  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def count_layouts() -> list[int]:
    """Count the Qt layouts of the report (one per document measured)."""
    layouts: list[int] = []
    measure = getattr(paginate, "_Measure", None)
    if measure is not None:
        original = measure.__init__

        def counted(self, *args):  # type: ignore[no-untyped-def]
            layouts.append(1)
            original(self, *args)

        measure.__init__ = counted
    return layouts


def hostile() -> None:
    sys.path.insert(0, str(DATA.parent.parent))
    from tests.safety.test_hostile_print import CASES, export_each

    print("| input | seconds | peak RSS growth (MB) | machine load × | outcome |\n|---|---|---|---|---|")
    for name, case in CASES.items():
        with tempfile.TemporaryDirectory() as tmp:
            r = export_each(Path(tmp), {name: case})
        factor = r.pop("load factor")
        (res,) = r.values()
        outcome = "printed" if res["outcome"] == "ok" else res["outcome"][:60]
        print(f"| {name} | {res['seconds']:.2f} | {res['rss_mb']:.0f} | {factor:.1f} | {outcome} |")


def main() -> None:
    if sys.argv[1:] == ["--hostile"]:
        hostile()
        return
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    app = QGuiApplication([])  # noqa: F841 (fonts need it)
    layouts = count_layouts()
    report = native.load(DATA / "sample-2025.govreport")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.pdf"
        export_pdf(report, out)  # fonts and Qt's layout warmed up
        wall, cpu = [], []
        for _ in range(runs):
            layouts.clear()
            t, c = time.perf_counter(), time.process_time()
            export_pdf(report, out)
            wall.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
    load = os.getloadavg()[0]
    print(f"PDF of the sample report ({runs} runs): wall median {statistics.median(wall) * 1e3:.0f} ms, "
          f"min {min(wall) * 1e3:.0f} ms; CPU median {statistics.median(cpu) * 1e3:.0f} ms, "
          f"min {min(cpu) * 1e3:.0f} ms; {len(layouts) or '?'} layouts; load average {load:.1f}")


if __name__ == "__main__":
    main()
