"""The conversation list: pinned first, then newest first, with titles (temporary and pinned chats marked), a
new-chat button, delete with confirmation and a menu (pin, move: views/projects.py); conversations in a project
are listed on its screen, the projects above the others."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import flet as ft

from memchat.frames import ConversationView
from memchat_mobile.memories import MemoryList
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


# Words that start most questions and say nothing of what a conversation is about: an avatar skips them, or
# every "What is ...", "What should ...", "What time ..." would wear the same W.
FILLER = frozenset("""a an and are can could did do does for from give hello help hey hi how i id im is it let me
my of on please should tell that the this to what whats when where which who why will with would you your""".split())
# Text/surface pairs of the written-out palettes (theme.TEXT_ON, AA in both themes): a conversation keeps its
# colour, and neighbours mostly differ.
AVATAR_COLOURS = (
    (ft.Colors.PRIMARY_CONTAINER, ft.Colors.ON_PRIMARY_CONTAINER),
    (ft.Colors.SURFACE_CONTAINER_HIGHEST, ft.Colors.ON_SURFACE),
    (ft.Colors.PRIMARY, ft.Colors.ON_PRIMARY),
)


def avatar_letter(title: str) -> str:
    """The first letter of the title's first telling word ("What is my name" -> N); of its first word when all
    are filler; '#' when it has no letter at all."""
    words = ["".join(c for c in word if c.isalnum()) for word in title.split()]
    words = [w for w in words if w]
    telling = next((w for w in words if w.casefold() not in FILLER), words[0] if words else "")
    return telling[:1].upper() or "#"


def avatar_colours(conversation_id: str) -> tuple[str, str]:
    return AVATAR_COLOURS[sum(conversation_id.encode()) % len(AVATAR_COLOURS)]


def deletion_warning(title: str, memory: MemoryList, conversation_id: str) -> tuple[str, list[str]]:
    """What the delete dialog says, and the memories it names: deleting a conversation deletes, on the server,
    every memory learnt only in it (forget_conversation), and forgetting a memory puts [forgotten] in the
    other chats' answers that used it. A memory also learnt elsewhere stays."""
    said = f"\u201c{title}\u201d and all its messages will be deleted. This cannot be undone."
    if not memory.loaded:
        return (said + " memchat also forgets what it learnt only in this conversation (answers in other chats "
                "that used it show [forgotten]); what you also said elsewhere stays.", [])
    going = memory.learnt_only_in(conversation_id)
    if not going:
        return said + " memchat learnt nothing in it alone: what it remembers stays.", []
    count = f"{len(going)} memor{'y' if len(going) == 1 else 'ies'}"
    return (said + f" memchat also forgets the {count} it learnt only here (answers in other chats that used "
            f"{'it' if len(going) == 1 else 'them'} show [forgotten]):", [m.text for m in going])


def delete_all_warning(memory: MemoryList) -> str:
    """Deleting every conversation deletes every memory too: each was learnt in a conversation, and a memory
    goes with the last conversation it was learnt in."""
    if memory.loaded and not memory.memories:
        return "Every conversation and all its messages will be deleted. This cannot be undone."
    what = (f"all {len(memory.memories)} memor{'y' if len(memory.memories) == 1 else 'ies'}" if memory.loaded
            else "everything it remembers")
    return (f"Every conversation and all its messages will be deleted, and memchat forgets {what}: each was "
            "learnt in one of them. This cannot be undone.")


def tile_details(conversation: ConversationView, *, now: datetime | None = None) -> str:
    """The line under a title. No message count: the server counts the alternatives a regenerate or an edit
    kept, which the conversation hides ("9 messages" for 8 bubbles), and the list cannot tell how many."""
    moment = when(conversation.updated_at, now=now)
    moment = f"Temporary  \u00b7  {moment}" if conversation.temporary else moment
    return f"Pinned  \u00b7  {moment}" if conversation.pinned else moment


def shown_title(chat: ChatState, conversation: ConversationView) -> str:
    return chat.display_title(conversation) or "Untitled"


@ft.component
def ConversationTile(index: int, conversation: ConversationView, title: str, on_open: Callable[[str], None],
                     on_delete: Callable[[ConversationView], None],
                     on_more: Callable[[ConversationView], None] | None = None, prefix: str = "") -> ft.Control:
    """A row of the list; `prefix` names its elements apart on a project's screen (`project-conversation-0`)."""
    details = tile_details(conversation)
    background, foreground = avatar_colours(conversation.conversation_id)
    more = [] if on_more is None else [ft.Semantics(
        identifier=f"{prefix}more-{index}", label=f"More for {title}: pin, move", button=True,
        content=ft.IconButton(ft.Icons.MORE_VERT, tooltip=hint(f"More for {title}"), icon_size=20,
                              icon_color=ft.Colors.ON_SURFACE_VARIANT, on_click=lambda: on_more(conversation)))]
    delete = ft.Semantics(
        identifier=f"{prefix}delete-{index}",
        label=f"Delete conversation {title}",
        button=True,
        content=ft.IconButton(ft.Icons.DELETE_OUTLINE_ROUNDED, tooltip=hint(f"Delete conversation {title}"),
                              icon_size=20,
                              icon_color=ft.Colors.OUTLINE,
                              on_click=lambda: on_delete(conversation)),
    )
    return ft.Semantics(
        # A fresh node when the row changes: Flutter's web engine can drop the identifier of an updated one.
        key=f"{conversation.conversation_id}-{index}-{conversation.updated_at.timestamp()}-{title}"
            f"-{conversation.pinned}",
        identifier=f"{prefix}conversation-{index}",
        content=ft.ListTile(
            leading=ft.CircleAvatar(
                content=ft.Icon(ft.Icons.TIMER_OUTLINED, size=20) if conversation.temporary
                else ft.Text(avatar_letter(title), weight=ft.FontWeight.W_600),
                bgcolor=ft.Colors.TERTIARY_CONTAINER if conversation.temporary else background,
                color=ft.Colors.ON_TERTIARY_CONTAINER if conversation.temporary else foreground,
            ),
            title=ft.Text(title, max_lines=1, overflow=ft.TextOverflow.ELLIPSIS, weight=ft.FontWeight.W_500),
            subtitle=ft.Text(details,
                             size=12, color=ft.Colors.ON_SURFACE_VARIANT),
            trailing=ft.Row(tight=True, spacing=0, controls=[
                *([ft.Icon(ft.Icons.PUSH_PIN, size=16, color=ft.Colors.PRIMARY)] if conversation.pinned else []),
                *more, delete]),
            on_click=lambda: on_open(conversation.conversation_id),
            shape=ft.RoundedRectangleBorder(radius=16),
        ),
    )


@ft.component
def ConversationList(chat: ChatState, memory: MemoryList, header: ft.Control | None = None,
                     on_more: Callable[[ConversationView], None] | None = None) -> ft.Control:
    """`memory` is chat.memory, given so that the delete dialog is drawn again when the memories arrive;
    `header` goes above the rows (the projects), `on_more` opens a row's menu."""
    doomed, set_doomed = ft.use_state(None)

    def confirm() -> None:
        if doomed is not None:
            chat.delete(doomed.conversation_id)
        set_doomed(None)

    def ask(conversation: ConversationView) -> None:
        memory.ensure_loaded()  # to name the memories that go with it
        set_doomed(conversation)

    def warning() -> ft.Control:
        said, going = deletion_warning(shown_title(chat, doomed), memory, doomed.conversation_id)
        return ft.Column(tight=True, spacing=8, controls=[
            ft.Text(said),
            *[ft.Semantics(identifier=f"delete-forgets-{number}", content=ft.Row(
                spacing=8, vertical_alignment=ft.CrossAxisAlignment.START, controls=[
                    ft.Icon(ft.Icons.PSYCHOLOGY_OUTLINED, size=18, color=ft.Colors.ERROR),
                    ft.Text(text, expand=True)]))
              for number, text in enumerate(going)],
        ])

    use_confirm_dialog(
        shown=doomed is not None, name="delete", title="Delete this conversation?", action="Delete",
        content=warning, on_confirm=confirm, on_cancel=lambda: set_doomed(None), destructive=True,
    )

    if not chat.conversations_loaded:
        return ft.Container(expand=True, alignment=ft.Alignment.CENTER, content=ft.ProgressRing())
    rows = [c for c in chat.listed if chat.projects.find(c.project_id) is None]  # the others: on their project's
    if not chat.conversations and not chat.projects.projects:
        empty = ft.Semantics(
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
        return empty if header is None else ft.Column(expand=True, controls=[
            ft.Container(padding=ft.Padding.symmetric(horizontal=8), content=header), empty])

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
                *([header] if header is not None else []),
                *[ConversationTile(index, conversation, shown_title(chat, conversation), chat.open_conversation, ask,
                                   on_more, key=conversation.conversation_id)
                  for index, conversation in enumerate(rows)],
            ],
        ),
    ])


def pulled_down(event: ft.OnScrollEvent) -> bool:
    """Pull-to-refresh: the list dragged down past its top (an overscroll before its start)."""
    return event.event_type is ft.ScrollType.OVERSCROLL and (event.overscroll or 0) < -8 and \
        event.pixels <= event.min_scroll_extent
