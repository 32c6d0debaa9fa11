"""Benchmark: our DOCX export against python-docx writing only the three bare tables (goal ≤ 2×).

Run: .venv/bin/python bench/bench_export.py
"""

from __future__ import annotations

import io
import statistics
import time
from pathlib import Path

from docx import Document

from govreport_gui.export.docx_writer import write_docx
from govreport_gui.export.html_writer import render_html
from govreport_gui.export.layout import build
from govreport_gui.report import native

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def bare_tables(report) -> None:  # type: ignore[no-untyped-def]
    """The floor: three tables of the right size, text set by iterating row.cells once, no merges."""
    doc = Document()
    for table in report.schema.tables.values():
        t = doc.add_table(rows=table.rows, cols=table.cols)
        for r, row in enumerate(t.rows):
            for c, cell in enumerate(row.cells):
                found = table.cell_at(r, c)
                cell.text = report.display(found.key) if hasattr(found, "key") else getattr(found, "text", "")
    doc.save(io.BytesIO())


def timed(fn, runs: int = 15) -> float:  # type: ignore[no-untyped-def]
    fn()  # warm-up: imports and the default template
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return statistics.median(out) * 1e3


def main() -> None:
    report = native.load(DATA / "sample-2025.govreport")
    tmp = Path("/tmp/govreport-bench.docx")
    ours = timed(lambda: write_docx(build(report), tmp))
    floor = timed(lambda: bare_tables(report))
    html = timed(lambda: render_html(build(report)))
    print(f"bare tables with python-docx   {floor:6.1f} ms")
    print(f"GovReport DOCX (full report)   {ours:6.1f} ms   ratio {ours / floor:.2f}×")
    print(f"GovReport HTML (full report)   {html:6.1f} ms")


if __name__ == "__main__":
    main()
