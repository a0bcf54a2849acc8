"""The themes' colours meet WCAG AA with each other, and the pixel measure the browser test relies on."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from memchat_mobile.views import theme
from tests.mobile.contrast import BODY, LARGE, hex_colour, measure, ratio

PALETTES = {"light": theme.LIGHT, "dark": theme.DARK}


def test_the_ratio_is_wcags() -> None:
    assert ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert ratio((0, 0, 0), (53, 52, 58)) == pytest.approx(1.70, abs=0.01)  # the dark answers before the fix


@pytest.mark.parametrize("name", PALETTES)
@pytest.mark.parametrize(("text", "surface"), theme.TEXT_ON)
def test_text_meets_aa_on_every_surface_it_is_drawn_on(name: str, text: str, surface: str) -> None:
    palette = PALETTES[name]
    assert ratio(hex_colour(palette[text]), hex_colour(palette[surface])) >= BODY


@pytest.mark.parametrize("name", PALETTES)
@pytest.mark.parametrize(("mark", "surface"), theme.MARKS_ON)
def test_icons_and_outlines_meet_three_to_one(name: str, mark: str, surface: str) -> None:
    palette = PALETTES[name]
    assert ratio(hex_colour(palette[mark]), hex_colour(palette[surface])) >= LARGE


@pytest.mark.parametrize(("make", "palette"), [(theme.light, theme.LIGHT), (theme.dark, theme.DARK)])
def test_every_text_style_carries_its_themes_text_colour(make, palette) -> None:
    # Flet replaces Flutter's text styles whole: a style without a colour is drawn black, on dark too.
    built = make(emoji=True)
    styles = [getattr(built.text_theme, name) for name in theme.TEXT_STYLES]
    assert {style.color for style in styles} == {palette["on_surface"]}
    assert built.color_scheme.surface == palette["surface"]


@pytest.mark.parametrize(("make", "palette"), [(theme.light, theme.LIGHT), (theme.dark, theme.DARK)])
def test_the_scrollbar_thumb_is_drawn_in_a_colour_that_meets_three_to_one(make, palette) -> None:
    # Flutter's own thumb is a faint grey (229, 226, 232 on the light surface: 1.22 : 1); it shows where a long
    # screen is and can be dragged, so it is a control that WCAG 1.4.11 asks 3 : 1 of.
    thumb = make().scrollbar_theme.thumb_color
    assert thumb == palette[theme.SCROLLBAR_THUMB]
    assert ratio(hex_colour(thumb), hex_colour(palette["surface"])) >= LARGE
    assert ratio(hex_colour(thumb), hex_colour(palette["surface_container_low"])) >= LARGE


def test_the_dark_theme_is_dark_and_the_light_light() -> None:
    assert ratio(hex_colour(theme.DARK["surface"]), (0, 0, 0)) < 1.5
    assert ratio(hex_colour(theme.LIGHT["surface"]), (255, 255, 255)) < 1.1


def _text(ink, surface, size=(200, 60)) -> Image.Image:
    image = Image.new("RGB", size, surface)
    draw = ImageDraw.Draw(image)
    for x in range(10, 180, 14):  # strokes a few pixels wide, as glyphs at twice the CSS size
        draw.rectangle((x, 15, x + 3, 45), fill=ink)
    return image


def test_the_measure_finds_text_on_its_surface() -> None:
    found = measure(_text((0, 0, 0), (53, 52, 58)), (0, 0, 200, 60))

    assert found.ink == (0, 0, 0) and found.surface == (53, 52, 58)
    assert found.ratio == pytest.approx(1.70, abs=0.01)


def test_the_measure_takes_the_worst_text_of_a_box() -> None:
    image = _text((230, 225, 233), (53, 52, 58), size=(200, 120))
    image.paste(_text((80, 80, 80), (53, 52, 58)), (0, 60))

    assert measure(image, (0, 0, 200, 120)).ink == (80, 80, 80)


def test_a_wide_shape_is_no_text() -> None:
    # A bubble, a button or an avatar inside the box is a surface of its own, not ink on the page.
    image = Image.new("RGB", (300, 100), (19, 19, 24))
    ImageDraw.Draw(image).rectangle((40, 10, 260, 90), fill=(22, 21, 27))

    assert measure(image, (0, 0, 300, 100)).ratio is None
