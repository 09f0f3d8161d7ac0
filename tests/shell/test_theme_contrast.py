"""Issue 23: the theme's text colours reach a contrast of at least 4.5:1 (WCAG 1.4.3) on every
background they are drawn on, including the faded text Streamlit derives for captions and the
primary colour on its own tint (a chosen view of a segmented control)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"
THEME = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["theme"]
AA_TEXT = 4.5
# Streamlit draws captions and help text in the text colour at 60 % opacity, and a chosen
# pill of a segmented control in the primary colour on the primary colour at 20 %.
CAPTION_OPACITY = 0.6
PILL_TINT = 0.2


def _rgb(colour: str) -> tuple[float, float, float]:
    value = colour.lstrip("#")
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _blend(front: str, back: str, opacity: float) -> tuple[float, float, float]:
    f, b = _rgb(front), _rgb(back)
    return tuple(opacity * x + (1 - opacity) * y for x, y in zip(f, b, strict=True))  # type: ignore[return-value]


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_is_computed_as_wcag_defines_it() -> None:
    assert contrast(_rgb("#000000"), _rgb("#ffffff")) == pytest.approx(21.0)
    assert contrast(_rgb("#777777"), _rgb("#ffffff")) == pytest.approx(4.48, abs=0.01)


BACKGROUNDS = ("backgroundColor", "secondaryBackgroundColor")


@pytest.mark.parametrize("background", BACKGROUNDS)
def test_text_caption_and_link_colours_reach_4_5_to_1(background: str) -> None:
    back = THEME[background]
    pairs = {
        "text": _rgb(THEME["textColor"]),
        "caption (text at 60 %)": _blend(THEME["textColor"], back, CAPTION_OPACITY),
        "primary (links, chosen tab)": _rgb(THEME["primaryColor"]),
    }
    for name, colour in pairs.items():
        ratio = contrast(colour, _rgb(back))
        assert ratio >= AA_TEXT, f"{name} on {background} {back}: {ratio:.2f}:1 < 4.5:1"


def test_primary_button_text_and_chosen_view_reach_4_5_to_1() -> None:
    primary = THEME["primaryColor"]
    white_on_primary = contrast(_rgb("#ffffff"), _rgb(primary))
    assert white_on_primary >= AA_TEXT, f"white on {primary}: {white_on_primary:.2f}:1"
    chosen = contrast(_rgb(primary), _blend(primary, THEME["backgroundColor"], PILL_TINT))
    assert chosen >= AA_TEXT, f"{primary} on its own 20 % tint: {chosen:.2f}:1"
