"""Reading registers: header variants, date shapes, synonyms, bad rows with their row numbers."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from govreport_gui.readers.register import HeadersNotFound, parse_mapping, read_register
from govreport_gui.report.native import FileFormatError
from govreport_gui.report.register_count import count

from .register_builders import HEADER, generate, write_csv, write_xlsx

YEAR = 2025


def expected_later(rows: list[tuple]) -> int:
    """Rows the generator dated next year (its date shapes all start with the year, or are serials)."""
    first = (dt.date(YEAR + 1, 1, 1) - dt.date(1899, 12, 30)).days
    return sum(1 for r in rows if (isinstance(r[1], int) and r[1] >= first) or
               (isinstance(r[1], dt.date) and r[1].year > YEAR) or str(r[1]).startswith(str(YEAR + 1)))


def test_generated_register_reproduces_table_three_cell_for_cell(tmp_path: Path) -> None:
    rows, expected = generate(YEAR, 600)
    register = read_register(write_xlsx(tmp_path / "台账.xlsx", rows))
    assert register.problems == []
    result = count(register, YEAR)
    t3 = {k: v for k, v in result.cells.items() if k.startswith("t3.")}
    assert len(t3) == 175
    assert t3 == {k: expected.get(k, 0) for k in t3}
    assert t3["t3.carried_in.total"] > 0 and t3["t3.carried_out.total"] > 0  # both directions exercised
    assert result.later == expected_later(rows)
    assert f"有 {result.later} 件申请的收到日期在2025年之后" in result.notes[0]
    # the balance holds in every column, as the 2021 format prints it
    for col in ("natural_person", "commercial", "legal_service", "total"):
        assert t3[f"t3.new.{col}"] + t3[f"t3.carried_in.{col}"] == t3[f"t3.result.total.{col}"] + t3[f"t3.carried_out.{col}"]


def test_csv_in_utf8_and_gbk_give_the_same_counts(tmp_path: Path) -> None:
    rows, expected = generate(YEAR, 200, seed=3)
    rows = [(r[0], r[1].isoformat() if isinstance(r[1], dt.date) else r[1], *r[2:]) for r in rows]
    rows = [(*r[:6], r[6].isoformat() if isinstance(r[6], dt.date) else r[6], *r[7:]) for r in rows]
    for enc in ("utf-8-sig", "gbk"):
        register = read_register(write_csv(tmp_path / f"台账-{enc}.csv", rows, encoding=enc))
        assert register.problems == []
        cells = count(register, YEAR).cells
        assert cells["t3.new.total"] == expected["t3.new.total"]
        assert cells["t3.result.denied.state_secret.total"] == expected.get("t3.result.denied.state_secret.total", 0)


@pytest.mark.parametrize("header", [
    ("序号", "申请时间", "申请人类别", "答复结果", "答复日期"),
    ("编号", "受理日期", "申请人类型", "处理结果", "答复时间"),
    ("编 号", "收到日期（年月日）", "*申请人类型", "办理结果", "办结日期"),
])
def test_header_variants_are_found_below_a_title(tmp_path: Path, header: tuple[str, ...]) -> None:
    rows = [("A1", "2025年3月4日", "公民", "予以公开", "2025/3/20"), ("A2", 45721, "律所", "不予公开—属于国家秘密", "2025.4.1")]
    register = read_register(write_xlsx(tmp_path / "r.xlsx", rows, header=header))
    assert register.problems == []
    a1, a2 = register.applications
    assert (a1.row, a1.received, a1.applicant, a1.outcome, a1.concluded) == (
        4, dt.date(2025, 3, 4), "natural_person", "result.granted", dt.date(2025, 3, 20))
    assert (a2.received, a2.applicant, a2.outcome) == (dt.date(2025, 3, 5), "legal_service", "result.denied.state_secret")


@pytest.mark.parametrize(("text", "key"), [
    ("予以公开", "result.granted"), ("部分公开", "result.partial"),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "result.partial"),
    ("不予公开—属于国家秘密", "result.denied.state_secret"), ("（三）不予公开 1.属于国家秘密", "result.denied.state_secret"),
    ("属于国家秘密", "result.denied.state_secret"), ("无法提供（本机关不掌握相关政府信息）", "result.unable.not_held"),
    ("3.危及“三安全一稳定”", "result.denied.security_stability"), ("重复申请", "result.not_processed.repeated"),
    ("逾期不补正", "result.other.no_correction"), ("其他处理·逾期未缴纳费用", "result.other.fee_unpaid"),
])
def test_outcome_spellings(tmp_path: Path, text: str, key: str) -> None:
    rows = [("B1", "2025-03-04", "企业", text, "2025-03-10")]
    register = read_register(write_xlsx(tmp_path / "o.xlsx", rows, header=HEADER[:2] + HEADER[3:4] + HEADER[5:7]))
    assert [a.outcome for a in register.applications] == [key]
    assert register.applications[0].applicant == "commercial"


def test_each_kind_of_bad_row_is_reported_with_its_row_number_and_left_out(tmp_path: Path) -> None:
    header = ("编号", "收到日期", "申请人类型", "办理结果", "办结日期")
    rows = [
        ("C1", "2025-02-01", "自然人", "予以公开", "2025-02-10"),      # row 4: fine
        ("C2", "2025-02-01", "自然人", "不予公开", "2025-02-10"),      # 5: ambiguous outcome
        ("C3", "2025-02-01", "自然人", "同意了", "2025-02-10"),        # 6: unknown outcome
        ("C4", "2025-02-01", None, "予以公开", "2025-02-10"),          # 7: no applicant type
        ("C5", "2025-02-10", "企业", "予以公开", "2025-02-01"),        # 8: concluded before received
        ("C1", "2025-03-01", "自然人", "予以公开", "2025-03-10"),      # 9: duplicate of row 4
        ("C6", "2025-13-40", "自然人", "予以公开", "2025-03-10"),      # 10: impossible date
        ("C7", "2025-02-01", "外星人", "予以公开", "2025-03-10"),      # 11: unknown applicant type
        ("C8", "2025-02-01", "自然人", "予以公开", None),              # 12: outcome without a date
    ]
    register = read_register(write_xlsx(tmp_path / "bad.xlsx", rows, header=header))
    by_row = {p.row: p.reason for p in register.problems}
    assert sorted(by_row) == [5, 6, 7, 8, 9, 10, 11, 12]
    assert "不明确" in by_row[5] and "无法识别" in by_row[6] and "缺少申请人类型" in by_row[7]
    assert "早于收到日期" in by_row[8] and "与第4行重复" in by_row[9] and "2025-13-40" in by_row[10]
    assert "外星人" in by_row[11] and "没有办结日期" in by_row[12]
    assert register.problems[0].text() == "“台账”第5行：" + by_row[5]
    assert [a.id for a in register.applications] == ["C1"]
    assert count(register, YEAR).cells["t3.new.total"] == 1


def test_unmatched_headers_name_what_is_missing_and_a_mapping_fixes_them(tmp_path: Path) -> None:
    header = ("编号", "来件日期", "申请人类型", "办理结果", "办结日期")
    path = write_xlsx(tmp_path / "m.xlsx", [("D1", "2025-05-06", "自然人", "予以公开", "2025-05-08")], header=header)
    with pytest.raises(HeadersNotFound) as err:
        read_register(path)
    assert err.value.missing == ["received"] and "收到日期" in str(err.value) and "来件日期" in str(err.value)
    assert read_register(path, parse_mapping(["收到日期=来件日期"])).applications[0].received == dt.date(2025, 5, 6)
    assert read_register(path, {"收到日期": "B"}).applications[0].received == dt.date(2025, 5, 6)
    with pytest.raises(FileFormatError, match="不是台账的列名"):
        read_register(path, {"来信": "B"})


def test_case_sheet_gives_table_four(tmp_path: Path) -> None:
    cases = [("复1", "行政复议", "维持"), ("复2", "行政复议", "纠正"), ("诉1", "未经复议直接起诉", "尚未审结"),
             ("诉2", "复议后起诉", "其他"), ("诉3", "直接起诉", "结果维持"), ("诉4", "复议", "驳回")]
    path = write_xlsx(tmp_path / "c.xlsx", [("E1", "2025-01-02", "自然人", "", None, "否", "")],
                      header=HEADER[:2] + HEADER[3:4] + HEADER[5:], cases=cases)
    register = read_register(path)
    cells = count(register, YEAR).cells
    assert (cells["t4.review.upheld"], cells["t4.review.corrected"], cells["t4.review.total"]) == (1, 1, 2)
    assert (cells["t4.suit_direct.pending"], cells["t4.suit_direct.upheld"], cells["t4.suit_direct.total"]) == (1, 1, 2)
    assert cells["t4.suit_after_review.other"] == 1
    assert [(p.sheet, p.row) for p in register.problems] == [("复议诉讼", 7)]
    assert cells["t3.carried_out.natural_person"] == 1  # an open application is carried to next year


def test_unusable_files_are_explained(tmp_path: Path) -> None:
    bad = tmp_path / "x.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(FileFormatError, match="另存为 .xlsx"):
        read_register(bad)
    broken = tmp_path / "y.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(FileFormatError, match="不是有效的 Excel 工作簿"):
        read_register(broken)


def test_one_sheet_per_year_is_read_as_one_register(tmp_path: Path) -> None:
    from openpyxl import Workbook

    header = ("编号", "收到日期", "申请人类型", "办理结果", "办结日期")
    wb = Workbook()
    old = wb.active
    old.title = "2024年"
    for row in (header, ("Y-1", "2024-12-20", "公民", "", None), ("Y-2", "2024-05-01", "公民", "予以公开", "2024-05-09")):
        old.append(row)
    new = wb.create_sheet("2025年")
    for row in (header, ("Y-3", "2025-02-01", "企业", "部分公开", "2025-02-11"), ("Y-2", "2025-03-01", "公民", "予以公开", "2025-03-02")):
        new.append(row)
    wb.save(tmp_path / "years.xlsx")
    register = read_register(tmp_path / "years.xlsx")
    assert [p.text() for p in register.problems] == ["“2025年”第3行：编号“Y-2”与“2024年”第3行重复，以“2024年”第3行为准"]
    cells = count(register, YEAR).cells
    assert (cells["t3.carried_in.natural_person"], cells["t3.new.commercial"], cells["t3.carried_out.total"]) == (1, 1, 1)


def test_extension_and_correction_columns_feed_the_deadline(tmp_path: Path) -> None:
    from govreport_gui.report.register_count import overdue

    header = ("编号", "收到日期", "申请人类型", "办理结果", "办结日期", "是否延期", "补正日期")
    rows = [("F1", "2025-09-26", "个人", "予以公开", "2025-11-20", "是", None),      # extended: due 11-27
            ("F2", "2025-09-26", "个人", "予以公开", "2025-11-04", "否", "2025-10-09"),  # 补正: due 11-05
            ("F3", "2025-09-26", "个人", "予以公开", "2025-11-04", "否", None),      # due 10-30: late
            ("F4", "2025-09-26", "法人或其他组织", "予以公开", "2025-10-09", "否", None),
            ("F5", "2025-09-26", "个人", "予以公开", "2025-10-09", "也许", None)]
    register = read_register(write_xlsx(tmp_path / "d.xlsx", rows, header=header))
    assert [a.extended for a in register.applications] == [True, False, False]
    assert register.applications[1].corrected == dt.date(2025, 10, 9)
    assert [o.application.id for o in overdue(register, YEAR)] == ["F3"]
    reasons = {p.row: p.reason for p in register.problems}
    assert "“法人或其他组织”不明确" in reasons[7] and "是否延期“也许”" in reasons[8]


def official_wordings() -> list[tuple[str, str, str]]:
    """(key, shape, text) for every official outcome row: its full label (group and item), its
    label without the group, and its first clause (up to the first 、 or ，) with and without group."""
    from govreport_gui.report.schema import load_schema

    schema = load_schema()
    table = schema.tables["t3"]
    rows = {c.key.rsplit(".", 1)[0][3:]: c.row for c in table.cells}
    out = []
    for key in schema.lists["t3_outcomes"]:
        group, item = table.cell_at(rows[key], 1), table.cell_at(rows[key], 2)
        first = re.split("[、，]", item.text)[0]
        out.append((key, "full", f"{group.text} {item.text}" if item is not group else group.text))
        out.append((key, "first clause with group", f"{group.text}—{first}" if item is not group else first))
        if item is not group:
            out.append((key, "without group", item.text))
            out.append((key, "first clause", first))
            out.append((key, "first clause, group without numbering", f"{group.text[3:]}：{first.split('.', 1)[-1]}"))
    return out


def test_every_official_row_by_full_label_first_clause_and_without_group(tmp_path: Path) -> None:
    wordings = official_wordings()
    assert len({k for k, _, _ in wordings}) == 21
    rows = [(f"W{i}", "2025-03-04", "公民", text, "2025-03-10") for i, (_, _, text) in enumerate(wordings)]
    register = read_register(write_xlsx(tmp_path / "w.xlsx", rows, header=("编号", "收到日期", "申请人类型", "办理结果", "办结日期")))
    assert register.problems == []
    got = {a.id: a.outcome for a in register.applications}
    assert [got[f"W{i}"] for i in range(len(wordings))] == [k for k, _, _ in wordings]


@pytest.mark.parametrize(("text", "key"), [
    ("其他处理—申请人无正当理由逾期不补正", "result.other.no_correction"),  # seen dropped in real registers
    ("申请人逾期未按收费通知要求缴纳费用", "result.other.fee_unpaid"),
    ("无法提供—本机关不掌握", "result.unable.not_held"),
    ("不予处理：要求行政机关确认", "result.not_processed.confirm_reissue"),
    ("部分公开（区分处理的", "result.partial"),
])
def test_shortened_official_wordings(tmp_path: Path, text: str, key: str) -> None:
    rows = [("S1", "2025-03-04", "企业", text, "2025-03-10")]
    register = read_register(write_xlsx(tmp_path / "s.xlsx", rows, header=HEADER[:2] + HEADER[3:4] + HEADER[5:7]))
    assert [a.outcome for a in register.applications] == [key]


@pytest.mark.parametrize(("text", "words"), [
    ("申请人", "可能是“其他处理·逾期不补正”“其他处理·逾期未缴纳费用”"),  # fits two rows
    ("属于", "不明确"), ("不予公开", "哪一种情形"), ("无法提供", "哪一种情形"),
    ("其他处理—申请人", "不明确"), ("无", "无法识别"), ("同意了", "无法识别"),
])
def test_a_wording_that_fits_two_rows_or_none_is_refused(tmp_path: Path, text: str, words: str) -> None:
    rows = [("S1", "2025-03-04", "企业", text, "2025-03-10")]
    register = read_register(write_xlsx(tmp_path / "s.xlsx", rows, header=HEADER[:2] + HEADER[3:4] + HEADER[5:7]))
    assert register.applications == [] and words in register.problems[0].reason


def test_bom_zero_width_and_full_width_in_ids_are_the_same_application(tmp_path: Path) -> None:
    header = ("编号", "收到日期", "申请人类型", "办理结果", "办结日期")
    rows = [("YS-3", "2025-02-01", "自然人", "予以公开", "2025-02-10"),
            ("\ufeffYS-3", "2025-02-02", "自然人", "予以公开", "2025-02-10"),
            ("YS\u200b-3", "2025-02-03", "自然人", "予以公开", "2025-02-10"),
            ("ＹＳ－３", "2025-02-04", "自然人", "予以公开", "2025-02-10"),
            (" YS-3 ", "2025-02-05", "自然人", "予以公开", "2025-02-10"),
            ("YS-4", "2025-02-06", "自然人", "予以公开", "2025-02-10")]
    for path in (write_xlsx(tmp_path / "ids.xlsx", rows, header=header), write_csv(tmp_path / "ids.csv", rows, header=header)):
        register = read_register(path)
        assert [a.id for a in register.applications] == ["YS-3", "YS-4"], path
        assert len(register.problems) == 4 and all("与" in p.reason and "重复" in p.reason for p in register.problems)


def test_a_huge_id_is_a_problem_that_does_not_quote_it_whole(tmp_path: Path) -> None:
    header = ("编号", "收到日期", "申请人类型", "办理结果", "办结日期")
    huge = "号" * 5000
    rows = [(huge, "2025-02-01", "自然人", "予以公开", "2025-02-10")] * 3
    register = read_register(write_xlsx(tmp_path / "huge.xlsx", rows, header=header))
    assert register.applications == [] and len(register.problems) == 3
    assert all("过长" in p.reason and len(p.reason) < 200 for p in register.problems)


@pytest.mark.parametrize("ending", ["\r", "\r\n", "mixed"])
def test_csv_line_endings(tmp_path: Path, ending: str) -> None:
    lines = ["编号,收到日期,申请人类型,办理结果,办结日期", "L1,2025-03-04,自然人,予以公开,2025-03-10",
             "L2,2025-03-05,企业,部分公开,2025-03-11", "L3,2025-03-06,律所,重复申请,2025-03-12"]
    if ending == "mixed":
        text = lines[0] + "\r\n" + lines[1] + "\r" + lines[2] + "\n" + lines[3] + "\r"
    else:
        text = ending.join(lines) + ending
    path = tmp_path / "endings.csv"
    path.write_bytes(text.encode("utf-8"))
    register = read_register(path)
    assert register.problems == [] and [a.id for a in register.applications] == ["L1", "L2", "L3"]
    assert [a.row for a in register.applications] == [2, 3, 4]
