"""``govreport --self-check``: proves an installed copy works, for an office's IT person.

Loads the format data, checks the built-in sample, writes a DOCX into a temporary folder and reads it
back, reads the sample printed as a PDF (pdfminer.six, its CMaps and cryptography are in the
bundle) and counts 表三 from a register in the old Excel format. Qt-free and offline. Prints each step in Chinese; returns 0 only when every step passed.
"""

from __future__ import annotations

import platform
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TextIO

from . import __version__

SAMPLE = "sample-2025.govreport"
SAMPLE_PDF = "sample-2025.pdf"  # the sample printed by tests/readers/pdf_builders.py (CJK font not embedded)
# 40 made-up applications (tests/readers/register_builders.generate(2025, 40, seed=11)) saved as Excel
# 97–2003 by LibreOffice; what they must count to in 表三 for 2025
SAMPLE_REGISTER = "sample-register-2025.xls"
REGISTER_COUNTS = {"t3.new.total": 28, "t3.carried_in.total": 5, "t3.result.total.total": 25, "t3.carried_out.total": 8}


def run(out: TextIO | None = None) -> int:
    """Run every step; print one line per step; 0 when all passed, 1 otherwise."""
    out = out or sys.stdout
    print(f"GovReport {__version__} 自检（Python {platform.python_version()}，{platform.system()} {platform.machine()}）", file=out)
    state: dict = {}
    steps: list[tuple[str, Callable[[dict], str]]] = [
        ("加载 2021 年格式数据", _schema),
        ("读取内置样例报告", _sample),
        ("校验样例报告", _check),
        ("导出 Word 文档并读回", _docx_round_trip),
        ("读取 PDF 样例", _pdf),
        ("由 .xls 台账计算表三", _register),
    ]
    failed = 0
    for title, step in steps:
        t0 = time.perf_counter()
        try:
            what = step(state)
        except Exception as e:  # report every failure as a line, never a traceback
            failed += 1
            print(f"[失败] {title}：{type(e).__name__}: {e}", file=out)
            continue
        print(f"[通过] {title}：{what}（{(time.perf_counter() - t0) * 1000:.0f} 毫秒）", file=out)
    print("自检通过。" if not failed else f"自检未通过：{failed} 项失败。", file=out)
    return 0 if not failed else 1


def _schema(state: dict) -> str:
    from .report.schema import load_schema

    s = load_schema()
    return f"{len(s.tables)} 张表，{len(s.cells)} 个单元格，{len(s.equations)} 条合计关系"


def _sample(state: dict) -> str:
    from .report.native import loads

    text = resources.files("govreport_gui.data").joinpath(SAMPLE).read_text(encoding="utf-8")
    state["report"] = r = loads(text, SAMPLE)
    return f"{r.meta.agency} {r.meta.year} 年度"


def _check(state: dict) -> str:
    from .report.findings import summary
    from .report.rules import check

    errors, warnings = summary(check(state["report"]))[:2]
    if errors:
        raise RuntimeError(f"内置样例应无错误，实际 {errors} 个错误")
    return f"0 个错误，{warnings} 个提醒，校验码 {state['report'].fingerprint()}"


def _docx_round_trip(state: dict) -> str:
    from .export import export
    from .readers.formats import open_report

    report = state["report"]
    with tempfile.TemporaryDirectory(prefix="govreport-selfcheck-") as tmp:
        path = Path(tmp) / "自检.docx"
        export(report, path)
        size = path.stat().st_size
        back = open_report(path)
    if back.fingerprint() != report.fingerprint():
        raise RuntimeError(f"读回的校验码 {back.fingerprint()} 与原报告 {report.fingerprint()} 不同")
    return f"{size // 1024} KB，读回校验码一致"


def _pdf(state: dict) -> str:
    from .readers.formats import open_report

    report = state["report"]
    with tempfile.TemporaryDirectory(prefix="govreport-selfcheck-") as tmp:
        path = Path(tmp) / SAMPLE_PDF
        path.write_bytes(resources.files("govreport_gui.data").joinpath(SAMPLE_PDF).read_bytes())
        back = open_report(path)
    if back.fingerprint() != report.fingerprint():
        raise RuntimeError(f"PDF 读出的校验码 {back.fingerprint()} 与样例 {report.fingerprint()} 不同")
    return "表格、正文与样例一致"


def _register(state: dict) -> str:
    from .readers.register import read_register
    from .report.register_count import count
    from .report.schema import load_schema

    with tempfile.TemporaryDirectory(prefix="govreport-selfcheck-") as tmp:
        path = Path(tmp) / SAMPLE_REGISTER
        path.write_bytes(resources.files("govreport_gui.data").joinpath(SAMPLE_REGISTER).read_bytes())
        register = read_register(path)
    cells = count(register, 2025, load_schema()).cells
    wrong = {k: (cells.get(k), v) for k, v in REGISTER_COUNTS.items() if cells.get(k) != v}
    if wrong:
        raise RuntimeError("计数与预期不同：" + "，".join(f"{k} 为 {got}，应为 {want}" for k, (got, want) in wrong.items()))
    return f"{len(register.applications)} 件申请，本年新收 {cells['t3.new.total']} 件，与预期一致"
