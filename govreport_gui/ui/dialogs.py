"""Every modal question the window asks, behind classmethods so tests can replace them."""

from __future__ import annotations

from typing import TYPE_CHECKING

# the dialog classes are looked up when a dialog opens: PySide6 builds a Qt class (and all its
# enums) on first use, which start-up need not pay for
from PySide6 import QtWidgets

if TYPE_CHECKING:
    from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

FILE_FILTER = "报告文件 (*.govreport);;Word 文档 (*.docx);;Excel 工作簿 (*.xlsx);;所有文件 (*)"
OPEN_FILTER = ("所有支持的文件 (*.govreport *.docx *.xlsx *.html *.htm *.pdf);;网页 (*.html *.htm);;"
               "PDF 文件（有文字层）(*.pdf);;" + FILE_FILTER)


class Dialogs:
    @classmethod
    def ask_save(cls, parent: QWidget, name: str) -> str:
        """'save', 'discard' or 'cancel'."""
        box = save_prompt(parent, name)
        box.exec()
        return box.clickedButton().property("answer") if box.clickedButton() else "cancel"

    @classmethod
    def _choose(cls, parent: QWidget | None, title: str, text: str, choices: list[tuple[str, str]],
                default: str) -> str:
        """A question with named answers; returns the chosen answer's key ('cancel' on Esc)."""
        box = QtWidgets.QMessageBox(parent)
        box.setIcon(QtWidgets.QMessageBox.Icon.Warning)
        box.setWindowTitle(title)
        box.setText(text)
        buttons = {}
        for key, label in choices:
            role = (QtWidgets.QMessageBox.ButtonRole.RejectRole if key == "cancel"
                    else QtWidgets.QMessageBox.ButtonRole.AcceptRole)
            buttons[key] = box.addButton(label, role)
        box.setDefaultButton(buttons[default])
        box.exec()
        clicked = box.clickedButton()
        return next((key for key, b in buttons.items() if b is clicked), "cancel")

    @classmethod
    def ask_locked(cls, parent: QWidget | None, text: str) -> str:
        """Someone else has the report open: 'readonly', 'copy' or 'cancel'."""
        return cls._choose(parent, "报告正被他人使用", text,
                           [("readonly", "只读打开"), ("copy", "打开副本"), ("cancel", "取消")], "readonly")

    @classmethod
    def ask_conflict(cls, parent: QWidget | None, text: str) -> str:
        """The file changed on disk since it was opened: 'copy', 'reload', 'overwrite' or 'cancel'."""
        return cls._choose(parent, "文件已被修改", text,
                           [("copy", "另存为副本…"), ("reload", "载入对方的版本"), ("overwrite", "仍然覆盖"),
                            ("cancel", "取消")], "copy")

    @classmethod
    def open_path(cls, parent: QWidget, folder: str) -> str | None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(parent, "打开报告", folder, OPEN_FILTER)
        return path or None

    @classmethod
    def save_path(cls, parent: QWidget, suggested: str) -> str | None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(parent, "保存报告", suggested, "报告文件 (*.govreport)")
        if path and not path.lower().endswith(".govreport"):
            path += ".govreport"
        return path or None

    @classmethod
    def export_path(cls, parent: QWidget, suggested: str, filter_text: str) -> str | None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(parent, "导出", suggested, filter_text)
        return path or None

    @classmethod
    def ask_restore(cls, parent: QWidget | None, text: str) -> bool:
        button = QtWidgets.QMessageBox.StandardButton
        answer = QtWidgets.QMessageBox.question(parent, "恢复未保存的工作", text, button.Yes | button.No, button.Yes)
        return answer == button.Yes

    @classmethod
    def waiver_reason(cls, parent: QWidget, message: str) -> str | None:
        dialog = waiver_dialog(parent, message)
        ok = dialog.exec() == QtWidgets.QInputDialog.DialogCode.Accepted
        text = dialog.textValue()
        return text.strip() if ok and text.strip() else None

    @classmethod
    def error(cls, parent: QWidget | None, text: str) -> None:
        QtWidgets.QMessageBox.warning(parent, "GovReport", text)

    @classmethod
    def confirm(cls, parent: QWidget | None, title: str, text: str) -> bool:
        answer = QtWidgets.QMessageBox.question(parent, title, text)
        return answer == QtWidgets.QMessageBox.StandardButton.Yes


def save_prompt(parent: QWidget | None, name: str) -> QMessageBox:
    """The 保存修改 question, not yet shown; each button's ``answer`` property says what it means."""
    box = QtWidgets.QMessageBox(parent)
    box.setIcon(QtWidgets.QMessageBox.Icon.Warning)
    box.setWindowTitle("保存修改")
    box.setText(f"“{name}”有未保存的修改，是否保存？")
    role = QtWidgets.QMessageBox.ButtonRole
    for text, answer, button_role in (("保存(&S)", "save", role.AcceptRole), ("不保存(&N)", "discard", role.DestructiveRole),
                                      ("取消(&C)", "cancel", role.RejectRole)):
        box.addButton(text, button_role).setProperty("answer", answer)
    return box


def waiver_dialog(parent: QWidget | None, message: str) -> QInputDialog:
    """The 说明理由 dialog, not yet shown: a multi-line reason in which Tab moves on to 确定 (as in
    every other form field) instead of typing a tab character into the reason."""
    dialog = QtWidgets.QInputDialog(parent)
    dialog.setWindowTitle("说明理由")
    dialog.setLabelText(f"{message}\n\n请写明不需要修改的理由（将保存在报告中并打印在审核签字单上）：")
    dialog.setOption(QtWidgets.QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
    editor = dialog.findChild(QtWidgets.QPlainTextEdit)
    if editor is not None:
        editor.setTabChangesFocus(True)
    return dialog
