"""Hostile PDFs: huge page counts, deep nesting, huge content streams, decompression bombs,
exploding forms, passwords, garbage. Each builder writes into ``folder`` and returns the path;
they are made at test time (most are a few KB; the names say which are big)."""

from __future__ import annotations

import os
import re
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

from tests.readers.pdf_builders import report_pdf
from tests.safety.hostile_readers import fifo_named

DATA = Path(__file__).resolve().parents[1] / "data"
Build = Callable[[Path], Path]
FONT = (b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts "
        b"[<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (GB1) /Supplement 4 >> /DW 1000 >>] >>")


def write_pdf(path: Path, objects: dict[int, bytes], streams: dict[int, bytes] | None = None,
              filters: dict[int, bytes] | None = None, trailer: bytes = b"") -> Path:
    """A PDF of ``objects`` (1 is the catalog) with a correct cross-reference table; ``streams``
    gives stream data (written as is) and ``filters`` their /Filter entries."""
    streams = streams or {}
    filters = filters or {}
    with open(path, "wb") as out:
        out.write(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
        offsets = {}
        for n in sorted(objects):
            offsets[n] = out.tell()
            body = objects[n]
            if n in streams:
                data = streams[n]
                extra = b" /Filter " + filters[n] if n in filters else b""
                body = body[:-2].rstrip() + extra + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
            out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
        xref = out.tell()
        size = max(objects) + 1
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        for n in range(1, size):
            out.write(b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n")
        out.write(b"trailer\n<< /Size %d /Root 1 0 R " % size + trailer + b">>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return path


def one_page(name: str, content: bytes | Callable[[], bytes], filters: bytes | None = None,
             resources: bytes = b"<< /Font << /F1 4 0 R >> >>", extra: dict[int, bytes] | None = None,
             extra_streams: dict[int, bytes] | None = None) -> Build:
    """A one-page PDF whose content stream is ``content`` (already encoded for ``filters``)."""
    def build(folder: Path) -> Path:
        objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources " + resources + b" /Contents 5 0 R >>",
                   4: FONT, 5: b"<< >>", **(extra or {})}
        streams = {5: content() if callable(content) else content, **(extra_streams or {})}
        return write_pdf(folder / name, objects, streams, {5: filters} if filters else None)
    return build


def pages(name: str, kids: int, count: int | None = None) -> Build:
    """``kids`` real (empty) pages under one node that claims ``count``."""
    def build(folder: Path) -> Path:
        refs = b" ".join(b"%d 0 R" % (10 + i) for i in range(kids))
        objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
                   2: b"<< /Type /Pages /Kids [" + refs + b"] /Count %d >>" % (kids if count is None else count),
                   3: b"<< >>"}
        for i in range(kids):
            objects[10 + i] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"
        return write_pdf(folder / name, objects, {3: b"BT ET"})
    return build


def deep_tree(folder: Path) -> Path:
    """A page tree 100,000 levels deep (each node has one child)."""
    n = 100_000
    objects = {1: b"<< /Type /Catalog /Pages 10 0 R >>"}
    for i in range(n):
        kid = 10 + i + 1
        objects[10 + i] = b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % kid
    objects[10 + n] = b"<< /Type /Page /MediaBox [0 0 595 842] >>"
    return write_pdf(folder / "deep-tree.pdf", objects)


def nested_resources(open_: bytes, close: bytes, depth: int) -> Build:
    name = "nested-" + open_.decode().strip("/ A") + f"-{depth}.pdf"
    return one_page(name, b"BT /F1 12 Tf (x) Tj ET", resources=open_ * depth + close * depth)


def bomb(name: str, megabytes: int, layers: int = 1) -> Build:
    """A content stream of ``megabytes`` of spaces, Flate-compressed ``layers`` times. After a full
    flush each megabyte compresses to the same bytes, so the bomb is built by repeating them (its
    checksum is never reached: the reader must stop long before)."""
    def data() -> bytes:
        chunk = b" " * (1 << 20)
        comp = zlib.compressobj(9)
        head = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
        block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
        out = head + block * (megabytes - 1) + comp.flush()
        for _ in range(layers - 1):
            out = zlib.compress(out, 9)
        return out
    filters = b"/FlateDecode" if layers == 1 else b"[" + b" /FlateDecode" * layers + b"]"
    return one_page(name, data, filters)


def lzw(folder: Path) -> Path:
    """An LZW stream of 8 MB of codes (each a literal: no compression, all Python to decode)."""
    bits = []
    for i in range(3_000_000):
        bits.append(format(256 if i % 250 == 0 else 65 + i % 26, "09b"))  # clearing keeps codes 9 bits
    raw = "".join(bits)
    raw += "0" * (-len(raw) % 8)
    data = int(raw, 2).to_bytes(len(raw) // 8, "big")
    return one_page("lzw.pdf", data, b"/LZWDecode")(folder)


def forms(name: str, fan: int, depth: int) -> Build:
    """Form n draws form n+1 ``fan`` times, ``depth`` deep: fan**depth forms drawn."""
    def build(folder: Path) -> Path:
        objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /X 10 0 R >> "
                      b"/Font << /F1 4 0 R >> >> /Contents 5 0 R >>", 4: FONT, 5: b"<< >>"}
        streams = {5: b"/X Do"}
        for i in range(depth):
            n = 10 + i
            inner = b"<< /XObject << /X %d 0 R >> /Font << /F1 4 0 R >> >>" % (n + 1)
            objects[n] = b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources " + inner + b" >>"
            streams[n] = b"/X Do " * fan + b"BT /F1 9 Tf 10 10 Td <6570> Tj ET"
        objects[10 + depth] = b"<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] >>"
        streams[10 + depth] = b"0 0 m 1 1 l S"
        return write_pdf(folder / name, objects, streams)
    return build


def self_form(folder: Path) -> Path:
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /X 10 0 R >> >> "
                  b"/Contents 5 0 R >>", 5: b"<< >>",
               10: b"<< /Type /XObject /Subtype /Form /BBox [0 0 9 9] /Resources << /XObject << /X 10 0 R >> >> >>"}
    return write_pdf(folder / "self-form.pdf", objects, {5: b"/X Do", 10: b"/X Do /X Do /X Do"})


def many_fonts(folder: Path) -> Path:
    """20,000 fonts, each used once."""
    n = 20_000
    fonts = b" ".join(b"/F%d %d 0 R" % (i, 10 + i) for i in range(n))
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << " + fonts + b" >> >> "
                  b"/Contents 5 0 R >>", 5: b"<< >>"}
    for i in range(n):
        objects[10 + i] = FONT
    content = b" ".join(b"BT /F%d 9 Tf 10 %d Td <6570> Tj ET" % (i, i % 800) for i in range(n))
    return write_pdf(folder / "many-fonts.pdf", objects, {5: content})


def garbage(name: str, data: Callable[[], bytes]) -> Build:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data())
        return path
    return build


def link(target: str) -> Build:
    def build(folder: Path) -> Path:
        path = folder / f"link-{os.path.basename(target)}.pdf"
        path.symlink_to(target)
        return path
    return build


def locked(folder: Path) -> Path:
    from govreport_gui.report import native

    return report_pdf(native.load(DATA / "sample-2025.govreport"), folder / "locked.pdf", user_password="密码123".encode("gbk").decode("latin-1"))


def real(folder: Path) -> Path:
    """The sample report printed: hostile cases must not slow a real one down."""
    from govreport_gui.report import native

    return report_pdf(native.load(DATA / "sample-2025.govreport"), folder / "real.pdf")


def _glyphs(n: int) -> bytes:
    return b"BT /F1 1 Tf " + b"<6570> Tj " * n + b"ET"


def _paths(megabytes: int) -> bytes:
    line = b"10 10 m 20 20 l 30 30 l S q 1 0 0 1 0 0 cm Q\n"
    return line * (megabytes * (1 << 20) // len(line))


PDF: dict[str, Build] = {
    "pdf real report (control)": real,
    "pdf /Count 1,000,000 claimed": pages("count.pdf", 3, count=1_000_000),
    "pdf 5,000 real pages": pages("5000-pages.pdf", 5_000),
    "pdf /Count 1 over 60,000 pages": pages("lying-count.pdf", 60_000, count=1),
    "pdf page tree 100,000 deep": deep_tree,
    "pdf resources nested 200,000 arrays deep": nested_resources(b"[", b"]", 200_000),
    "pdf resources nested 100,000 dictionaries deep": nested_resources(b"<< /A ", b">>", 100_000),
    "pdf content nested 1,000,000 arrays deep": one_page("nested-content.pdf", lambda: b"[" * 1_000_000 + b" TJ"),
    "pdf content 24 MB of paths (uncompressed)": one_page("paths-24mb.pdf", lambda: _paths(24)),
    "pdf content 3 MB of paths": one_page("paths-3mb.pdf", lambda: _paths(3)),
    "pdf content 2,000,000 glyphs": one_page("glyphs.pdf", lambda: _glyphs(2_000_000)),
    "pdf Flate bomb 2 GB (one layer)": bomb("bomb.pdf", 2048),
    "pdf Flate bomb 1 GB in two layers": bomb("bomb2.pdf", 1024, layers=2),
    "pdf LZW content, 3 million codes": lzw,
    "pdf RunLength bomb": one_page("rle.pdf", lambda: b"\x81 " * 4_000_000, b"/RunLengthDecode"),
    "pdf forms drawn 10^9 times (10 wide, 9 deep)": forms("forms.pdf", 10, 9),
    "pdf form drawing itself": self_form,
    "pdf 20,000 fonts": many_fonts,
    "pdf password": locked,
    "pdf 40 MB": garbage("big.pdf", lambda: b"%PDF-1.4\n" + b"0" * (40 << 20)),
    "pdf header then 20 MB random bytes": garbage("random.pdf", lambda: b"%PDF-1.4\n" + os.urandom(20 << 20)),
    "pdf header then 20 MB of 'n 0 obj' lines": garbage(
        "objs.pdf", lambda: b"%PDF-1.4\n" + b"".join(b"%d 0 obj << /A [1 2 3] >> endobj\n" % i for i in range(600_000))),
    "pdf no xref, 200,000 pages to find": garbage(
        "no-xref.pdf", lambda: b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
        + b"".join(b"%d 0 obj << /Type /Page >> endobj\n" % i for i in range(2, 200_000))),
    "pdf -> /dev/zero": link("/dev/zero"),
    "pdf FIFO": fifo_named("fifo.pdf"),
}


# --- second round (bench/RESULTS-probe.md): cross-reference and object-stream loops, images that
# claim billions of pixels, JBIG2/JPX, ToUnicode maps that are huge, recursive or garbage, fonts
# with absurd metrics

def _appended(name: str, tail: Callable[[bytes, bytes, int], bytes]) -> Build:
    """The real report with ``tail(root_ref, data_length, last_xref)`` appended (an update)."""
    def build(folder: Path) -> Path:
        data = real(folder).read_bytes()
        root = re.findall(rb"/Root\s+(\d+ \d+ R)", data)[-1]
        last = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
        path = folder / name
        path.write_bytes(data + tail(root, len(data), last))
        return path
    return build


def _xref_self(root: bytes, at: int, last: int) -> bytes:
    return b"xref\n0 0\ntrailer\n<< /Size 1 /Root %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (root, at, at)


def _xref_ring(root: bytes, at: int, last: int) -> bytes:
    second = at + len(b"xref\n0 0\ntrailer\n<< /Size 1 /Root %s /Prev %010d >>\n" % (root, 0))
    return (b"xref\n0 0\ntrailer\n<< /Size 1 /Root %s /Prev %010d >>\n" % (root, second)
            + b"xref\n0 0\ntrailer\n<< /Size 1 /Root %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (root, at, second))


def _xref_stream_pdf(name: str, objects: dict[int, bytes], in_streams: dict[int, tuple[int, int]]) -> Build:
    """Objects at offsets plus objects inside object streams (``in_streams``: number → (stream,
    index)), indexed by a cross-reference stream."""
    def build(folder: Path) -> Path:
        out = bytearray(b"%PDF-1.5\n")
        offsets = {}
        for n in sorted(objects):
            offsets[n] = len(out)
            out += b"%d 0 obj " % n + objects[n] + b" endobj\n"
        size = max([*objects, *in_streams]) + 2
        xref_no = size - 1
        rows = []
        for n in range(size):
            if n in offsets:
                rows.append(b"\x01" + struct.pack(">H", offsets[n]) + b"\x00\x00")
            elif n in in_streams:
                rows.append(b"\x02" + struct.pack(">HH", *in_streams[n]))
            elif n == xref_no:
                rows.append(b"\x01" + struct.pack(">H", len(out)) + b"\x00\x00")
            else:
                rows.append(b"\x00\x00\x00\xff\xff")
        table = b"".join(rows)
        at = len(out)
        out += (b"%d 0 obj << /Type /XRef /Size %d /W [1 2 2] /Root 1 0 R /Length %d >> stream\n" % (xref_no, size, len(table))
                + table + b"\nendstream endobj\nstartxref\n%d\n%%%%EOF\n" % at)
        (folder / name).write_bytes(bytes(out))
        return folder / name
    return build


def _objstm(first: bytes, body: bytes, extra: bytes) -> bytes:
    data = first + body
    return (b"<< /Type /ObjStm /N 1 /First %d %s >> stream\n" % (len(first), extra) + data + b"\nendstream")


_TREE = {2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
         3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 9 0 R >>",
         4: FONT}
objstm_self = _xref_stream_pdf("objstm-self.pdf", {
    **_TREE, 5: _objstm(b"1 0 ", b"<< /Type /Catalog /Pages 2 0 R /X 6 0 R >>", b"/Length 6 0 R /Extends 5 0 R")},
    {1: (5, 0), 6: (5, 1), 9: (5, 2)})
objstm_ring = _xref_stream_pdf("objstm-ring.pdf", {
    1: b"<< /Type /Catalog /Pages 2 0 R >>", **_TREE,
    5: _objstm(b"9 0 ", b"10 0 R", b"/Length 10 /Extends 6 0 R"), 6: _objstm(b"10 0 ", b"9 0 R", b"/Length 10 /Extends 5 0 R")},
    {9: (5, 0), 10: (6, 0)})


def _image(name: str, width: int, height: int, filters: bytes, data: bytes, extra: bytes = b"") -> Build:
    image = b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /BitsPerComponent 1 /ColorSpace /DeviceGray " % (
        width, height) + b"/Filter " + filters + extra + b" >>"
    return one_page(name, b"q 500 0 0 700 50 50 cm /Im1 Do Q", resources=b"<< /Font << /F1 4 0 R >> /XObject << /Im1 10 0 R >> >>",
                    extra={10: image, 11: b"<< >>"},
                    extra_streams={10: data, 11: b"\x00\x00\x00\x00\x30\x00\x01\x00\x00\x00\x13" * 10_000})


def _to_unicode(name: str, cmap: Callable[[], bytes], codes: bytes = b"0001000200030004", compress: bool = False) -> Build:
    """A font whose ToUnicode map is ``cmap`` (Identity-H codes), showing ``codes`` 50 times."""
    font = (b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H /ToUnicode 6 0 R "
            b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo "
            b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>] >>")

    def data() -> bytes:
        return zlib.compress(cmap()) if compress else cmap()
    def build(folder: Path) -> Path:
        extra = {4: font, 6: b"<< /Filter /FlateDecode >>" if compress else b"<< >>"}
        return one_page(name, b"BT /F1 12 Tf 72 700 Td <" + codes + b"> Tj ET" * 50, extra=extra, extra_streams={6: data()})(folder)
    return build


_CMAP = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def "
         b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n%s\nendcmap CMapName currentdict /CMap defineresource pop end end")

PDF.update({
    # first of its group: a refusal that leaves 150 MB behind starves every later file in the process
    "pdf ToUnicode bfrange over 4 billion codes": _to_unicode("bfrange-4g.pdf", lambda: (_CMAP % b"1 beginbfrange <00000000> <FFFFFFFF> <0030> endbfrange").replace(b"<0000> <FFFF>", b"<00000000> <FFFFFFFF>")),
    "pdf ToUnicode 100 bfranges of 65,536 codes": _to_unicode("bfrange-100.pdf", lambda: _CMAP % (b"100 beginbfrange\n" + b"".join(b"<0000> <FFFF> <%04X>\n" % (0x4E00 + i) for i in range(100)) + b"endbfrange")),
    "pdf ToUnicode bfrange with a 200,000-element array": _to_unicode("bfrange-array.pdf", lambda: _CMAP % (b"1 beginbfrange <0000> <FFFF> [" + b"<4E00> " * 200_000 + b"] endbfrange")),
    "pdf ToUnicode using itself": _to_unicode("usecmap-self.pdf", lambda: b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /X usecmap /CMapName /X def endcmap"),
    "pdf ToUnicode using built-in CMaps 10,000 times": _to_unicode("usecmap-many.pdf", lambda: b"begincmap " + b"/UniGB-UCS2-H usecmap /Adobe-GB1-UCS2 usecmap " * 5_000 + b"endcmap"),
    "pdf ToUnicode of random bytes": _to_unicode("cmap-random.pdf", lambda: os.urandom(200_000)),
    "pdf ToUnicode to controls, bidi override, surrogates": _to_unicode("cmap-controls.pdf", lambda: _CMAP % (b"7 beginbfchar\n" + b"".join(b"<%04X> <%s>\n" % (i, t) for i, t in enumerate([b"0000", b"202E", b"D800", b"001B", b"FEFF", b"200B", b"0008"], start=1)) + b"endbfchar"), codes=b"0001000200030004000500060007"),
    "pdf ToUnicode Flate bomb (64 MB of bfchar)": _to_unicode("cmap-bomb.pdf", lambda: _CMAP % (b"1 beginbfchar\n" + b"<0001> <4E00>\n" * ((64 << 20) // 14) + b"endbfchar"), compress=True),
    "pdf xref /Prev pointing at itself": _appended("xref-self.pdf", _xref_self),
    "pdf xref sections pointing at each other": _appended("xref-ring.pdf", _xref_ring),
    "pdf object stream holding its own /Length, /Extends itself": objstm_self,
    "pdf object streams extending each other": objstm_ring,
    "pdf image 100,000 × 100,000": _image("huge-image.pdf", 100_000, 100_000, b"/FlateDecode", zlib.compress(b"\x00" * 1000)),
    "pdf JBIG2 image 2^31 × 2^31 with globals": _image("jbig2.pdf", 2**31 - 1, 2**31 - 1, b"/JBIG2Decode", b"\x97JB2\r\n\x1a\n" + b"\x00" * 100_000, b" /DecodeParms << /JBIG2Globals 11 0 R >>"),
    "pdf JPX image claiming 2^31 pixels": _image("jpx.pdf", 2**31 - 1, 3, b"/JPXDecode", b"\x00\x00\x00\x0cjP  \r\n\x87\n" + b"\xff" * 100_000),
    "pdf inline image 100,000 × 100,000 without EI": one_page("inline.pdf", b"q 500 0 0 700 50 50 cm BI /W 100000 /H 100000 /BPC 8 /CS /G ID " + b"\x00" * 2_000_000 + b"E"),
    "pdf font widths ±1e308, size 1e30, Tz 0": one_page("widths.pdf", b"BT /F1 1e30 Tf 1e30 0 0 1e30 1e30 1e30 Tm <6570657065706570> Tj 0 Tz <6570> Tj ET" * 100, extra={4: FONT.replace(b"/DW 1000", b"/DW 1e308 /W [0 65535 -1e308]")}),
    "pdf Type3 font, singular matrix, drawing itself": one_page("type3.pdf", b"BT /F1 12 Tf 72 700 Td (aaaa) Tj ET", extra={4: b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 0 0] /FontMatrix [0 0 0 0 0 0] /CharProcs << /a 7 0 R >> /Encoding << /Differences [97 /a] >> /FirstChar 97 /LastChar 97 /Widths [1000] /Resources << /Font << /F1 4 0 R >> >> >>", 7: b"<< >>"}, extra_streams={7: b"1000 0 d0 BT /F1 12 Tf (a) Tj ET"}),
    "pdf real report after all these (control)": real,
})
