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


@dataclass
class Cost:
    seconds: float
    rss_mb: float  # growth of peak resident memory while ``body`` ran
    outcome: str  # "ok" or "ExceptionName: message"


def run_bounded(body: str, imports: str = "", extra_mb: int = 256, timeout: float = 60) -> Cost:
    code = _PRELUDE.format(root=str(ROOT), imports=textwrap.dedent(imports),
                           extra_mb=extra_mb, body=textwrap.indent(textwrap.dedent(body), "    "))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, env=env)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise AssertionError(f"child failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return Cost(**json.loads(lines[-1]))
