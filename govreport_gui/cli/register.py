"""``govreport register``: 表三 (and 表四) counted from the office's register of applications.

Row problems go to stdout with their row numbers; exit 1 when there are any, else 0 (2 for unusable
input, as every command). Names and request contents are never read, so they cannot be printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ..report import native
from ..report.document import Report, new_report
from ..report.native import FileFormatError
from ..report.register_count import Register, carry_conflict, count, overdue, register_edit, source_of
from ..report.workdays import WorkCalendar
from .common import EXIT_ERRORS, EXIT_OK, UsageError, check_output, save, year


def add_parser(sub: argparse._SubParsersAction) -> None:
    r = sub.add_parser("register", help="由依申请公开台账计算表三（和表四）",
                       description="由依申请公开台账（.xlsx / .xls / .et / .ods / .csv）计算表三；台账含“复议诉讼案件”表时同时计算表四。")
    r.add_argument("src", nargs="?", metavar="台账", help="台账文件（.xlsx / .xls / .et / .ods / .csv，CSV 为 UTF-8 或 GBK）")
    r.add_argument("--year", type=year, metavar="年度", help="报告年度（用 --into 时默认取该报告的年度）")
    r.add_argument("-o", "--output", metavar="输出文件", help="新报告（.govreport）；与 --template 同用时为模板（.xlsx）")
    r.add_argument("--into", metavar="报告.govreport", help="只更新这份已有报告的表三、表四（原子保存，列出每个改动的单元格）")
    r.add_argument("--cases", metavar="案件清单", help="单独的复议诉讼案件清单（.xlsx / .xls / .et / .ods / .csv），用于表四")
    r.add_argument("--columns", action="append", default=[], metavar="列名=表头",
                   help="表头无法识别时指定对应关系，如 收到日期=来件日期 或 编号=A（可重复）")
    r.add_argument("--deadlines", action="store_true", help="列出逾期答复和到年底已超期未办结的申请")
    r.add_argument("--keep-carried-in", action="store_true",
                   help="台账的上年结转与上年报告的结转下年度不一致时，保留上年的数字（台账从今年才开始登记时）")
    r.add_argument("--template", action="store_true", help="生成空白台账模板（带下拉列表和日期格式）")
    r.set_defaults(func=cmd_register)


def cmd_register(args: argparse.Namespace) -> int:
    if args.template:
        return _template(args)
    if not args.src:
        raise UsageError("请指定台账文件（或用 --template 生成空白台账）")
    if not (args.output or args.into or args.deadlines):
        raise UsageError("请用 -o 指定新报告、用 --into 指定要更新的报告，或用 --deadlines 查看期限")
    target: Report | None = None
    if args.into:
        try:
            target = native.load(args.into)
        except FileFormatError as e:
            raise UsageError(str(e)) from None
    year = args.year or (target.meta.year if target is not None else None)
    if not year:
        raise UsageError("请用 --year 指定报告年度")
    out = check_output(args.output, [native.SUFFIX]) if args.output else None
    register = _read(args)

    for note in register.notes:
        print(f"[台账说明] {note}", file=sys.stderr)
    for problem in register.problems:
        print(f"[台账问题] {problem.text()}（未计入）")
    result = count(register, year)
    for note in result.notes:
        print(f"[台账说明] {note}", file=sys.stderr)
    if args.deadlines:
        _print_deadlines(register, year)
    if target is None and out is not None:
        target = new_report(year=year)
    if target is not None:
        stamp = dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")
        conflict = carry_conflict(target, result)
        if conflict is not None:
            last, counted = conflict.totals
            kept = "已保留上年的数字" if args.keep_carried_in else "已采用台账的数字（台账从今年才开始登记时请加 --keep-carried-in 保留上年的）"
            print(f"[台账说明] 台账的上年结转 {counted} 件与{'上年报告的结转下年度' if conflict.from_last else '报告现有的上年结转'}"
                  f" {last} 件不一致；{kept}", file=sys.stderr)
        edit = register_edit(target, result, source_of(register, result, stamp), keep_carried_in=args.keep_carried_in)
        if args.into:
            for key, new in edit.changes:
                old = target.cells.get(key)
                print(f"{key}（{target.schema.cells[key].name}）：{'空' if old is None else old} → {new}")
        edit.apply(target)
        dest = out or Path(args.into)
        save(target, dest)
        tables = "表三、表四" if register.cases is not None else "表三"
        print(f"已由台账“{register.file}”计算{year}年{tables}（{len(register.applications)} 行可计入，"
              f"{len(register.problems)} 行有问题），改动 {len(edit.changes)} 个单元格，保存到 {dest}")
    return EXIT_ERRORS if register.problems else EXIT_OK


def _read(args: argparse.Namespace) -> Register:
    from ..readers.register import parse_mapping, read_register

    try:
        return read_register(args.src, parse_mapping(args.columns), args.cases)
    except FileFormatError as e:
        raise UsageError(str(e)) from None


def _template(args: argparse.Namespace) -> int:
    from ..export.register_template import write_template

    if not args.output:
        raise UsageError("请用 -o 指定模板文件名（.xlsx）")
    out = check_output(args.output, [".xlsx"])
    try:
        write_template(out)
    except FileFormatError as e:
        raise UsageError(str(e)) from None
    print(f"已生成空白台账：{out}")
    return EXIT_OK


def _print_deadlines(register: Register, year: int) -> None:
    cal = WorkCalendar()
    items = overdue(register, year, cal)
    late = [o for o in items if o.answered is not None]
    open_ = [o for o in items if o.answered is None]
    print(f"逾期答复 {len(late)} 件，截至{year}年12月31日超期未办结 {len(open_)} 件（20个工作日，延期另加20个工作日，补正重新计算）")
    for o in items:
        a = o.application
        state = f"{o.answered} 答复" if o.answered else "未办结"
        print(f"  编号 {a.id}（{a.where()}）：收到 {a.received}，应于 {o.due} 前答复，{state}，超期 {o.days_late} 天")
    note = cal.fallback_note()
    if note:
        print(f"注意：{note}")
