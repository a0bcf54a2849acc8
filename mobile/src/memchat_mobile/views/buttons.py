"""Buttons named once for screen readers: the Semantics node around a button says its name."""

from __future__ import annotations

import flet as ft


def hint(text: str) -> ft.Tooltip:
    """A tooltip shown on hover or a long press and never spoken: Flutter adds a tooltip to the button's name,
    which the Semantics node around the button already says ("Send message\\nSend message")."""
    return ft.Tooltip(text, exclude_from_semantics=True)


def small_button(identifier: str, text: str, icon: ft.IconData, spoken: str, on_click) -> ft.Control:
    """A text button under a bubble; `spoken` is its name when the visible text says too little ("Copy")."""
    return ft.Semantics(identifier=identifier, label=None if spoken == text else spoken, button=True,
                        content=ft.TextButton(text, icon=icon, on_click=on_click,
                                              style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=8))))
