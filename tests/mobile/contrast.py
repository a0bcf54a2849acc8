"""Text contrast (WCAG 2): the ratio of two colours, and the ratio text reaches inside a box of a screenshot.

Flutter draws on a canvas, so the browser test reads pixels: inside each text element's box (from the
semantics tree), every colour that fills a good part of the box is a surface, and what lies between two of its
pixels on a row, closer together than a glyph is wide, is drawn on it. The colours that make up a good share of
that are inks (anti-aliased edges are blends, each too rare to count); the box's contrast is its worst ink
against its surface.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from PIL import Image

Colour = tuple[int, int, int]

BODY = 4.5  # WCAG AA for body text
LARGE = 3.0  # for large text, and for controls and the icons that carry meaning (1.4.11)
SURFACE_SHARE = 0.2  # of a box, for a colour to count as a surface there
INK_SHARE = 0.2  # of what is drawn on a surface, for a colour to count as ink
REACH = 24  # device pixels: wider than a glyph's stroke, narrower than a button or an avatar
MIN_DRAWN = 40  # device pixels drawn on a surface before anything is judged there


def hex_colour(value: str) -> Colour:
    value = value.removeprefix("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def luminance(colour: Colour) -> float:
    def channel(value: int) -> float:
        x = value / 255
        return x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4

    r, g, b = colour
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def ratio(a: Colour, b: Colour) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@dataclass(frozen=True)
class Measure:
    ratio: float | None  # None: nothing drawn on a surface in the box (an empty field, a picture)
    ink: Colour | None = None
    surface: Colour | None = None


def _drawn_on(pixels, width: int, height: int, surface: Colour) -> Counter:
    """Colours of the pixels lying between two pixels of `surface` on the same row, within REACH."""
    found: Counter = Counter()
    for y in range(height):
        last = None
        run: list[Colour] = []
        for x in range(width):
            colour = pixels[x, y]
            if colour == surface:
                if run and last is not None and x - last <= REACH + 1:
                    found.update(run)
                run, last = [], x
            elif last is not None and x - last <= REACH:
                run.append(colour)
            else:
                run = []
    return found


def measure(image: Image.Image, box: tuple[int, int, int, int]) -> Measure:
    """The worst contrast of text in `box` (left, top, right, bottom, in the image's pixels)."""
    crop = image.crop(box).convert("RGB")
    width, height = crop.size
    if width < 2 or height < 2:
        return Measure(None)
    pixels = crop.load()
    counts = Counter(crop.get_flattened_data() if hasattr(crop, "get_flattened_data") else crop.getdata())
    worst = Measure(None)
    for surface, count in counts.most_common(4):
        if count < SURFACE_SHARE * width * height:
            break
        drawn = _drawn_on(pixels, width, height, surface)
        total = sum(drawn.values())
        if total < MIN_DRAWN:
            continue
        for ink, n in drawn.most_common(5):
            if n < INK_SHARE * total:
                break
            found = Measure(ratio(ink, surface), ink, surface)
            if worst.ratio is None or found.ratio < worst.ratio:
                worst = found
    return worst


@dataclass(frozen=True)
class Finding:
    """An element whose text reads under AA, on one screen in one theme."""

    screen: str
    scheme: str
    name: str
    measure: Measure
    minimum: float

    def __str__(self) -> str:
        m = self.measure
        return (f"{self.screen} ({self.scheme}): {self.name!r} {m.ink} on {m.surface} = {m.ratio:.2f} : 1, "
                f"under {self.minimum}")


def judge(check: dict, scale: float = 2.0) -> tuple[list[Finding], list[tuple[str, float]]]:
    """The elements under AA on one picture (`check`: screen, scheme, file, boxes as the browser read them),
    and every element's ratio. A box is measured without the boxes inside it that are judged on their own."""
    image = Image.open(check["file"]).convert("RGB")
    findings, ratios = [], []
    for element in check["boxes"]:
        left, top, right, bottom = (round(v * scale) for v in element["box"])
        crop = image.crop((left, top, right, bottom))
        if element["holes"]:
            fill = Counter(crop.get_flattened_data() if hasattr(crop, "get_flattened_data") else crop.getdata())
            surface = fill.most_common(1)[0][0]
            for hole in element["holes"]:
                crop.paste(surface, tuple(round(v * scale) - o for v, o in zip(hole, (left, top, left, top),
                                                                              strict=True)))
        found = measure(crop, (0, 0, crop.width, crop.height))
        if found.ratio is None:
            continue
        minimum = LARGE if element["control"] else BODY
        ratios.append((element["name"], found.ratio))
        if found.ratio < minimum:
            findings.append(Finding(check["screen"], check["scheme"], element["id"] or element["name"], found,
                                    minimum))
    return findings, ratios
