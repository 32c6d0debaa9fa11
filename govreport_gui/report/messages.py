"""Chinese sentences for findings: what is wrong and where. The only place rule wording lives."""

from __future__ import annotations

from decimal import Decimal

from .findings import Finding
from .numbers import FEE_PLACES, number_text, shown
from .schema import load_schema

TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}
SECTION_NAMES = {
    "s1": "一、总体情况",
    "s5": "五、存在的主要问题及改进情况",
    "s6": "六、其他需要报告的事项",
}
META_NAMES = {"agency": "机关名称", "year": "报告年度", "date": "成文日期"}
LEVEL_DEADLINE = {"department": "部门报告", "government": "人民政府报告"}


def _n(v: object) -> str:
    if isinstance(v, Decimal):
        return shown(format(v, "f")) if v.is_finite() else str(v)
    return shown(number_text(v))


def _pct(v: object) -> str:
    """A percentage without a trailing .0 (100, 12.3)."""
    d = abs(Decimal(str(v)))
    return format(d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize(), "f")


def _difference(v: object) -> str:
    """A change stated in units: 增加3件 / 减少3件 / 持平."""
    d = Decimal(str(v))
    return "持平" if not d else f"{'增加' if d > 0 else '减少'}{_n(abs(v))}件"  # type: ignore[arg-type]


def _date(iso: object) -> str:
    y, m, d = str(iso).split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"


def cell_name(key: str) -> str:
    """``表三‘自然人·本年新收’``: the table and the cell's short name."""
    schema = load_schema()
    cell = schema.cells.get(key)
    if cell is None:
        return key
    return f"{TABLE_NAMES[cell.table]}‘{cell.name}’"


def _sum_text(keys: tuple[str, ...], values: dict[str, object], names: dict[str, str]) -> str:
    return "＋".join(f"{names[k]}{_n(values[k])}" for k in keys)


def describe(f: Finding) -> str:
    """The message of a finding, e.g. “表三‘自然人’列：本年新收3000＋上年结转34＝3034，不等于…”."""
    schema = load_schema()
    d = f.detail
    rule = f.rule
    if rule == "value.count":
        return f"{cell_name(f.cells[0])}：填写的“{_n(f.actual)}”不是0或正整数，件数须为非负整数"
    if rule == "value.fee":
        return f"{cell_name(f.cells[0])}：填写的“{_n(f.actual)}”不是有效金额，须为不小于0、最多{FEE_PLACES}位小数的数（单位：万元）"
    if rule == "t3.balance":
        col = d["col"]
        new, cin, res, cout = f.cells
        vals = d.get("values") or {}
        text = (
            f"表三‘{schema.context_name('t3.col', col)}’列：本年新收{_n(vals.get(new, '?'))}＋上年结转"
            f"{_n(vals.get(cin, '?'))}＝{_n(f.expected)}，不等于办理结果总计{_n(vals.get(res, '?'))}"
            f"＋结转下年度{_n(vals.get(cout, '?'))}＝{_n(f.actual)}"
        )
        other = d.get("swapped_with")
        if other:
            text += (
                f"；与‘{schema.context_name('t3.col', other)}’列正好相差相反的数，"
                "可能有申请被计入了错误的申请人类型"
            )
        return text
    if rule == "t3.row_total":
        row = schema.context_name("t3.row", d["row"])
        return (
            f"表三‘{row}’行：总计填写为{_n(f.actual)}，但自然人至其他六类申请人之和为{_n(f.expected)}"
        )
    if rule == "t3.result_total":
        col = schema.context_name("t3.col", d["col"])
        return (
            f"表三‘{col}’列：（七）总计填写为{_n(f.actual)}，"
            f"但（一）至（六）各项办理结果之和为{_n(f.expected)}"
        )
    if rule == "t4.total":
        group = schema.context_name("t4.group", d["group"])
        vals = d.get("values") or {}
        names = {k: schema.cells[k].name.split("·")[-1] for k in f.cells}
        parts = _sum_text(f.cells[1:], vals, names) if vals else ""
        return f"表四‘{group}’：总计填写为{_n(f.actual)}，但{parts}＝{_n(f.expected)}"
    if rule == "x.carried_in":
        col = schema.context_name("t3.col", d["col"])
        return (
            f"表三‘{col}’列：上年结转填写为{_n(f.actual)}，"
            f"但上年报告的结转下年度继续办理为{_n(f.expected)}"
        )
    if rule == "x.in_force":
        label = "规章" if d["row"] == "regulation" else "行政规范性文件"
        vals = d.get("values") or {}
        issued, repealed = f.cells[1], f.cells[2]
        return (
            f"表二‘{label}’：现行有效件数应为上年现行有效{_n(d.get('last_in_force'))}＋本年制发"
            f"{_n(vals.get(issued, '?'))}－本年废止{_n(vals.get(repealed, '?'))}＝{_n(f.expected)}，"
            f"实际填写为{_n(f.actual)}"
        )
    if rule == "x.identical":
        if "section" in d:
            pct = round(float(f.actual or 0) * 100)
            return f"{SECTION_NAMES[d['section']]}：与上年报告的文字相似度为{pct}%，内容雷同，请按本年情况重写"
        return f"{TABLE_NAMES[d['table']]}：所有数据与上年报告完全相同，请核实是否已更新为本年数据"
    if rule == "x.jump":
        name = cell_name(f.cells[0])
        if not f.actual:
            return f"{name}：本年为0，上年为{_n(f.expected)}，请核对是否漏填"
        factor = d.get("factor") or 0
        times = f"是上年的{factor:g}倍" if factor >= 1 else f"只有上年的{factor:.2g}倍（约{round(1 / factor) if factor else 0}分之一）"
        return f"{name}：本年{_n(f.actual)}，上年{_n(f.expected)}，{times}，请核对是否多输或少输了一位数字"
    if rule == "n.year":
        where = f"{SECTION_NAMES[d['section']]}第{d['paragraph'] + 1}段"
        return (
            f"{where}：“{d['quote']}”把{d['year']}年写成了工作年度，本报告是{_n(f.expected)}年度的，"
            "可能是从上年报告复制后未改"
        )
    if rule == "n.figure" and d.get("kind") == "change":
        where = f"{SECTION_NAMES[d['section']]}第{d['paragraph'] + 1}段"
        cells = "＋".join(cell_name(k) for k in f.cells)
        said = f"{'上升' if f.actual >= 0 else '下降'}{_pct(f.actual)}%"  # type: ignore[operator]
        real = f"{'上升' if f.expected >= 0 else '下降'}{_pct(f.expected)}%"  # type: ignore[operator]
        return (
            f"{where}：“{d['quote']}”写的是同比{said}，但{cells}本年为{_n(d.get('now'))}、"
            f"上年报告为{_n(d.get('last'))}，实际{real}（{d['name']}）"
        )
    if rule == "n.figure" and d.get("kind") == "difference":
        where = f"{SECTION_NAMES[d['section']]}第{d['paragraph'] + 1}段"
        cells = "＋".join(cell_name(k) for k in f.cells)
        return (
            f"{where}：“{d['quote']}”写的是同比{_difference(f.actual)}，但{cells}本年为{_n(d.get('now'))}、"
            f"上年报告为{_n(d.get('last'))}，实际{_difference(f.expected)}（{d['name']}）"
        )
    if rule == "n.figure":
        where = f"{SECTION_NAMES[d['section']]}第{d['paragraph'] + 1}段"
        cells = "＋".join(cell_name(k) for k in f.cells)
        return (
            f"{where}：“{d['quote']}”写的是{_n(f.actual)}，"
            f"但{cells}为{_n(f.expected)}（{d['name']}）"
        )
    if rule == "n.topics":
        return (
            f"一、总体情况未涉及“{d['topic']}”：总体情况须涵盖主动公开、依申请公开、"
            "政府信息管理、政府信息公开平台建设、监督保障五项内容"
        )
    if rule == "n.empty":
        return f"{SECTION_NAMES[d['section']]}为空或只有占位文字，请填写内容"
    if rule == "n.fee":
        if d.get("kind") == "notices":
            return (
                f"表三‘逾期未缴纳费用’总计为{_n(f.actual)}件（申请人收到收费通知后未缴费），"
                "但六、其他需要报告的事项写的是未发出收费通知"
            )
        return "六、其他需要报告的事项未说明信息处理费（写明“收取信息处理费N元”或“未收取信息处理费”）"
    if rule == "meta.required":
        name = META_NAMES[d["field"]]
        if f.pending:
            return f"{name}：导入的报告没有印出落款日期，请在报告信息中填写"
        if f.actual:
            return f"{name}“{f.actual}”无法识别，请用日期选择填写"
        return f"未填写{name}"
    if rule == "meta.deadline":
        return (
            f"成文日期{_date(f.actual)}晚于{LEVEL_DEADLINE.get(d.get('level', ''), '报告')}"
            f"的法定公布期限{_date(f.expected)}（条例第四十九条）"
        )
    return f"{rule}：{schema.rules[rule].title}" if rule in schema.rules else rule


def finding_json(f: Finding) -> dict:
    """A finding as JSON data with its Chinese message (the CLI's ``--json``)."""

    def plain(v: object) -> object:
        return str(v) if isinstance(v, Decimal) else v

    out = {
        "rule": f.rule,
        "severity": f.severity,
        "cells": list(f.cells),
        "message": describe(f),
        "expected": plain(f.expected),
        "actual": plain(f.actual),
    }
    if f.waived is not None:
        out["waived"] = f.waived
    if f.pending:
        out["pending"] = True  # 待填写: not counted as an error
    return out
