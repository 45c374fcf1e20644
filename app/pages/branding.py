"""The hub's colours as CSS custom properties, checked so config can neither inject CSS
nor make white text on the brand colour unreadable (WCAG 2.1 AA needs 4.5:1)."""

import re

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_FALLBACK = {"BRAND_COLOR": "#1d4f91", "BRAND_ACCENT": "#0b6e4f"}
MIN_CONTRAST_WITH_WHITE = 4.5


def _luminance(hex_colour):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_with_white(hex_colour):
    """The WCAG contrast ratio of white text on this colour."""
    return 1.05 / (_luminance(hex_colour) + 0.05)


def usable_colour(value, fallback):
    """`value` if it is a #rrggbb colour dark enough for white text, else `fallback`."""
    value = str(value or "")
    if _HEX.match(value) and contrast_with_white(value) >= MIN_CONTRAST_WITH_WHITE:
        return value
    return fallback


def brand_css(config):
    """Return the stylesheet that sets the brand colours from the config."""
    brand = usable_colour(config.get("BRAND_COLOR"), _FALLBACK["BRAND_COLOR"])
    accent = usable_colour(config.get("BRAND_ACCENT"), _FALLBACK["BRAND_ACCENT"])
    return f":root{{--brand:{brand};--accent:{accent};}}\n"
