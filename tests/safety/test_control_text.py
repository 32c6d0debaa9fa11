"""Control characters XML cannot hold (NUL, U+000B from Word, ``&#11;`` in a web page) are cleaned
where text enters — files, readers, typing, paste — so that every writer succeeds: checks that say
全部校验通过 must not be followed by an export that fails (issue 24 item 4)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from govreport_gui.export import export
from govreport_gui.export.rollup_xlsx import write_rollup_xlsx
from govreport_gui.readers.formats import open_report
from govreport_gui.readers.rollup_sources import load_unit
from govreport_gui.report import native
from govreport_gui.report.document import clean_text
from govreport_gui.report.rollup import roll_up
from tests.safety.hostile import DATA

CONTROLS = "".join(chr(c) for c in range(0x20) if c not in (9, 10, 13)) + "\ufffe\uffff"


def _xml_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


def _write_every_way(report, folder: Path) -> None:  # type: ignore[no-untyped-def]
    for suffix in (".docx", ".xlsx", ".html"):
        out = folder / f"out{suffix}"
        export(report, out)
        if suffix != ".html":
            text = _xml_text(out)
            assert not any(c in text for c in CONTROLS[:8]), suffix
    saved = folder / "again.govreport"
    native.save(report, saved)
    write_rollup_xlsx(roll_up([load_unit(saved), load_unit(DATA / "sample-2025.govreport")]), folder / "汇总.xlsx")


def test_clean_text_drops_nul_and_turns_other_controls_into_spaces():
    assert clean_text("某局\x00\x0b（一）\tA\nB\rC\x1f\ud800\uffff") == "某局 （一）\tA\nB\rC \ufffd\ufffd"
    assert clean_text("普通文字") == "普通文字"


def test_a_govreport_with_controls_everywhere_exports_every_way(tmp_path):
    tree = json.loads((DATA / "sample-2025.govreport").read_text(encoding="utf-8"))
    tree["meta"]["agency"] = "示例\x00区\x0b数据局" + CONTROLS
    tree["meta"]["title"] = "标题\x01\x02"
    tree["sections"]["s1"][0] += "\x0b换行\x0c分页\x00"
    tree["sections"]["s5"].append("问题" + CONTROLS)
    tree["cells"]["t2.licensing.decisions"] = "12\x00"
    path = tmp_path / "controls.govreport"
    path.write_text(json.dumps(tree, ensure_ascii=False), encoding="utf-8")
    report = open_report(path)
    assert report.meta.agency.startswith("示例区 数据局")
    assert not any(c in report.meta.agency + report.meta.title + "".join(report.sections["s1"]) for c in CONTROLS)
    _write_every_way(report, tmp_path)


def test_a_web_page_with_numeric_control_references_exports_every_way(tmp_path):
    from govreport_gui.export.html_writer import render_html
    from govreport_gui.export.layout import build

    page = render_html(build(native.load(DATA / "sample-2025.govreport")))
    page = page.replace("</p>", "&#11;&#1;&#x1F;&#0;</p>").replace("</td>", "&#11;</td>")
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    report = open_report(path)
    _write_every_way(report, tmp_path)


def test_a_workbook_with_escaped_controls_exports_every_way(tmp_path):
    base = tmp_path / "base.xlsx"
    export(native.load(DATA / "sample-2025.govreport"), base)
    path = tmp_path / "controls.xlsx"
    with zipfile.ZipFile(base) as a, zipfile.ZipFile(path, "w") as b:
        for info in a.infolist():
            data = a.read(info)
            if info.filename.startswith("xl/worksheets/"):  # openpyxl reads _x000B_ as U+000B
                data = data.replace("示例市".encode(), "示例_x000B_市_x0000_".encode())
            b.writestr(info, data)
    report = open_report(path)
    assert "\x0b" not in report.meta.agency and report.meta.agency
    _write_every_way(report, tmp_path)


@pytest.mark.parametrize("field", ["agency", "title"])
def test_overlong_agency_and_title_are_cut_with_a_note(tmp_path, field):
    tree = json.loads((DATA / "sample-2025.govreport").read_text(encoding="utf-8"))
    tree["meta"][field] = "局" * 100_000
    path = tmp_path / "long.govreport"
    path.write_text(json.dumps(tree, ensure_ascii=False), encoding="utf-8")
    report = open_report(path)
    assert len(getattr(report.meta, field)) <= 200
    assert any("过长" in n for n in report.import_notes)
