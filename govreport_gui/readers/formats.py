"""Opening a report from any supported file: ``.govreport``, ``.docx``, ``.xlsx``, ``.html``/``.htm``,
``.pdf`` (with a text layer).

Importers are looked up lazily so that python-docx and openpyxl load only when such a file is
opened (they cost 0.1–0.2 s each at start-up).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ..report import native
from ..report.document import Report, enforce_bounds
from ..report.native import FileFormatError

# suffix → "module:function" taking a Path and returning a Report (raising FileFormatError)
IMPORTERS: dict[str, str] = {".docx": ".docx_import:import_docx", ".xlsx": ".xlsx_import:import_xlsx",
                             ".html": ".html_import:import_html", ".htm": ".html_import:import_html",
                             ".pdf": ".pdf_import:import_pdf"}


def open_report(path: str | Path) -> Report:
    """Any supported file as a :class:`Report`; every failure is a Chinese :class:`FileFormatError`."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (native.SUFFIX, ".json"):
        return native.load(p)
    if suffix == ".doc":
        raise FileFormatError(f"“{p.name}”是旧版 Word 文档（.doc），请先在 Word 或 WPS 中“另存为” .docx 后再导入")
    if suffix in (".xls", ".et"):
        raise FileFormatError(f"“{p.name}”是旧版 Excel 或 WPS 表格文件（{suffix}），请先在 Excel 或 WPS 中“另存为” .xlsx 后再导入")
    if suffix == ".wps":
        raise FileFormatError(f"“{p.name}”是 WPS 文字格式（.wps），请先在 WPS 中“另存为” .docx 后再导入")
    if suffix in IMPORTERS:
        native.require_regular(p, "报告文件")
        module, func = IMPORTERS[suffix].split(":")
        report = getattr(importlib.import_module(module, __package__), func)(p)
        enforce_bounds(report)  # whatever a reader let through: typed, in range, encodable
        report.imported = True
        return report
    if suffix in (".docx", ".xlsx"):
        raise FileFormatError(f"尚不支持从 {suffix} 文件导入“{p.name}”")
    raise FileFormatError(f"“{p.name}”的类型无法识别：请使用 .govreport、.docx、.xlsx、.html 或 .pdf 文件")
