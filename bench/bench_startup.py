"""Cold start and memory of the first window (issue 12 item 14), offscreen:

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_startup.py [runs]

Each run is a fresh interpreter: a bare PySide6 ``QMainWindow`` shown, against ``govreport-gui``'s
``build_window`` with the sample report shown; both print their in-process time and peak RSS.
Goals: wall time ≤ 1.5× and peak memory ≤ 1.3× the bare window's.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "sample-2025.govreport"

TAIL = """
import resource
print(time.perf_counter() - t)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
BARE = """
import time; t = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([]); w = QMainWindow(); w.resize(1200, 860); w.show(); app.processEvents()
""" + TAIL
FLOOR = "import runpy, time; t = time.perf_counter(); runpy.run_path(" + repr(str(ROOT / "bench" / "floor_window.py")) + ")" + TAIL
OURS = f"""
import time; t = time.perf_counter()
from govreport_gui.app import build_window
from PySide6.QtWidgets import QApplication
w = build_window({str(SAMPLE)!r}); w.show(); QApplication.processEvents()
""" + TAIL


def cold(code: str, runs: int) -> tuple[float, float, float, float]:
    """Medians over ``runs`` fresh processes: wall s, in-process s, CPU s (user + system, the
    measure that holds on a shared, busy machine) and peak RSS MiB."""
    wall, inner, cpu, rss = [], [], [], []
    home = tempfile.mkdtemp()
    env = {**os.environ, "GOVREPORT_HOME": home, "XDG_CONFIG_HOME": home}
    # an installed copy runs from bytecode (pip and PyInstaller compile it): let the warm-up write it
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, check=True)
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        wall.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        lines = out.stdout.strip().splitlines()
        inner.append(float(lines[-2]))
        rss.append(float(lines[-1]))
    return statistics.median(wall), statistics.median(inner), statistics.median(cpu), statistics.median(rss)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    results = {}
    for _ in range(2):  # interleave, so a busy moment on the shared machine hits both
        for name, code in (("bare", BARE), ("floor", FLOOR), ("ours", OURS)):
            results.setdefault(name, []).append(cold(code, runs))
    best = {n: min(results[n]) for n in results}
    row = "{:<22} wall {:5.0f} ms  in-process {:5.0f} ms  CPU {:5.0f} ms  peak RSS {:5.1f} MiB"
    labels = {"bare": "bare QMainWindow", "floor": "floor: same Qt widgets", "ours": "GovReport + sample"}
    for name, (wall, inner, cpu, rss) in best.items():
        print(row.format(labels[name], wall * 1e3, inner * 1e3, cpu * 1e3, rss))
    bw, bi, bc, bm = best["bare"]
    for name in ("floor", "ours"):
        w, i, c, m = best[name]
        print(f"{labels[name] + ' / bare':<34} wall {w / bw:4.2f}×  in-process {i / bi:4.2f}×  CPU {c / bc:4.2f}×  "
              f"peak RSS {m / bm:4.2f}×")


if __name__ == "__main__":
    main()
