"""Cold start and memory of the first window (issue 12 item 14, issue 19 item 2), offscreen:

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_startup.py [runs]

Each run is a fresh interpreter (bytecode compiled beforehand, as an installed copy has it): a bare
PySide6 ``QMainWindow``; the **floor** (``floor_window.py``: the same Qt widgets as our first window,
Chinese text, none of our code); and ``govreport-gui``'s ``build_window`` with the sample report.
Each is shown and painted: the event loop is drained until it has nothing left to do. The three
alternate run by run, so a busy moment on the shared machine hits all of them.

Goals (issue 19): CPU and wall time ≤ 1.15× the floor's, peak memory ≤ 1.1× the floor's.
"""

from __future__ import annotations

import os
import resource
import shutil
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
from PySide6.QtCore import QAbstractEventDispatcher, QEventLoop
_d = QAbstractEventDispatcher.instance()
while _d.processEvents(QEventLoop.ProcessEventsFlag.AllEvents):
    pass
import os, resource, sys
print(time.perf_counter() - t)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
sys.stdout.flush()
os._exit(0)  # the clock is about start-up: tearing the interpreter down is not (ours has more to free)
"""
BARE = """
import time; t = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([]); w = QMainWindow(); w.resize(1200, 860); w.show(); app.processEvents()
""" + TAIL
FLOOR = "import runpy, time; t = time.perf_counter(); runpy.run_path(" + repr(str(ROOT / "bench" / "floor_window.py")) + ")" + TAIL
OURS = """
import time; t = time.perf_counter()
from govreport_gui.app import build_window
from PySide6.QtWidgets import QApplication
w = build_window(REPORT); w.resize(1200, 860); w.show(); QApplication.processEvents()  # the floor's size
""" + TAIL


def run_once(code: str, env: dict[str, str], cwd: str | None = None) -> tuple[float, float, float, float]:
    """One fresh process: wall s, in-process s, CPU s (user + system: the measure that holds on a
    shared, busy machine) and peak RSS MiB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True, cwd=cwd)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = out.stdout.strip().splitlines()
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, float(lines[-2]), cpu, float(lines[-1])


def main() -> None:
    """``bench_startup.py [runs] [--before DIR]``: DIR, another checkout (e.g. ``git worktree`` of the
    commit before a change), is timed in the same interleaved runs as "before"."""
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    runs = int(args[0]) if args else 15
    before = sys.argv[sys.argv.index("--before") + 1] if "--before" in sys.argv else None
    home = tempfile.mkdtemp()
    env = {**os.environ, "GOVREPORT_HOME": home, "XDG_CONFIG_HOME": home}
    # an installed copy runs from bytecode (pip and PyInstaller compile it): let the warm-up write it
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    # a copy: the window locks the report it opens (~$name), and an exit without clean-up leaves the lock
    report = Path(home) / SAMPLE.name
    shutil.copy(SAMPLE, report)
    ours = OURS.replace("REPORT", repr(str(report)))
    kinds = {"bare": BARE, "floor": FLOOR, "ours": ours}
    where = {name: str(ROOT) for name in kinds}  # `python -c` imports govreport_gui from its cwd first
    if before:
        kinds["before"], where["before"] = ours, before
    for name, code in kinds.items():
        subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, check=True, cwd=where[name])
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {runs} runs each")
    results: dict[str, list[tuple[float, float, float, float]]] = {k: [] for k in kinds}
    for _ in range(runs):  # interleaved run by run
        for name, code in kinds.items():
            results[name].append(run_once(code, env, where[name]))
    med = {n: tuple(statistics.median(r[i] for r in rs) for i in range(4)) for n, rs in results.items()}
    row = "{:<27} wall {:5.0f} ms  in-process {:5.0f} ms  CPU {:5.0f} ms  peak RSS {:5.1f} MiB"
    labels = {"bare": "bare QMainWindow", "floor": "floor: same Qt widgets", "ours": "GovReport + sample",
              "before": "before: GovReport + sample"}
    for name, (wall, inner, cpu, rss) in med.items():
        print(row.format(labels[name], wall * 1e3, inner * 1e3, cpu * 1e3, rss))
    for base in ("bare", "floor"):
        bw, bi, bc, bm = med[base]
        for name in [n for n in ("floor", "before", "ours") if n != base and n in med]:
            w, i, c, m = med[name]
            print(f"{labels[name] + ' / ' + base:<32} wall {w / bw:4.2f}×  in-process {i / bi:4.2f}×  CPU {c / bc:4.2f}×  "
                  f"peak RSS {m / bm:4.2f}×")
    # the ratio run by run (neighbouring runs share the machine's load): its median and spread
    per_run = sorted(o[2] / f[2] for o, f in zip(results["ours"], results["floor"]))
    print(f"ours / floor CPU run by run: median {statistics.median(per_run):.2f}×, "
          f"quartiles {per_run[len(per_run) // 4]:.2f}–{per_run[3 * len(per_run) // 4]:.2f}×")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
