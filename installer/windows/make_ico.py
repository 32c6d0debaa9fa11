"""Render resources/icons/govreport.svg into a multi-size Windows .ico (PNG-compressed entries).

Also made with it, and kept in the repository: govreport_gui/data/govreport.png (256 px), the
window icon (``python installer/windows/make_ico.py resources/icons/govreport.svg OUT.png``).

Qt's SVG renderer comes with PySide6-Essentials, so no ImageMagick SVG delegate is needed; Windows
Vista and later read PNG entries at every size.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 256)


def render_png(svg: Path, size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    return bytes(data.data())


def write_ico(svg: Path, out: Path) -> None:
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # QImage text/painting needs one
    pngs = [render_png(svg, s) for s in SIZES]
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, png in zip(SIZES, pngs):
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
        blobs += png
    out.write_bytes(header + entries + blobs)
    del app


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    if target.suffix == ".png":
        from PySide6.QtGui import QGuiApplication

        _app = QGuiApplication([sys.argv[0]])
        target.write_bytes(render_png(source, 256))
    else:
        write_ico(source, target)
