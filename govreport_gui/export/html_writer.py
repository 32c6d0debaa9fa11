"""A self-contained HTML page of the report with real ``rowspan``/``colspan`` tables, ready to paste
into a government website CMS (no scripts, no external files, inline styles only)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from .layout import Heading, Layout, Paragraph, Signature, TableBlock, Title

CSS = """
body { font-family: "仿宋_GB2312", "仿宋", FangSong, "STFangsong", serif; font-size: 16pt; line-height: 1.8;
       max-width: 156mm; margin: 2em auto; color: #000; }
h1 { font-family: "方正小标宋简体", "宋体", SimSun, serif; font-size: 22pt; font-weight: normal; text-align: center; }
h2 { font-family: "黑体", SimHei, sans-serif; font-size: 16pt; font-weight: normal; text-indent: 2em; margin: 0; }
p { text-indent: 2em; margin: 0; text-align: justify; }
.lead { font-family: "楷体_GB2312", "楷体", KaiTi, serif; }
.item { font-weight: bold; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; margin: 0.5em 0 1em; }
td { border: 1px solid #000; font-size: 10.5pt; line-height: 1.4; text-align: center; vertical-align: middle;
     padding: 2px 3px; }
td.item-label { text-align: left; }
tr.group td { font-weight: bold; }
.signature { text-align: right; text-indent: 0; padding-right: 2em; }
""".strip()


def table_html(block: TableBlock) -> str:
    total = sum(block.widths_mm)
    cols = "".join(f'<col style="width:{w / total * 100:.2f}%">' for w in block.widths_mm)
    rows: dict[int, list[str]] = {r: [] for r in range(block.rows)}
    for cell in block.cells:
        attrs = ""
        if cell.rowspan > 1:
            attrs += f' rowspan="{cell.rowspan}"'
        if cell.colspan > 1:
            attrs += f' colspan="{cell.colspan}"'
        if cell.label and block.id == "t3" and cell.col == 2 and cell.row >= 3:
            attrs += ' class="item-label"'
        if cell.key:
            attrs += f' data-key="{cell.key}"'
        rows[cell.row].append(f"<td{attrs}>{escape(cell.text)}</td>")
    group = ' class="group"'
    body = "".join(
        f"<tr{group if r in block.group_rows else ''}>{''.join(rows[r])}</tr>" for r in range(block.rows)
    )
    return f'<table id="{block.id}"><colgroup>{cols}</colgroup><tbody>{body}</tbody></table>'


def render_html(layout: Layout) -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(layout.title)}</title><style>{CSS}</style></head><body>",
    ]
    for block in layout.blocks:
        if isinstance(block, Title):
            out.append(f"<h1>{escape(block.text)}</h1>")
        elif isinstance(block, Heading):
            out.append(f"<h2>{escape(block.text)}</h2>")
        elif isinstance(block, Paragraph):
            lead = f'<span class="{"lead" if block.lead_kind == "sub" else "item"}">{escape(block.lead)}</span>' \
                if block.lead else ""
            out.append(f"<p>{lead}{escape(block.text)}</p>")
        elif isinstance(block, TableBlock):
            out.append(table_html(block))
        elif isinstance(block, Signature):
            out.append(f'<p class="signature"><br>{escape(block.agency)}<br>{escape(block.date)}</p>')
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write_html(layout: Layout, path: str | Path) -> None:
    from ..report.native import atomic_write

    atomic_write(path, render_html(layout).encode("utf-8"), backup=False)
