"""The conversation list: newest first, with titles (temporary chats marked), a new-chat button and delete with
confirmation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import flet as ft

from memchat.frames import ConversationView
from memchat_mobile.state import ChatState
from memchat_mobile.views.buttons import hint
from memchat_mobile.views.dialog import use_confirm_dialog


def when(moment: datetime, *, now: datetime | None = None) -> str:
    """'14:05' today, 'Nov 25' this year, '2025-11-25' before."""
    local = moment.astimezone()
    now = (now or datetime.now(UTC)).astimezone()
    if local.date() == now.date():
        return local.strftime("%H:%M")
    if local.year == now.year:
        return local.strftime("%b %d").replace(" 0", " ")
    return local.strftime("%Y-%m-%d")


@ft.component
def ConversationTile(index: int, conversation: ConversationView, on_open: Callable[[str], None],
                     on_delete: Callable[[ConversationView], None]) -> ft.Control:
    title = conversation.title or "Untitled"
    count = conversation.message_count
    details = f"{count} message{'s' if count != 1 else ''}  ·  {when(conversation.updated_at)}"
    return ft.Semantics(
        # A fresh node when the row changes: Flutter's web engine can drop the identifier of an updated one.
        key=f"{conversation.conversation_id}-{index}-{conversation.updated_at.timestamp()}-{title}",
        identifier=f"conversation-{index}",
        content=ft.ListTile(
            leading=ft.CircleAvatar(
                content=ft.Icon(ft.Icons.TIMER_OUTLINED, size=20) if conversation.temporary
                else ft.Text(title[:1].upper(), weight=ft.FontWeight.W_600),
                bgcolor=ft.Colors.TERTIARY_CONTAINER if conversation.temporary else ft.Colors.PRIMARY_CONTAINER,
                color=ft.Colors.ON_TERTIARY_CONTAINER if conversation.temporary else ft.Colors.ON_PRIMARY_CONTAINER,
            ),
            title=ft.Text(title, max_lines=1, overflow=ft.TextOverflow.ELLIPSIS, weight=ft.FontWeight.W_500),
            subtitle=ft.Text(f"Temporary  ·  {details}" if conversation.temporary else details,
                             size=12, color=ft.Colors.ON_SURFACE_VARIANT),
            trailing=ft.Semantics(
                identifier=f"delete-{index}",
                label=f"Delete conversation {title}",
                button=True,
                content=ft.IconButton(ft.Icons.DELETE_OUTLINE_ROUNDED, tooltip=hint(f"Delete conversation {title}"),
                                      icon_size=20,
                                      icon_color=ft.Colors.OUTLINE,
                                      on_click=lambda: on_delete(conversation)),
            ),
            on_click=lambda: on_open(conversation.conversation_id),
            shape=ft.RoundedRectangleBorder(radius=16),
        ),
    )


@ft.component
def ConversationList(chat: ChatState) -> ft.Control:
    doomed, set_doomed = ft.use_state(None)

    def confirm() -> None:
        if doomed is not None:
            chat.delete(doomed.conversation_id)
        set_doomed(None)

    use_confirm_dialog(
        shown=doomed is not None, name="delete", title="Delete this conversation?", action="Delete",
        content=lambda: ft.Text(f"\"{doomed.title}\" and all its messages will be deleted. This cannot be "
                                "undone."),
        on_confirm=confirm, on_cancel=lambda: set_doomed(None), destructive=True,
    )

    if not chat.conversations_loaded:
        return ft.Container(expand=True, alignment=ft.Alignment.CENTER, content=ft.ProgressRing())
    if not chat.conversations:
        return ft.Semantics(
            identifier="conversations-empty",
            content=ft.Container(
                expand=True,
                alignment=ft.Alignment.CENTER,
                padding=32,
                content=ft.Column(
                    horizontal_alignment=ft.CrossAxisAlignment.CENTER,
                    tight=True,
                    spacing=12,
                    controls=[
                        ft.Icon(ft.Icons.FORUM_OUTLINED, size=56, color=ft.Colors.PRIMARY),
                        ft.Text("No conversations yet", size=20, weight=ft.FontWeight.W_600),
                        ft.Text("Start a new chat: memchat remembers what you talked about.",
                                text_align=ft.TextAlign.CENTER, color=ft.Colors.ON_SURFACE_VARIANT),
                    ],
                ),
            ),
        )

    def scrolled(event: ft.OnScrollEvent) -> None:
        if pulled_down(event) and not chat.refreshing:
            chat.refresh_conversations()
        elif event.pixels >= event.max_scroll_extent - 200:
            chat.load_more_conversations()

    return ft.Column(expand=True, spacing=0, controls=[
        ft.Semantics(identifier="conversations-refreshing", label="Refreshing the conversation list",
                     content=ft.ProgressBar(height=2)) if chat.refreshing else ft.Container(height=2),
        ft.ListView(
            expand=True,
            padding=ft.Padding.symmetric(horizontal=8, vertical=8),
            spacing=2,
            on_scroll=scrolled,
            controls=[
                ConversationTile(index, conversation, chat.open_conversation, set_doomed,
                                 key=conversation.conversation_id)
                for index, conversation in enumerate(chat.conversations)
            ],
        ),
    ])


def pulled_down(event: ft.OnScrollEvent) -> bool:
    """Pull-to-refresh: the list dragged down past its top (an overscroll before its start)."""
    return event.event_type is ft.ScrollType.OVERSCROLL and (event.overscroll or 0) < -8 and \
        event.pixels <= event.min_scroll_extent
