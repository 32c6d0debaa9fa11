"""The 报告信息与正文 tab: metadata form, the three narrative sections with their guidance."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...report.findings import Finding
from ..session import ReportSession, core_rules
from .meta_form import MetaForm
from .narrative import NarrativeEditor

SECTIONS = {"s1": "一、总体情况", "s5": "五、存在的主要问题及改进情况", "s6": "六、其他需要报告的事项"}
FEE_SENTENCE = "本年度未收取信息处理费。"
DRAFT_KEY = "Ctrl+Shift+D"  # 起草 in 一 (listed in 帮助 → 快捷键)


class TextPage(QScrollArea):
    """Metadata and narrative. ``editors`` maps section id → :class:`NarrativeEditor`.

    ``message(str)``: a passing word for the status bar (what 起草 did, or why it did nothing).
    """

    message = Signal(str)

    def __init__(self, session: ReportSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWidgetResizable(True)
        body = QWidget()
        self.setWidget(body)
        layout = QVBoxLayout(body)
        self.meta = MetaForm(session)
        layout.addWidget(self.meta)
        self.editors: dict[str, NarrativeEditor] = {}
        self.counts: dict[str, QLabel] = {}
        self.topic_labels: list[QLabel] = []
        for sid, title in SECTIONS.items():
            editor = NarrativeEditor(session, sid)
            editor.setMinimumHeight(220 if sid != "s6" else 140)
            editor.setAccessibleName(title)
            self.editors[sid] = editor
            layout.addLayout(self._header(sid, title))
            if sid == "s1":
                layout.addLayout(self._topics())
            if sid == "s5":
                layout.addWidget(self._with_last_year(editor))
            else:
                layout.addWidget(editor)
            if sid == "s6":
                layout.addLayout(self._fee_hint(editor))
        layout.addStretch(1)
        self._text_shown: tuple = ()
        session.findingsChanged.connect(self.refresh)
        session.reportReplaced.connect(self._on_replaced)
        self.refresh()

    def highlight_leads(self) -> None:
        """Colour the run-in sub-headings of the editors (a staged start: just after the first paint)."""
        for editor in self.editors.values():
            editor.highlight_leads()

    def _header(self, sid: str, title: str) -> QHBoxLayout:
        row = QHBoxLayout()
        label = QLabel(title)
        row.addWidget(label)
        row.addStretch(1)
        count = QLabel()
        count.setObjectName(f"count.{sid}")
        self.counts[sid] = count
        row.addWidget(count)
        # a push button lays its menu arrow out beside the text (a tool button drew it over 字)
        button = QPushButton("插入表格数字")
        button.setObjectName(f"insert.{sid}")
        button.setToolTip("插入随表格自动更新的数字，导出时为普通文字")
        menu = QMenu(button)  # its items are made when it first opens (26 figures, three menus)
        menu.aboutToShow.connect(lambda m=menu, s=sid: self._show_values(m, s))
        button.setMenu(menu)
        row.addWidget(button)
        if sid == "s1":
            row.addWidget(self._draft_button())
        return row

    def _draft_button(self) -> QPushButton:
        """起草: the sentences of 一 that restate the tables, with live figures (see report/draft.py)."""
        button = QPushButton("起草")
        button.setObjectName("draft.s1")
        button.setToolTip(f"按表格起草总体情况中复述表格数字的句子，数字随表格自动更新（{DRAFT_KEY}：光标所在部分）")
        menu = QMenu(button)  # its items are made when it first opens (the drafting data loads then)
        menu.setObjectName("draft.menu")
        menu.setToolTipsVisible(True)
        menu.aboutToShow.connect(lambda m=menu: self._show_drafts(m))
        button.setMenu(menu)
        shortcut = QShortcut(QKeySequence(DRAFT_KEY), self.editors["s1"])
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(lambda: self.draft(None))
        self.draft_menu = menu
        return button

    def _fill_draft_menu(self, menu: QMenu) -> None:
        from ...report.draft import load_style

        here = menu.addAction(f"光标所在部分\t{DRAFT_KEY}")
        here.setObjectName("draft.here")
        here.triggered.connect(lambda: self.draft(None))
        menu.addSeparator()
        style = load_style(self.session.report.schema.template)
        for t in style.topics:
            act = menu.addAction(t.name)
            act.setObjectName(f"draft.{t.topic}")
            act.setData(t.topic)
            act.triggered.connect(lambda _=False, name=t.topic: self.draft(name))
        whole = menu.addAction("整个总体情况（" + "、".join(t.topic for t in style.topics) + "）")
        whole.setObjectName("draft.all")
        whole.triggered.connect(lambda: self.draft("*"))

    def _show_drafts(self, menu: QMenu) -> None:
        """Each topic's item shows, as its tooltip, the sentences it would insert now."""
        from ...report.draft import draft_topic

        if menu.isEmpty():
            self._fill_draft_menu(menu)
        report = self.session.report
        for act in menu.actions():
            topic = act.data()
            if topic:
                act.setToolTip(report.render(draft_topic(report, topic)))

    def draft(self, topic: str | None) -> None:
        """起草 into 一 (the clerk's action): see :meth:`NarrativeEditor.insert_draft`."""
        result = self.editors["s1"].insert_draft(topic)
        done = "已起草：" + "、".join(result.topics) + "（数字随表格自动更新；Ctrl+Z 撤销）" if result.topics else ""
        self.message.emit("；".join(t for t in (done, result.note) if t))

    def _show_values(self, menu: QMenu, sid: str) -> None:
        """Each item names the value it inserts now (the field then follows the table)."""
        report = self.session.report
        if menu.isEmpty():
            for fig in report.schema.figures:
                act = menu.addAction(fig.name)
                act.setObjectName(f"figure.{fig.id}")
                act.setData(fig.name)
                act.triggered.connect(lambda _=False, f=fig.id: self.editors[sid].insert_figure(f))
        for act in menu.actions():
            fid = act.objectName().removeprefix("figure.")
            value = report.figure_value(fid)
            act.setText(f"{act.data()}：{value if value is not None else '（表格中未填）'}")
            act.setEnabled(value is not None)

    def focus_target(self) -> QWidget:
        """Where typing goes when this page is shown by keyboard: the field used last, else 机关名称."""
        last = self.focusWidget()
        return last if last is not None and self.isAncestorOf(last) else self.meta.agency

    def _topics(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel("须涵盖："))
        for i, (name, _) in enumerate(self.session.report.schema.topics):
            label = QLabel()
            label.setObjectName(f"topic.{i + 1}")
            label.setProperty("topic", name)
            self.topic_labels.append(label)
            row.addWidget(label)
        row.addStretch(1)
        return row

    def _with_last_year(self, editor: NarrativeEditor) -> QSplitter:
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(editor)
        panel = QWidget()
        box = QVBoxLayout(panel)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(QLabel("上年报告的“存在的主要问题及改进情况”（对照说明整改情况）："))
        self.last_s5 = QPlainTextEdit()
        self.last_s5.setObjectName("last.s5")
        self.last_s5.setReadOnly(True)
        box.addWidget(self.last_s5)
        split.addWidget(panel)
        self.last_panel = panel
        return split

    def _fee_hint(self, editor: NarrativeEditor) -> QHBoxLayout:
        row = QHBoxLayout()
        hint = QLabel("提示：须说明信息处理费收取情况（如“收取信息处理费N元”或“未收取信息处理费”）。")
        hint.setWordWrap(True)
        row.addWidget(hint, 1)
        button = QPushButton("插入“未收取信息处理费”")
        button.setObjectName("insert.fee")
        button.clicked.connect(lambda: self._insert_paragraph(editor, FEE_SENTENCE))
        row.addWidget(button)
        return row

    @staticmethod
    def _insert_paragraph(editor: NarrativeEditor, text: str) -> None:
        cursor = editor.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        if editor.toPlainText().strip():
            cursor.insertBlock()
        cursor.insertText(text, editor.plain)
        editor.setTextCursor(cursor)

    def _on_replaced(self) -> None:
        last = self.session.report.last
        self.last_s5.setPlainText("\n".join(last.paragraphs("s5")) if last else "")
        self.refresh()

    def refresh(self) -> None:
        report = self.session.report
        # topics and counts follow from the text and the figures in its fields alone: after a table
        # edit (most refreshes) nothing here changed, and a long 一 costs a pass over all of it
        text = (report, tuple(tuple(report.sections.get(sid, ())) for sid in SECTIONS),
                tuple(tuple(ed.figures_shown().items()) for ed in self.editors.values()))
        if text != self._text_shown and self.session.checked:  # (a staged start: once the rules have loaded)
            self._text_shown = text
            missing = set(core_rules().missing_topics(report))
            for label in self.topic_labels:
                name = label.property("topic")
                ok = name not in missing
                label.setText(("☑ " if ok else "☐ ") + name)
                style = "color: #1b7f3b;" if ok else "color: #8a6d00;"
                if label.styleSheet() != style:  # a new style sheet re-polishes the label
                    label.setStyleSheet(style)
            for sid, label in self.counts.items():
                label.setText(f"{self.editors[sid].char_count()} 字")
        self.last_panel.setVisible(report.last is not None)
        if report.last is not None and not self.last_s5.toPlainText():
            self.last_s5.setPlainText("\n".join(report.last.paragraphs("s5")))

    def reveal_cursor(self, editor: QPlainTextEdit) -> None:
        """Scroll the editor and then this page so the selected sentence is on screen (the page
        scrolls too: on a 768-pixel screen an editor is often only partly visible)."""
        QApplication.processEvents()  # the tab may just have been switched: lay it out first
        editor.ensureCursorVisible()
        rect = editor.cursorRect()
        centre = editor.viewport().mapTo(self.widget(), rect.center())
        self.ensureVisible(centre.x(), centre.y(), 20, rect.height() + 24)

    def show_finding(self, finding: Finding) -> bool:
        """Findings about the text or the metadata: focus where they point. False if not ours."""
        sid = finding.detail.get("section")
        sid = sid if sid in self.editors else {"n.topics": "s1", "n.fee": "s6"}.get(finding.rule)
        if sid is not None:
            self.editors[sid].select_finding(finding)
            self.reveal_cursor(self.editors[sid])
            return True
        field = finding.detail.get("field") or ("date" if finding.rule == "meta.deadline" else None)
        widget = {"agency": self.meta.agency, "year": self.meta.year, "date": self.meta.date}.get(field or "")
        if widget is not None:
            self.ensureWidgetVisible(widget)
            widget.setFocus()
            QApplication.processEvents()
            return True
        return False
