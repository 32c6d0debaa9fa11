"""Keystroke → window up to date, against a plain Qt table window in the same process (issue 19):

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_gui.py [--runs N] [--only NAME …]

What one keystroke costs the clerk is the edit *and* everything the event loop then runs before the
window shows it: queued signals, the repaints they ask for, deferred layouts. Each sample here is
the edit followed by :func:`drain` (``processEvents`` until the event dispatcher finds nothing more
to do), so nothing the edit caused is left for later.

The floor is the same edit in a plain ``QTableView`` over a ``QStandardItemModel`` of the same rows
and columns (or a plain ``QPlainTextEdit`` holding the same text), in a ``QMainWindow`` of the same
size, shown in the same process. Samples alternate between the floor and ours, so a busy moment
on the shared machine hits both. Times are wall clock and CPU time of the (only) GUI thread.

Scenarios (each edit toggles a finding, the expensive case: a finding appears, then goes):
- ``t3``, ``t2``, ``t4``: ``setData`` on one cell of the grid (the edit a committed cell makes);
- ``t3-typed``: the figure typed as a keyboard does: a digit opens the editor, Enter commits and
  moves down (two keystrokes; each is a sample);
- ``t3-long1``: ``t3`` while a long section 一 (≈10,000 characters, live figure fields) is open in
  the narrative editor;
- ``s1-typed``: a character typed into that long 一 (the floor: the same text in a QPlainTextEdit).

Goals: median ≤ 5× the floor and p99 ≤ 16 ms (one frame). Also: all rules after one edit ≤ 1 ms.
Cold start is measured by ``bench_startup.py``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT / "tests" / "data" / "sample-2025.govreport"
SIZE = (1280, 860)  # the window's preferred size (ui/window/window_fit.PREFERRED): all of 表三 on screen
# (table, cell, two values): the second value breaks a rule, the first mends it again
EDITS = {"t3": ("t3.new.natural_person", "57", "58"), "t2": ("t2.normative_doc.issued", "3", "4"),
         "t4": ("t4.review.total", "4", "5")}

Edit = Callable[[int], None]


def drain() -> int:
    """Run the event loop until it has nothing left: queued signals, posted events, repaints."""
    from PySide6.QtCore import QAbstractEventDispatcher, QEventLoop

    dispatcher = QAbstractEventDispatcher.instance()
    rounds = 0
    while dispatcher.processEvents(QEventLoop.ProcessEventsFlag.AllEvents) and rounds < 100:
        rounds += 1
    return rounds


def measure(ours: Edit, floor: Edit, runs: int) -> dict[str, list[float]]:
    """Alternating samples of ``edit(i); drain()``: wall and thread CPU seconds for each side."""
    out: dict[str, list[float]] = {"ours": [], "floor": [], "ours_cpu": [], "floor_cpu": []}
    for i in range(runs):
        for name, edit in (("floor", floor), ("ours", ours)):
            prepare = getattr(edit, "prepare", None)
            if prepare is not None:  # e.g. put the cursor back on the cell: not part of the keystroke
                prepare(i)
                drain()
            for stroke in getattr(edit, "strokes", None) or [edit]:  # keystrokes in a row, each a sample
                c, t = time.thread_time(), time.perf_counter()
                stroke(i)
                drain()
                out[name].append(time.perf_counter() - t)
                out[name + "_cpu"].append(time.thread_time() - c)
    return out


def floor_table(rows: int, cols: int):  # type: ignore[no-untyped-def]
    """A plain table window of our window's size: QStandardItemModel + QTableView, figures in every cell."""
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QMainWindow, QTableView

    model = QStandardItemModel(rows, cols)
    for r in range(rows):
        for c in range(cols):
            model.setItem(r, c, QStandardItem(str(r * cols + c)))
    window = QMainWindow()
    view = QTableView()
    view.setModel(model)
    window.setCentralWidget(view)
    window.resize(*SIZE)
    window.show()
    drain()
    return window, view, model


# wording of a real district bureau's 一 (政府信息管理, 平台建设, 监督保障): long paragraphs that state
# no table figure, as most of a long 一 is
FILLER = (
    "（{n}）政府信息管理情况。按照政府信息公开工作具体要求，常态化开展政府信息公开自查工作，做好日常管理；"
    "开设专题专栏，按照要求定期更新内容，突出做好重点工作的信息公开。严格执行公开前保密审查制度，"
    "做到“上网信息不涉密，涉密信息不上网”，确保在做好信息公开工作中不发生失泄密问题。",
    "积极配合区政府办公室完善政府信息公开平台，并及时将发现的问题进行反馈，不断优化平台建设。"
    "持续性抓好平台维护、日常管理等方面工作，规范开展政府信息公开工作，切实保障人民群众的知情权、"
    "参与权、监督权和表达权。",
    "加强对政务公开工作的组织领导，明确专人负责政务公开工作，推进各项工作落实落地。积极组织干部职工参与"
    "政府信息公开工作相关培训、会议，进一步提高干部职工政府信息公开工作能力。",
)


def long_section_one(report) -> list[str]:  # type: ignore[no-untyped-def]
    """≈10,000 characters of 一 in ≈60 paragraphs (a long real one has 3,000–5,000): the sample's
    paragraphs with every figure they state as a live field (6 fields), then real wording."""
    fields = {"发布信息126条，制发行政规范性文件3件": "发布信息126条，制发行政规范性文件{{fig:normative_doc}}件",
              "收到政府信息公开申请70件，上年结转4件，办结69件，结转下年度继续办理5件":
              "收到政府信息公开申请{{fig:new}}件，上年结转{{fig:carried_in}}件，办结{{fig:closed}}件，"
              "结转下年度继续办理{{fig:carried_out}}件",
              "全年未发生责任追究情况": "全年未发生责任追究情况，行政复议{{fig:review}}件"}
    out = []
    for p in report.sections["s1"]:
        for plain, live in fields.items():
            p = p.replace(plain, live)
        out.append(p)
    n = 6
    while sum(map(len, out)) < 10_000:
        out.extend(part.format(n="六七八九十"[n % 5]) for part in FILLER)
        n += 1
    return out


def our_window(tid: str, long_one: bool):  # type: ignore[no-untyped-def]
    from govreport_gui.app import build_window
    from govreport_gui.readers.formats import open_report
    from govreport_gui.report.native import save

    # a copy of its own: the window locks the report it opens (~$name), and a second window on the
    # same file (another benchmark running) would ask how to open it
    path = Path(tempfile.mkdtemp()) / SAMPLE.name
    shutil.copy(SAMPLE, path)
    if long_one:
        report = open_report(path)
        report.sections["s1"] = long_section_one(report)
        path = path.with_name("long-s1.govreport")
        save(report, path)
    w = build_window(path)
    w.resize(*SIZE)
    w.show()
    if tid != "s1":
        w.show_table(tid)
    drain()
    return w


def grid_scenario(tid: str, long_one: bool = False):  # type: ignore[no-untyped-def]
    key, good, bad = EDITS[tid]
    w = our_window(tid, long_one)
    model = w.models[tid]
    idx = model.index_for_key(key)
    assert model.data(idx, 2) == good, (key, model.data(idx, 2))
    floor_window, _, floor_model = floor_table(model.rowCount(), model.columnCount())
    fidx = floor_model.index(idx.row(), idx.column())

    def ours(i: int) -> None:
        model.setData(idx, bad if i % 2 == 0 else good)

    def floor(i: int) -> None:
        floor_model.setData(fidx, bad if i % 2 == 0 else good)

    return ours, floor, (w, floor_window)


def typed_scenario():  # type: ignore[no-untyped-def]
    """Digit then Enter into 表三's cell, sent to the widget that has the keys (view, then editor)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit

    key, good, bad = EDITS["t3"]
    w = our_window("t3", False)
    view = w.views["t3"]
    idx = view.model().index_for_key(key)
    floor_window, floor_view, floor_model = floor_table(view.model().rowCount(), view.model().columnCount())
    fidx = floor_model.index(idx.row(), idx.column())

    def typer(v, index):  # type: ignore[no-untyped-def]
        state = {"editor": None}

        def prepare(i: int) -> None:
            v.window().activateWindow()  # the window and its grid have the keys, as when the clerk types
            v.setFocus()
            v.setCurrentIndex(index)

        def digit(i: int) -> None:  # the cursor is on the cell: the first key opens the editor
            text = bad if i % 2 == 0 else good
            QTest.keyClick(v, text[0])
            state["editor"] = v.indexWidget(index)
            assert isinstance(state["editor"], QLineEdit), "typing did not open an editor"
            for ch in text[1:]:  # (the rest goes into the open editor: a cheap keystroke, not timed apart)
                QTest.keyClick(state["editor"], ch)

        def enter(i: int) -> None:  # commits the figure and moves down
            QTest.keyClick(state["editor"], Qt.Key.Key_Return)

        def figure(i: int) -> None:
            digit(i)
            enter(i)

        figure.prepare = prepare  # type: ignore[attr-defined]
        figure.strokes = [digit, enter]  # type: ignore[attr-defined]
        return figure

    return typer(view, idx), typer(floor_view, fidx), (w, floor_window)


def narrative_scenario():  # type: ignore[no-untyped-def]
    """A character typed into the middle of a long 一, then deleted again (Backspace)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QInputMethodEvent, QTextCursor
    from PySide6.QtWidgets import QApplication, QMainWindow, QPlainTextEdit

    w = our_window("s1", True)
    editor = w.text_page.editors["s1"]
    plain = QPlainTextEdit()
    plain.setPlainText(editor.toPlainText())
    floor_window = QMainWindow()
    floor_window.setCentralWidget(plain)
    floor_window.resize(*SIZE)
    floor_window.show()
    drain()
    for ed in (editor, plain):  # the cursor in the middle of the text, scrolled into view
        c = ed.textCursor()
        c.setPosition(len(ed.toPlainText()) // 2)
        c.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        ed.setTextCursor(c)
        ed.ensureCursorVisible()
    drain()

    def typer(ed):  # type: ignore[no-untyped-def]
        from PySide6.QtTest import QTest

        def step(i: int) -> None:
            if i % 2 == 0:
                ev = QInputMethodEvent()
                ev.setCommitString("年")  # Chinese arrives as an input-method commit
                QApplication.sendEvent(ed, ev)
            else:
                QTest.keyClick(ed, Qt.Key.Key_Backspace)
        return step

    return typer(editor), typer(plain), (w, floor_window)


def rules(runs: int) -> tuple[float, float]:
    from govreport_gui.readers.formats import open_report
    from govreport_gui.report.rules import check

    report = open_report(SAMPLE)
    key = EDITS["t3"][0]
    times = []
    for i in range(runs):
        report.cells[key] = 57 + i % 2
        t = time.perf_counter()
        check(report)
        times.append(time.perf_counter() - t)
    return statistics.median(times), pct(times, 99)


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(len(s) * p / 100))]


SCENARIOS = {
    "t3": lambda: grid_scenario("t3"),
    "t2": lambda: grid_scenario("t2"),
    "t4": lambda: grid_scenario("t4"),
    "t3-typed": typed_scenario,
    "t3-long1": lambda: grid_scenario("t3", long_one=True),
    "s1-typed": narrative_scenario,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--only", nargs="*", choices=[*SCENARIOS, "rules"])
    args = parser.parse_args()
    os.environ["GOVREPORT_HOME"] = tempfile.mkdtemp()
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from govreport_gui.app import ensure_app

    ensure_app()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}   window {SIZE[0]}×{SIZE[1]}, "
          f"{args.runs} samples each, ms")
    if not args.only or "rules" in args.only:
        med, p99 = rules(2000)
        print(f"all rules after one edit: median {med * 1e3:.3f} ms, p99 {p99 * 1e3:.3f} ms  (goal ≤ 1 ms)")
    head = f"{'scenario':<10} {'ours med':>8} {'p99':>6} {'floor med':>9} {'p99':>6} {'ratio':>6}   " \
           f"{'CPU ours':>8} {'p99':>6} {'floor':>6} {'ratio':>6}"
    print(head)
    for name, make in SCENARIOS.items():
        if args.only and name not in args.only:
            continue
        ours, floor, windows = make()
        measure(ours, floor, 20)  # warm-up: first paints, caches, lazy imports
        r = measure(ours, floor, args.runs)
        med = {k: statistics.median(v) * 1e3 for k, v in r.items()}
        p99 = {k: pct(v, 99) * 1e3 for k, v in r.items()}
        print(f"{name:<10} {med['ours']:8.2f} {p99['ours']:6.2f} {med['floor']:9.2f} {p99['floor']:6.2f} "
              f"{med['ours'] / med['floor']:5.2f}×   {med['ours_cpu']:8.2f} {p99['ours_cpu']:6.2f} "
              f"{med['floor_cpu']:6.2f} {med['ours_cpu'] / med['floor_cpu']:5.2f}×", flush=True)
        ours_window = windows[0]
        ours_window.session.stack.setClean()
        for win in windows:
            win.close()
            win.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
