"""The editor of one narrative section (一, 五 or 六): plain paragraphs, one per line, as printed.

- Every change becomes a ``SectionEdit`` on the window's undo stack (typing bursts merge), so
  Ctrl+Z undoes text and table edits in the order they were made.
- Live figure fields: a table quantity inserted with “插入表格数字” is stored as ``{{fig:new}}``,
  shown as its current value (shaded) and updated when the table changes; a change against last
  year (``{{yoy:new}}``, “，同比增长12.5%”) likewise.
- 起草 (:meth:`NarrativeEditor.insert_draft`): the sentences that restate the tables, drafted by the
  core (:mod:`report.draft`) with live fields, inserted as one undo step without touching the text.
- Findings about this section (n.figure) are underlined, with the message as tooltip.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QColor, QKeySequence, QSyntaxHighlighter
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from ...report.document import FIELDS
from ...report.edits import SectionEdit
from ..session import ReportSession

if TYPE_CHECKING:  # (each Qt class PySide touches is built with all its enums: these wait for first use)
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent, QTextCharFormat, QTextDocument

    from ...report.draft import Drafted  # (the drafting data loads with the first 起草)

# QTextFormat.Property.UserProperty + 1, written out: QTextCharFormat and QTextFormat (~13 M instructions
# with their enums, a tenth of what GovReport adds to Qt's start) and QTextCursor are built when a
# text first has a live field, an underline or a draft, or when the run-in headings are coloured
# (in a staged start, just after the first paint: :meth:`NarrativeEditor.highlight_leads`)
FIELD_PROPERTY = 0x100001
FIELD_BG = QColor("#dcebfb")


class LeadHighlighter(QSyntaxHighlighter):
    """Run-in sub-headings（一）… in their own colour, as they will print in 楷体. (Not bold: the bold
    CJK face is another font file, ~4 MiB mapped, and its glyphs rasterised at start, for a few
    characters of the first page.)"""

    def __init__(self, document: QTextDocument) -> None:
        from PySide6.QtGui import QTextCharFormat

        from ...report.headings import split_lead

        self.split_lead = split_lead
        super().__init__(document)
        self.lead = QTextCharFormat()
        self.lead.setForeground(QColor("#5a2d0c"))

    def highlightBlock(self, text: str) -> None:  # noqa: N802
        lead, _, _ = self.split_lead(text)
        if lead:
            self.setFormat(0, len(lead), self.lead)


class FindingTips(QObject):
    """Tooltips over the underlined sentences: an event filter on the editor's viewport, installed
    when the editor first underlines a finding (an ``event()`` override put every event of the
    three editors through Python from the first paint on)."""

    def __init__(self, editor: NarrativeEditor) -> None:
        # built when first needed (QEvent has ~180 event types); kept, as an import per event or
        # per underline would go through PySide's import hook
        from PySide6.QtCore import QEvent
        from PySide6.QtWidgets import QTextEdit

        super().__init__(editor)
        self.editor = editor
        self.tooltip = QEvent.Type.ToolTip
        self.selection = QTextEdit.ExtraSelection  # an underline
        editor.viewport().installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == self.tooltip:
            return self.editor.finding_tip(event.pos(), event.globalPos())  # type: ignore[attr-defined]
        return False


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
        self.highlighter: LeadHighlighter | None = None  # highlight_leads()
        self._plain: QTextCharFormat | None = None
        self._fields: set[str] = set()  # the live fields this text has (fig:new, yoy:new), loaded or inserted
        self._fields_shown: dict[str, str | None] = {}  # their texts at the last load/refresh
        self._marked: list[tuple[int, int, int]] = []  # the findings underlined now
        self._reloaded = True
        self._tips: FindingTips | None = None
        self.load()
        self.textChanged.connect(self._on_text_changed)
        self.cursorPositionChanged.connect(self._leave_field)
        session.sectionChanged.connect(self._on_section_changed)
        session.cellsChanged.connect(lambda _keys: self.refresh_fields())
        self._last_seen = session.report.last
        session.findingsChanged.connect(self._last_year_changed)
        session.findingsChanged.connect(self.show_findings)
        session.reportReplaced.connect(self.load)

    def highlight_leads(self) -> None:
        """Colour the run-in sub-headings (once; a staged start does it just after the first paint)."""
        if self.highlighter is None:
            self.highlighter = LeadHighlighter(self.document())

    @property
    def plain(self) -> QTextCharFormat:
        """The format of ordinary text (what is typed after a field)."""
        if self._plain is None:
            from PySide6.QtGui import QTextCharFormat

            self._plain = QTextCharFormat()
        return self._plain

    # --- report ↔ text ----------------------------------------------------------------------------
    def field_format(self, ref: str) -> QTextCharFormat:
        """The format of a live field; ``ref`` is ``fig:new`` or ``yoy:new``."""
        from PySide6.QtGui import QTextCharFormat

        fmt = QTextCharFormat()
        fmt.setProperty(FIELD_PROPERTY, ref)
        fmt.setBackground(FIELD_BG)
        fmt.setToolTip("与上年相比（随表格和上年报告自动更新）" if ref.startswith("yoy:") else "表格数字（随表格自动更新）")
        return fmt

    def _shown(self, ref: str) -> str | None:
        kind, _, fid = ref.partition(":")
        return self.session.report.field_text(kind, fid)

    def load(self) -> None:
        """Show the report's paragraphs, fields rendered as their current values."""
        self._loading = True
        paragraphs = self.session.report.sections.get(self.sid, [])
        try:
            self._fields = set()
            if any("{{" in p for p in paragraphs):
                self._insert_with_fields(paragraphs)
            else:  # no field (most texts): plain text in one call, the cursor at the start
                self.setPlainText("\n".join(paragraphs))
        finally:
            self._loading = False
        self._fields_shown = self._field_texts()
        self._reloaded = True  # the text is new: underline again
        self.show_findings()

    def _insert_with_fields(self, paragraphs: list[str]) -> None:
        from PySide6.QtGui import QTextCursor

        self.clear()
        cursor = self.textCursor()
        cursor.beginEditBlock()  # laid out and highlighted once, not after every piece inserted
        for i, para in enumerate(paragraphs):
            if i:
                cursor.insertBlock()
            pos = 0
            for m in FIELDS.finditer(para):
                cursor.insertText(para[pos:m.start()], self.plain)
                ref = f"{m.group(1)}:{m.group(2)}"
                shown = self._shown(ref)
                if shown is None and m.group(1) == "fig":
                    shown = m.group(0)
                if shown:  # a change against an unknown last year is left out, as printed
                    cursor.insertText(shown, self.field_format(ref))
                    self._fields.add(ref)
                pos = m.end()
            cursor.insertText(para[pos:], self.plain)
        cursor.endEditBlock()
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def paragraphs(self) -> list[str]:
        """The text as stored: one paragraph per line, intact fields as ``{{fig:id}}`` / ``{{yoy:id}}``."""
        out = []
        block = self.document().begin()
        while block.isValid():
            parts = []
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                ref = frag.charFormat().property(FIELD_PROPERTY)
                value = self._shown(ref) if ref else None
                if ref and value is not None and frag.text() == value:
                    parts.append(f"{{{{{ref}}}}}")
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
        self._fields.add(f"fig:{fid}")
        self._fields_shown[f"fig:{fid}"] = self._shown(f"fig:{fid}")
        cursor = self.textCursor()
        cursor.insertText(str(value), self.field_format(f"fig:{fid}"))
        self.setCurrentCharFormat(self.plain)  # what is typed next is ordinary text
        self.setFocus()

    def _leave_field(self) -> None:
        if self.currentCharFormat().property(FIELD_PROPERTY):
            self.setCurrentCharFormat(self.plain)

    def _field_texts(self) -> dict[str, str | None]:
        return {ref: self._shown(ref) for ref in self._fields}

    def figures_shown(self) -> dict[str, str | None]:
        """What this text's fields show (the text as printed depends on nothing else)."""
        return self._fields_shown

    def refresh_fields(self) -> None:
        """A table changed: every field shows its figure's new value (the stored text is unchanged)."""
        if not self._fields:
            return  # no field in this text (most sections): nothing to follow
        shown = self._field_texts()
        if shown == self._fields_shown:
            return  # most keystrokes change none of our fields: no walk over a long text
        self._fields_shown = shown
        changes = []
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                ref = frag.charFormat().property(FIELD_PROPERTY)
                if ref:
                    value = self._shown(ref)
                    if value and frag.text() != value:
                        changes.append((frag.position(), frag.length(), value, ref))
                it += 1
            block = block.next()
        if not changes:
            return
        from PySide6.QtGui import QTextCursor

        self._loading = True
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()  # one re-layout for all the fields, not one per field
        try:
            for pos, length, text, ref in reversed(changes):
                cursor.setPosition(pos)
                cursor.setPosition(pos + length, QTextCursor.MoveMode.KeepAnchor)
                cursor.insertText(text, self.field_format(ref))
        finally:
            cursor.endEditBlock()
            self._loading = False

    def _last_year_changed(self) -> None:
        """检查 → 加载上年报告用于比对 attaches another last year: the 同比 fields follow it."""
        if self.session.report.last is not self._last_seen:
            self._last_seen = self.session.report.last
            self.refresh_fields()

    # --- 起草 ---------------------------------------------------------------------------------------
    def insert_draft(self, topic: str | None = None) -> Drafted:
        """Draft the sentences that restate the tables (see :func:`report.draft.draft_into`): for
        the sub-heading under the cursor, or ``topic``, or every topic (``"*"``). Inserted at the
        cursor or after the sub-heading, after a selection rather than over it, as one undo step."""
        from PySide6.QtGui import QTextCursor

        from ...report.draft import draft_into, shown_offset, stored_offset

        report = self.session.report
        paras = list(report.sections.get(self.sid, []))
        cur = self.textCursor()
        block = self.document().findBlock(max(cur.position(), cur.anchor()))
        i, col = block.blockNumber(), max(cur.position(), cur.anchor()) - block.position()
        while len(paras) <= i:  # blank lines at the end: the editor keeps them, the report does not
            paras.append("")
        result = draft_into(report, paras, (i, stored_offset(report, paras[i], col)), topic)
        if result.topics:
            drafted = list(result.paragraphs)
            while drafted and not drafted[-1].strip():
                drafted.pop()  # the blank lines added above, if the draft went elsewhere
            self.session.push(SectionEdit(self.sid, tuple(drafted)), "起草", merge=False)
            row, offset = result.cursor
            target = self.document().findBlockByNumber(row)
            if target.isValid():
                cursor = QTextCursor(target)
                cursor.setPosition(target.position() + min(shown_offset(report, result.paragraphs[row], offset),
                                                           target.length() - 1))
                self.setTextCursor(cursor)
                self.ensureCursorVisible()
        self.setFocus()
        return result

    # --- findings ---------------------------------------------------------------------------------
    def _my_findings(self):  # type: ignore[no-untyped-def]
        return [f for f in self.session.findings if f.open and f.detail.get("section") == self.sid and "start" in f.detail]

    def show_findings(self) -> None:
        mine = self._my_findings()
        marked = [(f.detail["paragraph"], f.detail["start"], f.detail["end"]) for f in mine]
        if marked == self._marked and not self._reloaded:
            return  # the same underlines: setting them again repaints the editor
        self._reloaded = False
        if not marked:
            if self._marked:  # (an empty list for an editor that never underlined: no call at all)
                self.setExtraSelections([])
            self._marked = marked
            return
        self._marked = marked
        if self._tips is None:
            self._tips = FindingTips(self)
        from PySide6.QtGui import QTextCharFormat, QTextCursor

        selections = []
        for f in mine:
            block = self.document().findBlockByNumber(f.detail["paragraph"])
            if not block.isValid():
                continue
            sel = self._tips.selection()
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
        from PySide6.QtGui import QTextCursor

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

    def finding_tip(self, pos: QPoint, global_pos: QPoint) -> bool:
        """The message of the finding underlined at ``pos`` (viewport coordinates) as a tooltip."""
        cursor = self.cursorForPosition(pos)
        block, col = cursor.blockNumber(), cursor.positionInBlock()
        for f in self._my_findings():
            if f.detail["paragraph"] == block and f.detail["start"] <= col <= f.detail["end"]:
                from PySide6.QtWidgets import QToolTip

                from ...report.messages import describe

                QToolTip.showText(global_pos, describe(f), self)
                return True
        return False

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
