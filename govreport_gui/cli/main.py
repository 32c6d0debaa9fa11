"""The ``govreport`` command: check, import, export, carry, aggregate, register, draft — over the Qt-free core.

Exit codes: 0 ok, 1 the report has check errors, 2 the input cannot be used. Every message is
Chinese and no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from .. import __version__
from ..report import native
from ..report.document import Report
from ..report.findings import summary
from ..report.messages import describe, finding_json
from ..report.oserrors import os_error_text
from ..report.rules import check
from .common import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_UNUSABLE,
    EXPORTERS,
    UsageError,
    check_output,
    guarded_output,
    load_any,
    save,
    year,
)

_ARGPARSE_ZH = (
    ("the following arguments are required:", "缺少必填参数："),
    ("unrecognized arguments:", "无法识别的参数："),
    ("invalid choice:", "无效的选择："),
    ("expected one argument", "需要一个值"),
    ("invalid int value:", "不是整数："),
    ("argument ", "参数 "),
)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        # prefix "" is argparse building a sub-command's prog name: leave that alone
        super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese section titles and errors that exit 2 without English noise."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        for english, chinese in _ARGPARSE_ZH:
            message = message.replace(english, chinese)
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNUSABLE, f"{self.prog}：参数错误（{message}）\n")


def _print_findings(report: Report, findings: list) -> None:
    out = sys.stdout
    icons = {"error": "错误", "warning": "提醒"}
    for f in findings:
        mark = f"（已说明：{f.waived}）" if f.waived else ""
        tag = "待填写" if f.pending else icons[f.severity]
        print(f"[{tag}] {f.rule}  {describe(f)}{mark}", file=out)
    errors, warnings = summary(findings)
    title = report.meta.effective_title()
    todo = sum(1 for f in findings if f.pending)
    more = f"，{todo} 项待填写" if todo else ""
    print(f"{title}：{errors} 个错误，{warnings} 个提醒{more}。校验码 {report.fingerprint()}", file=out)


def cmd_check(args: argparse.Namespace) -> int:
    report = load_any(args.file)
    last = load_any(args.last) if args.last else None
    findings = check(report, last)
    if args.json:
        payload = {
            "findings": [finding_json(f) for f in findings],
            "fingerprint": report.fingerprint(),
        }
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        _print_findings(report, findings)
    errors, _ = summary(findings)
    return EXIT_ERRORS if errors else EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    out = check_output(args.output, [native.SUFFIX])
    report = load_any(args.src)
    for note in report.import_notes:
        print(f"[导入说明] {note}", file=sys.stderr)
    save(report, out)
    print(f"已导入到 {out}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    if args.template:
        return _export_template(args)
    if not args.src:
        raise UsageError("请指定要导出的报告文件（或用 --template 导出空白填报模板）")
    out = Path(args.output)
    suffix = out.suffix.lower()
    if suffix not in (".docx", ".xlsx", ".pdf", ".html"):
        raise UsageError(f"输出文件“{out.name}”的扩展名须为 .docx、.xlsx、.pdf 或 .html")
    out = check_output(args.output, [suffix])
    report = load_any(args.src)
    exporter = EXPORTERS.get(suffix)
    if exporter is None:
        raise UsageError(f"尚不支持导出为 {suffix[1:].upper()} 格式")
    errors, _ = summary(check(report))
    if errors:
        print(f"警告：报告仍有 {errors} 个错误，导出的文件可能不能直接发布（govreport check 查看详情）", file=sys.stderr)
    exporter(report, out, args)
    print(f"已导出到 {out}")
    return EXIT_OK


def _export_template(args: argparse.Namespace) -> int:
    from ..export.xlsx_writer import write_template

    out = check_output(args.output, [".xlsx"])
    try:
        write_template(out, args.year)
    except OSError as e:
        raise UsageError(f"无法写入“{out}”：{os_error_text(e)}") from None
    print(f"已导出空白填报模板到 {out}（各单位填写后可用 govreport import 或 aggregate 读取）")
    return EXIT_OK


def cmd_carry(args: argparse.Namespace) -> int:
    from ..report.carry import carry_forward

    out = check_output(args.output, [native.SUFFIX])
    last = load_any(args.last)
    problems = [f for f in check(last) if f.severity == "error"]
    if problems:
        print(f"注意：上年报告本身有 {len(problems)} 个错误，结转的数据可能有误：", file=sys.stderr)
        for f in problems:
            print(f"  - {describe(f)}", file=sys.stderr)
    try:
        new = carry_forward(last, args.year)
    except ValueError as e:
        raise UsageError(str(e)) from None
    save(new, out)
    print(f"已从{last.meta.year or '上'}年报告生成{new.meta.year}年报告：{out}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="govreport",
        description="政府信息公开工作年度报告（2021年格式）：校验、导入、导出、结转、汇总、起草。",
        epilog="退出码：0 正常；1 报告有错误；2 输入文件无法使用。",
    )
    p.add_argument("--version", action="version", version=f"govreport {__version__}", help="显示版本号并退出")
    p.add_argument("--self-check", action="store_true", help="自检：加载格式数据、校验内置样例、导出并读回 Word 文档")
    sub = p.add_subparsers(dest="command", title="命令", metavar="命令", parser_class=_Parser)

    c = sub.add_parser("check", help="校验报告中的全部勾稽关系和内容要求", description="校验报告，列出所有问题。")
    c.add_argument("file", metavar="文件", help="报告文件（.govreport / .docx / .xlsx / .html / .pdf）")
    c.add_argument("--last", metavar="上年文件", help="上年报告，用于核对结转数、现行有效件数和内容雷同")
    c.add_argument("--json", action="store_true", help="以 JSON 输出（规则编号、单元格、消息、期望值、实际值、校验码）")
    c.set_defaults(func=cmd_check)

    i = sub.add_parser("import", help="从 .docx / .xlsx / .html / .pdf 导入为 .govreport", description="导入报告。")
    i.add_argument("src", metavar="源文件", help="要导入的 .govreport / .docx / .xlsx / .html / .pdf（有文字层）文件")
    i.add_argument("-o", "--output", required=True, metavar="输出.govreport", help="保存为的报告文件")
    i.set_defaults(func=cmd_import)

    e = sub.add_parser("export", help="导出为 .docx / .xlsx / .pdf / .html", description="导出报告。")
    e.add_argument("src", nargs="?", metavar="源文件", help="报告文件（使用 --template 时不需要）")
    e.add_argument("-o", "--output", required=True, metavar="输出文件", help="输出文件（扩展名决定格式）")
    e.add_argument("--signoff", action="store_true", help="（PDF）只输出审核签字单（含校验码、问题和理由、签字栏）")
    e.add_argument("--template", action="store_true", help="（XLSX）导出空白填报模板：只能在输入单元格中填写，合计由公式计算")
    e.add_argument("--year", type=year, metavar="年度", help="（--template）模板中预填的报告年度")
    e.set_defaults(func=cmd_export)

    k = sub.add_parser("carry", help="由上年报告生成本年报告（结转）", description="结转上年报告。")
    k.add_argument("last", metavar="上年文件", help="上年报告（.govreport / .docx / .xlsx / .html / .pdf）")
    k.add_argument("-o", "--output", required=True, metavar="输出.govreport", help="新报告文件")
    k.add_argument("--year", type=year, metavar="年度", help="新报告的年度（默认上年年度＋1）")
    k.set_defaults(func=cmd_carry)

    from .draft import add_parser as add_draft  # these commands live in their own modules
    from .register import add_parser as add_register
    from .rollup import add_parser as add_aggregate

    add_aggregate(sub)
    add_register(sub)
    add_draft(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    with guarded_output():  # a file's content quoted in any message cannot rewrite the terminal
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # --help, --version and argument errors end here
        return int(e.code or 0)
    if getattr(args, "self_check", False) and not getattr(args, "func", None):
        from ..selfcheck import run

        return run()
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_UNUSABLE
    try:
        return int(args.func(args))
    except UsageError as e:
        print(f"错误：{e}", file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return EXIT_UNUSABLE
    except Exception as e:  # last resort: a bug must still not show a traceback to a clerk
        print(f"错误：处理时发生意外问题（{type(e).__name__}: {e}）。请将此信息告知技术支持。", file=sys.stderr)
        return EXIT_UNUSABLE

