"""Import a report saved from a government website (``.html``/``.htm``), so the office can audit
what is actually online, offline.

The page becomes the same paragraphs and text grids as a DOCX (``docx_grid``): tables with
``rowspan``/``colspan`` expanded, text from nested ``div``/``p``/``span``, ``&nbsp;`` blank; then
``docx_import.import_blocks`` finds title, sections, signature and the label-driven table reader
reads 表二/三/四 (also 表二 split into several tables). Encodings: a BOM, the declared ``charset``,
else UTF-8 if it decodes, else GB18030 (which reads GB2312 and GBK too).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from lxml import etree, html

from ..report.document import Report, clean_text
from ..report.native import FileFormatError, read_regular
from .docx_grid import MAX_ROW_CELLS, MAX_TABLE_ROWS, Grid, MergeBudget, Para, cell_text
from .docx_import import import_blocks, parse_chinese_date
from .zip_limits import MAX_TAGS

MAX_BYTES = 20 * 1024 * 1024  # a saved report page is well under 1 MB
MAX_SPAN = 64  # a real table spans at most 15 columns; refuse absurd spans (memory)
MAX_POSITIONS = MAX_TABLE_ROWS * MAX_ROW_CELLS  # grid positions of one table, as for a DOCX
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}
_BR = "\u2028"  # a <br> survives whitespace collapsing as this, then becomes a newline
_SPACE = re.compile(r"[ \t\r\n\f\xa0]+")
BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "main",
              "center", "blockquote", "header", "footer", "form", "dl", "dt", "dd", "pre", "nav", "aside"}
_SKIP = ("script", "style", "noscript", "template", "iframe", "select", "button")


def decode(data: bytes) -> str:
    """The page's text: BOM, then the declared charset, then UTF-8, then GB18030."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace")
    m = _CHARSET.search(data[:4096])
    declared = m.group(1).decode("ascii").lower() if m else ""
    if declared in _GB:
        return data.decode("gb18030", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if declared and declared not in ("utf-8", "utf8"):
            try:
                return data.decode(declared, errors="replace")
            except LookupError:
                pass
        return data.decode("gb18030", errors="replace")  # undeclared Chinese pages are GBK


def _text(el: etree._Element) -> str:
    raw = el.text_content() if isinstance(el, html.HtmlElement) else "".join(el.itertext())
    return "\n".join(_SPACE.sub(" ", part).strip() for part in raw.split(_BR)).strip("\n")


def _rows(table: etree._Element) -> list[etree._Element]:
    return table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def _span(el: etree._Element, attr: str) -> int:
    try:
        return max(1, min(MAX_SPAN, int(str(el.get(attr, "1")).strip() or 1)))
    except ValueError:
        return 1


def grid_of(table: etree._Element, name: str = "", budget: MergeBudget | None = None) -> Grid:
    """A table as a text grid, every position of a ``rowspan``/``colspan`` holding its text.

    As for a DOCX, at most :data:`MAX_TABLE_ROWS` rows of :data:`MAX_ROW_CELLS` positions are kept:
    a cell starting further right is left out (spans can push each row's cells past the last)."""
    rows = _rows(table)[:MAX_TABLE_ROWS]
    grid: list[list[str | None]] = [[] for _ in rows]
    budget = budget or MergeBudget(name)
    writes = 0
    for r, tr in enumerate(rows):
        c = 0
        for td in tr.iterchildren("td", "th"):
            line = grid[r]
            while c < len(line) and line[c] is not None:
                c += 1  # positions taken by a rowspan from above
            if c >= MAX_ROW_CELLS:
                break
            text = cell_text(_text(td))
            rowspan = min(_span(td, "rowspan"), len(rows) - r)
            colspan = min(_span(td, "colspan"), MAX_ROW_CELLS - c)
            budget.spend(rowspan * colspan - 1)  # counted for the whole page, before expanding
            writes += rowspan * colspan
            if writes > 4 * MAX_POSITIONS:  # overlapping spans writing the same positions again
                raise FileFormatError(f"“{name}”中的表格合并单元格过多（行、列跨度重叠），不像年度报告的表格，已拒绝打开")
            for rr in range(r, r + rowspan):
                target = grid[rr]
                if len(target) < c + colspan:
                    target.extend([None] * (c + colspan - len(target)))
                for cc in range(c, c + colspan):
                    target[cc] = text
            c += colspan
    return Grid([[t or "" for t in row] for row in grid])


def _has(el: etree._Element, *tags: str) -> bool:
    """Whether ``el`` contains one of ``tags`` below itself (an XPath per element cost 10 µs)."""
    return next(el.iterdescendants(*tags), None) is not None


def _blocks(el: etree._Element, out: list[Para | Grid], name: str = "", budget: MergeBudget | None = None) -> None:
    """Paragraphs and tables in reading order; inline text between blocks is one paragraph."""
    budget = budget or MergeBudget(name)
    inline: list[str] = [el.text or ""]

    def flush() -> None:
        text = "\n".join(_SPACE.sub(" ", p).strip() for p in "".join(inline).split(_BR)).strip("\n")
        if text.strip():
            out.append(Para(text))
        inline.clear()

    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "table":
            flush()
            if _has(child, "table"):  # a page-layout table (old CMS pages): the report is inside
                for td in child.xpath("./tr/td | ./tbody/tr/td | ./thead/tr/td | ./tfoot/tr/td | ./tr/th"):
                    _blocks(td, out, name, budget)
            else:
                out.append(grid_of(child, name, budget))
        elif tag in BLOCK_TAGS:
            flush()
            if _has(child, "table", *BLOCK_TAGS):
                _blocks(child, out, name, budget)  # a container: its own paragraphs and tables
            else:
                text = _text(child)
                if text.strip():
                    out.append(Para(text))
        elif tag:
            if _has(child, "table"):
                flush()
                _blocks(child, out, name, budget)
            else:
                inline.append(child.text_content() if isinstance(child, html.HtmlElement) else "")
        inline.append(child.tail or "")
    flush()


def read_page(data: bytes, name: str) -> list[Para | Grid]:
    text = decode(data)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses a str with an encoding declaration
    try:
        root = html.document_fromstring(text) if text.strip() else None
    except (etree.ParserError, etree.ParseError, ValueError):  # ParseError: libxml2 out of memory
        root = None
    if root is None:
        raise FileFormatError(f"“{name}”不是有效的网页文件（.html），或内容为空")
    etree.strip_elements(root, etree.Comment, *_SKIP, with_tail=False)
    for br in root.iter("br"):
        br.tail = _BR + clean_text(br.tail or "")  # lxml refuses to set text with &#11; in it
    body = root.find("body")
    blocks: list[Para | Grid] = []
    _blocks(body if body is not None else root, blocks, name)
    return blocks


def _trim_footer(blocks: list[Para | Grid]) -> list[Para | Grid]:
    """Drop what follows the signature date of section 六 (the site's footer: 版权所有, 网站标识码…)."""
    from .docx_import import heading_of

    six = max((i for i, b in enumerate(blocks) if isinstance(b, Para) and heading_of(b.text) == "s6"), default=None)
    if six is None:
        return blocks
    for i in range(six + 1, len(blocks)):
        b = blocks[i]
        if isinstance(b, Para):
            lines = [x.strip() for x in b.text.split("\n") if x.strip()]
            for j, line in enumerate(lines):
                if parse_chinese_date(line):
                    kept = Para("\n".join(lines[: j + 1]))
                    return [*blocks[:i], kept]
    return blocks


def import_html(path: Path) -> Report:
    """A :class:`Report` from a saved web page; raises :class:`FileFormatError` (Chinese)."""
    name = path.name
    data = read_regular(path, MAX_BYTES, "年度报告网页")  # also a FIFO or device swapped in after the check
    if data.count(b"<") > MAX_TAGS:  # each tag is an element in memory and a step of every pass
        raise FileFormatError(f"“{name}”中的标签过多（超过 {MAX_TAGS:,} 个），不像一篇年度报告网页，已拒绝打开")
    report = import_blocks(_trim_footer(read_page(data, name)), name)
    report.import_notes.append("由网页导入：请核对网页上的表格是否完整（网页中的图片表格无法读取）")
    return report
