"""Hostile web pages and registers of applications are refused in Chinese or read, within 2 s and
256 MB (each opened as the window and the CLI open them, in a child capped at +256 MB)."""

from __future__ import annotations

import json

import pytest

from tests.safety.bounded import run_bounded
from tests.safety.hostile_readers import HTML, REGISTER

SECONDS = 2.0  # on the idle machine; scaled by bounded.load_factor() when it is busy
MEMORY_MB = 256

_OPEN_EACH = """
results = {"load factor": load_factor()}
for name, path in PATHS.items():
    start, base = time.perf_counter(), _status("VmHWM")
    try:
        if path.endswith((".csv", ".xlsx", ".xls", ".et", ".ods")):
            register = read_register(path)
            count(register, 2025)
            [p.text() for p in register.problems]
        else:
            report = open_report(path)
            check(report)
            native.dumps(report).encode("utf-8")
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
from govreport_gui.readers import docx_import, html_import, register, xlsx_rows  # noqa: F401
from govreport_gui.readers.register import read_register
from govreport_gui.report.register_count import count
from govreport_gui.report import native
from govreport_gui.report.native import FileFormatError
from govreport_gui.report.rules import check
from tests.safety.bounded import load_factor
import lxml.etree, lxml.html, csv  # noqa: F401
PATHS = {paths!r}
"""
    cost = run_bounded(_OPEN_EACH, imports=imports, extra_mb=MEMORY_MB, timeout=timeout)
    assert cost.outcome == "ok", cost.outcome
    line = next(x for x in cost.printed.splitlines() if x.startswith("RESULTS "))
    return json.loads(line[len("RESULTS "):])


@pytest.mark.parametrize("family", ["html", "register"])
def test_hostile_pages_and_registers_are_refused_or_read_within_limits(tmp_path, family):
    inputs = HTML if family == "html" else REGISTER
    paths = {}
    for i, (name, build) in enumerate(inputs.items()):
        folder = tmp_path / str(i)
        folder.mkdir()
        paths[name] = str(build(folder))
    results = open_each(paths)
    factor = results.pop("load factor")
    assert set(results) == set(inputs)
    for name, r in results.items():
        assert r["outcome"] == "ok" or r["outcome"].startswith(("FileFormatError: “", "HeadersNotFound: “")), (name, r)
        assert r["seconds"] < SECONDS * factor, (name, r, factor)
        assert r["rss_mb"] < MEMORY_MB, (name, r)
