"""What every ``govreport`` command shares: exit codes, the usage error, years, input files,
checked output paths, saving, and the writers by suffix."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from ..readers.formats import open_report
from ..report import native
from ..report.document import Report
from ..report.native import FileFormatError
from ..report.oserrors import os_error_text

EXIT_OK, EXIT_ERRORS, EXIT_UNUSABLE = 0, 1, 2


class UsageError(Exception):
    """Unusable input or arguments; the text is shown to the user, exit code 2."""


def year(text: str) -> int:
    from ..report.document import YEARS

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text[:24]}”不是年度") from None
    if value not in YEARS:
        raise argparse.ArgumentTypeError(f"年度 {value} 无效，应在{YEARS[0]}–{YEARS[-1]}年之间")
    return value


def load_any(path: str) -> Report:
    """Open a report from a ``.govreport``, ``.docx``, ``.xlsx``, ``.html`` or ``.pdf`` file."""
    try:
        report = open_report(path)
    except FileFormatError as e:
        raise UsageError(str(e)) from None
    return report


def export_document(report: Report, out: Path, args: argparse.Namespace) -> None:
    from ..export import export

    try:
        export(report, out)
    except OSError as e:
        raise UsageError(f"无法写入“{out}”：{os_error_text(e)}") from None


def export_pdf_file(report: Report, out: Path, args: argparse.Namespace) -> None:
    """The PDF goes through Qt's printing path (the same as preview and paper): Qt is loaded only here."""
    import os

    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") and sys.platform.startswith("linux"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # noqa: F841 (fonts need it)
    from ..ui.printout.printing import TooLong, export_pdf

    try:
        export_pdf(report, out, signoff=args.signoff, report_too=not args.signoff)
    except TooLong as e:  # pasted megabytes: hundreds of pages (Chinese message)
        raise UsageError(str(e)) from None
    except OSError as e:
        raise UsageError(f"无法写入“{out}”：{os_error_text(e)}") from None


# suffix → function (report, out path, options) → None
EXPORTERS: dict[str, Callable[[Report, Path, argparse.Namespace], None]] = {
    ".docx": export_document,
    ".html": export_document,
    ".xlsx": export_document,
    ".pdf": export_pdf_file,
}


def check_output(out: str, suffixes: Sequence[str]) -> Path:
    p = Path(out)
    if p.suffix.lower() not in suffixes:
        raise UsageError(f"输出文件“{p.name}”的扩展名须为 {' / '.join(suffixes)}")
    if not p.parent.exists():
        raise UsageError(f"输出文件夹“{p.parent}”不存在")
    return p


def save(report: Report, out: Path) -> None:
    try:
        native.save(report, out)
    except native.FileFormatError as e:
        raise UsageError(str(e)) from None


