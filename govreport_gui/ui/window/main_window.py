"""The main window: the three tables as grids, the findings panel, files, undo, autosave."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...report.document import Report, Waiver, clean_text, new_report
from ...report.edits import CellEdit, WaiverEdit
from ...report.findings import Finding
from ...report.sharing import DiskState
from ...report.totals import recompute_all
from .. import settings
from ..checks.findings_panel import FindingsModel, FindingsView
from ..dialogs import Dialogs
from ..printout.print_actions import add_print_actions
from ..session import ReportSession
from ..text.text_page import TextPage
from . import keyboard
from .autosave import Autosave
from .drops import FileDrops
from .export_actions import add_export_actions
from .file_actions import FileActions, _native
from .help_menu import HELP_TITLE, add_help_menu
from .lazy_pages import OnDemand
from .notes_banner import NotesBanner
from .recovery import Recovery
from .window_fit import fit_findings, fit_to_screen

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QWindow
    from PySide6.QtWidgets import QCheckBox

    from ..grid.table_model import ReportTableModel
    from ..grid.table_view import ReportTableView

# Alt+letter reaches each tab (pinyin initials; none taken by a menu: F E C T H)
TEXT_TAB = "报告信息与正文(&B)"
TABLE_TABS = {"t2": "表二 主动公开(&Z)", "t3": "表三 依申请公开(&Y)", "t4": "表四 复议诉讼(&S)"}


@cache
def _window_text():  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QPalette  # (its class and enums, ~3 ms: after the first paint, once)

    return QPalette.ColorRole.WindowText


class MainWindow(FileActions, FileDrops, Autosave, QMainWindow):
    """The report window; its File actions and autosave live in ``file_actions`` and ``autosave``."""

    def __init__(self, report: Report | None = None, path: Path | None = None,
                 parent: QWidget | None = None, staged: bool = False) -> None:
        """``staged`` (the program's own start, ``app.main``): what the first paint does not need
        waits until just after it (:meth:`finish_start`): the checks and their marks, the file's
        lock and state on disk, remembering the file, the recovery question."""
        super().__init__(parent)
        self.setObjectName("main")
        self.setAcceptDrops(True)  # a report file dropped here opens (drops.py)
        self._pending: list[Callable[[], None]] | None = [] if staged else None
        self.session = ReportSession(report or new_report(), self, fresh=report is None, check=not staged)
        if path is not None and path.suffix.lower() == ".govreport":
            self.session.path = path
        for t in ("t2", "t3", "t4"):
            self.session.autofill[t] = settings.get(f"autofill/{t}")
        self.recovery = Recovery()
        self.models: OnDemand[ReportTableModel] = OnDemand(self._build_table)
        self.views: OnDemand[ReportTableView] = OnDemand(self._build_table)
        self.table_pages: dict[str, QWidget] = {}
        self.autofill_boxes: dict[str, QCheckBox] = {}

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("tabs")
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        self.autosave_warning = QLabel()  # a failed recovery write, until one works again (autosave.py)
        self.autosave_warning.setObjectName("autosave.warning")
        self.autosave_warning.setWordWrap(True)
        self.autosave_warning.setStyleSheet("background: #b00020; color: white; padding: 6px; font-weight: bold;")
        self.autosave_warning.hide()
        column.addWidget(self.autosave_warning)
        self.notes_box = NotesBanner()
        self.notes = self.notes_box.label
        column.addWidget(self.notes_box)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.text_page = TextPage(self.session)
        self.text_page.setObjectName("page.text")
        self.text_page.message.connect(self.show_message)
        self.later(self.text_page.highlight_leads)  # (QTextCharFormat's class: ~13 M instructions)
        self.tabs.addTab(self.text_page, TEXT_TAB)
        for tid, title in TABLE_TABS.items():
            self.table_pages[tid] = QWidget()
            self.table_pages[tid].setObjectName(f"page.{tid}")
            self.tabs.addTab(self.table_pages[tid], title)
        self.tabs.currentChanged.connect(lambda _i: self.current_view())  # a grid is built when first shown
        self._build_findings()
        self._build_status()
        self._build_menus()
        keyboard.install(self)

        self.session.stack.cleanChanged.connect(self.update_title)
        self.session.metaChanged.connect(self.update_title)
        self.session.reportReplaced.connect(self.update_title)
        self.session.reportReplaced.connect(self._on_replaced)
        self.session.findingsChanged.connect(self._update_counts)
        self._message_stale: Callable[[], bool] | None = None
        self.session.findingsChanged.connect(self._drop_stale_message)
        self.session.stack.indexChanged.connect(self._drop_stale_message)
        self.update_title()
        self._update_counts()
        self.start_autosave()
        self.start_sharing()
        QGuiApplication.instance().focusWindowChanged.connect(self._focus_moved)  # type: ignore[attr-defined]
        if path is not None:
            self._open_at_start(path)
        self._restore_layout()
        if self._pending is not None:
            self._pending.insert(0, self.session.recheck)  # first of all: the marks, the counts
            self._start_poll = QTimer(self)  # (the window's own: it stops if the window goes first)
            self._start_polls = 0
            self._start_poll.timeout.connect(self._finish_when_painted)
            self._start_poll.start(0)

    def _open_at_start(self, path: Path) -> None:
        """The window was made with ``path`` open (a double-click, ``govreport-gui FILE``): claim
        it, remember it, offer its recovery — in a staged start once the window has painted, unless
        someone else has it open (then the clerk is asked first, as ever)."""
        if not _native(path):
            self.session.stack.resetClean()  # imported: not saved as a report file yet
            self.update_title()
        self.show_notes(self.session.report.import_notes)
        self.later(lambda: self._remember(path))
        how = self.ask_how_to_open(path)  # someone else may have it open
        if how == "cancel":
            self._replace_quietly(new_report(), None, fresh=True)
            self.show_notes([])
        elif how == "edit":  # nobody else has it: ours (in a staged start, once it shows)
            self.later(lambda: self._claim_if_still_open(path))
        else:
            self.settle_open(path, how, DiskState.of(path) if _native(path) else None)
        # its recovery is offered once the window shows
        if self._pending is not None:
            self.later(self._check_recovery)
        else:
            QTimer.singleShot(0, self._check_recovery)

    def _claim_if_still_open(self, path: Path) -> None:
        if self.session.path == path:  # (not when another file was opened before the first paint)
            self.settle_open(path, "edit", DiskState.of(path))

    # --- a staged start -------------------------------------------------------------------------
    def later(self, job: Callable[[], None]) -> None:
        """Run ``job`` after the first paint of a staged start (at once otherwise)."""
        if self._pending is None:
            job()
        else:
            self._pending.append(job)

    def finish_start(self) -> None:
        """Do what a staged start left until after the first paint (once; nothing otherwise)."""
        pending, self._pending = self._pending, None
        for job in pending or ():
            job()

    def _finish_when_painted(self) -> None:
        """Polled from the event loop until the window is exposed (its first paint runs inside the
        expose; on X11 the expose comes from the server after the queued events); a window never
        shown (or minimised) finishes after ~2 s anyway. Keys typed meanwhile land: the window is
        whole, only the checks' marks are not drawn yet (an edit checks anyway), and a save claims
        the file first."""
        handle = self.windowHandle()
        self._start_polls += 1
        if self._pending is None or (handle is not None and handle.isExposed()) or self._start_polls > 400:
            self._start_poll.stop()
            self.finish_start()
        else:
            self._start_poll.setInterval(5)

    # --- building -------------------------------------------------------------------------------
    def _build_table(self, tid: str) -> None:
        """Fill ``tid``'s tab with its grid (once: on first look, or when something points there)."""
        from PySide6.QtWidgets import QCheckBox

        from ..grid.table_model import ReportTableModel
        from ..grid.table_view import ReportTableView

        table = self.session.report.schema.tables[tid]
        model = ReportTableModel(self.session, table, self)
        view = ReportTableView(model)
        view.setObjectName(f"grid.{tid}")
        view.setAccessibleName(table.caption)
        view.message.connect(self.show_message)
        view.refused.connect(self.show_refusal)
        self.models[tid], self.views[tid] = model, view

        page = self.table_pages[tid]
        bar = QHBoxLayout()
        caption = QLabel(table.caption)
        caption.setStyleSheet("font-weight: bold;")
        bar.addWidget(caption)
        bar.addStretch(1)
        box = QCheckBox("自动计算合计")
        box.setObjectName(f"autofill.{tid}")
        box.setToolTip("开启后，修改明细数时自动更新对应的总计；导入或手工填写的总计不会被悄悄覆盖")
        box.setChecked(self.session.autofill[tid])
        box.toggled.connect(lambda on, t=tid: self.set_autofill(t, on))
        self.autofill_boxes[tid] = box
        bar.addWidget(box)
        again = QPushButton("按明细重算合计")
        again.setObjectName(f"recompute.{tid}")
        again.clicked.connect(lambda _=False, t=tid: self.recompute_totals(t))
        bar.addWidget(again)
        totals = bool(self.session.report.schema.autofill.get(tid))
        if not totals:  # 表二 has no totals: no controls
            box.setChecked(False)
        layout = QVBoxLayout(page)
        layout.addLayout(bar)
        layout.addWidget(view, 1)
        # the page may be on screen already: show at once (a layout would show them only after
        # the event loop ran, and the first key typed would miss the grid)
        for widget in (caption, view, box, again):
            widget.setVisible(totals or widget in (caption, view))

    def _build_findings(self) -> None:
        self.findings_model = FindingsModel(self.session, self)
        self.findings_view = FindingsView(self.findings_model)
        self.findings_view.findingActivated.connect(self.go_to_finding)
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.findings_view, 1)
        row = QHBoxLayout()
        self.waive_button = QPushButton("说明理由（不再提醒）…")
        self.waive_button.setObjectName("waive")
        self.waive_button.clicked.connect(self.waive_current)
        self.unwaive_button = QPushButton("取消说明")
        self.unwaive_button.setObjectName("unwaive")
        self.unwaive_button.clicked.connect(self.unwaive_current)
        row.addStretch(1)
        row.addWidget(self.waive_button)
        row.addWidget(self.unwaive_button)
        layout.addLayout(row)
        dock = QDockWidget("校验结果", self)
        dock.setObjectName("findings.dock")
        dock.setWidget(panel)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.findings_dock = dock

    def _build_status(self) -> None:
        self._counts_colour = ""
        self.counts_label = QLabel()
        self.counts_label.setObjectName("status.counts")
        self.statusBar().addPermanentWidget(self.counts_label)

    def _action(self, menu: QMenu, text: str, slot, shortcut=None) -> QAction:  # type: ignore[no-untyped-def]
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(shortcut)
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    def _build_menus(self) -> None:
        """The menu bar's titles at once; their items (~45 actions with their shortcuts, ~10 M
        instructions) in a staged start just after the first paint."""
        bar = self.menuBar()
        menus = [bar.addMenu(title) for title in ("文件(&F)", "编辑(&E)", "检查(&C)", "表三(&T)", HELP_TITLE)]
        self.later(lambda: self._fill_menus(*menus))

    def _fill_menus(self, m: QMenu, e: QMenu, c: QMenu, t: QMenu, h: QMenu) -> None:
        self._action(m, "新建(&N)", self.new_file, QKeySequence.StandardKey.New)
        self._action(m, "由上年报告新建(&L)…", lambda: self._yearly("new_from_last"))
        self._action(m, "打开(&O)…", self.open_dialog, QKeySequence.StandardKey.Open)
        self._action(m, "汇总多个单位(&U)…", self._rollup)
        self.recent_menu = m.addMenu("最近打开(&R)")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        m.addSeparator()
        self._action(m, "保存(&S)", self.save, QKeySequence.StandardKey.Save)
        self._action(m, "另存为(&A)…", self.save_as, QKeySequence.StandardKey.SaveAs)
        self.file_menu = m
        m.addSeparator()
        self.export_separator = m.addSeparator()
        add_export_actions(self)
        add_print_actions(self)
        self._action(m, "退出(&X)", self.close, QKeySequence.StandardKey.Quit)

        undo = self.session.stack.createUndoAction(self, "撤销(&U)")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.session.stack.createRedoAction(self, "重做(&R)")
        redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        e.addAction(undo)
        e.addAction(redo)
        self.undo_action, self.redo_action = undo, redo
        e.addSeparator()
        self._action(e, "复制(&C)", self.copy_cells, QKeySequence.StandardKey.Copy)
        self._action(e, "粘贴(&P)", self.paste_cells, QKeySequence.StandardKey.Paste)
        self._action(e, "清除(&D)", self.clear_cells, QKeySequence.StandardKey.Delete)

        self.year_on_year_action = self._action(c, "显示上年数据（同比）(&Y)", lambda on: self._yearly("set_year_on_year", on))
        self.year_on_year_action.setCheckable(True)
        self._action(c, "加载上年报告用于比对(&L)…", lambda: self._yearly("load_comparison"))
        c.addSeparator()
        self._action(c, "说明理由（不再提醒）(&W)…", self.waive_current)
        self._action(c, "取消说明(&N)", self.unwaive_current)

        self._action(t, "从台账计算(&R)…", lambda: self._register("compute_from_register"))
        self._action(t, "生成空白台账(&B)…", lambda: self._register("write_blank_template"))
        add_help_menu(self, h)  # 帮助 last, as in every office program

    # menu actions whose modules load on first use: none of them is needed to show the window
    def _register(self, action: str) -> None:
        from ..register import register_dialog

        getattr(register_dialog, action)(self)

    def _yearly(self, action: str, *args: object) -> None:
        from . import yearly

        getattr(yearly, action)(self, *args)

    def _rollup(self) -> None:
        from ..rollup import rollup_window

        rollup_window.show_for(self)

    # --- title and status -----------------------------------------------------------------------
    def update_title(self, *_: object) -> None:
        name = self.session.path.name if self.session.path else "未命名报告"
        read_only = "（只读）" if getattr(self, "read_only", False) else ""
        self.setWindowTitle(f"{name}{read_only}[*] — GovReport")  # the report's title is on the 正文 page
        self.setWindowModified(not self.session.stack.isClean())

    def _update_counts(self) -> None:
        errors, warnings = self.session.counts()
        todo = self.session.todo_count()
        parts = [f"错误 {errors} 个 · 提醒 {warnings} 个"] if errors or warnings else []
        parts += [f"待填写 {todo} 项"] if todo else []
        self.counts_label.setText(" · ".join(parts) or ("全部校验通过" if self.session.checked else "正在校验…"))
        if not self.session.checked:
            return  # 正在校验… in the bar's own colour (QPalette's class and enums, ~3 ms, wait for the first check)
        colour = "#b00020" if errors else "#8a6d00" if warnings else "#35608a" if todo else "#1b7f3b"
        if colour == self._counts_colour:
            return
        self._counts_colour = colour
        palette = self.counts_label.palette()  # a palette, not a style sheet: re-polishing cost every keystroke
        palette.setColor(_window_text(), QColor(colour))
        self.counts_label.setPalette(palette)

    def show_message(self, text: str, stale: Callable[[], bool] | None = None) -> None:
        """A passing word in the status bar: gone after 10 s, cut short (“…”) before the error
        counter rather than running into it; the whole text is in the tooltip. ``stale``: asked
        after every later edit, the message goes as soon as it says True (it no longer applies)."""
        bar = self.statusBar()
        room = bar.width() - self.counts_label.sizeHint().width() - 40
        shown = bar.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, max(room, 80))
        bar.setToolTip(text if shown != text else "")
        bar.showMessage(shown, 10_000)
        self._message_stale = stale

    def show_refusal(self, text: str) -> None:
        """A figure that was not taken: said until the next edit that is taken ("": given up)."""
        if text:
            self.show_message(text, stale=lambda: True)
        elif self._message_stale is not None:
            self._message_stale = None
            self.statusBar().clearMessage()

    def _drop_stale_message(self) -> None:
        stale, self._message_stale = self._message_stale, None
        if stale is not None:
            if stale():
                self.statusBar().clearMessage()
                self.statusBar().setToolTip("")
            else:
                self._message_stale = stale

    def show_notes(self, notes: list[str], title: str = "导入说明") -> None:
        """What an import had to guess or could not read (or what a new year carried), above the
        tables until the next file."""
        if notes:
            items = "".join(f"<li>{n}</li>" for n in notes)
            self.notes_box.set_html(f"<b>{title}（{len(notes)}条）：</b> <a href='hide'>收起</a>"
                                    f"<ul style='margin:0'>{items}</ul>")
        self.notes_box.setVisible(bool(notes))

    # --- tables -----------------------------------------------------------------------------------
    def show_table(self, tid: str) -> ReportTableView:
        self.tabs.setCurrentWidget(self.table_pages[tid])
        return self.views[tid]

    def current_view(self) -> ReportTableView | None:
        page = self.tabs.currentWidget()
        for tid, table_page in self.table_pages.items():
            if table_page is page:
                return self.views[tid]
        return None

    def set_autofill(self, tid: str, on: bool) -> None:
        self.session.autofill[tid] = on
        settings.put(f"autofill/{tid}", on)
        self.models[tid].restyle_all()  # the computed totals' shading follows the switch

    def recompute_totals(self, tid: str) -> None:
        changes = recompute_all(self.session.report, tid)
        if changes:
            self.session.push(CellEdit.of(changes), "重算合计")
            self.show_message(f"已按明细重算 {len(changes)} 个合计（可撤销）")
        else:
            self.show_message("合计与明细一致，无需重算")

    def copy_cells(self) -> None:
        view = self.current_view()
        if view is not None:
            QGuiApplication.clipboard().setText(view.selection_text())

    def paste_cells(self) -> None:
        view = self.current_view()
        if view is not None:
            view.paste_text(QGuiApplication.clipboard().text())

    def clear_cells(self) -> None:
        view = self.current_view()
        if view is not None:
            view.clear_selection()

    # --- findings ---------------------------------------------------------------------------------
    def go_to_finding(self, finding: Finding) -> None:
        """Show where a finding points: the sentence for narrative findings (n.figure's cell is
        coloured in its grid at the same time), the field for metadata, else the first cell."""
        if "section" in finding.detail or finding.rule.startswith(("meta.", "n.")):
            self.tabs.setCurrentWidget(self.text_page)
            if self.text_page.show_finding(finding):
                return
        if finding.rule == "t3.balance" and "col" in finding.detail:
            from ..checks.finding_nav import balance_target

            target = balance_target(self.session.report, finding)
            self.show_table("t3").select_keys(target.select, target.focus)
            key = (finding.rule, finding.cells)
            self.show_message(target.hint, stale=lambda: all((f.rule, f.cells) != key for f in self.session.findings))
            return
        for key in finding.cells:
            table = self.session.report.schema.cells[key].table
            self.show_table(table).select_key(key)
            return

    def waive_current(self) -> None:
        f = self.findings_view.current_finding()
        if f is None:
            self.show_message("请先在校验结果中选中一条提醒")
            return
        if f.severity != "warning":
            Dialogs.error(self, "错误不能忽略，必须修改。只有“提醒”可以说明理由后不再提醒。")
            return
        from ...report.messages import describe

        reason = clean_text(Dialogs.waiver_reason(self, describe(f)) or "")  # printed on the sign-off sheet
        if reason:
            self.session.push(WaiverEdit.adding(self.session.report, Waiver(f.rule, f.cells, reason)), "说明理由")

    def unwaive_current(self) -> None:
        f = self.findings_view.current_finding()
        if f is not None and f.waived is not None:
            self.session.push(WaiverEdit.removing(self.session.report, f.rule, f.cells), "取消说明")

    # --- closing ----------------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        geometry = settings.get("window/geometry")
        restored = isinstance(geometry, QByteArray) and not geometry.isEmpty() and self.restoreGeometry(geometry)
        fit_to_screen(self, restored)
        state = settings.get("window/state")
        if not (isinstance(state, QByteArray) and not state.isEmpty() and self.restoreState(state)):
            fit_findings(self, self.findings_dock, self.findings_view)  # the grids get the room

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.confirm_discard():
            event.ignore()
            return
        settings.put("window/geometry", self.saveGeometry())
        settings.put("window/state", self.saveState())
        self.autosave_timer.stop()
        self._heartbeat.stop()
        self.recovery.close()
        self.release_file()
        event.accept()

    def _focus_moved(self, window: QWindow | None) -> None:
        """Back from another program (or a dialog): was the file changed meanwhile? (A signal, not a
        ``changeEvent`` override: a Python event handler makes PySide build ~50 event classes and
        QEvent's 180-member enum at start, ~5 ms.)"""
        if window is not None and window is self.windowHandle():
            QTimer.singleShot(0, self.check_disk)
