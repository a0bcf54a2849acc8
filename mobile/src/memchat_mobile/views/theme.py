"""Colours, shapes and the light and dark themes: Material 3 from one seed colour."""

from __future__ import annotations

import flet as ft

from memchat_mobile.settings import Theme

SEED = "#4F46E5"  # indigo
MAX_WIDTH = 640  # on a wide window the app keeps a phone-like column
RADIUS = 20

MODES = {Theme.SYSTEM: ft.ThemeMode.SYSTEM, Theme.LIGHT: ft.ThemeMode.LIGHT, Theme.DARK: ft.ThemeMode.DARK}


def light() -> ft.Theme:
    return ft.Theme(color_scheme_seed=SEED, visual_density=ft.VisualDensity.COMFORTABLE)


def dark() -> ft.Theme:
    return ft.Theme(color_scheme_seed=SEED, visual_density=ft.VisualDensity.COMFORTABLE)


def user_bubble() -> dict:
    return {"bgcolor": ft.Colors.PRIMARY, "color": ft.Colors.ON_PRIMARY}


def answer_bubble() -> dict:
    return {"bgcolor": ft.Colors.SURFACE_CONTAINER_HIGHEST, "color": ft.Colors.ON_SURFACE}


def bubble_radius(mine: bool) -> ft.BorderRadius:
    """Rounded, with the corner nearest the sender's side tucked in."""
    return ft.BorderRadius(top_left=RADIUS, top_right=RADIUS, bottom_left=RADIUS if mine else 6,
                           bottom_right=6 if mine else RADIUS)
