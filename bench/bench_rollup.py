"""Benchmark: roll-up of generated unit files (goal, issue 19: 10,000 files ≤ 5 s, linear).

    .venv/bin/python bench/bench_rollup.py [N ...]            (default 1000 10000)
    .venv/bin/python bench/bench_rollup.py --tree DIR [N ...]  also time another checkout's command
    .venv/bin/python bench/bench_rollup.py --window [N ...]    the roll-up window (offscreen)

For each N: the files are generated once into a cache folder (``GOVREPORT_BENCH_DIR``, default
/tmp/govreport-bench-rollup). Then, in this run, side by side:
- the core path in this process (find, read and check every unit, roll up): 1 process, and the
  process pool (``workers`` = the cores this process may use);
- the whole command a clerk waits for, ``govreport aggregate DIR -o sum.govreport`` (start-up,
  table, saving), with ``--jobs 1``, one process per core, and the default (as many as the load
  average leaves idle), and with ``--tree`` the same command of
  another checkout (e.g. the code before a change: ``git archive COMMIT govreport_gui | tar -x``).
Wall and CPU are printed (CPU of the command and its worker processes together), with the
machine's load: the machine is shared, so ratios measured in one run count, not absolute walls.
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from govreport_gui.readers.rollup_sources import cores, load_units
from govreport_gui.report import native
from govreport_gui.report.rollup import roll_up

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
CACHE = Path(os.environ.get("GOVREPORT_BENCH_DIR", Path(tempfile.gettempdir()) / "govreport-bench-rollup"))


def generate(folder: Path, n: int) -> None:
    """``n`` units: the sample under another agency with one count varied, 1 in 20 with a 表四
    error (statuses are part of what is measured), in 25 subfolders."""
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


def folder_of(n: int) -> Path:
    folder = CACHE / str(n)
    done = folder / ".complete"
    if not done.exists():
        folder.mkdir(parents=True, exist_ok=True)
        generate(folder, n)
        done.write_text("ok")
    return folder


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def core(folder: Path, n: int, workers: int) -> tuple[float, float]:
    """(wall, CPU of this process and its workers) of read + check + roll-up."""
    t, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    units = load_units([folder], workers=workers)
    result = roll_up(units, agency="示例区", sums=units.sums)
    wall = time.perf_counter() - t
    assert result.total is not None and len(result.summed) == n
    return wall, time.process_time() - cpu + _children_cpu() - children


def command(folder: Path, tree: Path | None, jobs: int | None) -> tuple[float, float]:
    """(wall, CPU) of ``govreport aggregate`` as a clerk runs it (output to a temp file)."""
    with tempfile.TemporaryDirectory() as tmp:
        argv = [sys.executable, "-m", "govreport_gui.cli", "aggregate", str(folder), "-o", f"{tmp}/sum.govreport"]
        if jobs is not None:
            argv += ["--jobs", str(jobs)]
        env = dict(os.environ, PYTHONPATH=str(tree)) if tree else None
        before, t = _children_cpu(), time.perf_counter()
        done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=tree or None)
        wall = time.perf_counter() - t
        assert done.returncode == 1, done.returncode  # 1: a unit in 20 has an error
        return wall, _children_cpu() - before


def window(n: int, workers: int) -> None:
    """The roll-up window reading ``n`` files: wall and CPU to the finished roll-up, the longest
    the event loop went without turning (a 10 ms timer's largest gap: what a click waits for), and
    how long 取消 takes half-way through."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    for cancel in (False, True):
        _window_run(app, folder_of(n), n, workers, cancel)


def _window_run(app, folder: Path, n: int, workers: int, cancel: bool) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QElapsedTimer, QTimer

    from govreport_gui.ui.rollup.rollup_window import RollupWindow

    win = RollupWindow(lambda report, source: None)
    win.workers = workers
    win.show()
    gaps: list[int] = []
    clock = QElapsedTimer()
    clock.start()
    tick = QTimer()
    tick.setInterval(10)
    last = [clock.elapsed()]

    def beat() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    tick.timeout.connect(beat)
    done: list[float] = []
    win.finished.connect(lambda: done.append(time.perf_counter()))
    t, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    tick.start()
    win.add_paths([folder])
    stop_took = None
    while not done:
        app.processEvents()
        if cancel and stop_took is None and win.progress.value() >= n // 2:
            s = time.perf_counter()
            win.cancel()
            stop_took = time.perf_counter() - s
        time.sleep(0.001)
    tick.stop()
    wall = done[0] - t
    cpu_all = time.process_time() - cpu + _children_cpu() - children
    what = (f"cancel at half: 取消 returned in {(stop_took or 0) * 1e3:.0f} ms, {len(win.units)} units kept" if cancel
            else f"{len(win.result.summed) if win.result else 0} units summed")
    print(f"  window, workers={workers}: wall {wall:6.2f} s, CPU {cpu_all:6.2f} s, longest event-loop gap "
          f"{max(gaps, default=0)} ms (median {sorted(gaps)[len(gaps) // 2] if gaps else 0} ms); {what}", flush=True)
    win.close()
    win.deleteLater()
    app.processEvents()


def main(argv: list[str]) -> None:
    tree = None
    if argv[:1] == ["--window"]:
        for n in [int(a) for a in argv[1:]] or [10000]:
            print(f"{n} files, load average {os.getloadavg()[0]:.1f}:")
            for workers in (1, cores()):
                window(n, workers)
        return
    if argv[:1] == ["--tree"]:
        tree, argv = Path(argv[1]).resolve(), argv[2:]
    sizes = [int(a) for a in argv] or [1000, 10000]
    n_cores = cores()
    print(f"Python {sys.version.split()[0]}, {n_cores} cores usable, load average {os.getloadavg()[0]:.1f} at start")
    for n in sizes:
        folder = folder_of(n)
        rows = [("core, 1 process", *core(folder, n, 1)), (f"core, pool of {n_cores}", *core(folder, n, n_cores)),
                ("aggregate --jobs 1", *command(folder, None, 1)), (f"aggregate --jobs {n_cores}", *command(folder, None, n_cores)),
                ("aggregate (jobs by idle cores)", *command(folder, None, None))]
        if tree is not None:
            rows.append((f"aggregate ({tree.name})", *command(folder, tree, None)))
        print(f"{n} files (load average {os.getloadavg()[0]:.1f}):")
        base = rows[2][1]
        for label, wall, cpu in rows:
            print(f"  {label:28s} wall {wall:6.2f} s ({wall / n * 1e3:5.2f} ms/file, {wall / base:4.2f}× aggregate --jobs 1)"
                  f"   CPU {cpu:6.2f} s ({cpu / n * 1e3:5.2f} ms/file)", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
