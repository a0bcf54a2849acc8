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


def text_theme(emoji: bool) -> ft.TextTheme | None:
    """Every text style falls back to the shipped emoji font, so the web engine never looks for one online.
    Roboto (the web build's own font) is named first: without it the emoji font's digits and spaces win."""
    if not emoji:
        return None
    style = ft.TextStyle(font_family="Roboto", font_family_fallback=[EMOJI_FONT])
    return ft.TextTheme(**dict.fromkeys(TEXT_STYLES, style))


def light(*, emoji: bool = False) -> ft.Theme:
    return ft.Theme(color_scheme_seed=SEED, visual_density=ft.VisualDensity.COMFORTABLE, text_theme=text_theme(emoji))


def dark(*, emoji: bool = False) -> ft.Theme:
    return ft.Theme(color_scheme_seed=SEED, visual_density=ft.VisualDensity.COMFORTABLE, text_theme=text_theme(emoji))


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
