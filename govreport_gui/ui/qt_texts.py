"""Qt texts that Qt's own zh_CN catalogue leaves in English.

Qt 6 moved the file dialogs' type column to the context ``QAbstractFileIconProvider``, which
``qtbase_zh_CN.qm`` does not translate: every folder in 打开/保存 read “Folder”.
"""

from __future__ import annotations

from PySide6.QtCore import QTranslator

MISSING = {  # the context's strings in Qt 6.x (File Folder on Windows, Folder elsewhere)
    ("QAbstractFileIconProvider", "Folder"): "文件夹",
    ("QAbstractFileIconProvider", "File Folder"): "文件夹",
    ("QAbstractFileIconProvider", "Drive"): "驱动器",
    ("QAbstractFileIconProvider", "Unknown"): "未知",
}


class MissingChinese(QTranslator):
    """Answers only :data:`MISSING`; anything else goes on to Qt's catalogue (None = not ours)."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:  # type: ignore[override]
        return MISSING.get((context, source))
