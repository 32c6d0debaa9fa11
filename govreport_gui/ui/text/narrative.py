"""The editor of one narrative section (一, 五 or 六): plain paragraphs, one per line, as printed.

- Every change becomes a ``SectionEdit`` on the window's undo stack (typing bursts merge), so
  Ctrl+Z undoes text and table edits in the order they were made.
- Live figure fields: a table quantity inserted with “插入表格数字” is stored as ``{{fig:new}}``,
  shown as its current value (shaded) and updated when the table changes.
- Findings about this section (n.figure) are underlined, with the message as tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QKeySequence,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from ...export.layout import split_lead
from ...report.document import FIELD
from ...report.messages import describe
from ..session import ReportSession

FIELD_PROPERTY = QTextFormat.Property.UserProperty + 1
FIELD_BG = QColor("#dcebfb")


class LeadHighlighter(QSyntaxHighlighter):
    """Run-in sub-headings（一）… in bold, as they will print in 楷体."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.lead = QTextCharFormat()
        self.lead.setFontWeight(700)
        self.lead.setForeground(QColor("#5a2d0c"))

    def highlightBlock(self, text: str) -> None:  # noqa: N802
        lead, _, _ = split_lead(text)
        if lead:
            self.setFormat(0, len(lead), self.lead)


class NarrativeEditor(QPlainTextEdit):
    def __init__(self, session: ReportSession, sid: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.sid = sid
        self.setObjectName(f"editor.{sid}")
        self.setUndoRedoEnabled(False)  # the window's undo stack owns undo
        self.setTabChangesFocus(True)
        self._loading = False
        self._pushing = False
        self.highlighter = LeadHighlighter(self.document())
        self.plain = QTextCharFormat()
        self.load()
        self.textChanged.connect(self._on_text_changed)
        self.cursorPositionChanged.connect(self._leave_field)
        session.sectionChanged.connect(self._on_section_changed)
        session.cellsChanged.connect(lambda _keys: self.refresh_fields())
        session.findingsChanged.connect(self.show_findings)
        session.reportReplaced.connect(self.load)

    # --- report ↔ text ----------------------------------------------------------------------------
    def field_format(self, fid: str) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setProperty(FIELD_PROPERTY, fid)
        fmt.setBackground(FIELD_BG)
        fmt.setToolTip("表格数字（随表格自动更新）")
        return fmt

    def load(self) -> None:
        """Show the report's paragraphs, fields rendered as their current values."""
        self._loading = True
        try:
            self.clear()
            cursor = self.textCursor()
            for i, para in enumerate(self.session.report.sections.get(self.sid, [])):
                if i:
                    cursor.insertBlock()
                pos = 0
                for m in FIELD.finditer(para):
                    cursor.insertText(para[pos:m.start()], self.plain)
                    value = self.session.report.figure_value(m.group(1))
                    cursor.insertText(str(value) if value is not None else m.group(0), self.field_format(m.group(1)))
                    pos = m.end()
                cursor.insertText(para[pos:], self.plain)
            self.moveCursor(QTextCursor.MoveOperation.Start)
        finally:
            self._loading = False
        self.show_findings()

    def paragraphs(self) -> list[str]:
        """The text as stored: one paragraph per line, intact fields as ``{{fig:id}}``."""
        out = []
        block = self.document().begin()
        while block.isValid():
            parts = []
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                fid = frag.charFormat().property(FIELD_PROPERTY)
                value = self.session.report.figure_value(fid) if fid else None
                if fid and value is not None and frag.text() == str(value):
                    parts.append(f"{{{{fig:{fid}}}}}")
                else:
                    parts.append(frag.text())  # a field the clerk typed into is plain text now
                it += 1
            out.append("".join(parts))
            block = block.next()
        while out and not out[-1].strip():
            out.pop()
        return out

    def _on_text_changed(self) -> None:
        if not self._loading:
            self._pushing = True  # our own edit echoes back as sectionChanged: nothing to reload
            try:
                self.session.set_section(self.sid, self.paragraphs())
            finally:
                self._pushing = False

    def _on_section_changed(self, sid: str) -> None:
        if sid != self.sid or self._loading or self._pushing:
            return
        if self.paragraphs() != self.session.report.sections.get(sid, []):
            position = self.textCursor().position()
            self.load()  # undo/redo changed the text under us
            cursor = self.textCursor()
            cursor.setPosition(min(position, len(self.toPlainText())))
            self.setTextCursor(cursor)

    # --- fields -------------------------------------------------------------------------------------
    def insert_figure(self, fid: str) -> None:
        value = self.session.report.figure_value(fid)
        if value is None:
            return
        cursor = self.textCursor()
        cursor.insertText(str(value), self.field_format(fid))
        self.setCurrentCharFormat(self.plain)  # what is typed next is ordinary text
        self.setFocus()

    def _leave_field(self) -> None:
        if self.currentCharFormat().property(FIELD_PROPERTY):
            self.setCurrentCharFormat(self.plain)

    def refresh_fields(self) -> None:
        """A table changed: every field shows its figure's new value (the stored text is unchanged)."""
        changes = []
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                fid = frag.charFormat().property(FIELD_PROPERTY)
                if fid:
                    value = self.session.report.figure_value(fid)
                    if value is not None and frag.text() != str(value):
                        changes.append((frag.position(), frag.length(), str(value), fid))
                it += 1
            block = block.next()
        if not changes:
            return
        self._loading = True
        try:
            for pos, length, text, fid in reversed(changes):
                cursor = QTextCursor(self.document())
                cursor.setPosition(pos)
                cursor.setPosition(pos + length, QTextCursor.MoveMode.KeepAnchor)
                cursor.insertText(text, self.field_format(fid))
        finally:
            self._loading = False

    # --- findings ---------------------------------------------------------------------------------
    def _my_findings(self):  # type: ignore[no-untyped-def]
        return [f for f in self.session.findings if f.open and f.detail.get("section") == self.sid and "start" in f.detail]

    def show_findings(self) -> None:
        selections = []
        for f in self._my_findings():
            block = self.document().findBlockByNumber(f.detail["paragraph"])
            if not block.isValid():
                continue
            sel = QTextEdit.ExtraSelection()
            sel.cursor = QTextCursor(block)
            sel.cursor.setPosition(block.position() + f.detail["start"])
            sel.cursor.setPosition(block.position() + min(f.detail["end"], block.length() - 1),
                                   QTextCursor.MoveMode.KeepAnchor)
            sel.format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            sel.format.setUnderlineColor(QColor("#c0392b"))
            sel.format.setBackground(QColor("#fdecea"))
            selections.append(sel)
        self.setExtraSelections(selections)

    def select_finding(self, finding) -> None:  # type: ignore[no-untyped-def]
        """Put the cursor on the sentence a finding names (or the start of the section)."""
        cursor = QTextCursor(self.document())
        if "paragraph" in finding.detail:
            block = self.document().findBlockByNumber(finding.detail["paragraph"])
            cursor = QTextCursor(block)
            cursor.setPosition(block.position() + finding.detail.get("start", 0))
            cursor.setPosition(block.position() + min(finding.detail.get("end", 0), block.length() - 1),
                               QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        self.setFocus()

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip:
            cursor = self.cursorForPosition(e.pos())  # type: ignore[attr-defined]
            block, col = cursor.blockNumber(), cursor.positionInBlock()
            for f in self._my_findings():
                if f.detail["paragraph"] == block and f.detail["start"] <= col <= f.detail["end"]:
                    QToolTip.showText(e.globalPos(), describe(f), self)  # type: ignore[attr-defined]
                    return True
        return super().event(e)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.matches(QKeySequence.StandardKey.Undo):
            self.session.stack.undo()
            return
        if event.matches(QKeySequence.StandardKey.Redo) or (
            event.key() == Qt.Key.Key_Y and event.modifiers() == Qt.KeyboardModifier.ControlModifier
        ):
            self.session.stack.redo()
            return
        super().keyPressEvent(event)

    def char_count(self) -> int:
        """Characters as printed, without spaces and line breaks (what offices call 字数)."""
        return len("".join(self.session.report.section_text(self.sid).split()))
