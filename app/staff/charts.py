"""Horizontal bar charts drawn as inline SVG on the server: no script, no inline styles (the CSP forbids them).

The builder returns geometry and text; the template draws it. Every bar carries its value in text, and
the chart has a text alternative (title and description) next to a table with the same numbers, so
nothing depends on seeing the bars or telling colours apart.
"""

from dataclasses import dataclass

from flask_babel import gettext as _

WIDTH = 480  # drawn at 1:1 on wide screens (30rem), scaled down on phones
FONT_SIZE = 16
BAR_HEIGHT = 20
VALUE_ROOM = 72  # right of the longest bar, for its value
SHORT_LABEL = 18  # labels up to this many characters sit left of their bar, longer ones above it
LABEL_COLUMN = 160
MAX_LABEL = 46  # characters: Cyrillic runs wider than Latin at the same size
MAX_BARS = 12
BAR_COLOUR = "#1d4f91"  # 8.1:1 on white (bars need 3:1)
TEXT_COLOUR = "#0b0c0c"  # 19:1 on white


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    label_x: int
    label_y: int
    x: int
    y: int
    width: int
    value_x: int
    value_y: int


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    width: int
    height: int
    axis_x: int
    bars: tuple
    total: int  # items given; the chart draws len(bars) of them
    bar_height: int = BAR_HEIGHT
    font_size: int = FONT_SIZE
    bar_colour: str = BAR_COLOUR
    text_colour: str = TEXT_COLOUR


def bar_chart(chart_id, title, items, keep="largest", limit=MAX_BARS):
    """A chart of (label, value) pairs; beyond `limit`, keep the largest values or the last items."""
    items = [(str(label), int(value)) for label, value in items]
    shown = items[-limit:] if keep == "last" else sorted(items, key=lambda item: -item[1])[:limit]
    inline = all(len(label) <= SHORT_LABEL for label, _value in shown)
    axis_x = LABEL_COLUMN if inline else 0
    row_height = BAR_HEIGHT + (12 if inline else 34)
    scale = (WIDTH - axis_x - VALUE_ROOM) / max([value for _label, value in shown] + [1])
    bars = []
    for index, (label, value) in enumerate(shown):
        top = 8 + index * row_height
        bar_y = top if inline else top + 24
        width = round(value * scale)
        bars.append(Bar(
            label=_shorten(label), value=value,
            label_x=axis_x - 8 if inline else 8, label_y=bar_y + 15 if inline else top + 16,
            x=axis_x, y=bar_y, width=width, value_x=axis_x + width + 8, value_y=bar_y + 15,
        ))
    height = 16 + len(bars) * row_height
    return Chart(chart_id, title, describe(items, len(shown)), WIDTH, height, axis_x, tuple(bars), len(items))


def describe(items, shown):
    """The chart's text alternative (its title is separate): the extremes, and what the chart leaves out."""
    if not items:
        return _("No figures for this period.")
    highest = max(items, key=lambda item: item[1])
    lowest = min(items, key=lambda item: item[1])
    if highest[1] == lowest[1]:
        text = _("Every bar is %(value)d.", value=highest[1])
    else:
        text = _("Highest: %(high_label)s (%(high)d). Lowest: %(low_label)s (%(low)d).",
                 high_label=highest[0], high=highest[1], low_label=lowest[0], low=lowest[1])
    if shown < len(items):
        text += " " + _("The chart shows %(shown)d of %(total)d; the table lists them all.",
                        shown=shown, total=len(items))
    return text


def _shorten(label):
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"
