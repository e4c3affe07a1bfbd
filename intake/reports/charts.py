"""Bar charts drawn on the server as SVG: they show without JavaScript and they print.

Each chart is an image with a title and a description (`role="img"`, `<title>`,
`<desc>`), every bar carries its number as text, and the same figures are always in a
table beside it, so nothing depends on seeing the picture or telling colours apart.
Colours and weights are presentation attributes, not inline styles, so a strict
Content-Security-Policy leaves them alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from itertools import count

# GOV.UK's blue and its darker shade for the previous period: 4.5:1 or more on white.
THIS_PERIOD = "#1d70b8"
PREVIOUS_PERIOD = "#505a5f"
# Bands of one period (quicker to slower): GOV.UK's green, blue and red, each 4.5:1 or
# more on white, none the grey that means "the previous period" in the other charts.
BANDS = ("#00703c", THIS_PERIOD, "#d4351c")
TEXT = "#0b0c0c"
_ids = count(1)

Figure = int | str | None
Bar = tuple[str, "int | str", "int | str | None"]


def _value(figure: Figure) -> int:
    return figure if isinstance(figure, int) and not isinstance(figure, bool) else 0


def _shown(figure: Figure) -> str:
    return "–" if figure is None else str(figure)


def bar_chart(
    title: str,
    bars: Sequence[Bar],
    *,
    this_label: str = "This period",
    previous_label: str = "Previous period",
) -> str:
    """Horizontal bars, one pair per (label, this period, previous period)."""
    return grouped_bar_chart(
        title,
        [(label, (this, previous)) for label, this, previous in bars],
        series=(this_label, previous_label),
    )


def grouped_bar_chart(
    title: str,
    groups: Sequence[tuple[str, Sequence[Figure]]],
    *,
    series: Sequence[str],
    colours: Sequence[str] = (THIS_PERIOD, PREVIOUS_PERIOD),
) -> str:
    """Horizontal bars: for each (label, figures) a bar per series, in the legend's order,
    each with its figure written beside it (a hidden "<5" is a bar of no length)."""
    number = next(_ids)
    colours = colours[: len(series)]
    label_width, bar_width, row, gap = 260, 360, 22, 10
    legend_rows = 1 + (len(series) - 1) // 2
    top = 14 + 22 * legend_rows
    height = top + 8 + len(groups) * (len(series) * row + gap)
    width = label_width + bar_width + 70
    largest = max([_value(v) for _label, values in groups for v in values] + [1])
    if len(series) == 2:
        description = "; ".join(
            f"{label}: {_shown(values[0])} ({series[1].lower()}: {_shown(values[1])})"
            for label, values in groups
        )
    else:
        description = "; ".join(
            f"{label}: "
            + ", ".join(
                f"{name.lower()} {_shown(v)}" for name, v in zip(series, values, strict=True)
            )
            for label, values in groups
        )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="chart-{number}-title chart-{number}-desc">',
        f'<title id="chart-{number}-title">{escape(title)}</title>',
        f'<desc id="chart-{number}-desc">{escape(description)}</desc>',
    ]
    for i, (name, colour) in enumerate(zip(series, colours, strict=True)):
        x, y = label_width + 200 * (i % 2), 6 + 22 * (i // 2)
        parts.append(f'<rect x="{x}" y="{y}" width="14" height="14" fill="{colour}"/>')
        parts.append(
            f'<text x="{x + 20}" y="{y + 12}" font-size="14" fill="{TEXT}">{escape(name)}</text>'
        )
    y = top
    for label, values in groups:
        middle = y + len(series) * row // 2 + 4
        parts.append(
            f'<text x="{label_width - 8}" y="{middle}" font-size="14" '
            f'text-anchor="end" fill="{TEXT}">{escape(_shorten(label))}</text>'
        )
        for figure, colour in zip(values, colours, strict=True):
            length = round(bar_width * _value(figure) / largest)
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{length}" height="{row - 4}" '
                f'fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{label_width + length + 6}" y="{y + row - 8}" font-size="13" '
                f'fill="{TEXT}">{escape(_shown(figure))}</text>'
            )
            y += row
        y += gap
    parts.append("</svg>")
    return "".join(parts)


def _shorten(label: str, most: int = 34) -> str:
    return label if len(label) <= most else label[: most - 1] + "…"
