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
TEXT = "#0b0c0c"
_ids = count(1)

Bar = tuple[str, "int | str", "int | str | None"]


def _value(figure: int | str | None) -> int:
    return figure if isinstance(figure, int) and not isinstance(figure, bool) else 0


def _shown(figure: int | str | None) -> str:
    return "–" if figure is None else str(figure)


def bar_chart(
    title: str,
    bars: Sequence[Bar],
    *,
    this_label: str = "This period",
    previous_label: str = "Previous period",
) -> str:
    """Horizontal bars, one pair per (label, this period, previous period)."""
    number = next(_ids)
    label_width, bar_width, row, gap = 260, 360, 22, 10
    height = 40 + len(bars) * (2 * row + gap)
    width = label_width + bar_width + 70
    largest = max([_value(v) for _label, *values in bars for v in values] + [1])
    description = "; ".join(
        f"{label}: {_shown(this)} ({previous_label.lower()}: {_shown(previous)})"
        for label, this, previous in bars
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="chart-{number}-title chart-{number}-desc">',
        f'<title id="chart-{number}-title">{escape(title)}</title>',
        f'<desc id="chart-{number}-desc">{escape(description)}</desc>',
        f'<rect x="{label_width}" y="6" width="14" height="14" fill="{THIS_PERIOD}"/>',
        f'<text x="{label_width + 20}" y="18" font-size="14" fill="{TEXT}">'
        f"{escape(this_label)}</text>",
        f'<rect x="{label_width + 170}" y="6" width="14" height="14" fill="{PREVIOUS_PERIOD}"/>',
        f'<text x="{label_width + 190}" y="18" font-size="14" fill="{TEXT}">'
        f"{escape(previous_label)}</text>",
    ]
    y = 32
    for label, this, previous in bars:
        parts.append(
            f'<text x="{label_width - 8}" y="{y + row + 4}" font-size="14" '
            f'text-anchor="end" fill="{TEXT}">{escape(_shorten(label))}</text>'
        )
        for figure, colour in ((this, THIS_PERIOD), (previous, PREVIOUS_PERIOD)):
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
