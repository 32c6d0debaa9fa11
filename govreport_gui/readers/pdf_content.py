"""A PDF page's content as glyphs with their boxes, ruling lines and image area.

pdfminer.six reads the document structure and the fonts (encodings, ToUnicode maps, widths);
the content streams are read here. pdfminer's own interpreter tokenises them in pure Python at
~0.2 MB/s, and Qt's PDF export writes ~150 KB per table page; a regular expression over the whole
stream does it ~10× faster. Only what a report reader needs is interpreted: the graphics and text
state, text showing, straight path segments and painted rectangles, forms and images (for the
area a scan covers). Colours, clipping, shading and marked content are skipped.

Work is counted (:class:`Budget`) so that a hostile page stops at a report's size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pdfminer.pdffont import PDFFont, PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1
from pdfminer.psparser import PSLiteral

from .pdf_limits import TooMuch

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MAX_GLYPHS = 100_000  # a report has ~10,000 (a 30-page one ~30,000)
MAX_SEGMENTS = 200_000  # straight path segments painted; Qt's 表三 page has ~2,700
MAX_CONTENT_BYTES = 6 * 1024 * 1024  # content interpreted, forms counted each time drawn (Qt: ~60 KB a page)
MAX_FORMS = 5_000  # forms drawn (a form drawing a form ten times, ten deep, is 10^10 otherwise)
MAX_FORM_DEPTH = 12
MIN_TURNED = 10  # sideways glyphs that make a page worth reading turned (a table's last row has ~15)
MAX_NESTING = 100  # arrays in arrays in a content stream (TJ has one level; marked content two)
UNDEFINED = "\ufffd"  # a glyph whose font says nothing about its character
MAX_DESCENT = 0.5  # em: below the baseline no real font's text box reaches further (SimSun 0.14, Arial 0.21)
CJK_DESCENT = 0.12  # em: the ideographic box's foot, taken when a font's descent is out of range

# one token per match; whitespace and comments match with no group; literal strings nest 2 deep
_TOKEN = re.compile(
    rb"""[\x00\t\n\x0c\r ]+|%[^\r\n]*
    |(?P<n>[+-]?(?:\d+\.?\d*|\.\d+))
    |/(?P<name>[^\x00\t\n\x0c\r /\[\]<>(){}%]*)
    |\((?P<s>(?:[^()\\]|\\.|\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\))*)\)
    |<(?P<h>[0-9A-Fa-f\x00\t\n\x0c\r ]*)>
    |(?P<open>\[|<<)|(?P<close>\]|>>)
    |(?P<k>[^\x00\t\n\x0c\r /\[\]<>(){}%]+)""",
    re.X | re.S,
)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|\r\n|[\r\n]|.)", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"\r\n": b"", b"\r": b"", b"\n": b""}
_EI = re.compile(rb"[\x00\t\n\x0c\r ]EI(?=[\x00\t\n\x0c\r ]|$)")
_SPACE = re.compile(rb"[\x00\t\n\x0c\r ]+")


def _unescape(m: re.Match[bytes]) -> bytes:
    s = m.group(1)
    if s[:1].isdigit():
        return bytes([int(s, 8) & 0xFF])
    return _ESCAPES.get(s, s)


def mult(a: Matrix, b: Matrix) -> Matrix:
    """``a`` then ``b`` (PDF row-vector convention: a point p goes to p·a·b)."""
    a0, a1, a2, a3, a4, a5 = a
    b0, b1, b2, b3, b4, b5 = b
    return (a0 * b0 + a1 * b2, a0 * b1 + a1 * b3, a2 * b0 + a3 * b2, a2 * b1 + a3 * b3,
            a4 * b0 + a5 * b2 + b4, a4 * b1 + a5 * b3 + b5)


@dataclass(frozen=True)
class Glyph:
    """One glyph, in points from the top-left corner of the page."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str
    invisible: bool = False  # text render mode 3: an OCR layer over a scan

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class PageContent:
    width: float
    height: float
    glyphs: list[Glyph] = field(default_factory=list)
    hlines: list[tuple[float, float, float]] = field(default_factory=list)  # (y, x0, x1)
    vlines: list[tuple[float, float, float]] = field(default_factory=list)  # (x, y0, y1)
    image_area: float = 0.0  # points² covered by images (a scanned page: about the page)
    rotated: int = 0  # glyphs not upright (a watermark, a rotated page's text): left out
    undefined: int = 0  # glyphs whose character the font does not tell
    turned: bool = False  # the page's text stood sideways (no /Rotate said so): read turned back
    unshown_fields: int = 0  # form fields with a value but no appearance to read it from
    clipped: int = 0  # glyphs outside the clipping path (invisible)
    past_edge: bool = False  # text ran past the page's right edge (a table printed too wide)


@dataclass
class Budget:
    """What one document may still cost (see the module constants)."""

    glyphs: int = MAX_GLYPHS
    segments: int = MAX_SEGMENTS
    content: int = MAX_CONTENT_BYTES
    forms: int = MAX_FORMS

    def spend(self, what: str, n: int = 1) -> None:
        left = getattr(self, what) - n
        setattr(self, what, left)
        if left < 0:
            raise TooMuch({"glyphs": "文字", "segments": "线条", "content": "页面内容", "forms": "嵌套的图形对象"}[what])


class _Font:
    """A pdfminer font with its glyphs' text and widths cached."""

    def __init__(self, font: PDFFont) -> None:
        self.font = font
        self.name = str(getattr(font, "fontname", ""))
        self.multibyte = font.is_multibyte()
        self.vertical = font.is_vertical()
        try:
            self.descent = float(font.get_descent())
        except Exception:  # a broken descriptor: the baseline is good enough
            self.descent = 0.0
        if not -MAX_DESCENT <= self.descent <= 0:
            # the font's bounding box given as its descent (pdftocairo writes Noto CJK's -1.048 em):
            # the glyph boxes would hang a line below the digits of another font on the same baseline
            self.descent = -CJK_DESCENT
        self.cache: dict[int, tuple[str, float]] = {}

    def glyph(self, cid: int) -> tuple[str, float]:
        got = self.cache.get(cid)
        if got is None:
            try:
                text = self.font.to_unichr(cid)
            except (PDFUnicodeNotDefined, KeyError, IndexError, ValueError, TypeError, UnicodeDecodeError):
                text = UNDEFINED
            try:
                width = float(self.font.char_width(cid))
            except (KeyError, IndexError, ValueError, TypeError):
                width = 0.0
            got = self.cache[cid] = (text, width)
        return got


class _State:
    __slots__ = ("ctm", "font", "size", "tc", "tw", "tz", "tl", "tr", "ts", "clip")

    def __init__(self) -> None:
        self.ctm: Matrix = IDENTITY
        self.font: _Font | None = None
        self.size = 0.0
        self.tc = self.tw = 0.0
        self.tz = 1.0
        self.tl = 0.0
        self.tr = 0
        self.ts = 0.0
        self.clip: tuple[float, float, float, float] | None = None  # the clipping path's box (device space)

    def copy(self) -> _State:
        s = _State()
        for k in _State.__slots__:
            setattr(s, k, getattr(self, k))
        return s


def _num(x: Any) -> float:
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return float(x)
    raise ValueError("not a number")


def _matrix(values: list[Any]) -> Matrix:
    if len(values) != 6:
        raise ValueError("a matrix has six numbers")
    a, b, c, d, e, f = (_num(v) for v in values)
    return (a, b, c, d, e, f)


class Reader:
    """Reads the pages of one document; fonts are shared between its pages."""

    def __init__(self, rsrc: PDFResourceManager, budget: Budget) -> None:
        self.rsrc = rsrc
        self.budget = budget
        self.fonts: dict[int, _Font] = {}  # id of the font's spec → font
        self.by_name: dict[tuple[int, str], _Font | None] = {}
        self.keep: list[dict] = []  # the resources dictionaries keyed by id() above stay alive

    def page(self, page: PDFPage) -> PageContent:
        box = tuple(float(v) for v in page.cropbox or page.mediabox)
        out = self._read(page, box, page.rotate)
        if out.rotated >= MIN_TURNED and out.rotated > 2 * len(out.glyphs):
            # a page turned sideways without /Rotate (a landscape table printed onto an upright
            # page): read as it is read, turned back; a watermark alone stays what it is
            for turn in (90, 270):
                other = self._read(page, box, (page.rotate + turn) % 360)
                if len(other.glyphs) > max(len(out.glyphs), out.rotated // 2):
                    other.turned = True
                    return other
        return out

    def _read(self, page: PDFPage, box: tuple[float, ...], rotate: int) -> PageContent:
        x0, y0, x1, y1 = box
        # device space: points from the top-left corner of the page as shown (y grows downwards)
        if rotate == 90:
            base: Matrix = (0.0, 1.0, 1.0, 0.0, -y0, -x0)
            width, height = y1 - y0, x1 - x0
        elif rotate == 180:
            base = (-1.0, 0.0, 0.0, 1.0, x1, -y0)
            width, height = x1 - x0, y1 - y0
        elif rotate == 270:
            base = (0.0, -1.0, -1.0, 0.0, y1, x1)
            width, height = y1 - y0, x1 - x0
        else:
            base = (1.0, 0.0, 0.0, -1.0, -x0, y1)
            width, height = x1 - x0, y1 - y0
        out = PageContent(width, height)
        state = _State()
        state.ctm = base
        streams = [s for s in (resolve1(c) for c in page.contents) if isinstance(s, PDFStream)]
        resources = resolve1(page.resources) or {}
        self.keep.append(resources)
        if streams:
            self._run(out, streams, resources, state, 0)
        self._fields(out, page, resources if isinstance(resources, dict) else {}, base)
        return out

    def _fields(self, out: PageContent, page: PDFPage, resources: dict, base: Matrix) -> None:
        """Form fields filled in: the text their appearance shows over the page, as a viewer and a
        printer draw it (a fillable template's numbers are only there). Text only: a field's frame
        is no table line. Buttons and signatures are left out."""
        annots = resolve1(page.annots)
        if not isinstance(annots, list):
            return
        for ref in annots[:MAX_FORMS]:
            annot = resolve1(ref)
            if not isinstance(annot, dict) or _name(annot.get("Subtype")) != "Widget":
                continue
            flags = resolve1(annot.get("F"))
            if isinstance(flags, int) and flags & 0b100010 or _field_type(annot) in ("Btn", "Sig"):
                continue  # hidden, not shown, a check box, a signature
            ap = resolve1(annot.get("AP"))
            normal = resolve1(ap.get("N")) if isinstance(ap, dict) else None
            if isinstance(normal, dict):  # appearance states (on / off): the current one
                normal = resolve1(normal.get(_name(annot.get("AS"))))
            if not isinstance(normal, PDFStream):
                value = resolve1(annot.get("V"))
                if isinstance(value, bytes) and value.strip():
                    out.unshown_fields += 1  # a value a viewer draws itself (NeedAppearances): not read
                continue
            try:
                fit = _fit(normal, resolve1(annot.get("Rect")))
            except (ValueError, TypeError, ZeroDivisionError):
                continue
            self.budget.spend("forms")
            state = _State()
            state.ctm = mult(fit, base)
            own = resolve1(normal.get("Resources"))
            drawn = PageContent(out.width, out.height)
            self._run(drawn, [normal], own if isinstance(own, dict) else resources, state, 1)
            out.glyphs.extend(drawn.glyphs)
            out.undefined += drawn.undefined
            out.rotated += drawn.rotated

    # --- resources ----------------------------------------------------------------------------
    def _font(self, resources: dict, name: str) -> _Font | None:
        # Qt sets the font before every glyph: look each (resources, name) up once
        key = (id(resources), name)
        if key not in self.by_name:
            self.by_name[key] = self._lookup(resources, name)
        return self.by_name[key]

    def _lookup(self, resources: dict, name: str) -> _Font | None:
        fonts = resolve1(resources.get("Font")) if isinstance(resources, dict) else None
        if not isinstance(fonts, dict):
            return None
        ref = fonts.get(name)
        spec = resolve1(ref)
        if not isinstance(spec, dict):
            return None
        key = id(spec) if not isinstance(ref, PDFObjRef) else ref.objid
        got = self.fonts.get(key)
        if got is None:
            objid = ref.objid if isinstance(ref, PDFObjRef) else None
            try:
                font = self.rsrc.get_font(objid, spec)
            except TooMuch:
                raise
            except Exception:  # pdfminer's many ways a broken font fails: no text from it
                return None
            got = self.fonts[key] = _Font(font)
        return got

    # --- the interpreter ----------------------------------------------------------------------
    def _run(self, out: PageContent, streams: list[PDFStream], resources: dict, state: _State, depth: int) -> None:
        budget = self.budget
        parts = []
        for s in streams:  # counted before they are joined (a copy)
            parts.append(s.get_data())
            budget.spend("content", len(parts[-1]))
        data = parts[0] if len(parts) == 1 else b"\n".join(parts)
        del parts
        stack: list[Any] = []
        nest: list[list[Any]] = []  # open arrays / dictionaries
        saved: list[_State] = []
        tm: Matrix = IDENTITY
        tlm: Matrix = IDENTITY
        path: list[list[tuple[float, float]]] = []
        clipping = False
        pos = 0
        end = len(data)
        match = _TOKEN.match
        while pos < end:
            m = match(data, pos)
            if m is None:
                pos += 1  # a stray ")" or "{": skip it
                continue
            pos = m.end()
            kind = m.lastgroup
            if kind is None:
                continue
            if kind == "n":
                stack.append(float(m.group("n")))
                continue
            if kind == "name":
                stack.append(m.group("name").decode("latin-1"))  # names are str, strings bytes
                continue
            if kind == "s":
                raw = m.group("s")
                stack.append(_ESCAPE.sub(_unescape, raw) if b"\\" in raw else raw)
                continue
            if kind == "h":
                hexa = _SPACE.sub(b"", m.group("h"))
                stack.append(bytes.fromhex((hexa + b"0" if len(hexa) % 2 else hexa).decode("ascii")))
                continue
            if kind == "open":
                if len(nest) >= MAX_NESTING:
                    raise TooMuch("嵌套的数组")
                nest.append(stack)
                stack = []
                continue
            if kind == "close":
                if nest:
                    inner, stack = stack, nest.pop()
                    stack.append(inner if m.group("close") == b"]" else None)
                continue
            op = m.group("k")
            if nest:  # an operator inside an array: a broken stream; close what is open
                while nest:
                    stack = nest.pop()
            try:
                # --- text ---
                if op == b"Tj" or op == b"'" or op == b'"' or op == b"TJ":
                    if op != b"Tj" and op != b"TJ":
                        if op == b'"':
                            state.tw, state.tc = _num(stack[-3]), _num(stack[-2])
                        tlm = mult((1.0, 0.0, 0.0, 1.0, 0.0, -state.tl), tlm)
                        tm = tlm
                    if stack and state.font is not None:
                        tm = self._show(out, state, tm, stack[-1] if op == b"TJ" else [stack[-1]])
                elif op == b"Td" or op == b"TD":
                    tx, ty = _num(stack[-2]), _num(stack[-1])
                    if op == b"TD":
                        state.tl = -ty
                    tlm = mult((1.0, 0.0, 0.0, 1.0, tx, ty), tlm)
                    tm = tlm
                elif op == b"Tm":
                    tlm = tm = _matrix(stack[-6:])
                elif op == b"T*":
                    tlm = mult((1.0, 0.0, 0.0, 1.0, 0.0, -state.tl), tlm)
                    tm = tlm
                elif op == b"Tf":
                    state.font = self._font(resources, stack[-2] if isinstance(stack[-2], str) else "")
                    state.size = _num(stack[-1])
                elif op == b"BT":
                    tm = tlm = IDENTITY
                elif op == b"Tc":
                    state.tc = _num(stack[-1])
                elif op == b"Tw":
                    state.tw = _num(stack[-1])
                elif op == b"Tz":
                    state.tz = _num(stack[-1]) / 100.0
                elif op == b"TL":
                    state.tl = _num(stack[-1])
                elif op == b"Tr":
                    state.tr = int(_num(stack[-1]))
                elif op == b"Ts":
                    state.ts = _num(stack[-1])
                # --- graphics state ---
                elif op == b"q":
                    if len(saved) < 1000:
                        saved.append(state.copy())
                elif op == b"Q":
                    if saved:
                        state = saved.pop()
                elif op == b"cm":
                    state.ctm = mult(_matrix(stack[-6:]), state.ctm)
                # --- paths ---
                elif op == b"re":
                    x, y, w, h = (_num(v) for v in stack[-4:])
                    c = state.ctm
                    path.append([_apply(c, x, y), _apply(c, x + w, y), _apply(c, x + w, y + h), _apply(c, x, y + h),
                                 _apply(c, x, y)])
                elif op == b"m":
                    path.append([_apply(state.ctm, _num(stack[-2]), _num(stack[-1]))])
                elif op == b"l":
                    if path:
                        path[-1].append(_apply(state.ctm, _num(stack[-2]), _num(stack[-1])))
                elif op == b"c" or op == b"v" or op == b"y":
                    if path:  # a curve: its end point starts the next straight segment, not a line
                        path.append([_apply(state.ctm, _num(stack[-2]), _num(stack[-1]))])
                elif op == b"h":
                    if path and len(path[-1]) > 1:
                        path[-1].append(path[-1][0])
                elif op == b"W" or op == b"W*":
                    clipping = True  # applies once the path is painted (usually by n)
                elif op in _PAINT:
                    if clipping:
                        state.clip = _clip(state.clip, path)
                        clipping = False
                    if op != b"n":
                        self._paint(out, path, op in _STROKE)
                    path = []
                # --- objects ---
                elif op == b"Do":
                    if isinstance(stack[-1], str):
                        self._do(out, resources, state, stack[-1], depth)
                elif op == b"BI":
                    pos = self._inline_image(out, state, data, pos)
            except (IndexError, ValueError, TypeError, AttributeError, ZeroDivisionError, OverflowError):
                pass  # an operator with missing or wrong operands: skipped, as readers do
            stack.clear()

    def _show(self, out: PageContent, state: _State, tm: Matrix, items: list[Any]) -> Matrix:
        font = state.font
        assert font is not None
        size, scale, tc, tw, rise = state.size, state.tz, state.tc, state.tw, state.ts
        x = 0.0
        trm = mult(tm, state.ctm)
        a, b, c, d, e, f = trm
        upright = abs(b) < 1e-6 * (abs(a) + 1) and abs(c) < 1e-6 * (abs(d) + 1) and a > 0 and d < 0
        invisible = state.tr == 3
        height = abs(d) * size
        clip = state.clip
        multibyte = font.multibyte
        budget = self.budget
        descent = font.descent * size
        for item in items:
            if isinstance(item, float):
                x -= item * 0.001 * size * scale
                continue
            if not isinstance(item, bytes):
                continue
            for cid in font.font.decode(item):
                text, width = font.glyph(cid)
                adv = width * size * scale
                if upright and not font.vertical:
                    budget.spend("glyphs")
                    gx0 = a * x + e
                    gx1 = a * (x + adv) + e
                    base = d * rise + f
                    glyph = Glyph(text, min(gx0, gx1), max(gx0, gx1), base + d * (descent + size),
                                  base + d * descent, height, font.name, invisible)
                    if clip is not None and not (clip[0] - 1 <= glyph.cx <= clip[2] + 1
                                                 and clip[1] - 1 <= glyph.cy <= clip[3] + 1):
                        out.clipped += 1  # drawn outside the clipping path: not shown (Qt repeats a
                        if glyph.x0 > out.width + 1:  # paragraph's cut line above the next page's body)
                            out.past_edge = True  # a table too wide for the page, cut off there
                    else:
                        out.glyphs.append(glyph)
                        if text == UNDEFINED:
                            out.undefined += 1
                else:
                    budget.spend("glyphs")
                    out.rotated += 1
                x += adv + tc * scale
                if cid == 32 and not multibyte:
                    x += tw * scale
        return mult((1.0, 0.0, 0.0, 1.0, x, 0.0), tm)

    def _paint(self, out: PageContent, path: list[list[tuple[float, float]]], stroke: bool) -> None:
        for sub in path:
            n = len(sub) - 1
            if n < 1:
                continue
            self.budget.spend("segments", n)
            if not stroke and n >= 3:
                xs = [p[0] for p in sub]
                ys = [p[1] for p in sub]
                w, h = max(xs) - min(xs), max(ys) - min(ys)
                if w <= 3 and h > w:  # a filled thin rectangle is a line (Qt draws borders so)
                    out.vlines.append(((min(xs) + max(xs)) / 2, min(ys), max(ys)))
                    continue
                if h <= 3 and w > h:
                    out.hlines.append(((min(ys) + max(ys)) / 2, min(xs), max(xs)))
                    continue
            for (ax, ay), (bx, by) in zip(sub, sub[1:]):
                if abs(ay - by) < 0.5 and abs(ax - bx) >= 0.5:
                    out.hlines.append(((ay + by) / 2, min(ax, bx), max(ax, bx)))
                elif abs(ax - bx) < 0.5 and abs(ay - by) >= 0.5:
                    out.vlines.append(((ax + bx) / 2, min(ay, by), max(ay, by)))

    def _do(self, out: PageContent, resources: dict, state: _State, name: str, depth: int) -> None:
        xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
        if not isinstance(xobjects, dict):
            return
        xobj = resolve1(xobjects.get(name))
        if not isinstance(xobj, PDFStream):
            return
        subtype = resolve1(xobj.get("Subtype"))
        kind = subtype.name if isinstance(subtype, PSLiteral) else ""
        if kind == "Image":
            out.image_area += _area(state.ctm)
        elif kind == "Form" and depth < MAX_FORM_DEPTH:
            self.budget.spend("forms")
            matrix = resolve1(xobj.get("Matrix"))
            inner = state.copy()
            if isinstance(matrix, list) and len(matrix) == 6:
                inner.ctm = mult(_matrix([resolve1(v) for v in matrix]), state.ctm)
            own = resolve1(xobj.get("Resources"))
            if isinstance(own, dict):
                self.keep.append(own)
            self._run(out, [xobj], own if isinstance(own, dict) else resources, inner, depth + 1)

    def _inline_image(self, out: PageContent, state: _State, data: bytes, pos: int) -> int:
        start = data.find(b"ID", pos)
        if start < 0:
            return len(data)
        m = _EI.search(data, start + 3)
        out.image_area += _area(state.ctm)
        return m.end() if m else len(data)


_PAINT = {b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"n"}
_STROKE = {b"S", b"s", b"B", b"B*", b"b", b"b*"}


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _area(m: Matrix) -> float:
    """The area of the unit square (an image) under ``m``."""
    return abs(m[0] * m[3] - m[1] * m[2])


def _name(value: Any) -> str:
    value = resolve1(value)
    return value.name if isinstance(value, PSLiteral) else ""


def _field_type(annot: dict) -> str:
    """A widget's field type, inherited from its parent fields."""
    node: Any = annot
    for _ in range(MAX_FORM_DEPTH):
        if not isinstance(node, dict):
            break
        kind = _name(node.get("FT"))
        if kind:
            return kind
        node = resolve1(node.get("Parent"))
    return ""


def _fit(form: PDFStream, rect: Any) -> Matrix:
    """The appearance's matrix, then its box (so transformed) fitted to the annotation's rectangle
    (PDF 32000-1 §12.5.5)."""
    matrix = resolve1(form.get("Matrix"))
    m = _matrix([resolve1(v) for v in matrix]) if isinstance(matrix, list) else IDENTITY
    bbox = [_num(resolve1(v)) for v in resolve1(form.get("BBox"))]
    r = [_num(resolve1(v)) for v in rect]
    if len(bbox) != 4 or len(r) != 4:
        raise ValueError("a box has four numbers")
    corners = [_apply(m, x, y) for x in (bbox[0], bbox[2]) for y in (bbox[1], bbox[3])]
    bx0, bx1 = min(p[0] for p in corners), max(p[0] for p in corners)
    by0, by1 = min(p[1] for p in corners), max(p[1] for p in corners)
    rx0, rx1 = sorted((r[0], r[2]))
    ry0, ry1 = sorted((r[1], r[3]))
    sx, sy = (rx1 - rx0) / (bx1 - bx0), (ry1 - ry0) / (by1 - by0)
    return mult(m, (sx, 0.0, 0.0, sy, rx0 - bx0 * sx, ry0 - by0 * sy))


def _clip(clip: tuple[float, float, float, float] | None,
          path: list[list[tuple[float, float]]]) -> tuple[float, float, float, float] | None:
    """The clip after intersecting with ``path``: kept as boxes (a glyph outside the path's box is
    certainly outside the path; curves count by their end points, as the path keeps them)."""
    points = [p for sub in path for p in sub]
    if not points:
        return clip
    box = (min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points), max(p[1] for p in points))
    if clip is None:
        return box
    return (max(clip[0], box[0]), max(clip[1], box[1]), min(clip[2], box[2]), min(clip[3], box[3]))
