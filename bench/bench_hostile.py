"""Benchmark: the hostile inputs of issue 13, each opened in a child capped at +256 MB.

.venv/bin/python bench/bench_hostile.py — prints time, peak-RSS growth and outcome per input.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.safety.hostile import HOSTILE  # noqa: E402
from tests.safety.test_hostile import cost_of_opening  # noqa: E402


def main() -> None:
    print("| input | seconds | peak RSS growth (MB) | outcome |\n|---|---|---|---|")
    for name, build in HOSTILE.items():
        with tempfile.TemporaryDirectory() as folder:
            cost = cost_of_opening(build(Path(folder)))
        print(f"| {name} | {cost.seconds:.3f} | {cost.rss_mb:.0f} | {cost.outcome[:90]} |")


if __name__ == "__main__":
    main()
