"""The window on an office screen: fits 1366×768 and 150 % scaling, frozen 表三 headers, used width
(issue 12 item 7)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect

from govreport_gui.ui.window.window_fit import first_geometry

SAMPLE = Path(__file__).parents[1] / "data" / "sample-2025-faulty.govreport"


@pytest.mark.parametrize("available", [QRect(0, 0, 1366, 728),  # 1366×768 with a 40 px taskbar
                                       QRect(0, 0, 1280, 680),  # 1920×1080 at 150 %: logical pixels
                                       QRect(0, 0, 1024, 728), QRect(1920, 0, 1920, 1040)])
def test_first_geometry_within_the_available_screen(available):
    rect = first_geometry(available)
    assert available.contains(rect.adjusted(0, -32, 0, 0))  # with the title bar above it
    assert rect.width() >= min(1000, available.width() * 0.8)  # and not needlessly small


def test_window_fits_its_screen_offscreen(window):
    w = window(SAMPLE)
    available = w.screen().availableGeometry()
    assert available.contains(w.frameGeometry()), (available, w.frameGeometry())
    for widget in (w.counts_label, w.waive_button, w.unwaive_button):  # nothing off-screen
        assert w.rect().contains(QRect(widget.mapTo(w, widget.rect().topLeft()), widget.size()))


SCRIPT = """
import json, sys
from govreport_gui.app import build_window
from PySide6.QtWidgets import QApplication
w = build_window(sys.argv[1]); w.show(); QApplication.processEvents()
a, f = w.screen().availableGeometry(), w.frameGeometry()
counts = w.counts_label.mapTo(w, w.counts_label.rect().bottomRight())
print(json.dumps({"available": [a.x(), a.y(), a.width(), a.height()], "frame": [f.x(), f.y(), f.width(), f.height()],
                  "counts": [counts.x(), counts.y()], "size": [w.width(), w.height()]}))
w.session.stack.setClean(); w.close()
"""


def test_first_window_on_a_1366x768_screen(tmp_path):
    """A fresh start (no saved geometry) on the issue's screen, in its own Qt process."""
    screens = tmp_path / "screens.json"
    screens.write_text(json.dumps({"screens": [{"name": "office", "x": 0, "y": 0, "width": 1366, "height": 768,
                                                "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={screens}", XDG_CONFIG_HOME=str(tmp_path),
               GOVREPORT_HOME=str(tmp_path), HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(SAMPLE)], env=env, capture_output=True, text=True,
                         timeout=60, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    ax, ay, aw, ah = got["available"]
    fx, fy, fw, fh = got["frame"]
    assert (aw, ah) == (1366, 768)
    assert ax <= fx and ay <= fy and fx + fw <= ax + aw and fy + fh <= ay + ah, got
    w, h = got["size"]
    assert h <= 0.9 * ah and w <= 0.9 * aw
    assert 0 < got["counts"][0] <= w and 0 < got["counts"][1] <= h  # the error counter is on screen


def test_table_three_keeps_headers_and_labels_in_view(window, qtbot):
    w = window(SAMPLE)
    view = w.show_table("t3")
    qtbot.waitUntil(lambda: view.viewport().height() > 100)
    model = view.model()
    top, left = view.panes.views["top"], view.panes.views["left"]
    view.select_key("t3.carried_out.other_org")  # the last row: the grid scrolls down
    assert view.verticalScrollBar().value() > 0
    cell = view.visualRect(model.index_for_key("t3.carried_out.other_org"))
    assert view.viewport().rect().intersects(cell)
    # the column headers are still above it ...
    header = top.visualRect(top.model().index(2, 8))  # the panes show a static copy of the labels
    assert top.isVisible() and top.viewport().rect().contains(header.center())
    assert model.data(model.index(2, 8)) == "其他"
    assert abs(top.mapTo(view, header.center()).x() - view.viewport().mapTo(view, cell.center()).x()) <= 1
    # ... and the row label beside it, on the same line
    label = left.visualRect(left.model().index(27, 0))
    assert left.viewport().rect().contains(label.center())
    assert abs(left.viewport().mapTo(view, label.center()).y() - view.viewport().mapTo(view, cell.center()).y()) <= 1
    assert model.data(model.index(27, 0)).startswith("四、结转下年度")


def test_data_columns_use_the_width(window):
    w = window(SAMPLE)
    w.resize(1300, 700)  # a wide window (the offscreen screen is 800 px wide)
    for tid in ("t3", "t4"):
        view = w.show_table(tid)
        used = sum(view.col_px)
        assert used >= 0.85 * (view.contentsRect().width() - view.verticalScrollBar().sizeHint().width()), tid
        assert min(view.col_px[c] for c in view.data_cols) >= 80, tid
