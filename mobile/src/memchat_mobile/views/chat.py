"""The open conversation: bubbles (Markdown answers that grow as they stream), paging up, and the composer."""

from __future__ import annotations

import flet as ft

from memchat.frames import FinishReason, MessageStatus, Role
from memchat_mobile.state import ChatState, Link, Message, Thread
from memchat_mobile.views import theme
from memchat_mobile.views.conversations import when


def status_line(message: Message) -> tuple[str, str | None]:
    """What is written under a bubble, and in which colour (None: the quiet one)."""
    if message.role is Role.USER:
        if message.sending:
            return "Sending...", None
        if message.not_sent:
            return f"Not sent: {message.error}", ft.Colors.ERROR
        return ("Sent " + when(message.created_at)) if message.created_at else "Sent", None
    match message.status:
        case MessageStatus.PENDING | MessageStatus.STREAMING:
            return ("Stopping..." if message.stopping else "Writing..."), None
        case MessageStatus.STOPPED:
            return "Stopped", None
        case MessageStatus.INTERRUPTED:
            return "Interrupted: the connection dropped while answering", ft.Colors.ERROR
        case MessageStatus.FAILED:
            return message.error or "The answer failed.", ft.Colors.ERROR
    if message.finish_reason is FinishReason.LENGTH:
        return "Reached the length limit", None
    return "", None


@ft.component
def MessageBubble(index: int, message: Message, chat: ChatState) -> ft.Control:
    mine = message.role is Role.USER
    colors = theme.user_bubble() if mine else theme.answer_bubble()
    if mine:
        body: ft.Control = ft.Text(message.text, color=colors["color"], size=15)
    elif message.text:
        body = ft.Markdown(
            message.text,
            extension_set=ft.MarkdownExtensionSet.GITHUB_FLAVORED,
            code_theme=ft.MarkdownCodeTheme.ATOM_ONE_DARK,
        )
    else:
        body = ft.Row(tight=True, spacing=8, controls=[
            ft.ProgressRing(width=14, height=14, stroke_width=2),
            ft.Text("Thinking...", color=ft.Colors.ON_SURFACE_VARIANT, italic=True),
        ])
    note, note_color = status_line(message)
    footer: list[ft.Control] = []
    if message.in_progress and not mine and message.text:
        footer.append(ft.ProgressRing(width=10, height=10, stroke_width=1.5))
    if note:
        footer.append(ft.Semantics(identifier=f"message-status-{index}", label=note,
                                   content=ft.Text(note, size=11, color=note_color or ft.Colors.ON_SURFACE_VARIANT,
                                                   max_lines=2, overflow=ft.TextOverflow.ELLIPSIS)))
    if message.can_retry:
        footer.append(ft.Semantics(identifier=f"retry-{index}", content=ft.TextButton(
            "Retry", icon=ft.Icons.REFRESH, on_click=lambda: chat.retry(message),
            style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=8)))))
    bubble = ft.Container(
        content=body,
        padding=ft.Padding.symmetric(horizontal=14, vertical=10),
        border_radius=theme.bubble_radius(mine),
        bgcolor=colors["bgcolor"],
        border=ft.Border.all(1, ft.Colors.ERROR) if message.error else None,
    )
    return ft.Semantics(
        # A new semantics node per status: Flutter's web engine drops the identifier of a node whose subtree
        # is rebuilt (the placeholder becoming the answer), which would hide the bubble from tests.
        key=f"{message.key}-{message.status}",
        identifier=f"message-{index}",
        label=("You" if mine else "memchat"),
        value=message.status.value if message.status else "sending",
        content=ft.Container(
            # Bubbles leave room on the other side, as in every chat app.
            padding=ft.Padding.only(left=48) if mine else ft.Padding.only(right=32),
            alignment=ft.Alignment.CENTER_RIGHT if mine else ft.Alignment.CENTER_LEFT,
            content=ft.Column(
                spacing=4,
                tight=True,
                horizontal_alignment=ft.CrossAxisAlignment.END if mine else ft.CrossAxisAlignment.START,
                controls=[bubble, *([ft.Row(footer, spacing=6, tight=True)] if footer else [])],
            ),
        ),
    )


@ft.component
def Composer(chat: ChatState, thread: Thread) -> ft.Control:
    text, set_text = ft.use_state("")
    typed = ft.use_ref("")  # the latest text, for a submit that arrives before the re-render
    online = chat.link is Link.CONNECTED

    def changed(event) -> None:
        typed.current = event.control.value
        set_text(event.control.value)

    def submit(event=None) -> None:
        # Enter carries the field's value; the send button reads the latest change.
        value = event.control.value if event is not None and isinstance(event.control, ft.TextField) else None
        if chat.send(value if value is not None else typed.current):
            typed.current = ""
            set_text("")

    if thread.answering is not None:
        action = ft.Semantics(identifier="stop", content=ft.IconButton(
            ft.Icons.STOP_ROUNDED, tooltip="Stop", on_click=lambda: chat.stop(),
            bgcolor=ft.Colors.ERROR_CONTAINER, icon_color=ft.Colors.ON_ERROR_CONTAINER,
            disabled=thread.answering.stopping))
    else:
        action = ft.Semantics(identifier="send", content=ft.IconButton(
            ft.Icons.ARROW_UPWARD_ROUNDED, tooltip="Send", on_click=lambda: submit(),
            bgcolor=ft.Colors.PRIMARY, icon_color=ft.Colors.ON_PRIMARY,
            disabled=not chat.can_send or not text.strip()))
    return ft.Container(
        padding=ft.Padding.only(left=12, right=8, top=8, bottom=12),
        content=ft.Row(
            vertical_alignment=ft.CrossAxisAlignment.END,
            spacing=8,
            controls=[
                ft.Semantics(
                    identifier="composer",
                    content=ft.TextField(
                        value=text,
                        hint_text="Message memchat" if online else "Offline: waiting for the connection",
                        multiline=True,
                        min_lines=1,
                        max_lines=6,
                        shift_enter=True,  # Enter sends, Shift+Enter starts a new line
                        max_length=4000,
                        counter=ft.Text("") if len(text) < 3500 else None,
                        disabled=not online,
                        filled=True,
                        border_radius=24,
                        border_width=0,
                        content_padding=ft.Padding.symmetric(horizontal=18, vertical=12),
                        on_change=changed,
                        on_submit=submit,
                    ),
                    expand=True,
                ),
                action,
            ],
        ),
    )


@ft.component
def ChatBody(chat: ChatState, thread: Thread) -> ft.Control:
    def scrolled(event: ft.OnScrollEvent) -> None:
        # The list is reversed (newest at the bottom, where it starts): the top is the far end.
        if event.pixels >= event.max_scroll_extent - 300:
            chat.load_older()

    rows: list[ft.Control] = [
        MessageBubble(index, message, chat, key=message.key) for index, message in enumerate(thread.messages)
    ]
    if thread.has_older:
        rows.insert(0, ft.Semantics(identifier="load-older", content=ft.Container(
            alignment=ft.Alignment.CENTER,
            content=ft.ProgressRing(width=18, height=18, stroke_width=2) if thread.loading_older
            else ft.TextButton("Load earlier messages", icon=ft.Icons.HISTORY, on_click=lambda: chat.load_older()),
        )))
    if not thread.loaded:
        content: ft.Control = ft.Container(expand=True, alignment=ft.Alignment.CENTER, content=ft.ProgressRing())
    elif not thread.messages:
        content = ft.Container(
            expand=True,
            alignment=ft.Alignment.CENTER,
            padding=32,
            content=ft.Column(
                tight=True,
                horizontal_alignment=ft.CrossAxisAlignment.CENTER,
                spacing=10,
                controls=[
                    ft.Icon(ft.Icons.AUTO_AWESOME, size=44, color=ft.Colors.PRIMARY),
                    ft.Text("What is on your mind?", size=20, weight=ft.FontWeight.W_600),
                    ft.Text("Ask anything. Answers stream in as they are written, and memchat remembers "
                            "this conversation next time.", text_align=ft.TextAlign.CENTER,
                            color=ft.Colors.ON_SURFACE_VARIANT),
                ],
            ),
        )
    else:
        content = ft.ListView(
            expand=True,
            reverse=True,
            spacing=10,
            padding=ft.Padding.symmetric(horizontal=12, vertical=12),
            on_scroll=scrolled,
            controls=list(reversed(rows)),
        )
    return ft.Column(expand=True, spacing=0, controls=[content, Composer(chat, thread)])
