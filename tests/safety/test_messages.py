"""Messages a clerk reads have no English in them (issue 24 item 5): the system's error texts are
said in Chinese, a password-protected or old-format Office file is named as such with what to do,
and an export after a full disk names the full disk, not “maybe open in Word/WPS”
(tests/ui/test_export_actions.py)."""

from __future__ import annotations

import errno
import re
import struct

import pytest

from govreport_gui.readers.formats import open_report
from govreport_gui.report.atomic import ReadOnlyFile
from govreport_gui.report.native import FileFormatError
from govreport_gui.report.oserrors import may_be_open_elsewhere, os_error_text

LATIN = re.compile(r"[A-Za-z]{4,}")  # an English word (file suffixes and “Word/WPS/Excel” aside)
ALLOWED = {"Word", "Excel", "Office", "docx", "xlsx", "html", "govreport"}


def english(text: str) -> list[str]:
    return [w for w in LATIN.findall(text) if w not in ALLOWED]


@pytest.mark.parametrize("code, expected", [
    (errno.ENOSPC, "磁盘空间已满"), (errno.EDQUOT, "磁盘配额"), (errno.EROFS, "只读"), (errno.EACCES, "没有权限"),
    (errno.ENOENT, "U 盘或网络盘可能已断开"), (errno.EIO, "读写出错"), (errno.ENAMETOOLONG, "过长"),
    (errno.ESTALE, "网络"), (12345, "错误码 12345")])
def test_os_errors_are_said_in_chinese(code, expected):
    text = os_error_text(OSError(code, "No space left on device"))
    assert expected in text and not english(text)


def test_windows_sharing_violation_and_read_only_files():
    e = OSError(errno.EACCES, "The process cannot access the file")
    e.winerror = 32  # type: ignore[attr-defined]
    assert "Word、WPS" in os_error_text(e) and may_be_open_elsewhere(e)
    assert os_error_text(ReadOnlyFile(13, "x")) == "文件是只读的" and not may_be_open_elsewhere(ReadOnlyFile(13, "x"))
    assert not may_be_open_elsewhere(OSError(errno.ENOSPC, "full"))


def _ole(*streams: str) -> bytes:
    """A compound file (Office 97–2003 / encrypted OOXML container) whose directory names ``streams``."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HH", 0x3E, 3) + b"\xfe\xff" + b"\0" * 478
    entries = b""
    for name in ("Root Entry", *streams):
        raw = name.encode("utf-16-le") + b"\0\0"
        entries += raw.ljust(64, b"\0") + struct.pack("<H", len(raw)) + b"\x02" + b"\0" * 61
    return header + entries.ljust(4096, b"\0")


@pytest.mark.parametrize("suffix, streams, expected", [
    (".docx", ("EncryptionInfo", "EncryptedPackage"), "设置了打开密码"),
    (".xlsx", ("EncryptionInfo", "EncryptedPackage"), "设置了打开密码"),
    (".docx", ("WordDocument", "1Table"), "旧格式的 Word 文档（.doc"),
    (".xlsx", ("Workbook",), "旧格式的 Excel 工作簿（.xls"),
])
def test_encrypted_and_renamed_old_files_say_what_they_are(tmp_path, suffix, streams, expected):
    path = tmp_path / f"报告{suffix}"
    path.write_bytes(_ole(*streams))
    with pytest.raises(FileFormatError) as info:
        open_report(path)
    text = str(info.value)
    assert expected in text and "可能已损坏" not in text and not english(text), text
    assert "另存为" in text or "取消密码" in text


@pytest.mark.parametrize("suffix", [".xls", ".et", ".doc"])
def test_old_suffixes_say_how_to_convert(tmp_path, suffix):
    path = tmp_path / f"报告{suffix}"
    path.write_bytes(_ole("Workbook"))
    with pytest.raises(FileFormatError, match="另存为"):
        open_report(path)


def test_a_damaged_workbook_is_said_without_the_librarys_english(tmp_path, data_dir):
    import zipfile

    from govreport_gui.export import export
    from govreport_gui.report import native

    base = tmp_path / "base.xlsx"
    export(native.load(data_dir / "sample-2025.govreport"), base)
    path = tmp_path / "损坏.xlsx"
    with zipfile.ZipFile(base) as a, zipfile.ZipFile(path, "w") as b:
        for info in a.infolist():
            data = a.read(info)
            if info.filename == "xl/workbook.xml":
                data = data.replace(b"<sheets>", b"<sheets><sheet/>")  # openpyxl: “Unable to read workbook”
            b.writestr(info, data)
    with pytest.raises(FileFormatError) as info:
        open_report(path)
    assert not english(str(info.value)), str(info.value)
