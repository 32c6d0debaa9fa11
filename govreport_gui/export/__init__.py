"""Qt-free writers: one neutral layout of the report (``layout.build``) feeds the DOCX, HTML and
XLSX writers; the Qt printing path renders the same layout."""

from __future__ import annotations

from pathlib import Path

from ..report.document import Report
from ..report.findings import summary
from ..report.rules import check


def export(report: Report, path: str | Path) -> None:
    """Write ``report`` in the format named by the suffix of ``path`` (.docx, .xlsx or .html)."""
    from .layout import build

    suffix = Path(path).suffix.lower()
    draft = summary(check(report))[0] > 0
    if suffix == ".docx":
        from .docx_writer import write_docx

        write_docx(build(report, draft), path)
    elif suffix == ".xlsx":
        from .xlsx_writer import write_xlsx

        write_xlsx(report, path)
    elif suffix in (".html", ".htm"):
        from .html_writer import write_html

        write_html(build(report, draft), path)
    else:
        raise ValueError(suffix)
