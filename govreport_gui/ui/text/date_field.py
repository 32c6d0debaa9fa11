"""成文日期 typed the way clerks write it (2026-01-20, 2026年1月20日, 2026/1/20, 2026.1.20) or picked
from a calendar that opens near the report's year (a QDateEdit accepts only its own display format
and reverted anything else to 未填写 without a word)."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QPoint, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

if TYPE_CHECKING:
    from PySide6.QtWidgets import QCalendarWidget

_FULL_WIDTH = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)})
# (compiled by re on first use: a typed date, not the start)
_DATE = r"^(\d{4})\s*[-/.．／－年]\s*(\d{1,2})\s*[-/.．／－月]\s*(\d{1,2})\s*日?$"


def parse_typed_date(text: str) -> dt.date | None:
    """A typed date in any of the usual shapes, or None when it is not a real date."""
    s = text.strip().translate(_FULL_WIDTH)
    if re.search(r"[〇零○一二三四五六七八九十]", s):  # 二〇二六年一月二十日: rare; its reader is large
        from ...readers.docx_import import parse_chinese_date

        s = parse_chinese_date(s) or ""
    m = re.match(_DATE, s)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:  # 2026年2月30日
        return None


def show_date(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


class DateField(QWidget):
    """A line to type a date into, a calendar button and a hint when the text is not a date.

    Signals:
        dateEdited(object): the clerk entered a date (``datetime.date``), cleared it (None), or typed
            text that is no date (``str``): the report keeps that text, and the checks name it as an
            error until it is corrected (a red hint alone let 全部校验通过 stand)
    """

    dateEdited = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("未填写（如 2026年1月20日 或 2026-01-20）")
        self.button = QToolButton()
        self.button.setText("日历…")
        self.button.setObjectName("meta.date.calendar")
        self.button.clicked.connect(self.open_calendar)
        self.hint = QLabel()
        self.hint.setObjectName("meta.date.hint")
        self.hint.setStyleSheet("color: #b00020;")
        self.hint.hide()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.button)
        row.addWidget(self.hint)
        self._calendar: QCalendarWidget | None = None
        self._date: dt.date | None = None
        self._raw: str | None = None  # typed text that is no date, held by the report
        self.default_page = (dt.date.today().year, dt.date.today().month)
        self.edit.editingFinished.connect(self._typed)
        self.setFocusProxy(self.edit)  # a finding about the date focuses the line to type in

    @property
    def calendar(self) -> QCalendarWidget:
        """The pop-up calendar, made when first opened (~2 MiB, not needed to start)."""
        if self._calendar is None:
            from PySide6.QtWidgets import QCalendarWidget

            self._calendar = QCalendarWidget(self)
            self._calendar.setWindowFlags(Qt.WindowType.Popup)
            self._calendar.setGridVisible(True)
            self._calendar.clicked.connect(self._picked)
        return self._calendar

    def set_date(self, d: dt.date | None) -> None:
        """Show a date without emitting :attr:`dateEdited` (loading the report)."""
        self._date = d
        self._raw = None
        self.hint.hide()
        self.edit.setText(show_date(d))

    def set_raw(self, text: str) -> None:
        """Show text the report holds that is no date (typed earlier, or from a file), with the hint."""
        self._date, self._raw = None, text
        self.edit.setText(text)
        self._show_hint(text)

    def _show_hint(self, text: str) -> None:
        self.hint.setText(f"“{text.strip()}”不是有效日期，请写成 2026年1月20日 或 2026-01-20")
        self.hint.show()

    def _typed(self) -> None:
        text = self.edit.text()
        if not text.strip():
            self.hint.hide()
            if self._date is not None or self._raw is not None:
                self._date = self._raw = None
                self.dateEdited.emit(None)
            return
        d = parse_typed_date(text)
        if d is None:  # keep what was typed, say why, and let the checks name it until it is fixed
            self._show_hint(text)
            if text.strip() != self._raw:
                self._date, self._raw = None, text.strip()
                self.dateEdited.emit(text.strip())
            return
        self.hint.hide()
        self.edit.setText(show_date(d))
        if d != self._date or self._raw is not None:
            self._date, self._raw = d, None
            self.dateEdited.emit(d)

    def open_calendar(self) -> None:
        """The calendar opens on the date, or else on :attr:`default_page` (year, month)."""
        if self._date is not None:
            self.calendar.setSelectedDate(QDate(self._date.year, self._date.month, self._date.day))
        else:
            self.calendar.setCurrentPage(*self.default_page)
        self.calendar.adjustSize()
        self.calendar.move(self.edit.mapToGlobal(QPoint(0, self.edit.height())))
        self.calendar.show()

    def _picked(self, date: QDate) -> None:
        self.calendar.hide()
        self.edit.setText(show_date(dt.date(date.year(), date.month(), date.day())))
        self._typed()
