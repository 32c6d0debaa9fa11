"""The report's metadata: agency, year, level (decides the deadline), 成文日期, title."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLineEdit, QSpinBox, QWidget

from ...report.document import MAX_AGENCY_CHARS, MAX_TITLE_CHARS, deadline
from ..session import ReportSession
from .date_field import DateField


class MetaForm(QGroupBox):
    def __init__(self, session: ReportSession, parent: QWidget | None = None) -> None:
        super().__init__("报告信息", parent)
        self.session = session
        self.agency = QLineEdit()
        self.agency.setObjectName("meta.agency")
        self.agency.setPlaceholderText("机关全称，如：某市某区数据资源管理局")
        self.agency.setMaxLength(MAX_AGENCY_CHARS)
        self.year = QSpinBox()
        self.year.setObjectName("meta.year")
        self.year.setRange(2018, 2100)
        self.year.setSpecialValueText("未填写")
        self.level = QComboBox()
        self.level.setObjectName("meta.level")
        self.level.addItem("部门（次年1月31日前公布）", "department")
        self.level.addItem("人民政府（次年3月31日前公布）", "government")
        self.date = DateField()
        self.date.edit.setObjectName("meta.date")
        self.title = QLineEdit()
        self.title.setObjectName("meta.title")
        self.title.setMaxLength(MAX_TITLE_CHARS)
        layout = QFormLayout(self)
        layout.addRow("机关名称", self.agency)
        layout.addRow("报告年度", self.year)
        layout.addRow("报告类型", self.level)
        layout.addRow("成文日期", self.date)
        layout.addRow("标题", self.title)
        self.load()
        self.agency.textEdited.connect(lambda text: session.set_meta("agency", text))
        self.year.valueChanged.connect(self._year_changed)
        self.level.currentIndexChanged.connect(lambda _i: session.set_meta("level", self.level.currentData()))
        self.date.dateEdited.connect(
            lambda d: session.set_meta("date", d if isinstance(d, str) or d is None else d.isoformat()))
        self.title.textEdited.connect(self._title_edited)
        session.metaChanged.connect(lambda _f: self.load())
        session.reportReplaced.connect(self.load)

    def load(self) -> None:
        """Show the report's metadata without echoing the changes back as edits."""
        meta = self.session.report.meta
        widgets = (self.agency, self.year, self.level, self.date, self.title)
        for w in widgets:
            w.blockSignals(True)
        try:
            if self.agency.text() != meta.agency:
                self.agency.setText(meta.agency)
            self.year.setValue(meta.year or self.year.minimum())
            self.level.setCurrentIndex(1 if meta.level == "government" else 0)
            if meta.date and meta.parsed_date() is None:  # text that is no date: shown with its hint
                if self.date.edit.text() != meta.date or self.date.hint.isHidden():
                    self.date.set_raw(meta.date)
            else:
                self.date.set_date(meta.parsed_date())
            if meta.year:  # 成文日期 falls early in the year after the report's year
                self.date.default_page = (meta.year + 1, 1)
            if self.title.text() != meta.title:
                self.title.setText(meta.title)
            # what is not filled in yet is named, not left out (“默认：年政府信息公开…”)
            self.title.setPlaceholderText(f"默认：{meta.agency or '〔机关名称〕'}{meta.year or '××××'}"
                                          "年政府信息公开工作年度报告")
            if meta.year:
                limit = deadline(meta.year, meta.level)
                self.date.setToolTip(f"法定公布期限：{limit.year}年{limit.month}月{limit.day}日")
        finally:
            for w in widgets:
                w.blockSignals(False)

    def _year_changed(self, value: int) -> None:
        self.session.set_meta("year", None if value == self.year.minimum() else value)

    def _title_edited(self, text: str) -> None:
        self.session.set_meta("title", text.strip())
