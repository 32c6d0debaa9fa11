"""Benchmark: work lost when a window is killed (SIGKILL) at a random moment while a clerk types
without pause — into 一 (a character every 120 ms) and into 表三 (a count and Enter every 250 ms).

.venv/bin/python bench/bench_kill_typing.py [--s1 32] [--t3 12] [--checkout DIR]
(--checkout: run another checkout's window, e.g. the code before issue 24, with this harness)
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.safety.bounded import load_factor  # noqa: E402
from tests.safety.kill_typing import DRIVER, distribution, trial  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--s1", type=int, default=32)
    parser.add_argument("--t3", type=int, default=12)
    parser.add_argument("--checkout", type=Path, help="the repository whose window is killed")
    parser.add_argument("--seed", type=int, default=24)
    args = parser.parse_args()
    driver = DRIVER
    if args.checkout:  # this harness's driver, run against the other checkout's package
        driver = args.checkout / "tests" / "safety" / "window_driver.py"
        driver.write_bytes(DRIVER.read_bytes())
    rng = random.Random(args.seed)
    print(f"machine load × {load_factor():.1f} (before)")
    with tempfile.TemporaryDirectory() as tmp:
        for where, count in (("s1", args.s1), ("t3", args.t3)):
            trials = []
            for i in range(count):
                t = trial(Path(tmp) / "trial", where, rng.uniform(0.3, 10.0), driver=driver)
                trials.append(t)
                print(f"{where} {i + 1:2d}: killed after {t.killed_after:5.2f} s, typed {t.typed:3d}, "
                      f"recovered {t.recovered:3d}, lost {t.lost_seconds:.2f} s", flush=True)
            print(f"**{where}**: {distribution(trials)}", flush=True)
            print("lost (s, sorted): " + ", ".join(f"{t.lost_seconds:.2f}" for t in
                                                   sorted(trials, key=lambda t: t.lost_seconds)), flush=True)
    print(f"machine load × {load_factor():.1f} (after)")


if __name__ == "__main__":
    main()
