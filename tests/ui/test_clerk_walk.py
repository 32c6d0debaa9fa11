"""Defects found walking the real window under Xvfb at 1366×768 and at 150 % (issue 12 follow-up)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect

from govreport_gui.ui.print_actions import preview_dialog
from govreport_gui.ui.printing import new_printer

SAMPLE = Path(__file__).parents[1] / "data" / "sample-2025.govreport"


def test_print_preview_fits_the_screen(window):
    """The preview was a fixed 1000×900: on a 1366×768 screen its bottom (and at 150 % scaling
    1500×1350 on 1920×1080) was off-screen. The offscreen test screen is smaller still."""
    w = window(SAMPLE)
    dialog = preview_dialog(w, new_printer(), lambda printer: None)
    try:
        available = w.screen().availableGeometry()
        frame = QRect(dialog.pos(), dialog.size()).adjusted(0, -32, 0, 0)  # and its title bar
        assert available.contains(frame), (available, frame)
        assert dialog.width() >= 0.8 * min(1000, available.width())  # not needlessly small
    finally:
        dialog.deleteLater()
