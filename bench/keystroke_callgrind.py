"""N keystrokes of a ``bench_gui.py`` scenario, for counting instructions with callgrind (the
figures that hold on a busy machine). Run by ``bench/callgrind.sh``; alone:

    QT_QPA_PLATFORM=offscreen valgrind --tool=callgrind .venv/bin/python bench/keystroke_callgrind.py t3 20 ours

The window's debounced autosave is stopped: valgrind stretches time, so it would fire at random.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["GOVREPORT_HOME"] = tempfile.mkdtemp()

import bench_gui  # noqa: E402


def main() -> None:
    scenario, n, side = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    from govreport_gui.app import ensure_app

    ensure_app()
    ours, floor, windows = bench_gui.SCENARIOS[scenario]()
    window = windows[0]
    window.autosave = lambda: None  # type: ignore[method-assign]
    window.autosave_timer.stop()
    window.autosave_timer.setInterval(10**9)
    bench_gui.measure(ours, floor, 6)  # warm: first paints, caches
    edit = ours if side == "ours" else floor
    for i in range(n):
        prepare = getattr(edit, "prepare", None)
        if prepare is not None:
            prepare(i)
            bench_gui.drain()
        for stroke in getattr(edit, "strokes", None) or [edit]:
            stroke(i)
            bench_gui.drain()
    window.session.stack.setClean()
    sys.stdout.flush()
    os._exit(0)  # no teardown in the count


if __name__ == "__main__":
    main()
