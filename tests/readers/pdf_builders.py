"""PDFs made at test time, byte by byte, in the shapes offices publish and a few they should not.

:class:`Pdf` writes pages of raw content with one CJK font (Adobe's STSong-Light, not embedded:
every reader maps it with the UniGB-UCS2-H CMap), optional Flate compression, optional RC4
encryption with a password, and images. :func:`report_pdf` prints a report through the shared
layout (``export.layout``) with options for what published PDFs do: tables with or without lines,
borders as thin filled rectangles, digits as separate glyphs, full-width digits, blank zeros, 表三
broken across pages with or without its header restated, bold drawn twice, an OCR text layer.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from govreport_gui.export.layout import Heading, Paragraph, Signature, TableBlock, Title, build
from govreport_gui.report.document import Report

W, H = 595.0, 842.0
LEFT, RIGHT, TOP, BOTTOM = 72.0, 523.0, 72.0, 770.0
PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
FILE_ID = b"govreport-tests!"


def hexstr(text: str) -> str:
    return "<" + text.encode("utf-16-be").hex().upper() + ">"


def rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


@dataclass
class Pdf:
    """Pages of content operators; ``save`` writes a complete, valid PDF."""

    compress: bool = True
    pages: list[list[str]] = field(default_factory=list)
    images: bool = False  # add /Im1 (a grey pixel) to every page's resources
    turned: bool = False  # landscape paper, each page's content turned a quarter, no /Rotate said
    fields: list[list[tuple[float, float, float, float, str]]] = field(default_factory=list)  # per page

    def page(self) -> list[str]:
        self.pages.append([])
        self.fields.append([])
        return self.pages[-1]

    def field(self, x0: float, top: float, x1: float, bottom: float, text: str) -> None:
        """A filled-in text field over the box (points from the top-left corner) showing ``text``."""
        self.fields[-1].append((x0, top, x1, bottom, text))

    def text(self, ops: list[str], x: float, top: float, size: float, text: str, mode: int = 0) -> None:
        """``text`` with its glyph tops at ``top`` (points from the top of the page)."""
        base = H - top - 0.88 * size
        ops.append(f"BT {mode} Tr /F1 {size:g} Tf 1 0 0 1 {x:.2f} {base:.2f} Tm {hexstr(text)} Tj ET")

    def line(self, ops: list[str], x0: float, top0: float, x1: float, top1: float) -> None:
        ops.append(f"{x0:.2f} {H - top0:.2f} m {x1:.2f} {H - top1:.2f} l S")

    def save(self, path: Path, user_password: str | None = None, objects: dict[int, bytes] | None = None,
             catalog_extra: str = "", pages_count: int | None = None) -> Path:
        objs: dict[int, bytes] = {
            3: b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
               b"/DescendantFonts [4 0 R] >>",
            4: b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
               b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 5 0 R "
               b"/DW 1000 >>",
            5: b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
               b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
        }
        streams: dict[int, bytes] = {}
        if self.images:
            objs[6] = b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 >>"
            streams[6] = b"\x80"
        kids = []
        number = 10
        annots_at = 10_000
        for ops, fields in zip(self.pages, self.fields):
            page_no, content_no = number, number + 1
            number += 2
            kids.append(f"{page_no} 0 R")
            res = "/Font << /F1 3 0 R >>" + (" /XObject << /Im1 6 0 R >>" if self.images else "")
            box = f"0 0 {H:g} {W:g}" if self.turned else f"0 0 {W:g} {H:g}"
            annots = []
            for x0, top, x1, bottom, text in fields:
                widget, look = annots_at, annots_at + 1
                annots_at += 2
                annots.append(f"{widget} 0 R")
                w, h = x1 - x0, bottom - top
                objs[widget] = (f"<< /Type /Annot /Subtype /Widget /FT /Tx /T (f{widget}) /F 4 /P {page_no} 0 R "
                                f"/Rect [{x0:.2f} {H - bottom:.2f} {x1:.2f} {H - top:.2f}] /AP << /N {look} 0 R >> >>").encode()
                objs[look] = (f"<< /Type /XObject /Subtype /Form /BBox [0 0 {w:.2f} {h:.2f}] "
                              f"/Resources << /Font << /F1 3 0 R >> >> >>").encode()
                size = 10.5
                streams[look] = (f"/Tx BMC q 1 1 {w - 2:.2f} {h - 2:.2f} re S BT /F1 {size:g} Tf "
                                 f"{(w - len(text) * size) / 2:.2f} {(h - size) / 2 + 1:.2f} Td {hexstr(text)} Tj ET Q EMC").encode()
            extra = f"/Annots [{' '.join(annots)}] " if annots else ""
            objs[page_no] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [{box}] /Resources << {res} >> {extra}"
                             f"/Contents {content_no} 0 R >>").encode()
            objs[content_no] = b"<< >>"
            content = "\n".join(ops)
            if self.turned:  # (x, y) → (y, W − x): the upright page's content lies sideways on the paper
                content = f"q 0 -1 1 0 0 {W:g} cm\n{content}\nQ"
            streams[content_no] = content.encode("latin-1")
        count = len(kids) if pages_count is None else pages_count
        objs[1] = f"<< /Type /Catalog /Pages 2 0 R {catalog_extra}>>".encode()
        objs[2] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {count} >>".encode()
        objs.update(objects or {})
        key = None
        encrypt = ""
        if user_password is not None:
            padded = (user_password.encode("latin-1") + PAD)[:32]
            owner = rc4(hashlib.md5((b"owner" + PAD)[:32]).digest()[:5], padded)
            perms = struct.pack("<i", -44)
            key = hashlib.md5(padded + owner + perms + FILE_ID).digest()[:5]
            user = rc4(key, PAD)
            number += 1
            objs[number] = f"<< /Filter /Standard /V 1 /R 2 /O <{owner.hex()}> /U <{user.hex()}> /P -44 >>".encode()
            encrypt = f"/Encrypt {number} 0 R "
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = {}
        for n in sorted(objs):
            offsets[n] = len(out)
            body = objs[n]
            if key is not None and n != number:  # strings are encrypted too (not the /Encrypt dictionary's)
                k = hashlib.md5(key + struct.pack("<i", n)[:3] + b"\0\0").digest()[:10]
                body = re.sub(rb"\(([^()]*)\)", lambda m, k=k: b"<" + rc4(k, m.group(1)).hex().encode() + b">", body)
            if n in streams:
                data = streams[n]
                extra = b""
                if self.compress and len(data) > 64:
                    data = zlib.compress(data)
                    extra = b" /Filter /FlateDecode"
                if key is not None:
                    data = rc4(hashlib.md5(key + struct.pack("<i", n)[:3] + b"\0\0").digest()[:10], data)
                body = body[:-2].rstrip() + extra + f" /Length {len(data)} >>".encode() + b"\nstream\n" + data + b"\nendstream"
            out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
        xref = len(out)
        size = max(objs) + 1
        out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
        for n in range(1, size):
            out += (f"{offsets[n]:010d} 00000 n \n" if n in offsets else "0000000000 65535 f \n").encode()
        out += (f"trailer\n<< /Size {size} /Root 1 0 R {encrypt}/ID [<{FILE_ID.hex()}> <{FILE_ID.hex()}>] >>\n"
                f"startxref\n{xref}\n%%EOF\n").encode()
        path.write_bytes(bytes(out))
        return path


# --- a report printed -----------------------------------------------------------------------------

@dataclass
class Shape:
    ruled: bool = True
    thin_rects: bool = False  # borders as thin filled rectangles (as Qt draws them)
    digits: str = "text"  # "text", "glyphs" (one glyph per show, drawn right to left), "kerned" (TJ)
    fullwidth: bool = False
    zero: str = "0"  # how a zero is printed: "0", "", "/"
    split_t3_at: int | None = None  # 表三 row after which the page breaks
    repeat_header: bool = True
    bold_twice: bool = False
    ocr: bool = False  # a page image with the text invisible over it (render mode 3)
    extra_row: bool = False  # a row 其中：… with a number, not in the format, added to 表三
    missing_line: bool = False  # the line between 表三's first two numbers of row 一 left out
    turned: bool = False  # printed sideways onto landscape paper without /Rotate
    fields: bool = False  # the tables' numbers typed into form fields (a fillable template), not on the page


class _Printer:
    def __init__(self, pdf: Pdf, shape: Shape) -> None:
        self.pdf = pdf
        self.shape = shape
        self.ops = pdf.page()
        self.y = TOP
        self.mode = 3 if shape.ocr else 0
        if shape.ocr:
            self._scan()

    def _scan(self) -> None:
        self.ops.append(f"q {W:g} 0 0 {H:g} 0 0 cm /Im1 Do Q")

    def new_page(self) -> None:
        self.ops = self.pdf.page()
        self.y = TOP
        if self.shape.ocr:
            self._scan()

    def need(self, height: float) -> None:
        if self.y + height > BOTTOM:
            self.new_page()

    def write(self, x: float, top: float, size: float, text: str) -> None:
        self.pdf.text(self.ops, x, top, size, text, self.mode)

    def lines(self, text: str, size: float, first_indent: float, width: float) -> list[tuple[float, str]]:
        per = int(width // size)
        out = []
        x, rest = first_indent, text
        while rest:
            n = int((width - x) // size)
            out.append((x, rest[:n]))
            rest, x = rest[n:], 0.0
        return out or [(first_indent, "")]
        del per

    def paragraph(self, text: str, size: float = 16, indent: float = 32, centred: bool = False) -> None:
        for x, chunk in self.lines(text, size, indent, RIGHT - LEFT):
            self.need(1.8 * size)
            left = (W - len(chunk) * size) / 2 if centred else LEFT + x
            self.write(left, self.y, size, chunk)
            if self.shape.bold_twice:
                self.write(left + 0.3, self.y, size, chunk)
            self.y += 1.8 * size

    # --- tables ---
    def table(self, block: TableBlock, report: Report) -> None:
        size = 10.5
        scale = (RIGHT - LEFT) / sum(block.widths_mm)
        xs = [LEFT]
        for w in block.widths_mm:
            xs.append(xs[-1] + w * scale)
        cells = list(block.cells)
        if self.shape.extra_row and block.id == "t3":
            cells = [c if c.row < block.rows else c for c in cells]
            cells.append(_cell(block.rows, 0, 3, "其中：电话申请"))
            cells.append(_cell(block.rows, 3, 1, "5", label=False))
            rows = block.rows + 1
        else:
            rows = block.rows
        heights = [0.0] * rows
        for c in cells:
            if c.rowspan == 1:
                width = xs[c.col + c.colspan] - xs[c.col] - 4
                n = max(1, -(-len(c.text) * size // max(width, size)))
                heights[c.row] = max(heights[c.row], n * 1.3 * size + 8)
        heights = [h or 1.3 * size + 8 for h in heights]
        header = set(block.header_rows)
        start = 0
        while start < rows:
            end = start
            top = self.y
            if start:
                self.need(heights[start] + 1)
                top = self.y
            rows_here = []
            if start and self.shape.repeat_header and header:
                rows_here = sorted(header)
            y = top + sum(heights[r] for r in rows_here)
            stop = self.shape.split_t3_at if block.id == "t3" and self.shape.split_t3_at and start == 0 else rows
            while end < rows and end < stop and y + heights[end] <= BOTTOM:
                y += heights[end]
                end += 1
            if end == start:  # nothing fits: next page
                self.new_page()
                continue
            self._rows(cells, [*rows_here, *range(start, end)], xs, heights, size, start if start else None)
            self.y = y + 16
            start = end
            if start < rows:
                self.new_page()

    def _rows(self, cells, shown: list[int], xs, heights, size: float, cut: int | None) -> None:  # type: ignore[no-untyped-def]
        tops = {}
        y = self.y
        for r in shown:
            tops[r] = y
            y += heights[r]
        last = shown[-1]
        for c in cells:
            rows_of = [r for r in range(c.row, c.row + c.rowspan) if r in tops]
            if not rows_of:
                continue
            top = tops[rows_of[0]]
            bottom = tops[rows_of[-1]] + heights[rows_of[-1]]
            x0, x1 = xs[c.col], xs[c.col + c.colspan]
            self._borders(x0, top, x1, bottom, c, last)
            if cut is not None and c.row < cut and rows_of[0] != c.row:
                continue  # a merged label cut by the page break: printed on the first part only
            text = c.text if c.label else self._number(c.text)
            self._cell_text(text, x0, top, x1, bottom, size, c.label)

    def _borders(self, x0: float, top: float, x1: float, bottom: float, c, last: int) -> None:  # type: ignore[no-untyped-def]
        if not self.shape.ruled:
            return
        edges = [(x0, top, x1, top), (x0, bottom, x1, bottom), (x0, top, x0, bottom), (x1, top, x1, bottom)]
        if self.shape.missing_line and c.key == "t3.new.natural_person":
            edges.pop()  # the line between 自然人 and 商业企业 in row 一 is not drawn
        if self.shape.missing_line and c.key == "t3.new.commercial":
            edges.pop(2)
        for a, b, cc, d in edges:
            if self.shape.thin_rects:
                if a == cc:
                    self.ops.append(f"{a - 0.35:.2f} {H - d:.2f} 0.7 {d - b:.2f} re f")
                else:
                    self.ops.append(f"{a:.2f} {H - b - 0.35:.2f} {cc - a:.2f} 0.7 re f")
            else:
                self.pdf.line(self.ops, a, b, cc, d)

    def _number(self, text: str) -> str:
        if text == "0":
            text = self.shape.zero
        if self.shape.fullwidth:
            text = text.translate({ord(str(i)): chr(0xFF10 + i) for i in range(10)})
        return text

    def _cell_text(self, text: str, x0: float, top: float, x1: float, bottom: float, size: float, label: bool) -> None:
        if not text:
            return
        per = max(1, int((x1 - x0 - 4) // size))
        chunks = [text[i:i + per] for i in range(0, len(text), per)]
        y = (top + bottom) / 2 - len(chunks) * 1.3 * size / 2
        for chunk in chunks:
            left = (x0 + x1) / 2 - len(chunk) * size / 2
            if not label and self.shape.digits == "glyphs":
                for i in reversed(range(len(chunk))):  # right to left, one glyph per text object
                    self.write(left + i * size, y, size, chunk[i])
            elif not label and self.shape.fields:
                self.pdf.field(x0 + 1, top + 1, x1 - 1, bottom - 1, chunk)
            elif not label and self.shape.digits == "kerned" and len(chunk) > 1:
                base = H - y - 0.88 * size
                parts = " -0 ".join(hexstr(ch) for ch in chunk)
                self.ops.append(f"BT {self.mode} Tr /F1 {size:g} Tf 1 0 0 1 {left:.2f} {base:.2f} Tm [{parts}] TJ ET")
            else:
                self.write(left, y, size, chunk)
            y += 1.3 * size


def _cell(row: int, col: int, colspan: int, text: str, label: bool = True):  # type: ignore[no-untyped-def]
    from govreport_gui.export.layout import LayoutCell

    return LayoutCell(row, col, 1, colspan, text, label)


def report_pdf(report: Report, path: Path, shape: Shape | None = None, **save: object) -> Path:
    """``report`` printed as a PDF in ``shape``."""
    shape = shape or Shape()
    pdf = Pdf(images=shape.ocr, turned=shape.turned)
    p = _Printer(pdf, shape)
    for block in build(report).blocks:
        if isinstance(block, Title):
            for line in block.lines:
                p.paragraph(line, 22, 0, centred=True)
            p.y += 10
        elif isinstance(block, Heading):
            p.need(80)
            p.paragraph(block.text)
        elif isinstance(block, Paragraph):
            p.paragraph(block.lead + block.text)
        elif isinstance(block, TableBlock):
            p.table(block, report)
        elif isinstance(block, Signature):
            for text in (block.agency, block.date):
                if text:
                    p.need(30)
                    p.write(RIGHT - len(text) * 16, p.y, 16, text)
                    p.y += 29
    return pdf.save(path, **save)  # type: ignore[arg-type]
