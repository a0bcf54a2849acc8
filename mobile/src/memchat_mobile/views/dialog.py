"""The one dialog shape the app uses: a question, Cancel, and the action that answers it."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft


def use_confirm_dialog(*, shown: bool, name: str, title: str, content: Callable[[], ft.Control], action: str,
                       on_confirm: Callable[..., None], on_cancel: Callable[[], None],
                       destructive: bool = False) -> None:
    """Show (while `shown`) a dialog asking `title`, with Cancel and `action`; a hook, called on every render of
    the component that owns it. Its buttons are `cancel-{name}` and `confirm-{name}`; a destructive action is
    drawn in the error colour. Dismissing the dialog cancels it. `content` makes the dialog's body, only while
    it is shown (a bubble's edit dialog is a hook of every bubble, rendered at each streamed delta)."""
    style = ft.ButtonStyle(bgcolor=ft.Colors.ERROR, color=ft.Colors.ON_ERROR) if destructive else None
    ft.use_dialog(
        ft.AlertDialog(
            title=ft.Text(title),
            content=content(),
            actions=[
                ft.Semantics(identifier=f"cancel-{name}", content=ft.TextButton("Cancel", on_click=on_cancel)),
                # The label's colour is set on it: the app's text theme gives every text the surface's ink,
                # which on the error colour of the dark theme read 1.22 : 1.
                ft.Semantics(identifier=f"confirm-{name}", content=ft.FilledButton(
                    content=ft.Text(action, color=ft.Colors.ON_ERROR if destructive else ft.Colors.ON_PRIMARY),
                    on_click=on_confirm, style=style)),
            ],
            on_dismiss=on_cancel,
            scrollable=True,  # a long one scrolls as a whole; its own content never does (it took the screen)
        )
        if shown
        else None
    )
