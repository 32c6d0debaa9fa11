"""Benchmarks of the window (run offscreen): QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_gui.py

1. all rules after one edit;
2. keystroke → repainted grid and findings (goal < 16 ms, one frame);
3. cold start to a shown window with a report open, against a bare PySide6 QMainWindow measured
   in the same run (goal ≤ 1.5×).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "sample-2025.govreport"

BARE = """
import time; t = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([]); w = QMainWindow(); w.resize(1200, 860); w.show(); app.processEvents()
print(time.perf_counter() - t)
"""
OURS = f"""
import time; t = time.perf_counter()
from govreport_gui.app import build_window
from PySide6.QtWidgets import QApplication
w = build_window({str(SAMPLE)!r}); w.show(); QApplication.processEvents()
print(time.perf_counter() - t)
import sys; print(sorted(m for m in ("docx", "openpyxl") if m in sys.modules), file=sys.stderr)
w.deleteLater(); QApplication.sendPostedEvents(None, 52)
"""


def cold(code: str, runs: int = 7) -> tuple[float, float]:
    """(median seconds inside the process, median wall seconds including interpreter start)."""
    inner, wall = [], []
    env = {**os.environ, "GOVREPORT_HOME": tempfile.mkdtemp()}
    for _ in range(runs):
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        wall.append(time.perf_counter() - t)
        inner.append(float(out.stdout.strip().splitlines()[0]))
    return statistics.median(inner), statistics.median(wall)


def keystroke(runs: int = 300) -> tuple[float, float, float]:
    os.environ["GOVREPORT_HOME"] = tempfile.mkdtemp()
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from govreport_gui.app import build_window
    from govreport_gui.report.rules import check

    w = build_window(SAMPLE)
    w.show()
    w.show_table("t3")
    QApplication.processEvents()
    view = w.views["t3"]
    model = view.model()
    idx = model.index_for_key("t3.new.natural_person")
    rules, frames = [], []
    for i in range(runs):
        t = time.perf_counter()
        check(w.session.report)
        rules.append(time.perf_counter() - t)
        t = time.perf_counter()
        model.setData(idx, str(57 + i % 2))  # alternates: a finding appears, then disappears
        view.viewport().repaint()
        w.findings_view.viewport().repaint()
        w.counts_label.repaint()
        frames.append(time.perf_counter() - t)
    w.session.stack.setClean()
    w.close()
    w.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return statistics.median(rules) * 1e3, statistics.median(frames) * 1e3, sorted(frames)[int(runs * 0.99)] * 1e3


def main() -> None:
    bare_in, bare_wall = cold(BARE)
    ours_in, ours_wall = cold(OURS)
    print(f"cold start bare QMainWindow   in-process {bare_in * 1e3:6.0f} ms   wall {bare_wall * 1e3:6.0f} ms")
    print(f"cold start GovReport + report in-process {ours_in * 1e3:6.0f} ms   wall {ours_wall * 1e3:6.0f} ms")
    print(f"ratio (wall) {ours_wall / bare_wall:.2f}×   (in-process) {ours_in / bare_in:.2f}×")
    rules, median, p99 = keystroke()
    print(f"all rules after one edit: median {rules:.3f} ms")
    print(f"keystroke → repainted grid + findings: median {median:.2f} ms, p99 {p99:.2f} ms")


if __name__ == "__main__":
    main()
