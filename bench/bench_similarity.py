"""Benchmark: x.identical per keystroke as the narrative grows (issue 13.8: difflib took 0.46 s at
10k characters, 1.9 s at 20k, 59 s for a 258 KB file). Run: .venv/bin/python bench/bench_similarity.py

Each "keystroke" types one character at the start of section 五 (inside the compared part even
when the section exceeds the cap), so no cache can answer: the rules run as the narrative editor
runs them after a real keystroke. Last year's 五 is this year's without the typing.
"""

from __future__ import annotations

import difflib
import statistics
import time
from pathlib import Path

from govreport_gui.report import native
from govreport_gui.report.carry import carry_forward
from govreport_gui.report.rules import check, similarity

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
SIZES = (1_000, 10_000, 20_000, 258_000)
SENTENCE = "针对公开形式单一的问题，增加了图解解读，2025年共发布解读材料12篇，群众满意度有所提高。"


def narrative(chars: int) -> list[str]:
    """Paragraphs of about ``chars`` characters in total (realistic sentences, varied figures)."""
    paras, n, i = [], 0, 0
    while n < chars:
        para = "".join(SENTENCE.replace("12", str(i * 7 + k)) for k in range(8))
        paras.append(para)
        n += len(para)
        i += 1
    return paras


def per_keystroke(chars: int, keystrokes: int) -> list[float]:
    last = native.load(DATA / "sample-2025.govreport")
    last.sections["s5"] = narrative(chars)
    report = carry_forward(last)
    report.sections["s5"] = list(last.sections["s5"])
    runs = []
    for k in range(keystrokes):
        report.sections["s5"][0] = "改进"[k % 2] + report.sections["s5"][0]
        t = time.perf_counter()
        findings = check(report)
        runs.append(time.perf_counter() - t)
    assert any(f.rule == "x.identical" for f in findings), "the copied section must be flagged"
    return runs


def difflib_ratio(chars: int) -> float:
    """The previous implementation, one call on the same texts (for comparison)."""
    a = "\n".join(narrative(chars))
    t = time.perf_counter()
    difflib.SequenceMatcher(None, a + "改", a, autojunk=False).ratio()
    return time.perf_counter() - t


def main() -> None:
    print(f"{'characters':>10s} {'check() median':>15s} {'max':>9s} {'similarity()':>13s} {'difflib (old)':>14s}")
    for chars in SIZES:
        runs = per_keystroke(chars, 200 if chars <= 20_000 else 30)
        text = "\n".join(narrative(chars))
        sims = []
        for k in range(20):
            t = time.perf_counter()
            similarity("改" * (k + 1) + text, text)
            sims.append(time.perf_counter() - t)
        sim = statistics.median(sims)
        old = f"{difflib_ratio(chars) * 1e3:10.0f} ms" if chars <= 20_000 else "      (59 s)"
        print(f"{chars:>10d} {statistics.median(runs) * 1e3:12.2f} ms {max(runs) * 1e3:6.2f} ms"
              f" {sim * 1e3:10.2f} ms {old}")


if __name__ == "__main__":
    main()
