"""The real-report corpus in numbers (bench/RESULTS-real.md): cells read right/wrong/missed, metadata,
findings true/false, real errors missed, narrative figures bound — tuned and held-out cases apart.

Run: .venv/bin/python bench/bench_real.py [--detail]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.real.corpus import CaseResult, judge_all  # noqa: E402
from tests.real.openings import OpeningResult, judge_openings  # noqa: E402


def totals(results: list[CaseResult]) -> dict[str, int]:
    return {
        "reports": len(results),
        "import failed": sum(bool(r.error) for r in results),
        "cells right": sum(r.cells_right for r in results),
        "cells wrong": sum(len(r.cells_wrong) for r in results),
        "cells missed": sum(len(r.cells_missed) for r in results),
        "metadata wrong": sum(len(r.meta_wrong) for r in results),
        "sections not read as printed": sum(len(r.text_wrong) for r in results),
        "findings true": sum(len(r.true_findings) for r in results),
        "findings 待填写": sum(len(r.todo_findings) for r in results),
        "findings false": sum(len(r.false_findings) for r in results),
        "findings unjudged": sum(len(r.unjudged) for r in results),
        "real errors missed": sum(len(r.missed_errors) for r in results),
        "figures bound right": sum(len(r.figures_bound) for r in results),
        "figures bound wrong": sum(len(r.figures_wrong) for r in results),
        "figures not bound": sum(len(r.figures_unbound) for r in results),
        "numbers bound that are no table figure": sum(len(r.figures_extra) for r in results),
    }


def opening_totals(results: list[OpeningResult]) -> dict[str, int]:
    return {
        "openings": len(results),
        "metadata wrong": sum(len(r.meta_wrong) for r in results),
        "表二 cells right": sum(r.cells_right for r in results),
        "表二 cells wrong": sum(len(r.cells_wrong) for r in results),
        "figure findings true": sum(len(r.true_findings) for r in results),
        "figure findings false": sum(len(r.false_findings) for r in results),
        "figure findings unjudged": sum(len(r.unjudged) for r in results),
        "real figure errors missed": sum(len(r.missed_errors) for r in results),
        "figures bound right": sum(len(r.figures_bound) for r in results),
        "figures bound wrong": sum(len(r.figures_wrong) for r in results),
        "figures not bound": sum(len(r.figures_unbound) for r in results),
        "numbers bound that are no table figure": sum(len(r.figures_extra) for r in results),
    }


def show(title: str, numbers: dict[str, int]) -> None:
    print(f"\n{title}")
    for k, v in numbers.items():
        print(f"  {k:40s} {v}")


def main() -> None:
    detail = "--detail" in sys.argv
    full = judge_all()
    openings = judge_openings()
    for held in (False, True):
        part = "held-out" if held else "tuned"
        show(f"full reports ({part})", totals([r for r in full if r.held_out == held]))
        show(f"openings ({part})", opening_totals([r for r in openings if r.held_out == held]))
    if detail:
        for r in [*full, *openings]:
            print(f"\n== {r.id}{' (held out)' if r.held_out else ''}")
            for name, value in vars(r).items():
                if isinstance(value, list) and value and name != "notes":
                    print(f"  {name}: {value}")
                elif name == "error" and value:
                    print(f"  error: {value}")


if __name__ == "__main__":
    main()
