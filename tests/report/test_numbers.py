from decimal import Decimal

import pytest

from govreport_gui.report.numbers import NumberError, is_blank_zero, parse_count, parse_fee


@pytest.mark.parametrize(
    "text, value",
    [("12", 12), (" 12 ", 12), ("\u300012\u3000", 12), ("１２３", 123), ("447,228", 447228), ("3.0", 3), ("+7", 7)],
)
def test_counts_accepted(text, value):
    assert parse_count(text) == value


@pytest.mark.parametrize(
    "text, hint",
    [("abc", "不是数字"), ("-3", "负数"), ("1.5", "不是整数"), ("10000000000", "超过10亿"), ("", "请输入")],
)
def test_counts_refused_with_chinese_hint(text, hint):
    with pytest.raises(NumberError, match=hint):
        parse_count(text)


def test_fee():
    assert parse_fee("96171.6") == Decimal("96171.6")
    assert parse_fee("１２．８５") == Decimal("12.85")
    assert parse_fee("24252.311082") == Decimal("24252.311082")  # 万元 to the fen, as reports print it
    for bad, hint in (("-1", "负数"), ("1.2345678", "6位小数"), ("十二", "不是数字"), ("NaN", "不是数字")):
        with pytest.raises(NumberError, match=hint):
            parse_fee(bad)


def test_blank_zero_words():
    assert all(is_blank_zero(t) for t in ("", " ", "/", "—", "无", "\u3000"))
    assert not is_blank_zero("0") and not is_blank_zero("5")
