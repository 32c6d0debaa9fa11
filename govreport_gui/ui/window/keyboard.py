"""Ways out of a grid by keyboard: the tab switches and F6 of every office program.

Inside 表二/三/四 Tab and the arrows belong to the cells, so the window claims the usual keys
before the grid sees them (window shortcuts go first):

- Ctrl+Tab / Ctrl+Shift+Tab and Ctrl+PgDn / Ctrl+PgUp: the next / previous tab;
- F6 / Shift+F6: the next / previous area: the page (grid or text), the findings list, the tab bar;
- Alt+letter on each tab's title (``TAB_TITLES``), Esc leaves a cell editor (Qt's own).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from .main_window import MainWindow

TAB_KEYS = {1: ("Ctrl+Tab", "Ctrl+PgDown"), -1: ("Ctrl+Shift+Tab", "Ctrl+Shift+Backtab", "Ctrl+PgUp")}
AREA_KEYS = {1: ("F6",), -1: ("Shift+F6",)}


NAVIGATING = "f6_navigating"  # the tab bar was reached with F6: its arrows switch tabs, focus stays


def install(window: MainWindow) -> None:
    window.tabs.currentChanged.connect(lambda _i: _follow_tab(window))
    window.tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.NoFocus)  # only F6 brings the focus there
    for step, keys in TAB_KEYS.items():
        for key in keys:
            _shortcut(window, key, lambda s=step: switch_tab(window, s))
    for step, keys in AREA_KEYS.items():
        for key in keys:
            _shortcut(window, key, lambda s=step: next_area(window, s))


def _shortcut(window: MainWindow, key: str, slot) -> None:  # type: ignore[no-untyped-def]
    shortcut = QShortcut(QKeySequence(key), window)
    shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
    shortcut.activated.connect(slot)


def _follow_tab(window: MainWindow) -> None:
    """A tab chosen by Alt+letter or a click: typing goes on in its page (the grid), not in the
    page just left. Only arrows on the focused tab bar (reached with F6) keep the focus there."""
    bar = window.tabs.tabBar()
    if not (QApplication.focusWidget() is bar and bar.property(NAVIGATING)):
        page_widget(window).setFocus(Qt.FocusReason.TabFocusReason)


def switch_tab(window: MainWindow, step: int) -> None:
    tabs = window.tabs
    tabs.setCurrentIndex((tabs.currentIndex() + step) % tabs.count())
    page_widget(window).setFocus(Qt.FocusReason.ShortcutFocusReason)


def page_widget(window: MainWindow) -> QWidget:
    """What typing goes to on the current page: the grid, or the text field last used there."""
    view = window.current_view()
    if view is not None:
        return view
    return window.text_page.focus_target()


def areas(window: MainWindow) -> list[QWidget]:
    return [page_widget(window), window.findings_view, window.tabs.tabBar()]


def next_area(window: MainWindow, step: int) -> None:
    order = areas(window)
    focus = QApplication.focusWidget()
    here = next((i for i, w in enumerate(order) if focus is not None and (focus is w or w.isAncestorOf(focus))), -1)
    if here == -1 and focus is not None and window.tabs.currentWidget().isAncestorOf(focus):
        here = 0  # a field on the text page other than the last one used
    target = order[(here + step) % len(order)] if here != -1 else order[0]
    bar = window.tabs.tabBar()
    bar.setProperty(NAVIGATING, target is bar)
    target.setFocus(Qt.FocusReason.ShortcutFocusReason)
