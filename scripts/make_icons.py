"""Render the findings panel's icons (resources/icons/findings/*.svg, drawn for this app) to the PNGs
the package ships in govreport_gui/ui/icons/: PNG needs no Qt plugin (the platform's standard icons
drew as a blank page under wine, and an SVG icon engine would load QtSvg at start-up).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "resources" / "icons" / "findings"
TARGET = ROOT / "govreport_gui" / "ui" / "icons"
SIZES = (16, 24, 32, 48)  # 100 %, 150 %, 200 %, 300 % of a list row's 16-pixel icon


def main() -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication(sys.argv[:1])  # noqa: F841 — painting needs the application
    TARGET.mkdir(exist_ok=True)
    for svg in sorted(SOURCES.glob("*.svg")):
        renderer = QSvgRenderer(str(svg))
        if not renderer.isValid():
            print(f"无法读取 {svg}", file=sys.stderr)
            return 1
        for size in SIZES:
            image = QImage(size, size, QImage.Format.Format_ARGB32)
            image.fill(Qt.GlobalColor.transparent)
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            renderer.render(painter)
            painter.end()
            out = TARGET / f"{svg.stem}-{size}.png"
            image.save(str(out), "PNG")
            print(out.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
