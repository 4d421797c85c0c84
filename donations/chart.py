"""The treasurer's chart, drawn on the server as SVG: no script, no outside network.

Gifts per month of a year, one-off and monthly stacked, with the year before as a line.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.dates import MONTHS_AP
from django.utils.formats import number_format

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 40
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
SLOT = PLOT_W / 12


@dataclass
class Bar:
    """One month's stacked bar; coordinates are strings ready for the SVG."""

    month: str
    x: str
    width: str
    one_off_y: str
    one_off_h: str
    monthly_y: str
    monthly_h: str
    label_x: str
    title: str


def _n(value: float) -> str:
    """A coordinate as SVG wants it: a dot for decimals, whatever the page's language."""
    return f"{value:.1f}"


def _nice_max(value: Decimal) -> Decimal:
    """A round top for the axis: 1, 2 or 5 times a power of ten, above ``value``."""
    if value <= 0:
        return Decimal(100)
    magnitude = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def monthly_chart(this_year: list[dict], last_year: list[dict]) -> dict:
    """What templates/donations/dashboard/chart.svg draws, from two ``gifts_by_month``."""
    totals = [row["one_off"] + row["monthly"] for row in this_year]
    before = [row["one_off"] + row["monthly"] for row in last_year]
    top = _nice_max(max([*totals, *before, Decimal(0)]))

    def y(amount) -> float:
        return TOP + PLOT_H - float(amount / top) * PLOT_H

    bars = []
    for index, row in enumerate(this_year):
        x = LEFT + index * SLOT + SLOT * 0.15
        one_off_y, monthly_y = y(row["one_off"]), y(row["one_off"] + row["monthly"])
        month = str(MONTHS_AP[index + 1]).capitalize()
        bars.append(
            Bar(
                month=month,
                x=_n(x),
                width=_n(SLOT * 0.7),
                one_off_y=_n(one_off_y),
                one_off_h=_n(TOP + PLOT_H - one_off_y),
                monthly_y=_n(monthly_y),
                monthly_h=_n(one_off_y - monthly_y),
                label_x=_n(LEFT + index * SLOT + SLOT / 2),
                title=f"{month} : {number_format(totals[index], 2, force_grouping=True)} €",
            )
        )
    line = " ".join(
        f"{_n(LEFT + index * SLOT + SLOT / 2)},{_n(y(amount))}"
        for index, amount in enumerate(before)
    )
    ticks = [
        {"y": _n(y(top * step / 4)), "label": number_format(top * step / 4, 0,
                                                             force_grouping=True)}
        for step in range(5)
    ]  # fmt: skip
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "tick_x": LEFT - 6,
        "right": WIDTH - RIGHT,
        "base": TOP + PLOT_H,
        "label_y": HEIGHT - BOTTOM + 18,
        "bars": bars,
        "line": line,
        "ticks": ticks,
    }
