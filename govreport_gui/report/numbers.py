"""Reading numbers as clerks type and paste them: full-width digits, spaces, thousands separators.

One parser serves the grid editor, pastes, the native file and the DOCX/XLSX importers, so a value
is accepted or refused the same way everywhere.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

MAX_COUNT = 10**9  # nothing in an annual report comes near; larger is a typo or a pasted ID
FEE_PLACES = 4

# Full-width digits and signs (U+FF10–FF19, ．，－＋) → ASCII; U+3000 and NBSP are spaces.
_FULLWIDTH = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)}, "．": ".", "，": ",", "－": "-", "＋": "+", "\u3000": " ", "\u00a0": " "}
)
_ZERO_WORDS = {"", "/", "／", "—", "——", "-", "－", "–", "无", "空"}
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


class NumberError(ValueError):
    """A value that is not acceptable for a cell; ``str(err)`` is a Chinese hint for the user."""


def normalise(text: str) -> str:
    """Full-width → ASCII, all whitespace removed."""
    return "".join(text.translate(_FULLWIDTH).split())


def is_blank_zero(text: str) -> bool:
    """Empty cell, slash, dash or 无: offices write these for zero."""
    return normalise(text) in _ZERO_WORDS


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
    if re.fullmatch(r"-\d+(\.\d+)?", s):
        raise NumberError(f"“{text.strip()}”是负数，件数不能为负")
    if re.fullmatch(r"\+?\d+\.0*", s):
        s = s.split(".")[0]
    if not re.fullmatch(r"\+?\d+", s):
        if re.fullmatch(r"\+?\d*\.\d+", s):
            raise NumberError(f"“{text.strip()}”不是整数，件数须为整数")
        raise NumberError(f"“{text.strip()}”不是数字，请输入0或正整数")
    value = int(s)
    if value > MAX_COUNT:
        raise NumberError(f"“{text.strip()}”超过10亿，请核对是否输错")
    return value


def parse_fee(text: str) -> Decimal:
    """A decimal ≥ 0 in 万元 with at most 4 places; raises :class:`NumberError` otherwise."""
    s = _plain_number(text)
    if not s:
        raise NumberError("请输入金额")
    try:
        value = Decimal(s)
    except InvalidOperation:
        raise NumberError(f"“{text.strip()}”不是数字，收费金额请输入如 12.85 的数") from None
    if not value.is_finite():
        raise NumberError(f"“{text.strip()}”不是数字，收费金额请输入如 12.85 的数")
    if value < 0:
        raise NumberError(f"“{text.strip()}”是负数，收费金额不能为负")
    if -value.as_tuple().exponent > FEE_PLACES:  # type: ignore[operator]
        raise NumberError(f"“{text.strip()}”超过{FEE_PLACES}位小数，请四舍五入后输入")
    if value > MAX_COUNT:
        raise NumberError(f"“{text.strip()}”超过10亿万元，请核对是否输错")
    return value


def format_fee(value: Decimal) -> str:
    """A fee as entered, without exponent notation (``Decimal('1E+2')`` → ``100``)."""
    text = format(value, "f")
    return text
