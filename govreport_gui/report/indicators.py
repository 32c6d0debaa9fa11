"""研判指标: the ratios an upper office reads first (实质公开率, 复议/诉讼纠错率, 结转率, 无法提供 and
不予处理 shares), computed from a report's 表三/表四.

The definitions — cells summed above and below the line, the smallest denominator worth judging,
the threshold beyond which a unit is marked, and where that threshold comes from — are data in
``indicators_2021.json`` beside the format data, not code.

Use::

    from govreport_gui.report.indicators import indicators

    for ind in indicators(report).values():
        ind.name, ind.numerator, ind.denominator   # 实质公开率, 80, 100
        ind.value                                  # Fraction(4, 5), or None when the denominator is 0
        ind.judged, ind.marked, ind.percent()      # True, False, "80.0%"
        ind.reason                                 # why it is not judged ("" when judged)

Qt-free; :func:`indicators` is cheap (a few dozen cell look-ups), so callers need no cache.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache, cached_property
from pathlib import Path

from .document import Report
from .schema import SchemaError, load_schema


@dataclass(frozen=True)
class Definition:
    """One indicator as the data file states it."""

    id: str
    name: str
    numerator_name: str
    denominator_name: str
    numerator: tuple[str, ...]  # cell keys summed
    denominator: tuple[str, ...]
    min_denominator: int  # below this there are too few cases to judge
    below: Fraction | None  # marked when the value is below this …
    above: Fraction | None  # … or above this
    mark_text: str  # the threshold in words (“低于50%”)
    source: str  # where the threshold comes from (shown in tooltips and the workbook)


@dataclass(frozen=True)
class Indicator:
    """One indicator of one report."""

    definition: Definition
    numerator: int
    denominator: int

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def name(self) -> str:
        return self.definition.name

    @cached_property  # a roll-up window sorts, marks and charts 10,000 of these
    def value(self) -> Fraction | None:
        """numerator / denominator, exact; None when the denominator is 0."""
        return Fraction(self.numerator, self.denominator) if self.denominator else None

    @cached_property
    def judged(self) -> bool:
        """Enough cases to say anything (denominator ≥ the data's ``min_denominator``)."""
        return self.denominator > 0 and self.denominator >= self.definition.min_denominator

    @cached_property
    def marked(self) -> bool:
        """Judged and beyond the threshold."""
        v = self.value
        if not self.judged or v is None:
            return False
        d = self.definition
        return (d.below is not None and v < d.below) or (d.above is not None and v > d.above)

    @property
    def reason(self) -> str:
        """Why the indicator is not judged, in Chinese; "" when it is."""
        if self.judged:
            return ""
        d = self.definition
        if self.denominator == 0:
            return f"{d.denominator_name}为0，不计算"
        return f"{d.denominator_name}{self.denominator}件，不足{d.min_denominator}件，不作判断"

    def percent(self, digits: int = 1) -> str:
        """``80.0%``, or ``—`` when there is no denominator."""
        v = self.value
        return "—" if v is None else f"{float(v) * 100:.{digits}f}%"

    def explain(self) -> str:
        """One line for a tooltip: the figures, the threshold and its source."""
        d = self.definition
        head = f"{d.name}＝{d.numerator_name}{self.numerator}÷{d.denominator_name}{self.denominator}"
        verdict = self.reason or (f"超出提示线（{d.mark_text}）" if self.marked else f"未超出提示线（{d.mark_text}）")
        return f"{head}＝{self.percent()}；{verdict}。提示线来源：{d.source}"


def _threshold(spec: dict, key: str) -> Fraction | None:
    return Fraction(str(spec[key])) if key in spec else None  # str: 0.2 is 1/5, not a binary float


@cache
def definitions(template: str = "2021") -> tuple[Definition, ...]:
    """The indicators of a national format, in the data file's order (validated, cached)."""
    if template != "2021":
        raise KeyError(template)
    data = json.loads((Path(__file__).parent / "indicators_2021.json").read_text(encoding="utf-8"))
    cells = load_schema(template).cells
    out = []
    for spec in data["indicators"]:
        d = Definition(spec["id"], spec["name"], spec["numerator_name"], spec["denominator_name"],
                       tuple(spec["numerator"]), tuple(spec["denominator"]), int(spec["min_denominator"]),
                       _threshold(spec["mark"], "below"), _threshold(spec["mark"], "above"), spec["mark_text"],
                       spec["source"])
        unknown = [k for k in (*d.numerator, *d.denominator) if k not in cells]
        if unknown or not d.denominator or not d.source:
            raise SchemaError(f"indicator {d.id}: unknown cells {unknown} or no denominator/source")
        out.append(d)
    return tuple(out)


def indicators(report: Report, values: dict[str, int | Decimal] | None = None) -> dict[str, Indicator]:
    """Every indicator of ``report`` by id, in the data file's order. Unreadable cells count 0,
    as in the rules. ``values``: ``report.numeric_view()[0]`` when the caller has it already."""
    value = (values if values is not None else report.numeric_view()[0]).__getitem__
    return {d.id: Indicator(d, int(sum(map(value, d.numerator))), int(sum(map(value, d.denominator))))
            for d in definitions(report.schema.template)}
