"""The Memory screen: what memchat remembers, where each memory came from, delete, clear all, on and off."""

from __future__ import annotations

import flet as ft

from memchat.frames import MemoryView
from memchat_mobile.memories import MemoryList
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
    known = chat.source_of(memory)
    if known is not None:
        return f"From \u201c{known.title}\u201d", known.conversation_id
    if not memory.sources:
        return "From one of your conversations", None
    if chat.all_conversations_loaded:
        return "From a conversation you deleted", None
    return "From an earlier conversation", memory.sources[0].conversation_id


@ft.component
def MemoryRow(index: int, memory: MemoryView, chat: ChatState) -> ft.Control:
    source, conversation_id = source_line(chat, memory)
    source_text = ft.Text(source, size=12, max_lines=1, overflow=ft.TextOverflow.ELLIPSIS,
                          color=ft.Colors.PRIMARY if conversation_id else ft.Colors.ON_SURFACE_VARIANT)
    if conversation_id is not None:
        origin: ft.Control = ft.Semantics(
            identifier=f"memory-source-{index}", button=True, label=source,
            content=ft.GestureDetector(content=source_text, mouse_cursor=ft.MouseCursor.CLICK,
                                       on_tap=lambda: chat.open_conversation(conversation_id)))
    else:
        origin = ft.Semantics(identifier=f"memory-source-{index}", label=source, content=source_text)
    return ft.Semantics(
        key=memory.memory_id,
        identifier=f"memory-{index}",
        content=ft.Container(
            padding=ft.Padding.only(left=16, right=4, top=10, bottom=10),
            border_radius=16,
            bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
            content=ft.Row(spacing=8, vertical_alignment=ft.CrossAxisAlignment.START, controls=[
                ft.Column(spacing=4, tight=True, expand=True, controls=[
                    ft.Text(memory.text, size=15, selectable=True),
                    ft.Row(spacing=6, tight=True, controls=[
                        ft.Container(expand=True, content=origin),
                        ft.Text(f"\u00b7 {when(memory.updated_at)}", size=12, color=ft.Colors.ON_SURFACE_VARIANT),
                    ]),
                ]),
                ft.Semantics(
                    identifier=f"delete-memory-{index}",
                    label=f"Delete memory {memory.text}",
                    button=True,
                    # No tooltip: Flutter would add it to the name, which is this label alone.
                    content=ft.IconButton(ft.Icons.DELETE_OUTLINE_ROUNDED, icon_size=20, icon_color=ft.Colors.OUTLINE,
                                          on_click=lambda: chat.memory.delete(memory.memory_id)),
                ),
            ]),
        ),
    )


@ft.component
def MemoryPage(chat: ChatState, memory: MemoryList) -> ft.Control:
    confirming, set_confirming = ft.use_state(False)

    def clear() -> None:
        memory.clear()
        set_confirming(False)

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
    elif not memory.memories:
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
        count = len(memory.memories)
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
            *[MemoryRow(index, m, chat, key=m.memory_id) for index, m in enumerate(memory.memories)],
        ]
    return ft.ListView(
        expand=True,
        padding=ft.Padding.symmetric(horizontal=16, vertical=12),
        spacing=8,
        controls=[intro, ft.Divider(height=16), *body],
    )
