"""The findings panel: updated by difference while the clerk types, with icons the app ships."""

from __future__ import annotations

import fnmatch
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from govreport_gui.ui.checks.findings_panel import ICON_SIZES, ICONS, finding_icon
from tests.ui.conftest import type_into

ROOT = Path(__file__).resolve().parents[2]


def panel(w) -> list[str]:
    m = w.findings_model
    return [m.data(m.index(i)) for i in range(m.rowCount())]


def test_typing_keeps_the_selected_finding_and_changes_only_its_rows(window, qtbot, data_dir):
    """A finding comes and goes while the clerk types: the rest of the list, and the finding the
    clerk selected, stay (a model reset cleared the selection at every keystroke)."""
    w = window(data_dir / "sample-2025-faulty.govreport")
    model, view = w.findings_model, w.findings_view
    row = next(i for i in range(model.rowCount()) if model.finding(i).rule == "t4.total")
    view.setCurrentIndex(model.index(row))
    before = panel(w)
    resets, inserted, removed = [], [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsInserted.connect(lambda _p, a, b: inserted.append((a, b)))
    model.rowsRemoved.connect(lambda _p, a, b: removed.append((a, b)))

    grid = w.show_table("t2")
    type_into(qtbot, grid, "t2.normative_doc.issued", "4")  # 一 says 3 规范性文件: a new n.figure finding
    after = panel(w)
    assert len(after) == len(before) + 1 and not resets and not removed and len(inserted) == 1
    new = after[inserted[0][0]]
    assert "规范性文件" in new and new not in before
    assert view.current_finding().rule == "t4.total" and view.selectionModel().isSelected(view.currentIndex())

    type_into(qtbot, grid, "t2.normative_doc.issued", "3")  # mended: that row goes again
    assert panel(w) == before and not resets and len(removed) == 1
    assert view.current_finding().rule == "t4.total"


def test_a_reworded_finding_is_repainted_in_place(window, qtbot, data_dir):
    w = window(data_dir / "sample-2025-faulty.govreport")
    model = w.findings_model
    row = next(i for i in range(model.rowCount()) if model.finding(i).rule == "t4.total")
    changed = []
    model.dataChanged.connect(lambda a, b, roles=(): changed.append((a.row(), b.row())))
    old = model.data(model.index(row))
    type_into(qtbot, w.show_table("t4"), "t4.review.total", "7")  # still wrong, by another amount
    assert model.rowCount() and changed == [(row, row)]
    assert model.data(model.index(row)) != old and "7" in model.data(model.index(row))


def test_icons_are_the_apps_own(window, data_dir):
    """Under wine the platform's warning icon drew as a blank page: the panel shows the icons we
    ship (error, warning, 待填写), whatever the style."""
    w = window(data_dir / "sample-2025-faulty.govreport")
    model = w.findings_model
    kinds = {}
    for i in range(model.rowCount()):
        f = model.finding(i)
        kinds[f.severity] = model.data(model.index(i), Qt.ItemDataRole.DecorationRole)
    assert set(kinds) == {"error", "warning"}
    for kind, icon in kinds.items():
        shipped = QImage(str(ICONS / f"{kind}-16.png")).convertToFormat(QImage.Format.Format_ARGB32)
        shown = icon.pixmap(16, 16).toImage().convertToFormat(QImage.Format.Format_ARGB32)
        assert not shipped.isNull() and shown == shipped, kind
    todo = finding_icon("todo").pixmap(16, 16).toImage()
    centre = todo.pixelColor(8, 10)  # the white stem of the i on blue
    assert centre.red() > 200 and centre.blue() > 200


@pytest.mark.skipif(sys.version_info < (3, 11), reason="tomllib")
def test_icons_are_package_data():
    """The wheel (Windows payload) takes package-data; the .deb's PyInstaller bundle takes every
    data file of the package: both carry the icons."""
    import tomllib

    globs = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    for kind in ("error", "warning", "todo"):
        for size in ICON_SIZES:
            path = ICONS / f"{kind}-{size}.png"
            assert path.is_file(), path
            rel = path.relative_to(ROOT / "govreport_gui" / "ui").as_posix()
            assert any(fnmatch.fnmatch(rel, g) for g in globs.get("govreport_gui.ui", [])), rel
