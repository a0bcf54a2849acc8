"""The connection as the screens show it (the banner, the composer's hint); `state.ChatState.link`."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Link"]


class Link(StrEnum):
    CONNECTING = "connecting"  # the first attempt since the app started
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"  # trying again after a drop
    OFFLINE = "offline"  # waiting before the next attempt
