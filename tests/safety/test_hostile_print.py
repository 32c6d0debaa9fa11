"""PDF export of reports with hostile text (issue 24.4): a huge paragraph ran past 150 s, a huge
agency name 117 s (the page breaks were planned one Qt layout per break, each as long as the text).

Layout, page planning and painting are now linear in the text's size, and a report that would
print on more than ``printing.MAX_PAGES`` pages is refused at once in Chinese. Each case opens a
``.govreport`` and exports the report with its sign-off sheet in its own child process, capped at
what it maps after its imports + 256 MB, within 2 s × the machine's load.
"""

from __future__ import annotations

import json

import pytest

from tests.safety.bounded import ROOT, run_bounded

SECONDS = 2.0  # on the idle machine; scaled by bounded.load_factor()
MEMORY_MB = 256
LONG = "（一）主动公开情况。全年通过门户网站发布信息，Wang Xiaoming 2025 年共办理 126 件；"  # CJK, Latin, digits

# what changes in the sample: section 一 as ``count`` paragraphs of ``text * repeat``, the agency
# as ``text * repeat``, or every table cell (built in the child: the texts are megabytes); in the
# file, or (``direct``) in the report as loaded, past the limits that apply where text enters
CASES = {
    "一 as one paragraph of 100,000 characters (~170 pages)": {"s1": (LONG, 2500, 1)},
    "一 as one paragraph of 1,000,000 characters (a .govreport holds 4 MB)": {"s1": (LONG, 22_500, 1)},
    "一 as 4,000 short paragraphs": {"s1": ("第一。", 1, 4000)},
    "agency name of 20,000 characters in the file (kept to 100 where it enters)": {"agency": ("某某局", 6667)},
    "agency name of 1,000,000 characters in the file": {"agency": ("某某局", 333_334)},
    "agency name of 20,000 characters given to the printer (~110 pages)": {"agency": ("某某局", 6667), "direct": True},
    "agency name of 1,000,000 characters given to the printer": {"agency": ("某某局", 333_334), "direct": True},
    "newlines, paragraph separators and tabs inside paragraphs": {"s1": ("甲\n乙\r丙\u2029丁\v戊\t己", 100, 5)},
    "every table cell a long number": {"cells": 12345678901234567890},
}

_EXPORT = """
results = {"load factor": load_factor()}
app = QGuiApplication([])
base = json.loads(SAMPLE.read_text(encoding="utf-8"))
for name, change in CASES.items():
    tree = json.loads(json.dumps(base))
    s1 = agency = None
    if "s1" in change:
        text, repeat, count = change["s1"]
        s1 = [text * repeat] * count
    if "agency" in change:
        text, repeat = change["agency"]
        agency = text * repeat
    if not change.get("direct"):
        tree["sections"]["s1"] = s1 if s1 is not None else tree["sections"]["s1"]
        tree["meta"]["agency"] = agency if agency is not None else tree["meta"]["agency"]
    if "cells" in change:
        tree["cells"] = {key: change["cells"] for key in tree["cells"]}
    path = OUT / "hostile.govreport"
    path.write_text(json.dumps(tree, ensure_ascii=False), encoding="utf-8")
    report = native.load(path)
    if change.get("direct"):
        report.sections["s1"] = s1 if s1 is not None else report.sections["s1"]
        report.meta.agency = agency if agency is not None else report.meta.agency
    printed = len(report.meta.agency) + sum(len(p) for p in report.sections["s1"])
    start, base_rss = time.perf_counter(), _status("VmHWM")
    try:
        export_pdf(report, OUT / "hostile.pdf", signoff=True)
        outcome = "ok"
    except TooLong as e:
        outcome = "TooLong: " + str(e)
    except Exception as e:  # noqa: BLE001 (what the test looks for)
        outcome = f"{type(e).__name__}: {str(e)[:300]}"
    results[name] = {"seconds": time.perf_counter() - start, "outcome": outcome, "characters": printed,
                     "rss_mb": (_status("VmHWM") - base_rss) / 2**20}
print("RESULTS", json.dumps(results, ensure_ascii=False))
"""


def export_each(tmp_path, cases: dict) -> dict[str, dict]:
    imports = f"""
import faulthandler; faulthandler.enable()
from pathlib import Path
from PySide6.QtGui import QGuiApplication
from govreport_gui.report import native
from govreport_gui.ui.printout.printing import TooLong, export_pdf
from tests.safety.bounded import load_factor
SAMPLE = Path({str(ROOT / "tests" / "data" / "sample-2025.govreport")!r})
OUT = Path({str(tmp_path)!r})
CASES = {cases!r}
"""
    cost = run_bounded(_EXPORT, imports=imports, extra_mb=MEMORY_MB, timeout=600)
    assert cost.outcome == "ok", cost.outcome
    line = next(x for x in cost.printed.splitlines() if x.startswith("RESULTS "))
    return json.loads(line[len("RESULTS "):])


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_text_prints_or_is_refused_within_limits(tmp_path, name):
    results = export_each(tmp_path, {name: CASES[name]})
    factor = results.pop("load factor")
    r = results[name]
    assert r["outcome"] == "ok" or r["outcome"].startswith("TooLong: 报告约有"), r
    assert r["seconds"] < SECONDS * factor, (r, factor)
    assert r["rss_mb"] < MEMORY_MB, r
    if r["characters"] > 500_000:
        assert r["outcome"].startswith("TooLong"), r  # hundreds of pages: refused, not printed


_LINEAR = """
app = QGuiApplication([])
sample = native.load(SAMPLE)
cpu = {}
for _ in range(3):  # CPU time, best of three: the machine is shared
    for what, n in (("s1", 0), ("s1", 25_000), ("s1", 100_000), ("agency", 0), ("agency", 5_000), ("agency", 20_000)):
        report = copy.deepcopy(sample)
        if what == "s1":
            report.sections["s1"] = [LONG * (n // len(LONG))] if n else []
        else:
            report.meta.agency = "某某局" * (n // 3)
        start = time.process_time()
        export_pdf(report, OUT / "linear.pdf", signoff=True)
        key = f"{what} {n}"
        cpu[key] = min(cpu.get(key, 1e9), time.process_time() - start)
print("CPU", json.dumps(cpu))
"""


def test_printing_is_linear_in_the_text(tmp_path):
    """Four times the text costs about four times the CPU time beyond an empty report's, not
    sixteen: nothing in layout, page planning or painting is quadratic. A paragraph of 25,000 and
    100,000 characters (~40 and ~170 pages); an agency name of 5,000 and 20,000 characters, which
    the title (二号) and the signature both print (~30 and ~110 pages)."""
    imports = f"""
import copy
from pathlib import Path
from PySide6.QtGui import QGuiApplication
from govreport_gui.report import native
from govreport_gui.ui.printout.printing import export_pdf
SAMPLE = Path({str(ROOT / "tests" / "data" / "sample-2025.govreport")!r})
OUT = Path({str(tmp_path)!r})
LONG = {LONG!r}
"""
    cost = run_bounded(_LINEAR, imports=imports, extra_mb=MEMORY_MB, timeout=600)
    assert cost.outcome == "ok", cost.outcome
    cpu = json.loads(next(x for x in cost.printed.splitlines() if x.startswith("CPU "))[4:])
    for what, small, large in (("s1", 25_000, 100_000), ("agency", 5_000, 20_000)):
        base = cpu[f"{what} 0"]
        # linear: ~4×; quadratic: 16×. 9 is between them on a log scale, clear of a loaded machine's noise
        assert cpu[f"{what} {large}"] - base < 9 * (cpu[f"{what} {small}"] - base), cpu
