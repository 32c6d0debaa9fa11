"""Benchmark: the scalable hostile inputs of issue 24 at the probe's size, each in its own child
capped at +256 MB (a child past the time limit is reported as such).

.venv/bin/python bench/bench_hostile_scaled.py [seconds] — time, peak-RSS growth, outcome per input.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.safety.hostile_scaled import SCALED, at_probe_size  # noqa: E402
from tests.safety.test_hostile import open_each  # noqa: E402


def main() -> None:
    timeout = float(sys.argv[1]) if len(sys.argv) > 1 else 150
    print("| input | size | seconds | peak RSS growth (MB) | machine load × | outcome |\n|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for i, name in enumerate(SCALED):
            folder = Path(tmp) / str(i)
            folder.mkdir()
            path = str(at_probe_size(name)(folder))
            size = f"{SCALED[name].probe:,} {SCALED[name].unit}"
            try:
                results = open_each({name: path}, timeout=timeout)
            except subprocess.TimeoutExpired:
                print(f"| {name} | {size} | > {timeout:.0f} | – | – | still running when stopped |", flush=True)
                continue
            except AssertionError as e:
                print(f"| {name} | {size} | – | – | – | child failed: {str(e)[-120:]} |", flush=True)
                continue
            cost = results[name]
            print(f"| {name} | {size} | {cost['seconds']:.3f} | {max(0, cost['rss_mb']):.0f} |"
                  f" {results['load factor']:.1f} | {cost['outcome'][:90]} |", flush=True)


if __name__ == "__main__":
    main()
