"""Kill a window with SIGKILL while a clerk types without pause, and measure how much typing the
recovery file lost (issue 24 item 3). Used by test_kill_typing.py and bench/bench_kill_typing.py.

One trial: a window process (tests/safety/window_driver.py, its own HOME) opens a copy of the sample
and types — Chinese characters into 一 every 120 ms, or numbers into 表三 every 250 ms (a value and
Enter, as a clerk enters counts) — and says when each keystroke was done. At a random moment it is
killed. The loss is the time between the last keystroke before the kill and the last keystroke the
recovery file holds (or the start of typing, when it holds none).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

DRIVER = Path(__file__).with_name("window_driver.py")
DATA = Path(__file__).resolve().parents[1] / "data"
EVERY_MS = {"s1": 120, "t3": 250}
T3_KEYS = [f"t3.new.{col}" for col in ("natural_person", "business", "research", "social_org", "legal_service",
                                       "other_org")]


@dataclass
class Trial:
    where: str
    killed_after: float  # seconds of typing before the kill
    typed: int  # keystrokes done before the kill
    recovered: int  # how many of them the recovery file holds
    lost_seconds: float


def _recovered(home: Path, where: str, base: dict) -> int:
    files = sorted((home / "recovery").glob("autosave-*.govreport"), key=lambda p: p.stat().st_mtime)
    if not files:
        return 0
    try:
        data = json.loads(files[-1].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0  # a torn recovery file would be a failure of its own: counted as nothing recovered
    if where == "s1":
        before, after = "\n".join(base["sections"]["s1"]), "\n".join(data["sections"]["s1"])
        assert after.startswith(before), "the recovery file's 一 is not the typed text"
        return len(after) - len(before)
    typed = [v - 1000 for k in T3_KEYS if isinstance(v := data["cells"].get(k), int) and v > 1000]
    return max(typed, default=0)


def trial(folder: Path, where: str, kill_after: float, python: str = sys.executable,
          driver: Path = DRIVER) -> Trial:
    """One kill trial in ``folder`` (made empty); ``python``/``driver`` may be another checkout's."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    report = folder / "年度报告.govreport"
    shutil.copy(DATA / "sample-2025.govreport", report)
    home = folder / "home"
    env = {**os.environ, "GOVREPORT_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen([python, str(driver), str(report)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True, env=env, cwd=driver.parents[2])
    assert child.stdin is not None and child.stdout is not None
    assert json.loads(child.stdout.readline()).get("ready")
    child.stdin.write(json.dumps({"cmd": "type", "where": where, "every_ms": EVERY_MS[where]}) + "\n")
    child.stdin.flush()
    started = json.loads(child.stdout.readline())["t"]
    time.sleep(kill_after)
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate(timeout=30)
    events = [json.loads(line) for line in out.splitlines() if line.startswith('{"typed"')]
    times = {e["typed"]: e["t"] for e in events}
    typed = max(times, default=0)
    recovered = _recovered(home, where, json.loads(report.read_text(encoding="utf-8")))
    last = times.get(typed, started)
    lost = last - (times[recovered] if recovered else started)
    return Trial(where, kill_after, typed, recovered, max(0.0, lost))


def distribution(trials: list[Trial]) -> str:
    """A Markdown line: count, median, 90th percentile, worst, and how many lost more than 2 s."""
    lost = sorted(t.lost_seconds for t in trials)
    if not lost:
        return "no trials"
    p90 = lost[min(len(lost) - 1, int(round(0.9 * (len(lost) - 1))))]
    over = sum(1 for x in lost if x > 2.0)
    return (f"{len(lost)} trials: median {lost[len(lost) // 2]:.2f} s, 90th percentile {p90:.2f} s, "
            f"worst {lost[-1]:.2f} s; more than 2 s in {over}")
