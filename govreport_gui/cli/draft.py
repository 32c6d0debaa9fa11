"""``govreport draft``: the sentences of 一、总体情况 that restate the tables, printed for offices
that write their report in Word/WPS (the window inserts the same draft with live figures).

Exit codes as every command: 0 printed; 1 printed, but the tables have errors (the drafted figures
repeat them); 2 unusable input.
"""

from __future__ import annotations

import argparse
import sys

from ..report.draft import draft_lines, drafted_topics, last_known, load_style
from ..report.findings import summary
from ..report.rules import check
from .common import EXIT_ERRORS, EXIT_OK, UsageError, load_any

_TABLE_RULES = ("value.", "t3.", "t4.")  # errors in the figures a draft repeats


def add_parser(sub: argparse._SubParsersAction) -> None:
    d = sub.add_parser("draft", help="按表格起草“一、总体情况”中复述表格数字的句子",
                       description="按报告的表二、表三、表四起草“一、总体情况”中主动公开、依申请公开（含行政复议、"
                                   "行政诉讼）的句子；有上年报告时写同比。输出纯文字，可复制到 Word/WPS。\n"
                                   "退出码：0 正常；1 表格有错误（起草的数字照抄表格，请先改正）；2 输入文件无法使用。")
    d.add_argument("file", metavar="文件", help="报告文件（.govreport / .docx / .xlsx / .html）")
    d.add_argument("--section", default="s1", metavar="部分",
                   help="起草哪一部分：s1（整个总体情况，默认），或其中的小标题："
                        + "、".join(t.topic for t in load_style().topics))
    d.add_argument("--last", metavar="上年文件", help="上年报告，用于写同比（默认用报告文件中保存的上年报告）")
    d.set_defaults(func=cmd_draft)


def cmd_draft(args: argparse.Namespace) -> int:
    report = load_any(args.file)
    topics = drafted_topics(report)
    if args.section not in ("s1", *topics):
        raise UsageError(f"无法起草“{args.section}”：只能起草 s1（一、总体情况）或其中的" + "、".join(topics))
    if args.last:
        report.last = load_any(args.last)
        report.last.last = None
        if not last_known(report):
            print(f"注意：上年报告的年度（{report.last.meta.year}）不是{report.meta.year}年的上一年，不写同比",
                  file=sys.stderr)
    for line in draft_lines(report, None if args.section == "s1" else args.section):
        print(line)
    errors = [f for f in check(report) if f.severity == "error" and f.rule.startswith(_TABLE_RULES)]
    if errors:
        n, _ = summary(errors)
        print(f"警告：表格有 {n} 个错误，起草的数字照抄表格，请先改正（govreport check 查看详情）", file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_OK
