"""The connection state, always visible: a dot and a word under the title, a banner with a retry when offline."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable

import flet as ft

from memchat_mobile.state import ChatState, Link

LOOK = {
    Link.CONNECTING: (ft.Colors.AMBER, "Connecting..."),
    Link.CONNECTED: (ft.Colors.GREEN, "Connected"),
    Link.RECONNECTING: (ft.Colors.AMBER, "Reconnecting..."),
    Link.OFFLINE: (ft.Colors.ERROR, "Offline"),
}


@ft.component
def TitleWithStatus(chat: ChatState, title: str) -> ft.Control:
    color, word = LOOK[chat.link]
    return ft.Column(
        spacing=0,
        tight=True,
        controls=[
            ft.Text(title, size=18, weight=ft.FontWeight.W_600, max_lines=1, overflow=ft.TextOverflow.ELLIPSIS),
            ft.Semantics(
                identifier="connection-status",
                label=word,
                content=ft.Row(
                    spacing=6,
                    tight=True,
                    controls=[
                        ft.Container(width=8, height=8, border_radius=4, bgcolor=color),
                        ft.Text(word, size=12, color=ft.Colors.ON_SURFACE_VARIANT),
                    ],
                ),
            ),
        ],
    )


def banner_text(chat: ChatState, now: float) -> str:
    """What the banner says: why, in plain words, and how long until the next attempt."""
    if chat.link is not Link.OFFLINE:
        return chat.link_detail or LOOK[chat.link][1]
    reason = chat.link_detail or "Offline."
    if chat.retry_at is None:
        return reason
    left = math.ceil(chat.retry_at - now)
    return f"{reason} Trying again in {left} s." if left > 0 else f"{reason} Trying again now..."


@ft.component
def Countdown(chat: ChatState) -> ft.Control:
    """The banner's words, re-rendered every second while a next attempt is scheduled."""
    now, set_now = ft.use_state(time.monotonic())

    def tick():
        async def loop() -> None:
            while chat.retry_at is not None and chat.retry_at > time.monotonic() - 1:
                await asyncio.sleep(1.0)
                set_now(time.monotonic())

        task = asyncio.ensure_future(loop())
        return task.cancel

    ft.use_effect(tick, [chat.retry_at])
    offline = chat.link is Link.OFFLINE
    return ft.Text(banner_text(chat, max(now, time.monotonic())), size=13, expand=True,
                   color=ft.Colors.ON_ERROR_CONTAINER if offline else ft.Colors.ON_SECONDARY_CONTAINER)


@ft.component
def OfflineBanner(chat: ChatState, on_retry: Callable[[], None]) -> ft.Control:
    if chat.link is Link.CONNECTED:
        return ft.Container(height=0)
    offline = chat.link is Link.OFFLINE
    return ft.Semantics(
        identifier="offline-banner",
        content=ft.Container(
            bgcolor=ft.Colors.ERROR_CONTAINER if offline else ft.Colors.SECONDARY_CONTAINER,
            padding=ft.Padding.symmetric(horizontal=16, vertical=8),
            content=ft.Row(
                spacing=12,
                controls=[
                    ft.Icon(ft.Icons.CLOUD_OFF if offline else ft.Icons.SYNC, size=18,
                            color=ft.Colors.ON_ERROR_CONTAINER if offline else ft.Colors.ON_SECONDARY_CONTAINER),
                    Countdown(chat),
                    *([ft.Semantics(identifier="retry-now", label="Retry connecting now", button=True,
                                    content=ft.TextButton("Retry now", on_click=lambda: on_retry()))]
                      if offline else []),
                ],
            ),
        ),
    )
