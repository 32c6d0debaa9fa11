"""``govreport aggregate``: roll up files and folders of units' reports with a per-unit table.

Exit 0 when every unit is clean (warnings allowed), 1 when some unit has errors, could not be read,
is a duplicate or was left out (another year), 2 when nothing could be read or the years are mixed
without ``--year``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from pathlib import Path

from ..readers.rollup_sources import load_units
from ..report import native
from ..report.findings import summary
from ..report.messages import describe, finding_json
from ..report.oserrors import os_error_text
from ..report.rollup import STATUS_TEXT, MixedYears, RollUp, Unit, roll_up
from .common import EXPORTERS, UsageError, check_output, save

OUTPUTS = (native.SUFFIX, ".xlsx", ".docx", ".html")
PROGRESS_FROM = 50  # files: below this the roll-up is instant and progress lines are noise


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def unit_json(u: Unit) -> dict:
    return {
        "unit": u.agency, "year": u.year, "source": u.source, "status": u.status,
        "status_text": STATUS_TEXT[u.status], "errors": u.errors, "warnings": u.warnings,
        "fingerprint": u.fingerprint, "import_notes": u.notes, "remarks": u.remarks, "reason": u.reason,
        "findings": [finding_json(f) for f in u.findings],
    }


def rollup_json(r: RollUp, output: Path | None) -> dict:
    errors, warnings = summary(r.findings)
    total = r.total
    return {
        "units": [unit_json(u) for u in r.units],
        "summed": len(r.summed),
        "notes": r.notes,
        "total": None if total is None else {
            "year": total.meta.year, "agency": total.meta.agency, "fingerprint": total.fingerprint(),
            "errors": errors, "warnings": warnings, "findings": [finding_json(f) for f in r.findings],
        },
        "output": str(output) if output else None,
    }


def print_table(r: RollUp) -> None:
    out = sys.stdout  # looked up per call: tests capture it
    heads = ["序号", "状态", "单位", "年度", "错误", "提醒", "校验码", "文件"]
    rows = [[str(i), STATUS_TEXT[u.status], u.agency or "（无机关名称）" if u.report else "—",
             str(u.year or "—"), str(u.errors) if u.report else "—", str(u.warnings) if u.report else "—",
             u.fingerprint or "—", u.source]
            for i, u in enumerate(r.units, 1)]
    widths = [max(_width(x) for x in col) for col in zip(heads, *rows)]
    print("  ".join(_pad(h, w) for h, w in zip(heads, widths)).rstrip(), file=out)
    for u, row in zip(r.units, rows):
        print("  ".join(_pad(x, w) for x, w in zip(row, widths)).rstrip(), file=out)
        if u.reason:
            print(f"      无法读取：{u.reason}", file=out)
        for remark in u.remarks:
            print(f"      注意：{remark}", file=out)
        for note in u.notes:
            print(f"      导入说明：{note}", file=out)
    counts = {s: sum(u.status == s for u in r.units) for s in STATUS_TEXT}
    print(f"共{len(r.units)}个文件：" + "，".join(f"{STATUS_TEXT[s]}{n}个" for s, n in counts.items() if n), file=out)
    for note in r.notes:
        print(f"[汇总说明] {note}", file=out)
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


def run(args: argparse.Namespace) -> int:
    """The command."""

    out = check_output(args.output, list(OUTPUTS))
    _refuse_overwriting_a_unit(out, args.src, getattr(args, "overwrite", False), UsageError)
    units = load_units(args.src, _progress(), exclude=[out])
    if not units:
        raise UsageError("没有找到可汇总的文件（.govreport、.docx、.xlsx、.html、.htm）")
    try:
        result = roll_up(units, agency=args.agency or "", year=args.year)
    except MixedYears as e:
        if args.json:
            json.dump({"units": [unit_json(u) for u in units], "error": str(e)}, sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
        raise UsageError(str(e)) from None
    if result.total is not None:
        suffix = out.suffix.lower()
        if suffix == native.SUFFIX:
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
