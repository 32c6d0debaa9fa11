"""Cold start and memory of the first window (issue 12 item 14, issue 19 item 2), offscreen:

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_startup.py [runs] [--before DIR]

Each run is a fresh interpreter (bytecode compiled beforehand, as an installed copy has it): a bare
PySide6 ``QMainWindow``; the **floor** (``floor_window.py``: the same Qt widgets as our first window,
Chinese text, none of our code); and GovReport with the sample report, started as ``govreport-gui
FILE`` starts it (``app.build_window(..., staged=True)``). The kinds alternate run by run, so a busy
moment on the shared machine hits all of them. Two moments are timed in each process:

- **painted**: the window is shown and its first paint is done (events are processed until Qt
  reports the window exposed: the paint runs inside that expose);
- **idle**: then everything queued has run (the event loop has nothing left to do): for GovReport
  that includes the work its start leaves until after the first paint (the checks and their marks,
  the file lock, remembering the file).

Wall and CPU time (``time.process_time``: the whole process, interpreter start included) and peak
RSS at each moment; CPU is the figure that holds on a shared, busy machine.

Goals (issue 19): ≤ 1.15× the floor's time, ≤ 1.1× the floor's peak memory.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "sample-2025.govreport"

HEAD = "import time; t = time.perf_counter()\n"
TAIL = """
import os, resource, sys
from PySide6.QtCore import QAbstractEventDispatcher, QEventLoop
from PySide6.QtWidgets import QApplication
def moment():
    return (time.perf_counter() - t, time.process_time(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
handle = None
while handle is None or not handle.isExposed():  # the first paint runs inside the expose
    QApplication.processEvents()
    handle = w.windowHandle()
painted = moment()
_d = QAbstractEventDispatcher.instance()
while _d.processEvents(QEventLoop.ProcessEventsFlag.AllEvents):
    pass
print(*painted, *moment())
sys.stdout.flush()
os._exit(0)  # the clock is about start-up: tearing the interpreter down is not (ours has more to free)
"""
BARE = HEAD + """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([]); w = QMainWindow(); w.resize(1200, 860); w.show()
""" + TAIL
FLOOR = HEAD + "import runpy; w = runpy.run_path(" + repr(str(ROOT / "bench" / "floor_window.py")) + ")['w']\n" + TAIL
OURS = HEAD + """
from govreport_gui.app import build_window
try:
    w = build_window(REPORT, staged=True)  # as govreport-gui FILE starts
except TypeError:  # a checkout from before the staged start
    w = build_window(REPORT)
w.resize(1200, 860); w.show()  # the floor's size
""" + TAIL
LABELS = {"bare": "bare QMainWindow", "floor": "floor: same Qt widgets", "ours": "GovReport + sample",
          "before": "before: GovReport + sample"}
FIELDS = ("painted wall", "painted CPU", "painted RSS", "idle wall", "idle CPU", "idle RSS")


def run_once(code: str, env: dict[str, str], cwd: str) -> tuple[float, ...]:
    """One fresh process: the six figures of :data:`FIELDS` (seconds, MiB)."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True, cwd=cwd)
    return tuple(float(x) for x in out.stdout.split()[-6:])


def main() -> None:
    """``bench_startup.py [runs] [--before DIR]``: DIR, another checkout (e.g. ``git archive`` of the
    commit before a change), is timed in the same interleaved runs as "before"."""
    args = sys.argv[1:]
    before = None
    if "--before" in args:
        i = args.index("--before")
        before = args[i + 1]
        del args[i:i + 2]
    runs = int(args[0]) if args else 15
    home = tempfile.mkdtemp()
    env = {**os.environ, "GOVREPORT_HOME": home, "XDG_CONFIG_HOME": home}
    # an installed copy runs from bytecode (pip and PyInstaller compile it): let the warm-up write it
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    kinds = {"bare": BARE, "floor": FLOOR}
    where = {"bare": str(ROOT), "floor": str(ROOT), "ours": str(ROOT)}  # `python -c` imports govreport_gui from its cwd
    if before:
        where["before"] = before
    for name in where:
        if name in ("ours", "before"):
            # each its own copy: the window locks the report it opens (~$name), and os._exit leaves the lock
            report = Path(home) / name / SAMPLE.name
            report.parent.mkdir()
            shutil.copy(SAMPLE, report)
            kinds[name] = OURS.replace("REPORT", repr(str(report)))
    for name, code in kinds.items():
        subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, check=True, cwd=where[name])
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {runs} runs each")
    results: dict[str, list[tuple[float, ...]]] = {k: [] for k in kinds}
    for _ in range(runs):  # interleaved run by run
        for name, code in kinds.items():
            for lock in Path(home).glob("*/~$*"):
                lock.unlink()  # left by the previous run's os._exit
            results[name].append(run_once(code, env, where[name]))
    med = {n: [statistics.median(r[i] for r in rs) for i in range(6)] for n, rs in results.items()}
    print(f"{'median of ' + str(runs):<27}" + "".join(f"{f:>14}" for f in FIELDS))
    for name, m in med.items():
        print(f"{LABELS[name]:<27}" + "".join(f"{v * 1e3:11.0f} ms" if i % 3 < 2 else f"{v:10.1f} MiB"
                                              for i, v in enumerate(m)))
    for base in ("bare", "floor"):
        for name in [n for n in ("floor", "before", "ours") if n != base and n in med]:
            print(f"{LABELS[name] + ' ÷ ' + base:<27}" + "".join(f"{v / b:13.2f}×" for v, b in zip(med[name], med[base])))
    # the ratio run by run (neighbouring runs share the machine's load): its median and spread
    for i, what in ((1, "painted CPU"), (4, "idle CPU"), (0, "painted wall"), (3, "idle wall")):
        per_run = sorted(o[i] / f[i] for o, f in zip(results["ours"], results["floor"]))
        print(f"ours ÷ floor {what} run by run: median {statistics.median(per_run):.2f}×, "
              f"quartiles {per_run[len(per_run) // 4]:.2f}–{per_run[3 * len(per_run) // 4]:.2f}×")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
