"""A bar chart of the units on one 研判指标, painted with QPainter (no chart library): one bar per
judged unit, largest first, bars beyond the threshold in red, the threshold as a dashed line; units
with too few cases are counted under the chart. Only the rows in view are painted, so 10,000 units
scroll as fast as ten."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QComboBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from ...report.indicators import Definition, Indicator, definitions
from ...report.rollup import Unit

BAR = QColor("#5b9bd5")
MARKED = QColor("#c00000")
ROW = 22  # px per unit
TOP = 28  # px above the first bar: the scale


class Bars(QWidget):
    """The bars of one indicator (inside a scroll area)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rollup.chart.bars")
        self.rows: list[tuple[str, Indicator]] = []
        self.definition: Definition | None = None

    def set_rows(self, definition: Definition, rows: list[tuple[str, Indicator]]) -> None:
        self.definition = definition
        self.rows = rows
        self.updateGeometry()
        self.resize(self.width(), self.sizeHint().height())
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(600, TOP + ROW * len(self.rows) + 8)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()

    def scale_max(self) -> float:
        """The scale's right end: the largest value or the threshold, rounded up to 10 % (past 100 %
        only for a table that does not add up)."""
        d = self.definition
        values = [float(ind.value) for _, ind in self.rows]  # type: ignore[arg-type]
        line = float(d.below if d and d.below is not None else d.above if d and d.above is not None else 0)
        top = max([line, *values, 0.1])
        step = self.step(top)
        return math.ceil(top / step + 1e-9) * step

    @staticmethod
    def step(top: float) -> float:
        """The scale's tick: 10 % up to 100 %, 20 % beyond."""
        return 0.1 if top <= 1.0 + 1e-9 else 0.2

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetrics(self.font())
        label_w = min(260, max([fm.horizontalAdvance(n) for n, _ in self.rows[:500]] + [60]) + 12)
        value_w = fm.horizontalAdvance("100.0%") + 10
        left, right = label_w, self.width() - value_w
        span = max(1.0, right - left)
        top_value = self.scale_max()

        def x(v: float) -> float:
            return left + span * v / top_value

        p.setPen(QColor("#808080"))  # the scale
        step = self.step(top_value)
        ticks = round(top_value / step)
        for i in range(ticks + 1):
            v = step * i
            p.drawLine(int(x(v)), TOP - 6, int(x(v)), TOP - 2)
            if ticks <= 6 or i % 2 == 0:
                text = f"{v * 100:.0f}%"
                p.drawText(int(x(v) - fm.horizontalAdvance(text) / 2), TOP - 10, text)
        first = max(0, (event.rect().top() - TOP) // ROW)
        last = min(len(self.rows), (event.rect().bottom() - TOP) // ROW + 1)
        for i in range(first, last):
            name, ind = self.rows[i]
            y = TOP + i * ROW
            p.setPen(self.palette().windowText().color())
            elided = fm.elidedText(name, Qt.TextElideMode.ElideMiddle, label_w - 8)
            p.drawText(QRectF(0, y, label_w - 8, ROW), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, elided)
            v = float(ind.value)  # type: ignore[arg-type]
            p.fillRect(QRectF(left, y + 4, max(1.0, x(v) - left), ROW - 8), MARKED if ind.marked else BAR)
            p.setPen(MARKED if ind.marked else self.palette().windowText().color())
            p.drawText(QRectF(x(v) + 4, y, value_w + 40, ROW), Qt.AlignmentFlag.AlignVCenter, ind.percent())
        d = self.definition
        line = d.below if d and d.below is not None else d.above if d and d.above is not None else None
        if line is not None and self.rows:  # the threshold
            pen = QPen(MARKED, 1, Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(int(x(float(line))), TOP - 2, int(x(float(line))), TOP + ROW * len(self.rows))
        p.end()


class IndicatorChart(QWidget):
    """The indicator picker, the bars of the judged units and a line on those not judged."""

    indicator_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rollup.chart")
        column = QVBoxLayout(self)
        self.picker = QComboBox()
        self.picker.setObjectName("rollup.chart.indicator")
        for d in definitions():
            self.picker.addItem(f"{d.name}（提示线：{d.mark_text}）", d.id)
        self.picker.currentIndexChanged.connect(lambda _: self.refresh())
        column.addWidget(self.picker)
        self.caption = QLabel()
        self.caption.setObjectName("rollup.chart.caption")
        self.caption.setWordWrap(True)
        column.addWidget(self.caption)
        self.bars = Bars()
        scroll = QScrollArea()
        scroll.setWidget(self.bars)
        scroll.setWidgetResizable(True)
        column.addWidget(scroll, 1)
        self.units: list[Unit] = []

    def set_units(self, units: list[Unit]) -> None:
        """The units the chart may show: those summed and the area's own report."""
        self.units = [u for u in units if u.summed or u.status == "parent"]
        self.refresh()

    def current(self) -> Definition:
        return next(d for d in definitions() if d.id == self.picker.currentData())

    def refresh(self) -> None:
        d = self.current()
        judged, skipped = [], 0
        for u in self.units:
            ind = u.indicators.get(d.id)
            if ind is not None and ind.judged:
                judged.append((f"{u.agency or u.source}（本级）" if u.status == "parent" else u.agency or u.source, ind))
            else:
                skipped += 1
        judged.sort(key=lambda item: float(item[1].value), reverse=True)  # type: ignore[arg-type]
        self.bars.set_rows(d, judged)
        marked = sum(ind.marked for _, ind in judged)
        text = f"{d.name}＝{d.numerator_name}÷{d.denominator_name}。{len(judged)}个单位，{marked}个超出提示线（{d.mark_text}，红色）"
        if skipped:
            text += f"；另有{skipped}个单位{d.denominator_name}不足{d.min_denominator}件，不作判断"
        self.caption.setText(text + "。")
        self.caption.setToolTip(f"提示线来源：{d.source}")
        self.indicator_changed.emit(d.id)
