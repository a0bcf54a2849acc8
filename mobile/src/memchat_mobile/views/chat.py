"""The open conversation: bubbles (Markdown answers that grow as they stream, with the memories they used),
paging up, the composer, the temporary-chat switch and banner, and renaming."""

from __future__ import annotations

import flet as ft

from memchat.frames import TITLE_MAX_CHARS, FinishReason, MessageStatus, Role
from memchat_mobile.memories import MemoryList
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
def UsedMemories(index: int, message: Message, memory: MemoryList) -> ft.Control:
    """'Used 2 memories' under an answer; tapped, the memories' texts: why the assistant knows what it knows."""
    open_, set_open = ft.use_state(False)
    count = len(message.recalled)
    summary = f"Used {count} memor{'y' if count == 1 else 'ies'}"
    toggle = ft.Semantics(identifier=f"used-memories-{index}", button=True, label=summary, expanded=open_,
                          content=ft.TextButton(
                              summary, icon=ft.Icons.PSYCHOLOGY_OUTLINED, on_click=lambda: set_open(not open_),
                              style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=8))))
    if not open_:
        return toggle
    texts = [text or "Loading..." for text in memory.used(message)]
    return ft.Column(tight=True, spacing=2, controls=[
        toggle,
        ft.Semantics(identifier=f"used-memories-list-{index}", content=ft.Container(
            padding=ft.Padding.only(left=12, right=12, bottom=6),
            content=ft.Column(tight=True, spacing=4, controls=[
                ft.Row(spacing=6, vertical_alignment=ft.CrossAxisAlignment.START, controls=[
                    ft.Text("\u2022", size=12, color=ft.Colors.ON_SURFACE_VARIANT),
                    ft.Text(text, size=12, color=ft.Colors.ON_SURFACE_VARIANT, expand=True),
                ])
                for text in texts
            ]),
        )),
    ])


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
                controls=[
                    bubble,
                    *([ft.Row(footer, spacing=6, tight=True)] if footer else []),
                    *([UsedMemories(index, message, chat.memory)] if message.recalled and not message.in_progress
                      else []),
                ],
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
                    ft.Icon(ft.Icons.TIMER_OUTLINED if thread.temporary else ft.Icons.AUTO_AWESOME, size=44,
                            color=ft.Colors.PRIMARY),
                    ft.Text("What is on your mind?", size=20, weight=ft.FontWeight.W_600),
                    ft.Text("Ask anything. Answers stream in as they are written."
                            + (" This chat is temporary: memchat will not use or learn memories in it."
                               if thread.temporary else " memchat remembers what you tell it about yourself."),
                            text_align=ft.TextAlign.CENTER, color=ft.Colors.ON_SURFACE_VARIANT),
                    *([TemporarySwitch(chat, thread)] if not thread.started else []),
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
    return ft.Column(expand=True, spacing=0, controls=[TemporaryBanner(thread), content, Composer(chat, thread)])


@ft.component
def TemporarySwitch(chat: ChatState, thread: Thread) -> ft.Control:
    return ft.Semantics(identifier="temporary-switch", content=ft.Switch(
        label="Temporary chat", value=thread.temporary,
        on_change=lambda e: chat.set_temporary(bool(e.control.value))))


@ft.component
def TemporaryBanner(thread: Thread) -> ft.Control:
    if not thread.temporary:
        return ft.Container(height=0)
    return ft.Semantics(
        identifier="temporary-banner",
        label="Temporary chat: memchat won't remember this",
        content=ft.Container(
            bgcolor=ft.Colors.TERTIARY_CONTAINER,
            padding=ft.Padding.symmetric(horizontal=16, vertical=8),
            content=ft.Row(spacing=10, controls=[
                ft.Icon(ft.Icons.TIMER_OUTLINED, size=18, color=ft.Colors.ON_TERTIARY_CONTAINER),
                ft.Text("Temporary chat: memchat won't remember this", size=13, expand=True,
                        color=ft.Colors.ON_TERTIARY_CONTAINER),
            ]),
        ),
    )


@ft.component
def RenameAction(chat: ChatState, thread: Thread) -> ft.Control:
    """The chat header's rename button and its dialog."""
    renaming, set_renaming = ft.use_state(False)
    typed = ft.use_ref(thread.title)  # the field's latest value (a click can arrive before a re-render)

    def begin() -> None:
        typed.current = thread.title
        set_renaming(True)

    def save(_event=None) -> None:
        if thread.conversation_id is not None:
            chat.rename(thread.conversation_id, typed.current)
        set_renaming(False)

    def changed(event) -> None:
        typed.current = event.control.value

    ft.use_dialog(
        ft.AlertDialog(
            title=ft.Text("Rename conversation"),
            content=ft.Semantics(identifier="rename-title", content=ft.TextField(
                value=thread.title, autofocus=True, max_length=TITLE_MAX_CHARS, on_change=changed,
                on_submit=save, border_radius=12)),
            actions=[
                ft.Semantics(identifier="cancel-rename",
                             content=ft.TextButton("Cancel", on_click=lambda: set_renaming(False))),
                ft.Semantics(identifier="confirm-rename", content=ft.FilledButton("Rename", on_click=save)),
            ],
            on_dismiss=lambda: set_renaming(False),
        )
        if renaming
        else None
    )
    return ft.Semantics(identifier="rename-conversation", content=ft.IconButton(
        ft.Icons.EDIT_OUTLINED, tooltip="Rename", on_click=begin, disabled=thread.conversation_id is None))
