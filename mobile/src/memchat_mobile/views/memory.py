"""The Memory screen: what memchat remembers, where each memory came from, delete, clear all, on and off."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from memchat.frames import MemoryView, SourceKind
from memchat_mobile.memories import UNDO_SECONDS, MemoryList
from memchat_mobile.state import ChatState
from memchat_mobile.views.conversations import when
from memchat_mobile.views.dialog import use_confirm_dialog

EXPLANATION = (
    "memchat remembers what you tell it about yourself (your name, where you live, what you like, your "
    "plans) and uses it in later conversations, so you do not have to repeat yourself. It learns only from "
    "your own messages. Delete anything here and it is forgotten everywhere; temporary chats are never "
    "remembered."
)


def source_line(chat: ChatState, memory: MemoryView) -> tuple[str, str | None]:
    """Where a memory came from, and the conversation to open when that line is tapped (None: nothing)."""
    if memory.sources and memory.sources[0].kind is SourceKind.IMPORT:  # newest first: brought in last
        return "Imported by you", None
    known = chat.source_of(memory)
    if known is not None:
        return f"From \u201c{known.title}\u201d", known.conversation_id
    if not memory.sources:
        return "From one of your conversations", None
    if chat.all_conversations_loaded:
        return "From a conversation you deleted", None
    return "From an earlier conversation", memory.sources[0].conversation_id


def forget_warning(memory: MemoryView) -> str:
    """What deleting a memory does (forgetting.py): its words leave the chats it came from and the answers that
    used it, which cannot be put back; the app waits a few seconds before asking, so it can be undone."""
    return (f"memchat forgets \u201c{memory.text}\u201d everywhere. In the chats it was learnt in, and in answers "
            "that used it, its words become [forgotten]: that cannot be undone once done. You have "
            f"{UNDO_SECONDS:.0f} seconds to undo.")


def origin_row(origin: ft.Control, updated: str) -> ft.Row:
    """A memory's source and time, the time right after the source: the source shrinks (with an ellipsis) only
    when both do not fit, instead of filling the row and pushing the time to its far end."""
    return ft.Row(spacing=6, tight=True, controls=[
        ft.Container(expand=True, expand_loose=True, content=origin),
        ft.Text(f"\u00b7 {updated}", size=12, color=ft.Colors.ON_SURFACE_VARIANT),
    ])


PAST_EXPLANATION = "What you told memchat is over. It is kept as your history and never used in answers."


def moment_line(memory: MemoryView) -> str:
    """When a memory was last confirmed, or when a fact told as over was told so."""
    return f"ended {when(memory.ended_at)}" if memory.ended_at is not None else when(memory.updated_at)


@ft.component
def MemoryRow(index: int, memory: MemoryView, chat: ChatState,
              on_delete: Callable[[MemoryView], None], name: str = "memory") -> ft.Control:
    """One memory, or (`name` "past-memory") one fact told as over, which reads as history."""
    source, conversation_id = source_line(chat, memory)
    source_text = ft.Text(source, size=12, max_lines=1, overflow=ft.TextOverflow.ELLIPSIS,
                          color=ft.Colors.PRIMARY if conversation_id else ft.Colors.ON_SURFACE_VARIANT)
    if conversation_id is not None:
        origin: ft.Control = ft.Semantics(
            identifier=f"{name}-source-{index}", button=True, label=source,
            content=ft.GestureDetector(content=source_text, mouse_cursor=ft.MouseCursor.CLICK,
                                       on_tap=lambda: chat.open_conversation(conversation_id)))
    else:
        origin = ft.Semantics(identifier=f"{name}-source-{index}", label=source, content=source_text)
    return ft.Semantics(
        key=memory.memory_id,
        identifier=f"{name}-{index}",
        content=ft.Container(
            padding=ft.Padding.only(left=16, right=4, top=10, bottom=10),
            border_radius=16,
            bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
            content=ft.Row(spacing=8, vertical_alignment=ft.CrossAxisAlignment.START, controls=[
                ft.Column(spacing=4, tight=True, expand=True, controls=[
                    ft.Text(memory.text, size=15, selectable=True,
                            color=ft.Colors.ON_SURFACE_VARIANT if memory.ended_at is not None else None),
                    origin_row(origin, moment_line(memory)),
                ]),
                ft.Semantics(
                    identifier=f"delete-{name}-{index}",
                    label=f"Delete memory {memory.text}",
                    button=True,
                    # No tooltip: Flutter would add it to the name, which is this label alone.
                    content=ft.IconButton(ft.Icons.DELETE_OUTLINE_ROUNDED, icon_size=20, icon_color=ft.Colors.OUTLINE,
                                          on_click=lambda: on_delete(memory)),
                ),
            ]),
        ),
    )


@ft.component
def MemoryPage(chat: ChatState, memory: MemoryList) -> ft.Control:
    confirming, set_confirming = ft.use_state(False)
    doomed, set_doomed = ft.use_state(None)  # the memory whose delete button was tapped

    def clear() -> None:
        memory.clear()
        set_confirming(False)

    def forget() -> None:
        if doomed is not None:
            memory.delete(doomed.memory_id)
        set_doomed(None)

    use_confirm_dialog(
        shown=doomed is not None, name="forget", title="Delete this memory?", action="Delete",
        content=lambda: ft.Text(forget_warning(doomed)), on_confirm=forget, on_cancel=lambda: set_doomed(None),
        destructive=True,
    )
    undoable = memory.undoable
    ft.use_dialog(
        ft.SnackBar(
            ft.Semantics(identifier="memory-deleted", content=ft.Text(f"Deleted: {undoable.text}", max_lines=2,
                                                                      overflow=ft.TextOverflow.ELLIPSIS)),
            action=ft.SnackBarAction(label="Undo", on_click=lambda: memory.undo_delete()),
            duration=ft.Duration(milliseconds=int(UNDO_SECONDS * 1000)),
            behavior=ft.SnackBarBehavior.FLOATING,
            # Swiped away, or gone with the screen: Undo is no longer on offer, so the deletion goes now (else a
            # later render would show the notice again).
            on_dismiss=lambda: memory.finish_delete(),
        )
        if undoable is not None
        else None
    )

    use_confirm_dialog(
        shown=confirming, name="clear", title="Clear all memories?", action="Clear all",
        content=lambda: ft.Text("memchat will forget everything it has learnt about you, in every "
                                "conversation. Your conversations stay. This cannot be undone."),
        on_confirm=clear, on_cancel=lambda: set_confirming(False), destructive=True,
    )

    switch = ft.Semantics(
        identifier="memory-switch",
        content=ft.Switch(
            label="Use and learn memories",
            value=memory.enabled is not False,
            disabled=memory.enabled is None,
            on_change=lambda e: memory.set_enabled(bool(e.control.value)),
        ),
    )
    intro = ft.Column(spacing=10, tight=True, controls=[
        ft.Text(EXPLANATION, size=13, color=ft.Colors.ON_SURFACE_VARIANT),
        switch,
        *([ft.Semantics(identifier="memory-off", content=ft.Text(
            "Memory is off: memchat neither uses these memories nor learns new ones. They are kept until you "
            "delete them.", size=13, color=ft.Colors.ERROR))] if memory.enabled is False else []),
    ])

    if not memory.loaded:
        body: list[ft.Control] = [ft.Container(padding=32, alignment=ft.Alignment.CENTER,
                                               content=ft.ProgressRing())]
    elif not memory.current:
        body = [ft.Semantics(identifier="memories-empty", content=ft.Container(
            padding=24,
            alignment=ft.Alignment.CENTER,
            content=ft.Column(tight=True, spacing=8, horizontal_alignment=ft.CrossAxisAlignment.CENTER, controls=[
                ft.Icon(ft.Icons.PSYCHOLOGY_OUTLINED, size=44, color=ft.Colors.PRIMARY),
                ft.Text("Nothing remembered yet", size=18, weight=ft.FontWeight.W_600),
                ft.Text("Tell memchat about yourself, or say \u201cremember that ...\u201d, and it shows up "
                        "here a moment later.", text_align=ft.TextAlign.CENTER,
                        color=ft.Colors.ON_SURFACE_VARIANT),
            ]),
        ))]
    else:
        count = len(memory.current)
        header = f"{count} memor{'y' if count == 1 else 'ies'}, newest first"
        if memory.limit:
            header += f" (up to {memory.limit} are kept)"
        body = [
            ft.Row(controls=[
                ft.Semantics(identifier="memories-count", content=ft.Text(
                    header, size=12, weight=ft.FontWeight.W_600, color=ft.Colors.PRIMARY, expand=True)),
                ft.Semantics(identifier="clear-memories", content=ft.TextButton(
                    "Clear all", icon=ft.Icons.DELETE_SWEEP_OUTLINED, on_click=lambda: set_confirming(True),
                    style=ft.ButtonStyle(color=ft.Colors.ERROR))),
            ]),
            *[MemoryRow(index, m, chat, set_doomed, key=m.memory_id) for index, m in enumerate(memory.current)],
        ]
    past = memory.past if memory.loaded else []
    if past:
        body += [
            ft.Container(padding=ft.Padding.only(top=12), content=ft.Column(spacing=4, tight=True, controls=[
                ft.Semantics(identifier="past-memories", content=ft.Text(
                    f"In the past ({len(past)})", size=12, weight=ft.FontWeight.W_600, color=ft.Colors.PRIMARY)),
                ft.Text(PAST_EXPLANATION, size=12, color=ft.Colors.ON_SURFACE_VARIANT),
            ])),
            *[MemoryRow(index, m, chat, set_doomed, name="past-memory", key=m.memory_id)
              for index, m in enumerate(past)],
        ]
    return ft.ListView(
        expand=True,
        padding=ft.Padding.symmetric(horizontal=16, vertical=12),
        spacing=8,
        controls=[intro, ft.Divider(height=16), *body],
    )
