"""Run Python in a child process under a memory ceiling and a timer, and say what it cost.

The hostile-input and kill tests need a process they can limit (``RLIMIT_AS``), time and kill
without taking pytest down with it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LONG = os.environ.get("GOVREPORT_LONG_TESTS") == "1"

# The child imports what it needs, then caps its address space at what it already maps plus
# ``extra_mb`` and reports (seconds, peak RSS growth, outcome) of ``body`` as one JSON line.
_PRELUDE = """
import json, os, resource, sys, time
sys.path.insert(0, {root!r})
{imports}
def _status(field):  # VmHWM is this process's own peak (ru_maxrss can carry the parent's over exec)
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
_base_rss = _status("VmHWM")
_cap = _status("VmSize") + {extra_mb} * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (_cap, _cap))
_t = time.perf_counter()
try:
{body}
    _outcome = "ok"
except Exception as _e:
    _outcome = type(_e).__name__ + ": " + str(_e)[:300]
_dt = time.perf_counter() - _t
_grew = _status("VmHWM") - _base_rss
print(json.dumps({{"seconds": _dt, "rss_mb": _grew / 2**20, "outcome": _outcome}}, ensure_ascii=False))
"""


# The machine is shared: time limits are scaled by how much slower than idle it is right now,
# measured on a real report's DOCX import (14 ms on the idle 2-core machine, bench/RESULTS.md).
IDLE_IMPORT_SECONDS = 0.015


def load_factor() -> float:
    """How many times slower than idle this machine is now (≥ 1)."""
    import statistics
    import time

    from govreport_gui.readers.docx_import import import_docx

    sample = ROOT / "tests" / "data" / "sample-2025-word-template.docx"
    import_docx(sample)
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        import_docx(sample)
        runs.append(time.perf_counter() - start)
    return max(1.0, statistics.median(runs) / IDLE_IMPORT_SECONDS)


@dataclass
class Cost:
    seconds: float
    rss_mb: float  # growth of peak resident memory while ``body`` ran
    outcome: str  # "ok" or "ExceptionName: message"
    printed: str = ""  # what ``body`` printed


def run_bounded(body: str, imports: str = "", extra_mb: int = 256, timeout: float = 60) -> Cost:
    code = _PRELUDE.format(root=str(ROOT), imports=textwrap.dedent(imports),
                           extra_mb=extra_mb, body=textwrap.indent(textwrap.dedent(body), "    "))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, env=env)
    lines = proc.stdout.splitlines()
    if proc.returncode != 0 or not lines or not lines[-1].startswith("{"):
        raise AssertionError(f"child failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return Cost(**json.loads(lines[-1]), printed="\n".join(lines[:-1]))
