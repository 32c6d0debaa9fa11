"""Working from last year's report in the window: new report carried forward, a comparison report,
and the year-on-year view (last year's value and the change beside each cell)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..report.carry import carry_forward
from ..report.messages import describe
from ..report.rules import check
from . import settings
from .dialogs import Dialogs

if TYPE_CHECKING:
    from .window_api import ReportWindow


def _pick_last(window: ReportWindow):  # type: ignore[no-untyped-def]
    path = Dialogs.open_path(window, settings.get("last_folder"))
    return window.read_report(Path(path)) if path else None


def new_from_last(window: ReportWindow) -> bool:
    """File → 由上年报告新建: last year's own errors are shown before anything is carried."""
    if not window.confirm_discard():
        return False
    last = _pick_last(window)
    if last is None:
        return False
    errors = [f for f in check(last) if f.severity == "error"]
    if errors:
        lines = "\n".join(f"• {describe(f)}" for f in errors[:8])
        if not Dialogs.confirm(window, "上年报告有错误",
                               f"上年报告本身有 {len(errors)} 个错误，结转的数据可能有误：\n{lines}\n\n仍要由它新建本年报告吗？"):
            return False
    try:
        new = carry_forward(last)
    except ValueError as e:
        Dialogs.error(window, str(e))
        return False
    window.session.replace(new, None)
    window.session.stack.resetClean()
    window.update_title()
    window.show_notes(last.import_notes)
    window.show_message(f"已由{last.meta.year}年报告新建{new.meta.year}年报告：上年结转已填入，请录入本年数据后保存")
    return True


def load_comparison(window: ReportWindow) -> bool:
    """检查 → 加载上年报告用于比对: enables x.* rules and the year-on-year view for any report."""
    last = _pick_last(window)
    if last is None:
        return False
    last.last = None
    window.session.report.last = last
    window.session.stack.resetClean()  # the comparison report is saved inside the file
    window.session.recheck()
    window.update_title()
    window.show_message(f"已加载{last.meta.year or ''}年报告用于比对")
    return True


def set_year_on_year(window: ReportWindow, on: bool) -> None:
    window.session.show_last = on
    if on and window.session.report.last is None:
        window.show_message("没有上年报告：请先“由上年报告新建”或“加载上年报告用于比对”")
    for model in window.models.values():
        model.refresh_all()
