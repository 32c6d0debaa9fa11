"""``govreport aggregate``: roll up files and folders of units' reports with a per-unit table.

Exit 0 when every unit is clean (warnings allowed), 1 when some unit has errors, could not be read,
is a duplicate, is in an unresolved conflict (one agency, different figures: ``--prefer`` picks), was
left out (another year) or a unit of the ``--expected`` list is missing; 2 when nothing could be read
or the years are mixed without ``--year``. The area's own report beside its units (``--parent`` or
found) is compared cell by cell with their sum: differences are shown, never an error.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .common import EXPORTERS, UsageError, check_output, save, shown, year

if TYPE_CHECKING:
    from ..report.rollup import ParentCheck, RollUp, Unit

# the roll-up's modules (readers, the pool, rules, indicators) are imported when the command runs:
# every command builds this parser at start-up
OUTPUTS = (".govreport", ".xlsx", ".docx", ".html")
PROGRESS_FROM = 50  # files: below this the roll-up is instant and progress lines are noise


@cache
def _wide() -> re.Pattern[str]:
    """East Asian wide and full-width characters (what unicodedata calls W and F), matched in C: a
    table of 10,000 units measured per character in Python took 0.3 s. Compiled on first use (2.5 ms)."""
    return re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
                      "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]")


def _width(text: str) -> int:
    return len(text) if text.isascii() else len(text) + len(_wide().findall(text))


def _pad(text: str, width: int, has: int | None = None) -> str:
    return text + " " * max(0, width - (_width(text) if has is None else has))


def indicators_json(found: dict) -> dict:
    return {i.id: {"name": i.name, "numerator": i.numerator, "denominator": i.denominator,
                   "value": None if i.value is None else round(float(i.value), 6),
                   "judged": i.judged, "marked": i.marked} for i in found.values()}


def unit_json(u: Unit) -> dict:
    from ..report.messages import finding_json
    from ..report.rollup import STATUS_TEXT

    return {
        "unit": u.agency, "year": u.year, "source": u.source, "status": u.status,
        "status_text": STATUS_TEXT[u.status], "summed": u.summed, "errors": u.errors, "warnings": u.warnings,
        "fingerprint": u.fingerprint, "import_notes": u.notes, "remarks": u.remarks, "reason": u.reason,
        "findings": [finding_json(f) for f in u.findings],
        "indicators": indicators_json(u.indicators),
    }


def _number(v: object) -> object:
    from ..report.numbers import number_text

    return v if isinstance(v, int) else number_text(v)  # fees (Decimal) as their text, exact


def parent_json(p: ParentCheck) -> dict:
    return {"source": p.parent.source, "unit": p.parent.agency, "verdict": p.verdict, "text": p.text,
            "summed": p.summed, "missing": p.missing, "listed": p.listed,
            "cells": [{"cell": d.key, "parent": _number(d.parent), "units": _number(d.units),
                       "difference": _number(d.difference)} for d in p.diffs]}


def rollup_json(r: RollUp, output: Path | None) -> dict:
    from ..report.findings import summary
    from ..report.indicators import indicators
    from ..report.messages import finding_json

    errors, warnings = summary(r.findings)
    total = r.total
    return {
        "units": [unit_json(u) for u in r.units],
        "summed": len(r.summed),
        "missing": r.missing,
        "parent": parent_json(r.parent) if r.parent else None,
        "notes": r.notes,
        "total": None if total is None else {
            "year": total.meta.year, "agency": total.meta.agency, "fingerprint": total.fingerprint(),
            "errors": errors, "warnings": warnings, "findings": [finding_json(f) for f in r.findings],
            "indicators": indicators_json(indicators(total)),
        },
        "output": str(output) if output else None,
    }


def print_table(r: RollUp) -> None:
    from ..report.findings import summary
    from ..report.messages import describe
    from ..report.rollup import STATUS_TEXT

    out = sys.stdout  # looked up per call: tests capture it
    heads = ["序号", "状态", "单位", "年度", "错误", "提醒", "校验码", "文件"]
    # every field from a file passes shown(): an agency “乙局\r通过” must not rewrite the row
    rows = [[str(i), STATUS_TEXT[u.status], shown(u.agency or "（无机关名称）") if u.report else "—",
             str(u.year or "—"), str(u.errors) if u.report else "—", str(u.warnings) if u.report else "—",
             u.fingerprint or "—", shown(u.source)]
            for i, u in enumerate(r.units, 1)]
    sizes = [list(map(_width, row)) for row in rows]  # each field measured once (10,000 rows)
    widths = [max(col) for col in zip(map(_width, heads), *sizes)]
    print("  ".join(_pad(h, w) for h, w in zip(heads, widths)).rstrip(), file=out)
    for u, row, size in zip(r.units, rows, sizes):
        print("  ".join(map(_pad, row, widths, size)).rstrip(), file=out)
        if u.reason:
            print(f"      无法读取：{shown(u.reason)}", file=out)
        for remark in u.remarks:
            print(f"      注意：{shown(remark)}", file=out)
        for note in u.notes:
            print(f"      导入说明：{shown(note)}", file=out)
    counts = {s: sum(u.status == s for u in r.units) for s in STATUS_TEXT}
    print(f"共{len(r.units)}个文件：" + "，".join(f"{STATUS_TEXT[s]}{n}个" for s, n in counts.items() if n)
          + f"；计入汇总{len(r.summed)}个单位", file=out)
    for note in r.notes:
        print(f"[汇总说明] {shown(note)}", file=out)
    if r.parent is not None:
        print_parent(r.parent)
    if r.total is None:
        return
    tables = [f for f in r.findings if f.cells]
    errors, warnings = summary(r.findings)
    print(f"汇总报告（{len(r.summed)}个单位）：{errors} 个错误，{warnings} 个提醒。校验码 {r.total.fingerprint()}", file=out)
    for f in tables:
        print(f"  [{'错误' if f.severity == 'error' else '提醒'}] {f.rule}  {describe(f)}", file=out)
    if len(tables) < len(r.findings):
        print(f"  另有{len(r.findings) - len(tables)}项正文或报告信息的问题（汇总报告还没有正文和成文日期，"
              "编写汇总报告时补写）", file=out)


def print_parent(p: ParentCheck) -> None:
    from ..report.messages import cell_name
    from ..report.numbers import number_text

    out = sys.stdout
    print(f"[本级对照] {shown(p.text)}", file=out)
    for d in p.diffs:
        print(f"  {cell_name(d.key)}：本级 {number_text(d.parent)}，各单位合计 {number_text(d.units)}，"
              f"相差 {number_text(d.difference)}", file=out)


def _progress():  # type: ignore[no-untyped-def]
    last = [0.0]

    def report(done: int, total: int, path: Path) -> bool:
        now = time.monotonic()
        if total >= PROGRESS_FROM and (done == total or now - last[0] > 0.5):
            last[0] = now
            print(f"已读取 {done}/{total} 个文件", file=sys.stderr, flush=True)
        return True

    return report


def _refuse_overwriting_a_unit(out: Path, sources: list[str], overwrite: bool, error: type[Exception]) -> None:
    """An existing output among the sources may be a unit's own report, not an earlier roll-up:
    writing the sum over it would lose that unit's report and leave it out of the sum."""
    if not out.exists():
        return
    for src in map(Path, sources):
        try:
            if src.is_file() and src.samefile(out):
                raise error(f"输出文件“{out}”也是要汇总的报告之一：请换一个输出文件名")
            inside = src.is_dir() and out.resolve().is_relative_to(src.resolve())
        except OSError:
            continue
        if inside and not overwrite:
            raise error(f"输出文件“{out}”已存在，且在要汇总的文件夹“{src}”中：它可能是某个单位的报告。"
                        "请换一个输出位置；如果它是上次的汇总结果，加 --overwrite 确认覆盖")


def _source_of(units: list[Unit], named: str, option: str) -> str:
    """The unit read from the file an option names (as the user spelt it, or another path to it)."""
    from ..readers.rollup_sources import path_key

    key = path_key(Path(named))
    for u in units:
        if path_key(Path(u.source)) == key:
            return u.source
    raise UsageError(f"{option} 指定的“{named}”不在要汇总的文件中")


def run(args: argparse.Namespace) -> int:
    """The command."""
    from ..readers.rollup_sources import load_units, read_roster
    from ..report.native import FileFormatError
    from ..report.oserrors import os_error_text
    from ..report.rollup import MixedYears, roll_up

    out = check_output(args.output, list(OUTPUTS))
    _refuse_overwriting_a_unit(out, args.src, getattr(args, "overwrite", False), UsageError)
    expected = None
    if getattr(args, "expected", None):
        try:
            expected = read_roster(args.expected)
        except FileFormatError as e:
            raise UsageError(str(e)) from None
    units = load_units(args.src, _progress(), exclude=[out], workers=getattr(args, "jobs", None))
    if units.workers:  # says that the pool really ran (the installed builds' tests read this line)
        print(f"由 {units.workers} 个进程并行读取", file=sys.stderr)
    if units.fell_back:
        print("提示：未能启动多个进程读取，其余文件已在本进程中读取（较慢）", file=sys.stderr)
    if not units:
        raise UsageError("没有找到可汇总的文件（.govreport、.docx、.xlsx、.html、.htm、.pdf）")
    prefer = [_source_of(units, p, "--prefer") for p in getattr(args, "prefer", None) or ()]
    parent = _source_of(units, args.parent, "--parent") if getattr(args, "parent", None) else None
    if getattr(args, "no_parent", False):
        parent = ""  # none: every unit is summed, whatever its name
    try:
        result = roll_up(units, agency=args.agency or "", year=args.year, prefer=prefer, parent=parent,
                         expected=expected, sums=units.sums)
    except MixedYears as e:
        if args.json:
            json.dump({"units": [unit_json(u) for u in units], "error": str(e)}, sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
        raise UsageError(str(e)) from None
    if result.total is not None:
        suffix = out.suffix.lower()
        if suffix == ".govreport":
            save(result.total, out)
        elif suffix == ".xlsx":
            from ..export.rollup_xlsx import write_rollup_xlsx

            try:
                write_rollup_xlsx(result, out)
            except OSError as e:
                raise UsageError(f"无法写入“{out}”：{os_error_text(e)}") from None
        else:
            EXPORTERS[suffix](result.total, out, args)
    if args.json:
        json.dump(rollup_json(result, out if result.total else None), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        print_table(result)
        if result.total is not None:
            print(f"已汇总到 {out}")
    if result.total is None:
        print("错误：没有一份报告可以汇总，未生成汇总文件", file=sys.stderr)
        return 2
    return 0 if result.clean else 1


def add_parser(sub: argparse._SubParsersAction) -> None:
    a = sub.add_parser("aggregate", help="汇总并审查多个单位的报告（文件或文件夹）", description="汇总报告：逐个校验每个单位，"
                       "列出状态、重复、冲突和无法读取的文件，再合计表格；本级报告与各单位合计逐项对照。\n退出码：0 每个单位都没有"
                       "错误；1 有单位有错误、无法读取、重复、冲突未选用、不属于所选年度或名单中的单位缺报；2 没有可汇总的报告或年度不一致。")
    a.add_argument("src", nargs="+", metavar="源", help="报告文件或文件夹（文件夹内查找 .govreport/.docx/.xlsx/.html/.htm/.pdf）")
    a.add_argument("-o", "--output", required=True, metavar="输出文件", help="汇总结果（.govreport / .xlsx / .docx / .html）")
    a.add_argument("--agency", metavar="机关名称", help="汇总报告的机关名称（与某份报告的机关名称相同时，那份报告作为本级报告对照）")
    a.add_argument("--year", type=year, metavar="年度", help="只汇总这一年度的报告（年度不一致时必须指定）")
    a.add_argument("--prefer", action="append", metavar="文件", help="同一单位有几份数字不同的报告（冲突）时选用这一份（可重复）")
    a.add_argument("--parent", metavar="文件", help="本级报告（如区人民政府的报告）：不计入合计，逐项与各单位合计对照")
    a.add_argument("--no-parent", action="store_true", help="没有本级报告：每份报告都计入合计（不按名称自动识别本级报告）")
    a.add_argument("--expected", metavar="名单文件", help="应报单位名单（.txt / .csv / .xlsx，每行一个单位名称）：列出缺报的单位")
    a.add_argument("--jobs", type=int, metavar="进程数", help="读取和校验文件的进程数（默认按空闲的处理器核数；1 为不用多进程）")
    a.add_argument("--json", action="store_true", help="以 JSON 输出每个单位的状态、问题、指标和汇总结果")
    a.add_argument("--overwrite", action="store_true", help="输出文件已在要汇总的文件夹中时，确认覆盖它（它不作为单位汇总）")
    a.set_defaults(func=run)
