"""Every modal question the window asks, behind classmethods so tests can replace them."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QPlainTextEdit, QWidget

FILE_FILTER = "报告文件 (*.govreport);;Word 文档 (*.docx);;Excel 工作簿 (*.xlsx);;所有文件 (*)"
OPEN_FILTER = "所有支持的文件 (*.govreport *.docx *.xlsx *.html *.htm);;网页 (*.html *.htm);;" + FILE_FILTER


class Dialogs:
    @classmethod
    def ask_save(cls, parent: QWidget, name: str) -> str:
        """'save', 'discard' or 'cancel'."""
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("保存修改")
        box.setText(f"“{name}”有未保存的修改，是否保存？")
        save = box.addButton("保存", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("不保存", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        return "save" if clicked is save else "discard" if clicked is discard else "cancel"

    @classmethod
    def open_path(cls, parent: QWidget, folder: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, "打开报告", folder, OPEN_FILTER)
        return path or None

    @classmethod
    def save_path(cls, parent: QWidget, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, "保存报告", suggested, "报告文件 (*.govreport)")
        if path and not path.lower().endswith(".govreport"):
            path += ".govreport"
        return path or None

    @classmethod
    def export_path(cls, parent: QWidget, suggested: str, filter_text: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, "导出", suggested, filter_text)
        return path or None

    @classmethod
    def ask_restore(cls, parent: QWidget | None, text: str) -> bool:
        answer = QMessageBox.question(
            parent, "恢复未保存的工作", text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    @classmethod
    def waiver_reason(cls, parent: QWidget, message: str) -> str | None:
        dialog = waiver_dialog(parent, message)
        ok = dialog.exec() == QInputDialog.DialogCode.Accepted
        text = dialog.textValue()
        return text.strip() if ok and text.strip() else None

    @classmethod
    def error(cls, parent: QWidget | None, text: str) -> None:
        QMessageBox.warning(parent, "GovReport", text)

    @classmethod
    def confirm(cls, parent: QWidget | None, title: str, text: str) -> bool:
        answer = QMessageBox.question(parent, title, text)
        return answer == QMessageBox.StandardButton.Yes


def waiver_dialog(parent: QWidget | None, message: str) -> QInputDialog:
    """The 说明理由 dialog, not yet shown: a multi-line reason in which Tab moves on to 确定 (as in
    every other form field) instead of typing a tab character into the reason."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle("说明理由")
    dialog.setLabelText(f"{message}\n\n请写明不需要修改的理由（将保存在报告中并打印在审核签字单上）：")
    dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
    editor = dialog.findChild(QPlainTextEdit)
    if editor is not None:
        editor.setTabChangesFocus(True)
    return dialog
