"""Every hostile input of issue 13 is refused in Chinese or read, within 2 s and 256 MB.

Each runs in a child process whose address space is capped at what it already maps + 256 MB, so
an unbounded reader fails with MemoryError here instead of swapping the machine.
"""

from __future__ import annotations

import pytest

from tests.safety.bounded import run_bounded
from tests.safety.hostile import HOSTILE

# The target is 2 s (bench/RESULTS-safety.md has the measured times, all under 1 s on an idle
# machine); the test allows twice that so a loaded CI machine does not fail it.
SECONDS = 4.0


def cost_of_opening(path) -> object:  # type: ignore[no-untyped-def]
    return run_bounded(f"""
try:
    report = open_report({str(path)!r})
    check(report)
    native.dumps(report)
except FileFormatError as e:
    print("refused:", e)
    assert any("\\u4e00" <= ch <= "\\u9fff" for ch in str(e)), "not a Chinese message"
    raise
""", imports="""
from govreport_gui.readers.formats import open_report
from govreport_gui.readers import docx_import, xlsx_import  # noqa: F401 (loaded before the cap)
from govreport_gui.report import native
from govreport_gui.report.native import FileFormatError
from govreport_gui.report.rules import check
import openpyxl, lxml.etree  # noqa: F401
""", timeout=60)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_input_is_bounded(tmp_path, name):
    path = HOSTILE[name](tmp_path)
    cost = cost_of_opening(path)
    assert cost.outcome == "ok" or cost.outcome.startswith("FileFormatError"), cost.outcome
    assert cost.seconds < SECONDS, cost
