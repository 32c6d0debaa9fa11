"""What offices type in a register's cells, turned into the report's vocabulary.

Dates in every shape (``2025-03-04``, ``2025/3/4``, ``2025.3.4``, ``2025年3月4日``, Excel date cells
and serial numbers), applicant types with their synonyms, and outcomes written as the 表三 row labels
with or without their group and numbering. Every parser caches by the raw text: a register repeats
the same few values thousands of times.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from ..report.schema import LabelCell, Schema, load_schema

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's 1900 leap-year bug included)
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT].*)?")


class ValueProblem(ValueError):
    """A cell that cannot be read; the text is the Chinese reason."""


SHOWN_CHARS = 40  # a cell quoted in a problem message: enough to find it, never a whole huge cell


def shown(text: object) -> str:
    """``text`` as quoted in a message, cut to :data:`SHOWN_CHARS` characters."""
    s = str(text)
    return s if len(s) <= SHOWN_CHARS else f"{s[:SHOWN_CHARS]}…（共{len(s):,}字）"


def plain(value: object) -> str:
    """A cell as text: ``None`` → ``""``, ``12.0`` → ``"12"``, strings NFKC-normalised and stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFKC", str(value)).strip()


def _serial(n: float) -> dt.date | None:
    if 1 <= n < 2958466:  # 9999-12-31
        return EXCEL_EPOCH + dt.timedelta(days=int(n))
    return None


@cache
def _date_text(text: str) -> dt.date | None:
    m = _DATE.fullmatch(text)
    if m is None and text.isdigit() and len(text) == 8:  # 20250304
        m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if m is not None:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise ValueProblem(f"“{shown(text)}”不是有效日期") from None
    try:
        n = float(text)  # a serial number that arrived as text (CSV saved from Excel)
    except ValueError:
        raise ValueProblem(f"“{shown(text)}”不是可识别的日期（应写作 2025-03-04、2025/3/4 或 2025年3月4日）") from None
    day = _serial(n) if n < 100000 else None
    if day is None:
        raise ValueProblem(f"“{shown(text)}”不是可识别的日期")
    return day


def parse_date(value: object) -> dt.date | None:
    """A date from a cell, None when empty; :class:`ValueProblem` when unreadable."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 19000101 <= value <= 99991231 and float(value).is_integer():
            return _date_text(str(int(value)))
        day = _serial(float(value))
        if day is None:
            raise ValueProblem(f"“{shown(value)}”不是可识别的日期")
        return day
    text = plain(value)
    return _date_text(text) if text else None


_YES = frozenset({"是", "y", "yes", "√", "✓", "1", "true", "延期", "已延期", "有"})
_NO = frozenset({"", "否", "n", "no", "×", "0", "false", "未延期", "不延期", "无", "-", "—", "/"})


def parse_yes(value: object) -> bool:
    text = plain(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueProblem(f"是否延期“{shown(text)}”应填“是”或“否”")


# --- applicant types -----------------------------------------------------------------------------
APPLICANTS = {
    "自然人": "natural_person", "公民": "natural_person", "个人": "natural_person", "群众": "natural_person",
    "商业企业": "commercial", "企业": "commercial", "公司": "commercial",
    "科研机构": "research", "科研院所": "research",
    "社会公益组织": "public_welfare", "公益组织": "public_welfare",
    "法律服务机构": "legal_service", "律师事务所": "legal_service", "律所": "legal_service",
    "律师": "legal_service",
    "其他": "other_org", "其他组织": "other_org", "其他法人或其他组织": "other_org",
}
APPLICANT_CHOICES = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
_LOOSE = re.compile(r"[\s\"'“”‘’「」()\[\]【】—–\-·・:：/,，;；。.、]+")


@cache
def applicant_key(text: str) -> str:
    """The 表三 column key of an applicant type; :class:`ValueProblem` when missing or unknown."""
    t = _LOOSE.sub("", text)
    if not t:
        raise ValueProblem("缺少申请人类型")
    if t.startswith("法人或其他组织") and t != "法人或其他组织":
        t = t[len("法人或其他组织"):]
    key = APPLICANTS.get(t)
    if key is None:
        if t == "法人或其他组织":
            raise ValueProblem("申请人类型“法人或其他组织”不明确：须写明商业企业、科研机构、社会公益组织、法律服务机构或其他")
        raise ValueProblem(f"申请人类型“{shown(text)}”无法识别（应为{'、'.join(APPLICANT_CHOICES)}之一）")
    return key


# --- outcomes --------------------------------------------------------------------------------------
OPEN = frozenset({"", "办理中", "正在办理", "未办结", "在办", "待答复", "尚未答复", "未答复", "处理中"})
_NUMBERING = re.compile(r"[(（][一二三四五六七八九十]+[)）]|\d+[.、．]|^[一二三四五六七八九十]+、")
_EXTRA = {  # short forms offices use for the long labels
    "result.granted": ("全部公开", "同意公开"),
    "result.other.no_correction": ("逾期不补正", "申请人逾期不补正", "无正当理由逾期不补正"),
    "result.other.fee_unpaid": ("逾期未缴纳费用", "逾期未缴费", "未缴纳费用", "逾期未缴纳信息处理费"),
}


def _norm(text: str) -> str:
    t = unicodedata.normalize("NFKC", text)
    t = _NUMBERING.sub("", re.sub(r"\s+", "", t))
    return _LOOSE.sub("", t)


@dataclass(frozen=True)
class OutcomeForms:
    """表三's outcome labels as a register may write them (all normalised by :func:`_norm`)."""

    exact: dict[str, str]  # a whole form → its outcome key (forms of two keys left out)
    groups: dict[str, str]  # a group name alone → its printed name (an answer that names no row)
    full: tuple[tuple[str, str], ...]  # every whole form with its key, for leading parts
    names: dict[str, str]  # key → the row's short name, for messages


@cache
def outcome_forms(template: str) -> OutcomeForms:
    """The outcome wordings built from 表三's own labels: each row's item label, with and without
    its group, the group-only rows （一）（二）, and the short forms offices use (:data:`_EXTRA`)."""
    schema = load_schema(template)
    table = schema.tables["t3"]
    full: list[tuple[str, str]] = []
    groups: dict[str, str] = {}
    row_of = {c.key.rsplit(".", 1)[0][3:]: c.row for c in table.cells}
    for key in schema.lists["t3_outcomes"]:
        row = row_of[key]
        group, item = table.cell_at(row, 1), table.cell_at(row, 2)
        assert isinstance(group, LabelCell) and isinstance(item, LabelCell)
        g = _norm(group.text)
        extra = [_norm(f) for f in _EXTRA.get(key, ())]
        if group is item:  # （一）予以公开, （二）部分公开（…）: no items
            forms = [g, _norm(re.split(r"[（(]", group.text.split("）", 1)[-1])[0]), *extra]
        else:
            i = _norm(item.text)
            groups[g] = re.sub(r"^[（(][一二三四五六七八九十]+[)）]", "", group.text)
            short = i.removeprefix("属于")
            forms = [i, g + i, short, g + short, *extra, *(g + f for f in extra)]
        full += [(f, key) for f in dict.fromkeys(forms) if f]
    exact: dict[str, str] = {}
    clashes: set[str] = set()
    for form, key in full:
        if exact.setdefault(form, key) != key:
            clashes.add(form)
    for form in clashes:
        del exact[form]
    return OutcomeForms(exact, groups, tuple(full), dict(schema.names["t3.row"]))


MIN_LEADING_CHARS = 2  # a single character (“无”, “其”) is a slip of the keyboard, not a wording


def outcome_key(text: str, schema: Schema) -> str | None:
    """The 表三 outcome row key, None for an open application; :class:`ValueProblem` otherwise."""
    return _outcome_key(text, schema.template)


@cache
def _outcome_key(text: str, template: str) -> str | None:
    """A whole form, or a leading part of one that fits a single row: registers shorten the long
    labels (``其他处理—申请人无正当理由逾期不补正``: the first clause of （六）1)."""
    t = _norm(text)
    if t in OPEN:
        return None
    forms = outcome_forms(template)
    key = forms.exact.get(t)
    if key is not None:
        return key
    if t in forms.groups:
        group = forms.groups[t]
        raise ValueProblem(f"办理结果“{shown(text)}”不明确：须写明“{group}”的哪一种情形（如“{group}—…”）")
    keys = list(dict.fromkeys(k for form, k in forms.full if form.startswith(t))) if len(t) >= MIN_LEADING_CHARS else []
    if len(keys) == 1:
        return keys[0]
    if keys:
        rows = "”“".join(forms.names[k] for k in keys[:3]) + ("”等" if len(keys) > 3 else "”")
        raise ValueProblem(f"办理结果“{shown(text)}”不明确：可能是“{rows}，请写出能区分的完整名称")
    raise ValueProblem(f"办理结果“{shown(text)}”无法识别（应为表三“本年度办理结果”中的一项）")


# --- 表四 case lists -------------------------------------------------------------------------------
CASE_GROUPS = {
    "行政复议": "review", "复议": "review",
    "未经复议直接起诉": "suit_direct", "直接起诉": "suit_direct", "行政诉讼未经复议直接起诉": "suit_direct",
    "复议后起诉": "suit_after_review", "行政诉讼复议后起诉": "suit_after_review",
}
CASE_PARTS = {
    "维持": "upheld", "结果维持": "upheld",
    "纠正": "corrected", "结果纠正": "corrected",
    "其他": "other", "其他结果": "other",
    "尚未审结": "pending", "未审结": "pending", "审理中": "pending",
}


def case_group(text: str) -> str:
    key = CASE_GROUPS.get(_LOOSE.sub("", text))
    if key is None:
        raise ValueProblem(f"类型“{shown(text)}”无法识别（应为行政复议、未经复议直接起诉或复议后起诉）")
    return key


def case_part(text: str) -> str:
    key = CASE_PARTS.get(_LOOSE.sub("", text))
    if key is None:
        raise ValueProblem(f"结果“{shown(text)}”无法识别（应为维持、纠正、其他或尚未审结）")
    return key
