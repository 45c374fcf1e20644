"""The learner's profile as an inline SVG bar chart: one bar per competence on the scale, and the target.

Geometry only; the template draws it. Labels sit above their bars so long competence names fit on a
phone; every bar carries its level in text, and the chart has a title and a description, next to a
table with the same figures, so nothing depends on seeing the bars or telling colours apart.
"""

from dataclasses import dataclass

from flask_babel import format_decimal
from flask_babel import gettext as _

WIDTH = 360  # about 1:1 on a 360 px phone, so the 15 px text stays readable there
LEFT = 8
VALUE_ROOM = 140  # right of the longest bar, for "2.5 – below target"
BAR_HEIGHT = 18
ROW_HEIGHT = 58
MAX_LABEL = 38  # characters: Cyrillic runs wider than Latin at the same size
FONT_SIZE = 15
BAR_COLOUR = "#1d4f91"  # 8.1:1 on white
TEXT_COLOUR = "#0b0c0c"


@dataclass(frozen=True)
class ProfileBar:
    label: str
    value_text: str
    label_y: int
    y: int
    width: int
    value_x: int


@dataclass(frozen=True)
class ProfileChart:
    id: str
    title: str
    description: str
    width: int
    height: int
    target_x: int | None  # the target's mark on each bar; None: no target
    bars: tuple
    left: int = LEFT
    font_size: int = FONT_SIZE
    bar_height: int = BAR_HEIGHT
    bar_colour: str = BAR_COLOUR
    text_colour: str = TEXT_COLOUR


def profile_chart(areas, scale_size, target):
    """A chart of every competence's level (1 .. scale_size) with a line at the target level."""
    rows = [comp for area in areas for comp in area["competences"]]
    unit = (WIDTH - LEFT - VALUE_ROOM) / scale_size
    target_x = LEFT + round(target * unit)
    bars = []
    for index, comp in enumerate(rows):
        top = 8 + index * ROW_HEIGHT
        width = round(comp.level * unit)
        value = number(comp.level)  # the scale's size is in the title and the table
        if comp.below:
            value = _("%(value)s – below target", value=value)
        bars.append(ProfileBar(label=_shorten(f"{comp.id} {comp.name}"), value_text=value, label_y=top + 16,
                               y=top + 24, width=width, value_x=max(LEFT + width, target_x) + 8))
    below = [comp for comp in rows if comp.below]
    description = (_("%(below)d of %(total)d competences are below the target level %(target)d.",
                     below=len(below), total=len(rows), target=target) if below
                   else _("Every competence is at or above the target level %(target)d.", target=target))
    title = _("Your level in each competence, from 1 to %(size)d; the dashed mark is the target", size=scale_size)
    return ProfileChart("profile-chart", title, description, WIDTH,
                        16 + len(rows) * ROW_HEIGHT, target_x, tuple(bars))


def number(value):
    """A level as people read it in their language: one decimal at most (2.5, or 2,5 in Bulgarian)."""
    return format_decimal(value, format="0.#")


def _shorten(label):
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def share_chart(chart_id, title, rows):
    """A chart of (label, share in percent) pairs on a 0-100 scale, e.g. people below target per competence."""
    unit = (WIDTH - LEFT - VALUE_ROOM) / 100
    bars = tuple(ProfileBar(label=_shorten(label), value_text=f"{share} %", label_y=8 + i * ROW_HEIGHT + 16,
                            y=8 + i * ROW_HEIGHT + 24, width=round(share * unit),
                            value_x=LEFT + round(share * unit) + 8)
                 for i, (label, share) in enumerate(rows))
    if rows:
        highest = max(rows, key=lambda row: row[1])
        description = _("The largest need: %(label)s, %(share)d %% below target.",
                        label=highest[0], share=highest[1])
    else:
        description = _("No figures to show.")
    return ProfileChart(chart_id, title, description, WIDTH, 16 + len(rows) * ROW_HEIGHT, None, bars)
