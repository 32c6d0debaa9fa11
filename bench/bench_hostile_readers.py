"""Benchmark: hostile web pages and registers (tests/safety/hostile_readers.py), each in its own child
capped at +256 MB; a child still running after --timeout seconds counts as a hang.

.venv/bin/python bench/bench_hostile_readers.py [name filter]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.safety.hostile_readers import HTML, REGISTER  # noqa: E402
from tests.safety.test_hostile_readers import open_each  # noqa: E402


def main() -> None:
    wanted = sys.argv[1] if len(sys.argv) > 1 else ""
    print("| input | seconds | peak RSS growth (MB) | machine load × | outcome |\n|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, build) in enumerate({**HTML, **REGISTER}.items()):
            if wanted not in name:
                continue
            folder = Path(tmp) / str(i)
            folder.mkdir()
            path = str(build(folder))
            try:
                results = open_each({name: path}, timeout=30)
            except subprocess.TimeoutExpired:
                print(f"| {name} | > 30 | ? | ? | hang (killed) |", flush=True)
                continue
            except AssertionError as e:
                print(f"| {name} | ? | ? | ? | child died: {str(e)[-120:]!r} |", flush=True)
                continue
            cost = results[name]
            print(f"| {name} | {cost['seconds']:.3f} | {max(0, cost['rss_mb']):.0f} |"
                  f" {results['load factor']:.1f} | {cost['outcome'][:110]} |", flush=True)


if __name__ == "__main__":
    main()
