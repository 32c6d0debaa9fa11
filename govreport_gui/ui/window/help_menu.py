"""帮助 menu: a short 使用说明, the keyboard shortcuts, and 关于 (version, where the error log and the
recovery files are). The boxes open without blocking (``open``), so tests can read them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

from ... import __version__
from ..settings import data_dir

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

GUIDE = """<h3>使用说明</h3><ol>
<li><b>开始新一年</b>：文件 → 由上年报告新建，选上年的报告（.govreport、Word 或 Excel）。机关名称、上年结转自动带入。</li>
<li><b>录入表格</b>：单击数字单元格直接输入；回车到下一格（向下），Tab 到右边一格，行末自动到下一行。
表头和项目名称不能填写。可从 Excel/WPS 复制一块数据后粘贴。Ctrl+Tab 或 F6 离开表格。</li>
<li><b>随时校验</b>：出错的单元格标红、提醒标黄，下方“校验结果”单击即跳到对应单元格或句子。
新报告中尚未开始填写的部分显示为“待填写”。</li>
<li><b>写正文</b>：“报告信息与正文”页填写机关名称、年度、成文日期（如 2026年1月20日 或 2026-01-20）和各部分正文。
“起草”按表格写出总体情况中主动公开、依申请公开的数字句子（有上年报告时含同比），数字随表格自动更新。</li>
<li><b>导出与签批</b>：文件 → 导出 Word/PDF、打印预览、打印审核签字单。有错误时打印稿带“草稿”水印。</li>
</ol>"""

SHORTCUTS = [
    ("回车", "确认并到下一格（向下）；在一列的最后一格，下一列顶部也在窗口中时直接到下一列顶部，"
             "否则先停在这一格并提示，再按一次回车到下一列顶部"),
    ("Tab / Shift+Tab", "到右边 / 左边一格（行末到下一行）"),
    ("方向键", "在数字单元格之间移动（跳过表头）"),
    ("Esc", "放弃正在输入的内容，离开单元格编辑（被拒绝的数字会标红并留在格中，改正或按 Esc）"),
    ("Delete", "清除选中的单元格"),
    ("Ctrl+C / Ctrl+V", "复制 / 粘贴一块数据（与 Excel、WPS 互通）"),
    ("Ctrl+Tab / Ctrl+Shift+Tab", "下一个 / 上一个标签页（也可用 Ctrl+PgDn / Ctrl+PgUp）"),
    ("Alt+B / Z / Y / S", "报告信息与正文 / 表二 / 表三 / 表四"),
    ("F6 / Shift+F6", "在表格（或正文）、校验结果、标签栏之间切换"),
    ("Alt+F / E / C / T / H", "文件 / 编辑 / 检查 / 表三 / 帮助 菜单"),
    ("Ctrl+Shift+D", "（正文“总体情况”中）起草光标所在部分复述表格数字的句子，数字随表格自动更新；"
                     "光标不在某一小标题下时起草整个总体情况"),
    ("Ctrl+Z / Ctrl+Y", "撤销 / 重做"),
    ("Ctrl+S", "保存"),
    ("Ctrl+O / Ctrl+N", "打开 / 新建"),
    ("Ctrl+P", "打印"),
]


def about_text() -> str:
    folder = data_dir()
    return (f"<h3>GovReport {__version__}</h3>"
            "<p>政府信息公开工作年度报告编制工具（2021 年国家格式），完全离线运行。</p>"
            f"<p>出错记录：<code>{folder / 'errors.log'}</code><br>"
            f"自动恢复文件：<code>{folder / 'recovery'}</code></p>"
            "<p>软件出现问题时，请把出错记录交给技术支持。</p>")


def shortcuts_text() -> str:
    rows = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in SHORTCUTS)
    return f"<h3>快捷键</h3><table cellspacing='6'>{rows}</table>"


def show_box(window: QMainWindow, title: str, html: str) -> QMessageBox:
    from PySide6.QtWidgets import QMessageBox  # built with its enums when first shown, not at start

    box = QMessageBox(window)
    box.setObjectName(f"help.{title}")
    box.setWindowTitle(title)
    box.setIcon(QMessageBox.Icon.Information)
    box.setText(html)
    box.open()  # window-modal but not blocking
    return box


HELP_TITLE = "帮助(&H)"


def add_help_menu(window: QMainWindow, menu: QMenu | None = None) -> None:
    """The 帮助 menu's items (in ``menu``, or a new 帮助 menu last in the menu bar)."""
    if menu is None:
        menu = window.menuBar().addMenu(HELP_TITLE)
    for text, title, html in (("使用说明(&U)", "使用说明", lambda: GUIDE),
                              ("快捷键(&K)", "快捷键", shortcuts_text),
                              ("关于 GovReport(&A)", "关于 GovReport", about_text)):
        act = QAction(text, window)
        act.setObjectName(f"help.{title}")
        act.triggered.connect(lambda _=False, t=title, h=html: show_box(window, t, h()))
        menu.addAction(act)
