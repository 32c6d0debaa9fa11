"""Working from last year's report in the window: new report carried forward, a comparison report,
and the year-on-year view (last year's value and the change beside each cell)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ...report.carry import carry_forward
from ...report.document import Report
from ...report.messages import describe
from ...report.rules import check
from ..dialogs import Dialogs
from ..folders import start_folder

if TYPE_CHECKING:
    from ..window_api import ReportWindow


def _pick_last(window: ReportWindow):  # type: ignore[no-untyped-def]
    path = Dialogs.open_path(window, str(start_folder("report", window.session.path)))
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
    window.session.replace(new, None, fresh=True)
    window.session.stack.resetClean()
    window.update_title()
    notes = carried_notes(last, new) + [f"上年报告导入说明：{n}" for n in last.import_notes]
    window.show_notes(notes, f"由{last.meta.year}年报告新建{new.meta.year}年报告")
    window.show_message(f"已由{last.meta.year}年报告新建{new.meta.year}年报告：带入的内容和尚需填写的内容见表格上方")
    return True


def carried_notes(last: Report, new: Report) -> list[str]:
    """What 由上年报告新建 carried from ``last`` and what it left for the clerk, in Chinese."""
    schema = new.schema
    agency = new.meta.agency or "（上年未填写）"
    level = "人民政府" if new.meta.level == "government" else "部门"
    carried = [f"{schema.context_name('t3.col', col)} {new.display(f't3.carried_in.{col}')}"
               for col in schema.lists["t3_cols"] if new.cells.get(f"t3.carried_in.{col}") is not None]
    in_force = "、".join(f"{name} {last.display(f't2.{row}.in_force')}"
                        for row, name in (("regulation", "规章"), ("normative_doc", "行政规范性文件")))
    return [
        f"已带入：机关名称“{agency}”、报告类型（{level}）" + ("、标题" if new.meta.title else "") + "。",
        "已带入：表三“上年结转”取自上年“结转下年度”：" + ("、".join(carried) if carried else "上年未填写，请手工录入") + "。",
        f"用于核对：上年表二现行有效件数（{in_force}），本年现行有效件数应为上年数＋本年制发－本年废止。",
        "用于对照：上年“五、存在的主要问题及改进情况”显示在正文页该节右侧，本年须写本年的内容。",
        "尚需填写：成文日期；表二全部；表三除上年结转外的各行；表四；正文一、五、六。"
        "开始填写某一部分之前，它的校验结果显示为“待填写”而不是错误。",
    ]


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
