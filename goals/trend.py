"""A goal's measured values over time against its target line, drawn as SVG by the server.

One line for the measurements of the whole goal and one for each department that reports on
its allocation (the departments may have specified targets of their own, so their values are
shown side by side rather than added up or averaged). The x axis runs over the goal's year, the
y axis from zero (or the lowest value, if below zero) to the highest value or the target. The
same figures go into a table, for those who cannot see the chart. One query, whatever the data.

A goal measured by several indicators has a chart for each further indicator too, with its own
target (`indicator_trends`): one query more for all of them.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from goals.models import Goal, IndicatorValue, ProgressUpdate

WIDTH, HEIGHT = 600, 220
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 12, 28
# Stroke colours with at least 3:1 contrast on white (WCAG 1.4.11), told apart by dashes too.
STYLES = [
    ("#0a4f8f", ""),
    ("#8a4500", "6 3"),
    ("#1e6b30", "2 3"),
    ("#6a3d9a", "8 3 2 3"),
    ("#444444", "4 4"),
    ("#005f6b", "1 2"),
]
TARGET_COLOUR = "#b00020"


@dataclass(frozen=True)
class TrendPoint:
    measured_on: datetime.date
    value: Decimal
    x: float
    y: float


@dataclass
class TrendLine:
    label: str
    colour: str
    dashes: str
    points: list[TrendPoint] = field(default_factory=list)

    @property
    def path(self) -> str:
        return " ".join(f"{point.x:.1f},{point.y:.1f}" for point in self.points)


@dataclass(frozen=True)
class Tick:
    label: object
    position: float


@dataclass(frozen=True)
class Trend:
    lines: list[TrendLine]
    target: Decimal | None
    target_y: float | None
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    rows: list[tuple[datetime.date, list[tuple[str, Decimal | None]]]]
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM
    target_colour: str = TARGET_COLOUR

    @property
    def has_values(self) -> bool:
        return bool(self.rows)


def _measurements(goal: Goal) -> dict[str | None, dict[datetime.date, Decimal]]:
    """Department name (None for the whole goal) → date → the last value recorded for it."""
    rows = (
        ProgressUpdate.objects.filter(goal=goal)
        .order_by("measured_on", "created_at", "pk")
        .values_list("allocation__department__name", "measured_on", "value")
    )
    by_line: dict[str | None, dict[datetime.date, Decimal]] = {}
    for department, measured_on, value in rows:
        by_line.setdefault(department, {})[measured_on] = value
    return by_line


def goal_trend(goal: Goal) -> Trend:
    target = Decimal(1) if goal.is_milestone else goal.target
    return trend_of(_measurements(goal), target=target, year=goal.cycle.year)


def indicator_trends(goal: Goal) -> list[tuple[object, Trend]]:
    """Each further indicator of the goal (`indicator_list`, from `attach_indicators`) with the
    chart of its values, as `goal_trend` draws the goal's own indicator."""
    indicators = getattr(goal, "indicator_list", [])
    if not indicators:
        return []
    rows = (
        IndicatorValue.objects.filter(update__goal=goal)
        .order_by("update__measured_on", "update__created_at", "update__pk")
        .values_list(
            "indicator_id", "update__allocation__department__name", "update__measured_on", "value"
        )
    )
    by_indicator: dict[int, dict[str | None, dict[datetime.date, Decimal]]] = {}
    for indicator_id, department, measured_on, value in rows:
        lines = by_indicator.setdefault(indicator_id, {})
        lines.setdefault(department, {})[measured_on] = value
    return [
        (
            indicator,
            trend_of(
                by_indicator.get(indicator.pk, {}),
                target=Decimal(1) if indicator.is_milestone else indicator.target,
                year=goal.cycle.year,
            ),
        )
        for indicator in indicators
    ]


def trend_of(
    by_line: dict[str | None, dict[datetime.date, Decimal]], *, target: Decimal | None, year: int
) -> Trend:
    """The chart of these measurements (line name, None for the whole goal → date → value)."""
    values = [value for dates in by_line.values() for value in dates.values()]
    low = min([Decimal(0), *values, *([target] if target is not None else [])])
    high = max([*values, *([target] if target is not None else []), low + 1])
    start = datetime.date(year, 1, 1)
    end = max([datetime.date(year, 12, 31), *(d for v in by_line.values() for d in v)])
    span_days = (end - start).days or 1
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(day: datetime.date) -> float:
        return round(LEFT + plot_width * (day - start).days / span_days, 1)

    def y_of(value: Decimal) -> float:
        return round(TOP + plot_height * float((high - value) / (high - low)), 1)

    names = sorted(by_line, key=lambda name: (name is not None, name or ""))
    lines = []
    for index, name in enumerate(names):
        colour, dashes = STYLES[index % len(STYLES)]
        line = TrendLine(name or _("Whole goal"), colour, dashes)
        for measured_on, value in sorted(by_line[name].items()):
            line.points.append(TrendPoint(measured_on, value, x_of(measured_on), y_of(value)))
        lines.append(line)
    dates = sorted({day for dates in by_line.values() for day in dates})
    rows = [
        (
            day,
            [(line.label, by_line[name].get(day)) for name, line in zip(names, lines, strict=True)],
        )
        for day in dates
    ]
    middle = (low + high) / 2
    return Trend(
        lines=lines,
        target=target,
        target_y=y_of(target) if target is not None else None,
        y_ticks=[Tick(value, y_of(value)) for value in (low, middle, high)],
        x_ticks=[
            Tick(quarter, x_of(quarter))
            for quarter in (datetime.date(year, month, 1) for month in (1, 4, 7, 10))
        ],
        rows=rows,
    )
