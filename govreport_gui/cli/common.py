"""What every ``govreport`` command shares: exit codes, the usage error, years, input files,
checked output paths, saving, and the writers by suffix."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from ..readers.formats import open_report
from ..report import native
from ..report.document import Report
from ..report.native import FileFormatError
from ..report.oserrors import os_error_text

EXIT_OK, EXIT_ERRORS, EXIT_UNUSABLE = 0, 1, 2

# What a terminal obeys instead of printing: C0 (CR, ESC, BS …), DEL, C1 (0x9B is CSI on 8-bit
# terminals), the bidi overrides that reorder what is shown, and Unicode line breaks. A unit's
# agency “乙局\r通过” would otherwise overwrite the status column it stands in.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_LINE_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\r": "\\r", "\n": "\\n", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _escape(m: re.Match[str]) -> str:
    ch = m.group(0)
    return _NAMED.get(ch) or f"\\u{ord(ch):04x}"  # also a valid escape inside a JSON string


def shown(text: object) -> str:
    """``text`` safe for one line of a terminal: every control character (newline too) escaped
    as ``\\r``, ``\\u001b`` … so that a file's content can neither move the cursor nor fake a row."""
    return _CONTROL.sub(_escape, str(text))


class EscapingStream:
    """A text stream that escapes control characters except the newline before writing: every
    command's output passes through it (:func:`guarded_output`), so no message that quotes a
    file's content can rewrite the terminal. JSON stays valid: the escapes are JSON escapes."""

    def __init__(self, stream) -> None:  # type: ignore[no-untyped-def]
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(_LINE_CONTROL.sub(_escape, text))
        return len(text)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]  # flush, encoding, isatty …
        return getattr(self.stream, name)


class guarded_output:  # noqa: N801 (used as a context manager, like contextlib's)
    """``with guarded_output():`` — stdout and stderr escape control characters inside."""

    def __enter__(self) -> None:
        self.saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = EscapingStream(sys.stdout), EscapingStream(sys.stderr)

    def __exit__(self, *exc: object) -> None:
        sys.stdout, sys.stderr = self.saved


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


