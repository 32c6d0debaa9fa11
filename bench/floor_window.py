"""The floor for a Chinese report window: the Qt widgets GovReport's first window needs (tabs, a
form, three text editors, a list in a dock, menus with shortcuts, CJK text) and nothing of ours.
Run by ``bench_startup.py`` and ``callgrind.sh`` (which show it and time it) to tell PySide6's own
cost from ours; frozen or installed beside the app, it is the floor of the installed builds' start-up:
``floor_window.py --screenshot PNG`` does what ``govreport-gui FILE --screenshot PNG`` does around
the window (show, process events, grab, save, close)."""

import sys

from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

app = QApplication([])
font = QFont()
font.setFamilies(["Microsoft YaHei UI", "Noto Sans CJK SC", "WenQuanYi Micro Hei"])
app.setFont(font)
w = QMainWindow()
w.resize(1200, 860)
tabs = QTabWidget()
page = QScrollArea()
body = QWidget()
column = QVBoxLayout(body)
form = QFormLayout()
for label, field in (("机关名称", QLineEdit("示例市示例区数据资源管理局")), ("报告年度", QSpinBox()),
                     ("报告类型", QComboBox()), ("成文日期", QLineEdit("2026年1月16日"))):
    form.addRow(label, field)
column.addLayout(form)
for heading in ("一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
    column.addWidget(QLabel(heading))
    column.addWidget(QPlainTextEdit("2025年，我局按照《中华人民共和国政府信息公开条例》要求，坚持以公开为常态。" * 3))
page.setWidget(body)
page.setWidgetResizable(True)
tabs.addTab(page, "报告信息与正文")
for title in ("表二 主动公开", "表三 依申请公开", "表四 复议诉讼"):
    tabs.addTab(QWidget(), title)
w.setCentralWidget(tabs)
dock = QDockWidget("校验结果", w)
dock.setWidget(QListView())
w.addDockWidget(__import__("PySide6.QtCore", fromlist=["Qt"]).Qt.DockWidgetArea.BottomDockWidgetArea, dock)
menu = w.menuBar().addMenu("文件(&F)")
for text, key in (("新建(&N)", QKeySequence.StandardKey.New), ("打开(&O)…", QKeySequence.StandardKey.Open),
                  ("保存(&S)", QKeySequence.StandardKey.Save)):
    act = QAction(text, w)
    act.setShortcut(key)
    menu.addAction(act)
w.statusBar().showMessage("错误 0 个")
w.show()
if "--screenshot" in sys.argv:
    app.processEvents()
    w.grab().save(sys.argv[sys.argv.index("--screenshot") + 1])
    w.close()
