"""Benchmark: the hostile inputs of issue 13, each opened in a child capped at +256 MB.

.venv/bin/python bench/bench_hostile.py — prints time, peak-RSS growth and outcome per input.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.safety.hostile import HOSTILE  # noqa: E402
from tests.safety.test_hostile import open_each  # noqa: E402


def main() -> None:
    print("| input | seconds | peak RSS growth (MB) | machine load × | outcome |\n|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for i, (name, build) in enumerate(HOSTILE.items()):
            folder = Path(tmp) / str(i)
            folder.mkdir()
            paths[name] = str(build(folder))
        for name, path in paths.items():  # one child each: the peak-memory growth is this input's own
            results = open_each({name: path})
            cost = results[name]
            print(f"| {name} | {cost['seconds']:.3f} | {max(0, cost['rss_mb']):.0f} |"
                  f" {results['load factor']:.1f} | {cost['outcome'][:90]} |")


if __name__ == "__main__":
    main()
