"""The remaining-queue chart as hand-written SVG, and the same figures for a table beside it.

Drawn on the server so that the page needs no script and no chart library. The SVG is an
image with a title and a description; its lines differ in dash pattern as well as colour
(every colour has at least 3:1 contrast on white), so colour is never the only cue. The
page puts `QueueChart.rows()` in an HTML table next to it: the same numbers, readable by
a screen reader and by anyone who prefers figures.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

from portal.capacity.forecast import Projection

WIDTH, HEIGHT = 600, 340
LEFT, RIGHT, BOTTOM = 72, 24, 72
LEGEND_LINE = 24  # the legend has a line of its own per series, above the plot
# (stroke, dash pattern): dark blue solid, dark orange long dashes, dark green dots.
# Contrast on white: 11.7:1, 5.6:1 and 6.5:1.
STYLES = (("#1f3a57", ""), ("#a34a00", "10 6"), ("#1d6b38", "2 5"))
AXIS, GRID = "#5c6670", "#c5ccd3"
MAX_X_LABELS = 5


@dataclass(frozen=True)
class Series:
    """One line of the chart: its label and the remaining queue at each date of the chart."""

    label: str
    values: list[int]


@dataclass(frozen=True)
class QueueChart:
    """The dates (Mondays, from the forecast's start) and each series' values on them."""

    dates: list[date]
    series: list[Series]

    def rows(self) -> list[tuple[date, list[int]]]:
        """The chart's figures as table rows: a date and each series' value on it."""
        return [(day, [s.values[i] for s in self.series]) for i, day in enumerate(self.dates)]


def queue_chart(projections: Sequence[Projection], labels: Sequence[str],
                start: date) -> QueueChart:
    """Line up projections as the queue still waiting at the start of each week.

    The first date is start (the whole queue waits); each next Monday shows what is left
    after the week before it. A series that clears earlier stays at its last value.
    """
    lines = [[p.waiting] + [point.remaining for point in p.points] for p in projections]
    length = max((len(line) for line in lines), default=1)
    padded = [line + [line[-1]] * (length - len(line)) for line in lines]
    dates = [start + timedelta(weeks=i) for i in range(length)]
    return QueueChart(dates, [Series(str(label), values)
                              for label, values in zip(labels, padded, strict=True)])


def _nice_step(top: int, ticks: int = 5) -> int:
    """A round step (1, 2 or 5 times a power of ten) giving at most `ticks` gridlines."""
    raw = max(1.0, top / ticks)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return int(factor * power)
    return int(10 * power)


def plot_top(series_count: int) -> int:
    """Where the plot area begins, below one legend line per series."""
    return 16 + series_count * LEGEND_LINE + 8


def _text(x: float, y: float, content: str, css: str, anchor: str = "middle") -> str:
    # The size is repeated as an attribute so the chart reads well without the stylesheet.
    size = 14 if css.endswith("tick") else 16
    return (f'<text x="{x:.1f}" y="{y:.1f}" class="{css}" text-anchor="{anchor}" '
            f'font-size="{size}" fill="#1a1a1a">{escape(content)}</text>')


def render_svg(chart: QueueChart, *, title: str, description: str, x_label: str,
               y_label: str, format_date: Callable[[date], str] = date.isoformat,
               element_id: str = "queue-chart") -> Markup:
    """The chart as an inline <svg> element with title, description, axes and a legend."""
    top_margin = plot_top(len(chart.series))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - top_margin - BOTTOM
    highest = max((v for s in chart.series for v in s.values), default=0)
    step = _nice_step(max(highest, 1))
    top = max(step, math.ceil(highest / step) * step)
    count = max(len(chart.dates) - 1, 1)

    def x(i: int) -> float:
        return LEFT + plot_w * i / count

    def y(value: float) -> float:
        return top_margin + plot_h * (1 - value / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="opnameloket-chart__svg" role="img" id={quoteattr(element_id)} '
        f'aria-labelledby="{element_id}-title {element_id}-desc">',
        f'<title id="{element_id}-title">{escape(title)}</title>',
        f'<desc id="{element_id}-desc">{escape(description)}</desc>',
    ]
    for value in range(0, top + 1, step):
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(value):.1f}" '
                     f'y2="{y(value):.1f}" stroke="{GRID if value else AXIS}" stroke-width="1"/>')
        parts.append(_text(LEFT - 8, y(value) + 4, str(value), "opnameloket-chart__tick", "end"))
    parts.append(f'<line x1="{LEFT}" x2="{LEFT}" y1="{top_margin}" y2="{top_margin + plot_h}" '
                 f'stroke="{AXIS}" stroke-width="1"/>')
    label_every = max(1, math.ceil(count / (MAX_X_LABELS - 1)))
    for i, day in enumerate(chart.dates):
        if i % label_every and i != len(chart.dates) - 1:
            continue
        if i != len(chart.dates) - 1 and len(chart.dates) - 1 - i < label_every / 2:
            continue  # too close to the last date's label, which always shows
        parts.append(f'<line x1="{x(i):.1f}" x2="{x(i):.1f}" y1="{top_margin + plot_h}" '
                     f'y2="{top_margin + plot_h + 6}" stroke="{AXIS}" stroke-width="1"/>')
        # The first and last labels stay inside the picture: aligned to their tick's side.
        anchor = "start" if i == 0 else "end" if i == len(chart.dates) - 1 else "middle"
        parts.append(_text(x(i), top_margin + plot_h + 24, format_date(day),
                           "opnameloket-chart__tick", anchor))
    parts.append(_text(LEFT + plot_w / 2, HEIGHT - 12, x_label, "opnameloket-chart__axis-label"))
    parts.append(f'<text transform="translate(18 {top_margin + plot_h / 2:.1f}) rotate(-90)" '
                 f'class="opnameloket-chart__axis-label" text-anchor="middle" font-size="16" '
                 f'fill="#1a1a1a">{escape(y_label)}</text>')
    for number, series in enumerate(chart.series):
        stroke, dash = STYLES[number % len(STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        # A step line: the queue holds through a week and drops when the week is done.
        path = [f"M{x(0):.1f},{y(series.values[0]):.1f}"]
        for i, value in enumerate(series.values[1:], start=1):
            path.append(f"H{x(i):.1f}V{y(value):.1f}")
        if len(series.values) == 1:
            path.append(f"H{x(1):.1f}")
        parts.append(f'<path d="{"".join(path)}" fill="none" stroke="{stroke}" stroke-width="3"'
                     f'{dash_attr} class="opnameloket-chart__series '
                     f'opnameloket-chart__series--{number}"/>')
        legend_y = 16 + number * LEGEND_LINE
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + 40}" y1="{legend_y}" '
                     f'y2="{legend_y}" stroke="{stroke}" stroke-width="3"{dash_attr}/>')
        parts.append(_text(LEFT + 48, legend_y + 5, series.label,
                           "opnameloket-chart__legend", "start"))
    parts.append("</svg>")
    return Markup("\n".join(parts))
