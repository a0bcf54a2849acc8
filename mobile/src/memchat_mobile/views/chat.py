"""The open conversation: bubbles (Markdown answers that grow as they stream, with the memories and earlier
exchanges they used), paging up, the message a search opened it at (scrolled to and marked), the composer,
the temporary-chat switch and banner, and renaming."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable

import flet as ft

from memchat.frames import TITLE_MAX_CHARS, FinishReason, MessageStatus, RecalledExchange, Role
from memchat_mobile.memories import MemoryList
from memchat_mobile.message import waking_text
from memchat_mobile.state import ChatState, Draft, Link, Message, Thread, too_long
from memchat_mobile.views import theme
from memchat_mobile.views.buttons import hint, small_button
from memchat_mobile.views.conversations import when
from memchat_mobile.views.dialog import use_confirm_dialog


def status_line(message: Message, *, online: bool = True) -> tuple[str, str | None]:
    """What is written under a bubble, and in which colour (None: the quiet one)."""
    if message.role is Role.USER:
        if message.sending:
            return ("Sending..." if online else "Waiting for the connection: it goes when it is back"), None
        if message.not_sent:
            return f"Not sent: {message.error}", ft.Colors.ERROR
        return ("Sent " + when(message.created_at)) if message.created_at else "Sent", None
    match message.status:
        case MessageStatus.PENDING:
            # The bubble itself says "Thinking..." until the first words arrive.
            return ("Stopping..." if message.stopping else ""), None
        case MessageStatus.STREAMING:
            return ("Stopping..." if message.stopping else "Writing..."), None
        case MessageStatus.STOPPED:
            return "Stopped", None
        case MessageStatus.INTERRUPTED:
            # Said the same whatever ended it (a dropped connection, a worker that died, a timeout): what it has
            # is kept, and Retry and Continue are offered under it.
            return "Interrupted before the answer was finished", ft.Colors.ERROR
        case MessageStatus.FAILED:
            return message.error or "The answer failed.", ft.Colors.ERROR
    if message.finish_reason is FinishReason.LENGTH:
        return "Cut off at the length limit", None
    return (when(message.created_at) if message.created_at else ""), None


def empty_chat_text(temporary: bool, memory_on: bool | None) -> str:
    """What the empty chat says under its question: whether memchat remembers, as far as the app knows (memory
    can be off; until the server said, nothing is claimed)."""
    said = "Ask anything. Answers stream in as they are written."
    if temporary:
        return said + " This chat is temporary: memchat will not use or learn memories in it."
    if memory_on is False:
        return said + " Memory is off: memchat neither uses nor learns memories (the Memory screen turns it on)."
    if memory_on:
        return said + " memchat remembers what you tell it about yourself."
    return said


def spoken_status(message: Message) -> str:
    """The bubble's status as a screen reader announces it: a failed message is announced as failed."""
    if message.role is Role.USER:
        if message.not_sent:
            return f"not sent, failed: {message.error}"
        return "sending" if message.sending else "sent"
    if message.status is MessageStatus.FAILED:
        return f"failed: {message.error or 'the answer failed'}"
    return message.status.value if message.status else "pending"


def used_summary(memories: int, exchanges: int) -> str:
    """'Used 2 memories', 'Used 1 earlier conversation', 'Used 1 memory and 2 earlier conversations'."""
    parts = [f"{memories} memor{'y' if memories == 1 else 'ies'}"] if memories else []
    if exchanges:
        parts.append(f"{exchanges} earlier conversation{'' if exchanges == 1 else 's'}")
    return "Used " + " and ".join(parts)


def ExchangeLine(index: int, number: int, exchange: RecalledExchange,
                 on_open: Callable[[RecalledExchange], None]) -> ft.Control:
    """An earlier exchange an answer used; tapped, its conversation opens at that message."""
    said = f"From an earlier conversation: \u201c{exchange.excerpt}\u201d"
    return ft.Semantics(
        identifier=f"used-exchange-{index}-{number}", button=True, label=f"{said} Open that conversation",
        content=ft.GestureDetector(mouse_cursor=ft.MouseCursor.CLICK, on_tap=lambda: on_open(exchange),
                                   content=ft.Row(spacing=6, vertical_alignment=ft.CrossAxisAlignment.START, controls=[
                                       ft.Icon(ft.Icons.FORUM_OUTLINED, size=14, color=ft.Colors.PRIMARY),
                                       ft.Text(said, size=12, color=ft.Colors.PRIMARY, expand=True),
                                   ])))


@ft.component
def UsedMemories(index: int, message: Message, memory: MemoryList,
                 on_exchange: Callable[[RecalledExchange], None] | None = None) -> ft.Control:
    """'Used 2 memories' under an answer; tapped, the memories' texts and the earlier exchanges its prompt carried
    (each opens its conversation at that message): why the assistant knows what it knows."""
    open_, set_open = ft.use_state(False)
    summary = used_summary(len(message.recalled), len(message.exchanges))
    icon = ft.Icons.PSYCHOLOGY_OUTLINED if message.recalled else ft.Icons.FORUM_OUTLINED
    toggle = ft.Semantics(identifier=f"used-memories-{index}", button=True, expanded=open_,  # named by its text
                          content=ft.TextButton(
                              summary, icon=icon, on_click=lambda: set_open(not open_),
                              style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=8))))
    if not open_:
        return toggle
    texts = [text or "Loading..." for text in memory.used(message)]
    return ft.Column(tight=True, spacing=2, controls=[
        toggle,
        ft.Semantics(identifier=f"used-memories-list-{index}", content=ft.Container(
            padding=ft.Padding.only(left=12, right=12, bottom=6),
            content=ft.Column(tight=True, spacing=4, controls=[
                *[ft.Row(spacing=6, vertical_alignment=ft.CrossAxisAlignment.START, controls=[
                    ft.Text("\u2022", size=12, color=ft.Colors.ON_SURFACE_VARIANT),
                    ft.Text(text, size=12, color=ft.Colors.ON_SURFACE_VARIANT, expand=True),
                ]) for text in texts],
                *[ExchangeLine(index, number, exchange, on_exchange)
                  for number, exchange in enumerate(message.exchanges) if on_exchange is not None],
            ]),
        )),
    ])


def MemoryUpdated(index: int, message: Message, chat: ChatState) -> ft.Control:
    """'Memory updated' under an answer whose question taught a memory (a source of it is that message);
    tapped, the Memory screen. A plain function, drawn with its bubble: as a component of its own inside the
    bubble's list it made the composer lose what the user was typing (the browser test's second question)."""
    return small_button(f"memory-updated-{index}", "Memory updated", ft.Icons.PSYCHOLOGY_OUTLINED,
                        "Memory updated: see what memchat remembers", lambda: chat.open_memories())


CODE_BACKGROUND = {True: "#2B2B2B", False: "#FEFEFE"}  # a11y-dark's and a11y-light's own


def markdown_style(dark: bool) -> ft.MarkdownStyleSheet:
    """Code on its highlighting palette's own background: the a11y palettes, made for WCAG AA (Atom One Light's
    green read 3.1 : 1), and the plain tokens (the theme's text colour) both stay readable. One dark palette for
    both themes left plain tokens dark on dark in the light theme."""
    return ft.MarkdownStyleSheet(
        code_text_style=ft.TextStyle(bgcolor=CODE_BACKGROUND[dark], size=13.5),
        codeblock_decoration=ft.BoxDecoration(bgcolor=CODE_BACKGROUND[dark], border_radius=8,
                                              border=None if dark else ft.Border.all(1, ft.Colors.OUTLINE_VARIANT)),
        codeblock_padding=ft.Padding.all(10),
    )


STYLES = {dark: markdown_style(dark) for dark in (False, True)}


# How often a streaming answer is drawn again. Each redraw of the bubble costs the browser about 100 ms of
# CPU on a busy machine without a GPU (layout, the accessibility tree, software rasterising; measured by
# tests/mobile/render_cost.py), and deltas come every 50 ms: drawn on every delta, a long answer fell far
# behind the stream. Redrawn at most twice a second it keeps up, and still reads as live; the final text is
# drawn at once.
STREAM_REDRAW = 0.5


class Pacer:
    """Which text a streaming answer shows: the newest, at most once every `interval` seconds, and the final
    text at once. `show` also says in how many seconds newer text is due (None when nothing waits)."""

    def __init__(self, interval: float = STREAM_REDRAW) -> None:
        self.interval = interval
        self.shown = ""
        self._at = -math.inf

    def show(self, text: str, now: float, *, final: bool = False) -> tuple[str, float | None]:
        if text == self.shown:
            return text, None
        if final or now - self._at >= self.interval or not text.startswith(self.shown):
            self.shown, self._at = text, now
            return text, None
        return self.shown, self.interval - (now - self._at)


@ft.component
def AnswerBody(message: Message, dark: bool) -> ft.Control:
    pacer: Pacer = ft.use_ref(Pacer).current
    _, wake = ft.use_state(0.0)
    shown, due = pacer.show(message.text, time.monotonic(), final=not message.in_progress)

    def later():
        if due is None:
            return None

        async def redraw() -> None:
            await asyncio.sleep(due)
            wake(time.monotonic())  # re-render: the pacer then shows the newest text

        return asyncio.ensure_future(redraw()).cancel

    ft.use_effect(later, [shown, due is None])
    return ft.Markdown(
        shown,
        extension_set=ft.MarkdownExtensionSet.GITHUB_FLAVORED,
        code_theme=ft.MarkdownCodeTheme.A11Y_DARK if dark else ft.MarkdownCodeTheme.A11Y_LIGHT,
        md_style_sheet=STYLES[dark],
    )


@ft.component
def WakingLine(message: Message) -> ft.Control:
    """'Waking the assistant, about N min' in place of "Thinking...", counting down once a second until the
    answer's first words replace it."""
    now, set_now = ft.use_state(time.monotonic())

    def tick():
        async def loop() -> None:
            while message.waking_until is not None:
                await asyncio.sleep(1.0)
                set_now(time.monotonic())

        return asyncio.ensure_future(loop()).cancel

    ft.use_effect(tick, [message.waking_until])
    text = waking_text(message, max(now, time.monotonic())) or "Thinking..."
    return ft.Row(tight=True, spacing=8, controls=[
        ft.ProgressRing(width=14, height=14, stroke_width=2),
        ft.Semantics(identifier="waking",  # named by its text: a label as well would say it twice
                     content=ft.Text(text, color=ft.Colors.ON_SURFACE_VARIANT, italic=True)),
    ])


def code_blocks(text: str) -> list[str]:
    """The fenced code blocks of a Markdown answer, without their fences (for "Copy code")."""
    blocks, current, fence = [], [], None
    for line in text.split("\n"):
        marker = line.lstrip()[:3]
        if fence is None and marker in ("```", "~~~"):
            fence, current = marker, []
        elif fence is not None and line.strip().startswith(fence) and not line.strip().strip(fence[0]):
            blocks.append("\n".join(current))
            fence = None
        elif fence is not None:
            current.append(line)
    return blocks


def copying(copy: Callable[[str], Awaitable[None]], text: str) -> Callable[[], Awaitable[None]]:
    """A click handler that copies `text`. Flet awaits a handler only when it is a coroutine function, and
    passes the event to one that takes a parameter: a lambda (`lambda: copy(text)`, whose coroutine nobody
    awaits, or `lambda text=text: ...`, given the event) copies nothing."""

    async def copy_text() -> None:
        await copy(text)

    return copy_text


@ft.component
def MessageBubble(index: int, message: Message, chat: ChatState, dark: bool = False,
                  alternatives: tuple[Message, ...] = (), earlier: Message | None = None,
                  copy=None, found: bool = False, flashing: bool = False) -> ft.Control:
    """`found`: the message a search (or an earlier exchange) opened the conversation at: ringed, and named so
    for screen readers; `flashing`, the moment it is opened, the ring glows."""
    mine = message.role is Role.USER
    colors = theme.user_bubble() if mine else theme.answer_bubble()
    # Alternatives (an answer regenerated): which one is shown, 1-based; the current one (the last) by default.
    showing, show = ft.use_state(0)
    shown = alternatives[showing - 1] if alternatives and 0 < showing <= len(alternatives) else message
    editing, set_editing = ft.use_state(False)
    original, set_original = ft.use_state(False)
    if mine:
        # Not `selectable`: Flutter's web build exposes a selectable text to screen readers as an empty
        # read-only field, so the message would not be read out. Copy is a button under the bubble.
        body: ft.Control = ft.Text(message.text, color=colors["color"], size=15)
    elif shown.text:
        body = AnswerBody(shown, dark)
    elif not shown.in_progress:
        body = ft.Text("No answer", color=ft.Colors.ON_SURFACE_VARIANT, italic=True)
    elif shown.waking_until is not None:
        body = WakingLine(shown)
    else:
        body = ft.Row(tight=True, spacing=8, controls=[
            ft.ProgressRing(width=14, height=14, stroke_width=2),
            ft.Text("Thinking...", color=ft.Colors.ON_SURFACE_VARIANT, italic=True),
        ])
    note, note_color = status_line(message, online=chat.link is Link.CONNECTED)
    if mine and earlier is not None and not message.not_sent:
        note = f"Edited · {note}"
    status: list[ft.Control] = []
    if message.in_progress and not mine and message.text:
        # A still icon: a spinning ring redraws the page 60 times a second for as long as the answer streams.
        status.append(ft.Icon(ft.Icons.EDIT_NOTE, size=14, color=ft.Colors.ON_SURFACE_VARIANT))
    if note:
        # Wraps (no ellipsis): an error is read in full on a narrow phone, and never pushes the buttons away.
        # The row's child (the Semantics node, not the text inside it) takes the width left: a text the row
        # does not bound is laid out on one line, past the screen's edge.
        status.append(ft.Semantics(identifier=f"message-status-{index}", label=note, expand=True, content=ft.Text(
            note, size=11, color=note_color or ft.Colors.ON_SURFACE_VARIANT,
            text_align=ft.TextAlign.RIGHT if mine else ft.TextAlign.LEFT)))
    actions: list[ft.Control] = []
    if message.can_retry:
        actions.append(small_button(f"retry-{index}", "Retry", ft.Icons.REFRESH, "Retry sending your message",
                                    lambda: chat.retry(message)))
    if mine and message.not_sent:
        actions.append(small_button(f"edit-{index}", "Edit", ft.Icons.EDIT_OUTLINED,
                                    "Edit your message that was not sent", lambda: chat.edit_unsent(message)))
    if len(alternatives) > 1:
        at = showing or len(alternatives)
        actions.append(ft.Row(tight=True, spacing=0, controls=[
            ft.Semantics(identifier=f"alt-prev-{index}", label="Show the earlier answer", button=True,
                         content=ft.IconButton(ft.Icons.CHEVRON_LEFT, icon_size=18, disabled=at <= 1,
                                               tooltip=hint("Earlier answer"), on_click=lambda: show(at - 1))),
            ft.Semantics(identifier=f"alt-count-{index}", label=f"Answer {at} of {len(alternatives)}",
                         content=ft.Text(f"{at}/{len(alternatives)}", size=12)),
            ft.Semantics(identifier=f"alt-next-{index}", label="Show the next answer", button=True,
                         content=ft.IconButton(ft.Icons.CHEVRON_RIGHT, icon_size=18,
                                               disabled=at >= len(alternatives), tooltip=hint("Next answer"),
                                               on_click=lambda: show(at + 1))),
        ]))
    if not mine and shown is message and chat.can_regenerate(message):
        failed = message.status in (MessageStatus.FAILED, MessageStatus.INTERRUPTED)
        actions.append(small_button(f"retry-{index}" if failed else f"regenerate-{index}",
                                    "Retry" if failed else "Regenerate", ft.Icons.REFRESH,
                                    "Retry: answer again" if failed else "Regenerate: answer again",
                                    lambda: chat.regenerate(message)))
    if not mine and shown is message and chat.can_continue(message):
        actions.append(small_button(f"continue-{index}", "Continue", ft.Icons.PLAY_ARROW_ROUNDED,
                                    "Continue the answer where it stopped", lambda: chat.go_on(message)))
    if mine and chat.can_edit(message):
        actions.append(small_button(f"edit-{index}", "Edit", ft.Icons.EDIT_OUTLINED, "Edit and resend your message",
                                    lambda: set_editing(True)))
    if mine and earlier is not None:
        actions.append(small_button(f"original-{index}", "Hide original" if original else "Original",
                                    ft.Icons.HISTORY, "Show the message before you edited it",
                                    lambda: set_original(not original)))
    if copy is not None and shown.text and not shown.in_progress:
        done = chat.copied == shown.text  # said on the button itself: a notice alone was easy to miss
        actions.append(small_button(f"copy-{index}", "Copied" if done else "Copy",
                                    ft.Icons.CHECK if done else ft.Icons.CONTENT_COPY,
                                    ("Copied: your message" if mine else "Copied: the answer") if done
                                    else ("Copy your message" if mine else "Copy the answer"),
                                    copying(copy, shown.text)))
        for number, code in enumerate(code_blocks(shown.text) if not mine else []):
            done = chat.copied == code
            actions.append(small_button(f"copy-code-{index}-{number}",
                                        f"Copied code {number + 1}" if done else f"Copy code {number + 1}",
                                        ft.Icons.CHECK if done else ft.Icons.CODE,
                                        f"Copied code block {number + 1}" if done
                                        else f"Copy code block {number + 1}", copying(copy, code)))
    EditDialog(chat, message, editing, set_editing)
    bubble: ft.Control = ft.Container(
        content=body,
        padding=ft.Padding.symmetric(horizontal=14, vertical=10),
        border_radius=theme.bubble_radius(mine),
        bgcolor=colors["bgcolor"],
        border=ft.Border.all(1, ft.Colors.ERROR) if message.error else None,
    )
    if found:
        bubble = found_ring(bubble, mine, flashing)
    # A new semantics node per status: Flutter's web engine drops the identifier of a node whose subtree is
    # rebuilt (the placeholder becoming the answer), which would hide the bubble from tests. The found message
    # is a target of the list's scroll_to.
    return ft.Semantics(
        key=found_key(message) if found else bubble_key(message, found=False),
        identifier=f"message-{index}",
        label=(FOUND_LABEL if found else "") + ("You" if mine else "memchat"),
        value=spoken_status(message),
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
                    *([ft.Row(status, spacing=6, vertical_alignment=ft.CrossAxisAlignment.START,
                              alignment=ft.MainAxisAlignment.END if mine else ft.MainAxisAlignment.START)]
                      if status else []),
                    *([ft.Row(actions, spacing=0, wrap=True,
                              alignment=ft.MainAxisAlignment.END if mine else ft.MainAxisAlignment.START)]
                      if actions else []),
                    *([ft.Semantics(identifier=f"original-text-{index}", content=ft.Container(
                        padding=ft.Padding.symmetric(horizontal=14, vertical=8), border_radius=12,
                        border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT),
                        content=ft.Text(earlier.text, size=13, color=ft.Colors.ON_SURFACE_VARIANT)))]
                      if original and earlier is not None else []),
                    *([UsedMemories(index, message, chat.memory, chat.open_exchange)]
                      if message.shows_recalled else []),
                    *([MemoryUpdated(index, message, chat)]
                      if not mine and message.ended and chat.taught(message) else []),
                ],
            ),
        ),
    )


FOUND_LABEL = "Found message: "


def found_ring(bubble: ft.Control, mine: bool, flashing: bool) -> ft.Control:
    """A ring around the found bubble, a gap from it, so that it shows on both bubbles' colours; while
    `flashing`, the gap glows. Only the ring and the gap change colour: the bubble's text keeps its own
    background (its contrast is the bubble's)."""
    radius = theme.bubble_radius(mine)
    return ft.Container(
        content=bubble,
        padding=3,
        border=ft.Border.all(2, ft.Colors.PRIMARY),
        border_radius=ft.BorderRadius(top_left=radius.top_left + 3, top_right=radius.top_right + 3,
                                      bottom_left=radius.bottom_left + 3, bottom_right=radius.bottom_right + 3),
        bgcolor=ft.Colors.PRIMARY_CONTAINER if flashing else ft.Colors.TRANSPARENT,
        animate=ft.Animation(600, ft.AnimationCurve.EASE_OUT),
    )


def EditDialog(chat: ChatState, message: Message, editing: bool, set_editing) -> None:
    """The dialog that edits the last message and sends it again (a hook: it lives in the bubble)."""
    typed = ft.use_ref(message.text)

    def changed(event) -> None:
        typed.current = event.control.value

    def send(_event=None) -> None:
        chat.edit(message, typed.current or "")
        set_editing(False)

    use_confirm_dialog(
        shown=editing, name="edit", title="Edit your message", action="Send",
        content=lambda: ft.Semantics(identifier="edit-text", content=ft.TextField(
            value=message.text, autofocus=True, multiline=True, min_lines=1, max_lines=8,
            on_change=changed, border_radius=12, border_color=ft.Colors.OUTLINE)),
        on_confirm=send, on_cancel=lambda: set_editing(False),
    )


def field_value(draft: Draft, held: str | None, shown: tuple[Draft, int] | None) -> str:
    """The text to render the composer's field with: what the field holds (`held`, as the browser last set it),
    unless the field was last drawn for another draft (another conversation) or the app put a new text in the
    draft since (`shown`: the draft and revision of that draw).
    The browser sets a field's value before its change event reaches the draft, so a render in between (a
    history page arriving as the user types) gave the field the draft's older text: what was typed vanished."""
    if held is not None and shown is not None and shown[0] is draft and shown[1] == draft.revision:
        return held
    return draft.text


def composer_note(chat: ChatState, text: str) -> str | None:
    """What the composer says under the field: how far past the limit a text is (kept whole, never cut), or the
    count as it nears the limit."""
    over = chat.overflow(text)
    if over:
        return too_long(over, chat.max_message_chars)
    if len(text) >= chat.max_message_chars * 0.875:
        return f"{len(text):,} / {chat.max_message_chars:,}"
    return None


@ft.component
def Composer(chat: ChatState, thread: Thread, draft: Draft) -> ft.Control:
    held = ft.use_ref(ft.Ref)
    shown = ft.use_ref(None)
    field = held.current.current
    text = field_value(draft, field.value if field is not None else None, shown.current)
    shown.current = (draft, draft.revision)
    online = chat.link is Link.CONNECTED
    note = composer_note(chat, draft.text)

    def changed(event) -> None:
        draft.type(event.control.value)

    def submit(event=None) -> None:
        # Enter carries the field's value; the send button reads the latest change (kept in the draft).
        value = event.control.value if event is not None and isinstance(event.control, ft.TextField) else None
        chat.send(value if value is not None else draft.text)

    if thread.answering is not None:
        action = ft.Semantics(identifier="stop", label="Stop the answer", button=True, content=ft.IconButton(
            ft.Icons.STOP_ROUNDED, tooltip=hint("Stop the answer"), on_click=lambda: chat.stop(),
            bgcolor=ft.Colors.ERROR_CONTAINER, icon_color=ft.Colors.ON_ERROR_CONTAINER,
            disabled=thread.answering.stopping))
    else:
        disabled = not chat.can_send or not draft.text.strip() or bool(chat.overflow(draft.text))
        action = ft.Semantics(identifier="send", label="Send message", button=True, content=ft.IconButton(
            ft.Icons.ARROW_UPWARD_ROUNDED, tooltip=hint("Send message"), on_click=lambda: submit(),
            # A disabled button looks disabled: greyed, not the primary colour.
            bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST if disabled else ft.Colors.PRIMARY,
            icon_color=ft.Colors.OUTLINE if disabled else ft.Colors.ON_PRIMARY,
            disabled=disabled))
    return ft.Container(
        padding=ft.Padding.only(left=12, right=8, top=8, bottom=12),
        content=ft.Column(tight=True, spacing=4, controls=[
            ft.Row(
                # The button sits level with the field's last line: centred on a one-line field (48 px high
                # for a 40 px button), at the bottom of a taller one.
                vertical_alignment=ft.CrossAxisAlignment.END,
                spacing=8,
                controls=[
                    ft.Semantics(
                        identifier="composer",
                        label="Message memchat",
                        content=ft.TextField(
                            ref=held.current,
                            value=text,
                            hint_text="Message memchat" if online else "Offline: a message waits for the connection",
                            multiline=True,
                            min_lines=1,
                            max_lines=6,
                            shift_enter=True,  # Enter sends, Shift+Enter starts a new line
                            filled=True,
                            border_radius=24,
                            border_color=ft.Colors.OUTLINE,  # its edge shows where it is: the fill is 1.5:1 on dark
                            content_padding=ft.Padding.symmetric(horizontal=18, vertical=12),
                            on_change=changed,
                            on_submit=submit,
                        ),
                        expand=True,
                    ),
                    ft.Container(padding=ft.Padding.only(bottom=4), content=action),
                ],
            ),
            *([ft.Semantics(identifier="composer-note", content=ft.Container(  # named by its text
                padding=ft.Padding.symmetric(horizontal=18),
                content=ft.Text(note, size=12, color=ft.Colors.ERROR if chat.overflow(draft.text)
                                else ft.Colors.ON_SURFACE_VARIANT)))] if note else []),
        ]),
    )


FOUND_SCROLL_WAITS = (0.3, 0.7)  # seconds before each scroll to the found message (see ChatBody)
FOUND_CACHE_EXTENT = 100_000  # pixels laid out beyond the screen in a conversation opened at a message


def bubble_key(message: Message, *, found: bool) -> str:
    return f"{message.key}-{message.status}-{message.error is not None}-{found}"


def found_key(message: Message) -> ft.ScrollKey:
    """The found bubble's key, which the list's scroll_to names."""
    return ft.ScrollKey(bubble_key(message, found=True))


@ft.component
def ChatBody(chat: ChatState, thread: Thread, dark: bool = False, copy=None) -> ft.Control:
    away, set_away = ft.use_state(False)  # scrolled up, away from the newest message
    listing = ft.use_ref(ft.Ref)

    def scrolled(event: ft.OnScrollEvent) -> None:
        # The list is reversed (newest at the bottom, where it starts): the top is the far end.
        if event.pixels >= event.max_scroll_extent - 300:
            chat.load_older()
        if (event.pixels > 600) != away:
            set_away(event.pixels > 600)

    async def to_bottom() -> None:
        if listing.current.current is not None:
            await listing.current.current.scroll_to(offset=0, duration=300)
        set_away(False)

    current = thread.current
    found = thread.find(thread.found) if thread.found else None

    def bring_found():
        if found is None:
            return None

        async def scroll() -> None:
            # The bubble is drawn in the same update as this call goes, and the browser lays it out a frame
            # later: scroll_to finds nothing to scroll to before that. Asked again once the first scroll has
            # moved the list (older pages above may still be laid out), it lands on the bubble.
            for wait in FOUND_SCROLL_WAITS:
                await asyncio.sleep(wait)
                view = listing.current.current
                if view is not None:
                    await view.scroll_to(scroll_key=found_key(found), duration=300)

        return asyncio.ensure_future(scroll()).cancel

    ft.use_effect(bring_found, [thread.found])
    rows: list[ft.Control] = [
        MessageBubble(index, message, chat, dark,
                      tuple(thread.alternatives(message)) if message.role is Role.ASSISTANT else (),
                      thread.edited(message) if message.role is Role.USER else None, copy,
                      message is found, message is found and thread.flashing, key=message.key)
        for index, message in enumerate(current)
    ]
    if thread.has_older:
        rows.insert(0, ft.Semantics(identifier="load-older", content=ft.Container(
            alignment=ft.Alignment.CENTER,
            content=ft.ProgressRing(width=18, height=18, stroke_width=2) if thread.loading_older
            else ft.TextButton("Load earlier messages", icon=ft.Icons.HISTORY, on_click=lambda: chat.load_older()),
        )))
    if not thread.loaded:
        content: ft.Control = ft.Container(expand=True, alignment=ft.Alignment.CENTER, content=ft.ProgressRing())
    elif not current:
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
                    EmptyChatText(thread, chat.memory),
                    *([TemporarySwitch(chat, thread)] if not thread.started else []),
                ],
            ),
        )
    else:
        content = ft.Stack(expand=True, controls=[
            ft.ListView(
                ref=listing.current,
                expand=True,
                reverse=True,
                # scroll_to reaches a bubble only once it is built: in a conversation opened at a message,
                # every loaded bubble is (the pages read back to it), not only those near the screen.
                build_controls_on_demand=found is None,
                cache_extent=FOUND_CACHE_EXTENT if found is not None else None,
                spacing=10,
                padding=ft.Padding.symmetric(horizontal=12, vertical=12),
                on_scroll=scrolled,
                controls=list(reversed(rows)),
            ),
            *([ft.Container(right=16, bottom=12, content=ft.Semantics(
                identifier="scroll-to-bottom", label="Scroll to the newest message", button=True,
                content=ft.IconButton(ft.Icons.ARROW_DOWNWARD_ROUNDED, tooltip=hint("Newest message"),
                                      bgcolor=ft.Colors.SECONDARY_CONTAINER,
                                      icon_color=ft.Colors.ON_SECONDARY_CONTAINER, on_click=to_bottom)))]
              if away else []),
        ])
    return ft.Column(expand=True, spacing=0,
                     controls=[TemporaryBanner(thread), content, Composer(chat, thread, thread.draft)])


@ft.component
def EmptyChatText(thread: Thread, memory: MemoryList) -> ft.Control:
    """Drawn again when the server says whether memory is on (`memory` is followed, as it is given)."""
    return ft.Semantics(identifier="empty-chat-text", content=ft.Text(
        empty_chat_text(thread.temporary, memory.enabled), text_align=ft.TextAlign.CENTER,
        color=ft.Colors.ON_SURFACE_VARIANT))


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

    use_confirm_dialog(
        shown=renaming, name="rename", title="Rename conversation", action="Rename",
        content=lambda: ft.Semantics(identifier="rename-title", content=ft.TextField(
            value=thread.title, autofocus=True, max_length=TITLE_MAX_CHARS, on_change=changed,
            on_submit=save, border_radius=12, border_color=ft.Colors.OUTLINE)),
        on_confirm=save, on_cancel=lambda: set_renaming(False),
    )
    return ft.Semantics(identifier="rename-conversation", label=f"Rename conversation {thread.title}", button=True,
                        content=ft.IconButton(ft.Icons.EDIT_OUTLINED, tooltip=hint("Rename conversation"),
                                              on_click=begin, disabled=thread.conversation_id is None))
