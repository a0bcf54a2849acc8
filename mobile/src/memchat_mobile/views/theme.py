"""Colours, shapes and the light and dark themes: Material 3 from one seed colour."""

from __future__ import annotations

import flet as ft

from memchat_mobile.settings import Theme

SEED = "#4F46E5"  # indigo
MAX_WIDTH = 640  # on a wide window the app keeps a phone-like column
RADIUS = 20

MODES = {Theme.SYSTEM: ft.ThemeMode.SYSTEM, Theme.LIGHT: ft.ThemeMode.LIGHT, Theme.DARK: ft.ThemeMode.DARK}


# Noto Color Emoji (SIL Open Font License, assets/fonts/OFL.txt), shipped with the app for the web build.
EMOJI_FONT = "Noto Color Emoji"
EMOJI_FONT_FILE = "fonts/NotoColorEmoji.woff2"
TEXT_STYLES = ("display_large", "display_medium", "display_small", "headline_large", "headline_medium",
               "headline_small", "title_large", "title_medium", "title_small", "label_large", "label_medium",
               "label_small", "body_large", "body_medium", "body_small")


# The Material 3 colours Flutter derives from SEED (tonal spot, the 2021 spec), written out: the app's text and
# surfaces are checked against each other (tests/mobile/test_theme.py: WCAG AA), so they must be known here.
LIGHT = {
    "primary": "#5A5892", "on_primary": "#FFFFFF", "primary_container": "#E2DFFF", "on_primary_container": "#424178",
    "tertiary_container": "#FFD8EA", "on_tertiary_container": "#603C50",
    "error": "#BA1A1A", "on_error": "#FFFFFF", "error_container": "#FFDAD6", "on_error_container": "#93000A",
    "surface": "#FCF8FF", "on_surface": "#1B1B21", "on_surface_variant": "#47464F",
    "outline": "#787680", "outline_variant": "#C8C5D0",
    "surface_container_low": "#F6F2FA", "surface_container": "#F0ECF4", "surface_container_high": "#EAE7EF",
    "surface_container_highest": "#E5E1E9", "inverse_surface": "#313036", "on_inverse_surface": "#F3EFF7",
}
DARK = {
    "primary": "#C3C0FF", "on_primary": "#2B2A60", "primary_container": "#424178", "on_primary_container": "#E2DFFF",
    "tertiary_container": "#603C50", "on_tertiary_container": "#FFD8EA",
    "error": "#FFB4AB", "on_error": "#690005", "error_container": "#93000A", "on_error_container": "#FFDAD6",
    "surface": "#131318", "on_surface": "#E5E1E9", "on_surface_variant": "#C8C5D0",
    "outline": "#928F9A", "outline_variant": "#47464F",
    "surface_container_low": "#1B1B21", "surface_container": "#201F25", "surface_container_high": "#2A292F",
    "surface_container_highest": "#35343A", "inverse_surface": "#E5E1E9", "on_inverse_surface": "#313036",
}
# Which text colour the app draws on which surface (role names of the palettes above).
TEXT_ON = (
    ("on_surface", "surface"), ("on_surface_variant", "surface"), ("primary", "surface"), ("error", "surface"),
    ("on_surface", "surface_container_highest"), ("on_surface_variant", "surface_container_highest"),
    ("on_surface", "surface_container_low"), ("on_surface_variant", "surface_container_low"),
    ("on_surface", "surface_container_high"), ("on_surface_variant", "surface_container_high"),
    ("on_primary", "primary"), ("on_primary_container", "primary_container"),
    ("on_tertiary_container", "tertiary_container"), ("on_error", "error"),
    ("on_error_container", "error_container"), ("on_inverse_surface", "inverse_surface"),
)
# Icons and outlines that carry meaning (WCAG 1.4.11 asks 3:1 for them).
MARKS_ON = (("outline", "surface"), ("primary", "surface"), ("on_surface_variant", "surface"))
# The scrollbar's thumb says where a long screen is and can be dragged: a control, drawn in the outline's colour
# (Flutter's own is a faint grey, 1.22 : 1 on the light surface).
SCROLLBAR_THUMB = "outline"


def text_theme(palette: dict[str, str], emoji: bool) -> ft.TextTheme | None:
    """Every text style falls back to the shipped emoji font, so the web engine never looks for one online.
    Roboto (the web build's own font) is named first: without it the emoji font's digits and spaces win.
    Flet puts these styles in place of Flutter's whole, colour included: without the scheme's on-surface
    colour they drew black, on the dark theme too (answers, dialogs, labels at 1.2 to 1.7 : 1)."""
    if not emoji:
        return None
    style = ft.TextStyle(font_family="Roboto", font_family_fallback=[EMOJI_FONT], color=palette["on_surface"])
    return ft.TextTheme(**dict.fromkeys(TEXT_STYLES, style))


def _theme(palette: dict[str, str], emoji: bool) -> ft.Theme:
    return ft.Theme(color_scheme_seed=SEED, color_scheme=ft.ColorScheme(**palette),
                    visual_density=ft.VisualDensity.COMFORTABLE, text_theme=text_theme(palette, emoji),
                    scrollbar_theme=ft.ScrollbarTheme(thumb_color=palette[SCROLLBAR_THUMB]))


def light(*, emoji: bool = False) -> ft.Theme:
    return _theme(LIGHT, emoji)


def dark(*, emoji: bool = False) -> ft.Theme:
    return _theme(DARK, emoji)


def is_dark(setting: Theme, platform: ft.Brightness | None) -> bool:
    """Whether the app is drawn dark: the user's choice, else the device's."""
    if setting is Theme.SYSTEM:
        return platform is ft.Brightness.DARK
    return setting is Theme.DARK


def user_bubble() -> dict:
    return {"bgcolor": ft.Colors.PRIMARY, "color": ft.Colors.ON_PRIMARY}


def answer_bubble() -> dict:
    return {"bgcolor": ft.Colors.SURFACE_CONTAINER_HIGHEST, "color": ft.Colors.ON_SURFACE}


def bubble_radius(mine: bool) -> ft.BorderRadius:
    """Rounded, with the corner nearest the sender's side tucked in."""
    return ft.BorderRadius(top_left=RADIUS, top_right=RADIUS, bottom_left=RADIUS if mine else 6,
                           bottom_right=6 if mine else RADIUS)
