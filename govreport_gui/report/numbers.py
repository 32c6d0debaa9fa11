"""Reading numbers as clerks type and paste them: full-width digits, spaces, thousands separators.

One parser serves the grid editor, pastes, the native file and the DOCX/XLSX importers, so a value
is accepted or refused the same way everywhere.
"""

from __future__ import annotations

import re
from decimal import Decimal

MAX_COUNT = 10**9  # nothing in an annual report comes near; larger is a typo or a pasted ID
FEE_PLACES = 6  # 万元 to the fen is 6 places (24252.311082): real reports print them

# Full-width digits and signs (U+FF10–FF19, ．，－＋) → ASCII; U+3000 and NBSP are spaces.
_FULLWIDTH = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)}, "．": ".", "，": ",", "－": "-", "＋": "+", "\u3000": " ", "\u00a0": " "}
)
_ZERO_WORDS = {"", "/", "／", "—", "——", "-", "－", "–", "无", "空"}
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")  # plain notation: no 1e5, no 1_000, no NaN
MAX_DIGITS = 20  # longer digit runs are refused before int()/Decimal() see them (int() of 4,300+ raises)


class NumberError(ValueError):
    """A value that is not acceptable for a cell; ``str(err)`` is a Chinese hint for the user."""


def normalise(text: str) -> str:
    """Full-width → ASCII, all whitespace removed."""
    return "".join(text.translate(_FULLWIDTH).split())


def is_blank_zero(text: str) -> bool:
    """Empty cell, slash, dash or 无: offices write these for zero."""
    return normalise(text) in _ZERO_WORDS


def shown(text: str, limit: int = 24) -> str:
    """Typed text quoted back in a message, cut short (a pasted ID or 5,000 nines stays readable)."""
    t = text.strip()
    return t if len(t) <= limit else t[:limit] + "…"


def number_text(value: object) -> str:
    """``str(value)``, except that an int beyond any count is shown as 9.99e+4999 (``str`` of an
    int of 4,300+ digits raises)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**18:
        return f"{Decimal(value):.6e}"
    return str(value)


def _plain_number(text: str) -> str:
    s = normalise(text)
    if _THOUSANDS.match(s):
        s = s.replace(",", "")
    return s


def parse_count(text: str) -> int:
    """A whole number 0…10^9 from typed or pasted text; raises :class:`NumberError` otherwise."""
    s = _plain_number(text)
    if not s:
        raise NumberError("请输入数字")
    if re.fullmatch(r"[+-]?0*(\.0*)?", s) and re.search(r"\d", s):
        return 0  # -0 is 0
    if len(s) > MAX_DIGITS and re.fullmatch(r"[+-]?\d+(\.\d*)?", s):
        raise NumberError(f"“{shown(text)}”超过10亿，请核对是否输错")
    if re.fullmatch(r"-\d+(\.\d+)?", s):
        raise NumberError(f"“{shown(text)}”是负数，件数不能为负")
    if re.fullmatch(r"\+?\d+\.0*", s):
        s = s.split(".")[0]
    if not re.fullmatch(r"\+?\d+", s):
        if re.fullmatch(r"\+?\d*\.\d+", s):
            raise NumberError(f"“{shown(text)}”不是整数，件数须为整数")
        raise NumberError(f"“{shown(text)}”不是数字，请输入0或正整数")
    value = int(s)
    if value > MAX_COUNT:
        raise NumberError(f"“{shown(text)}”超过10亿，请核对是否输错")
    return value


def parse_fee(text: str) -> Decimal:
    """A decimal ≥ 0 in 万元 with at most :data:`FEE_PLACES` places (the fen); raises :class:`NumberError` otherwise.

    Written as counts are (no ``1e5``, ``1_000`` or ``NaN``, which Decimal alone would take).
    """
    s = _plain_number(text)
    if not s:
        raise NumberError("请输入金额")
    if not _DECIMAL.fullmatch(s):
        raise NumberError(f"“{shown(text)}”不是数字，收费金额请输入如 12.85 的数")
    whole = s.lstrip("+-").split(".")[0].lstrip("0")
    if len(whole) > MAX_DIGITS or len(s) > 4 * MAX_DIGITS:
        raise NumberError(f"“{shown(text)}”超过10亿万元，请核对是否输错")
    value = Decimal(s)
    if value.is_zero():
        value = value.copy_abs()  # -0 is 0 (and shows as 0)
    if value < 0:
        raise NumberError(f"“{shown(text)}”是负数，收费金额不能为负")
    if -value.as_tuple().exponent > FEE_PLACES:  # type: ignore[operator]
        raise NumberError(f"“{shown(text)}”超过{FEE_PLACES}位小数，请四舍五入后输入")
    if value > MAX_COUNT:
        raise NumberError(f"“{shown(text)}”超过10亿万元，请核对是否输错")
    return value


def format_fee(value: Decimal) -> str:
    """A fee as entered, without exponent notation (``Decimal('1E+2')`` → ``100``)."""
    text = format(value, "f")
    return text
