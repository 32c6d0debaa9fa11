"""Every hostile input of issue 13 is refused in Chinese or read, within 2 s and 256 MB.

The inputs are opened one after another in a child process whose address space is capped at what
it maps after its imports + 256 MB, so an unbounded reader fails with MemoryError there instead of
swapping the machine; the child reports each input's time and peak-memory growth.
"""

from __future__ import annotations

import json

from tests.safety.bounded import run_bounded
from tests.safety.hostile import HOSTILE

SECONDS = 2.0  # on the idle machine; scaled by bounded.load_factor() when it is busy
MEMORY_MB = 256

_OPEN_EACH = """
results = {"load factor": load_factor()}
for name, path in PATHS.items():
    start, base = time.perf_counter(), _status("VmHWM")
    try:
        report = open_report(path)
        check(report)
        native.dumps(report)
        outcome = "ok"
    except FileFormatError as e:
        outcome = "FileFormatError: " + str(e)
    except Exception as e:  # noqa: BLE001 — what the test is looking for
        outcome = f"{type(e).__name__}: {str(e)[:200]}"
    results[name] = {"seconds": time.perf_counter() - start, "rss_mb": (_status("VmHWM") - base) / 2**20,
                     "outcome": outcome}
print("RESULTS", json.dumps(results, ensure_ascii=False))
"""


def open_each(paths: dict[str, str], timeout: float = 120) -> dict[str, dict]:
    """name → {seconds, rss_mb, outcome} for each file, opened in one capped child."""
    imports = f"""
from govreport_gui.readers.formats import open_report
from govreport_gui.readers import docx_import, html_import, xlsx_import  # noqa: F401 (loaded before the cap)
from govreport_gui.report import native
from govreport_gui.report.native import FileFormatError
from govreport_gui.report.rules import check
from tests.safety.bounded import load_factor
import openpyxl, lxml.etree, lxml.html  # noqa: F401
PATHS = {paths!r}
"""
    cost = run_bounded(_OPEN_EACH, imports=imports, extra_mb=MEMORY_MB, timeout=timeout)
    assert cost.outcome == "ok", cost.outcome
    line = next(x for x in cost.printed.splitlines() if x.startswith("RESULTS "))
    return json.loads(line[len("RESULTS "):])


def test_hostile_inputs_are_refused_or_read_within_limits(tmp_path):
    paths = {}
    for i, (name, build) in enumerate(HOSTILE.items()):
        folder = tmp_path / str(i)
        folder.mkdir()
        paths[name] = str(build(folder))
    results = open_each(paths)
    factor = results.pop("load factor")
    assert set(results) == set(HOSTILE)
    for name, r in results.items():
        assert r["outcome"] == "ok" or r["outcome"].startswith("FileFormatError: “"), (name, r)
        assert r["seconds"] < SECONDS * factor, (name, r, factor)
        assert r["rss_mb"] < MEMORY_MB, (name, r)


def test_second_round_inputs_at_the_probes_size_are_refused_or_read_within_limits(tmp_path):
    """Issue 24: each scalable hostile input at the size that once took minutes or 意外问题."""
    from tests.safety.hostile_scaled import SCALED, govreport_nested

    paths = {}
    for i, name in enumerate(SCALED):
        folder = tmp_path / str(i)
        folder.mkdir()
        paths[name] = str(SCALED[name].build(folder, SCALED[name].probe))
    paths["govreport unknown cell nested 600 deep"] = str(govreport_nested(tmp_path, 600))
    results = open_each(paths)
    factor = results.pop("load factor")
    for name, r in results.items():
        assert r["outcome"] == "ok" or r["outcome"].startswith("FileFormatError: “"), (name, r)
        assert r["seconds"] < SECONDS * factor, (name, r, factor)
        assert r["rss_mb"] < MEMORY_MB, (name, r)
