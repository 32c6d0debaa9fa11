"""Build annual-report DOCX files the ways offices make them, with python-docx, for import tests."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from govreport_gui.report.document import Report
from govreport_gui.report.schema import DataCell, LabelCell, Table

FW = str.maketrans({str(i): chr(0xFF10 + i) for i in range(10)})


def value_text(report: Report, key: str, style: set[str]) -> str:
    v = report.raw(key)
    text = report.display(key)
    if v in (None, 0):
        if "blank" in style:
            return ""
        if "slash" in style:
            return "/" if key.endswith(("natural_person", "upheld")) else "—"
    if "thousands" in style and isinstance(v, int) and v >= 1000:
        text = f"{v:,}"
    if "fullwidth" in style:
        text = f"\u3000{text.translate(FW)}\u3000"
    if "spaces" in style:
        text = f" {text} "
    return text


def label_text(text: str, style: set[str]) -> str:
    if "numbering" in style and text[:1].isdigit() and text[1:2] == ".":
        text = text[0] + "、" + text[2:]
    if "cut" in style and len(text) > 20:
        text = text[:16]
    if "reword" in style:
        text = text.replace("本机关不掌握相关政府信息", "本机关不掌握该政府信息")
    return text


def add_table(doc, report: Report, table: Table, style: set[str], rows: range | None = None):  # type: ignore[no-untyped-def]
    rows = rows or range(table.rows)
    t = doc.add_table(rows=len(rows), cols=table.cols)
    t.style = "Table Grid"
    cells = [list(r.cells) for r in t.rows]  # once: table.cell(r, c) is O(n) per call
    for item in (*table.labels, *table.cells):
        if item.row not in rows:
            continue
        r0 = item.row - rows.start
        cell = cells[r0][item.col]
        if isinstance(item, LabelCell):
            text = label_text(item.text, style)
            para = cell.paragraphs[0]
            if "runs" in style and len(text) >= 4:  # a label split across runs and a soft line break
                para.add_run(text[:2])
                para.add_run().add_break()
                para.add_run(text[2:])
            else:
                para.add_run(text)
        elif isinstance(item, DataCell):
            cell.paragraphs[0].add_run(value_text(report, item.key, style))
        last_r = min(r0 + item.rowspan - 1, len(rows) - 1)
        if item.rowspan > 1 or item.colspan > 1:
            cell.merge(cells[last_r][item.col + item.colspan - 1])
    return t


def build_docx(path: Path, report: Report, style: set[str]) -> Path:
    """The report as a DOCX in ``style``: blank, slash, thousands, fullwidth, spaces, numbering, cut,
    reword, runs, split (表二 as four tables), extra (blank paragraphs and rows), cn_date."""
    doc = Document()
    doc.add_paragraph(report.meta.effective_title())
    schema = report.schema
    for section in schema.sections:
        doc.add_paragraph(section.heading)
        if "extra" in style:
            doc.add_paragraph("")
        if section.kind == "table":
            table = schema.tables[section.id]
            if section.id == "t2" and "split" in style:
                for start, stop in ((0, 4), (4, 7), (7, 11), (11, 14)):
                    add_table(doc, report, table, style, range(start, stop))
                    doc.add_paragraph("")
            else:
                t = add_table(doc, report, table, style)
                if "extra" in style:
                    t.add_row()  # an empty row at the end
        else:
            for para in report.sections[section.id]:
                doc.add_paragraph(para)
    doc.add_paragraph(report.meta.agency)
    date = report.meta.date_chinese()
    if "cn_date" in style:
        date = "二〇二六年一月十六日"
    doc.add_paragraph(date)
    doc.save(path)
    return path
