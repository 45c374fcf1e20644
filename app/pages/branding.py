"""The hub's colours as CSS custom properties, checked so config cannot inject CSS."""

import re

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_FALLBACK = {"BRAND_COLOR": "#1d4f91", "BRAND_ACCENT": "#0b6e4f"}


def brand_css(config):
    """Return the stylesheet that sets the brand colours from the config."""
    colours = {}
    for key, fallback in _FALLBACK.items():
        value = str(config.get(key) or "")
        colours[key] = value if _HEX.match(value) else fallback
    return (
        ":root{"
        f"--brand:{colours['BRAND_COLOR']};"
        f"--accent:{colours['BRAND_ACCENT']};"
        "}\n"
    )
