"""A conversation as Markdown: title, who said what and when, code intact, alternatives only when asked."""

from __future__ import annotations

from datetime import UTC, datetime

from memchat.frames import ErrorCode, MessageStatus, MessageView, Role
from memchat.transcript import markdown

AT = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)
CODE = "Here:\n\n```python\ndef add(a, b):\n    return a + b\n```\n\nThat is all."


def _message(n: int, role: Role, text: str, *, superseded: bool = False,
             status: MessageStatus | None = None, **extra) -> MessageView:
    return MessageView(message_id=f"{n:08x}", role=role, text=text, created_at=AT,
                       status=status or (MessageStatus.SENT if role is Role.USER else MessageStatus.COMPLETE),
                       superseded=superseded or None, **extra)


HISTORY = [
    _message(1, Role.USER, "How do I add?"),
    _message(2, Role.ASSISTANT, "Use a calculator.", superseded=True),
    _message(3, Role.ASSISTANT, CODE),
]


def test_the_title_is_the_heading_and_each_message_says_who_wrote_it_and_when():
    text = markdown("Adding  numbers", HISTORY, alternatives=False, rendered_at=AT)

    assert text.startswith("# Adding numbers\n")
    assert "**You** · 2026-12-06 09:30 UTC\n\nHow do I add?" in text
    assert f"**memchat** · 2026-12-06 09:30 UTC\n\n{CODE}\n" in text  # the code block exactly as written


def test_current_answers_only_leave_out_what_was_replaced():
    text = markdown("Adding", HISTORY, alternatives=False, rendered_at=AT)

    assert "Use a calculator." not in text
    assert "2 messages, current answers only" in text


def test_with_alternatives_a_replaced_answer_and_an_earlier_edit_are_in_place_and_marked():
    history = [_message(1, Role.USER, "How do I ad?", superseded=True), *HISTORY]

    text = markdown("Adding", history, alternatives=True, rendered_at=AT)

    assert "**You** · 2026-12-06 09:30 UTC · *earlier edit, replaced*\n\nHow do I ad?" in text
    assert "**memchat** · 2026-12-06 09:30 UTC · *replaced answer, an alternative*\n\nUse a calculator." in text
    assert text.index("Use a calculator.") < text.index("def add")  # where it was, before its replacement
    assert "4 messages, with the replaced answers" in text


def test_a_code_block_left_open_by_a_stopped_answer_is_closed_so_it_swallows_nothing_after_it():
    history = [_message(1, Role.ASSISTANT, "```js\nlet x =", status=MessageStatus.STOPPED),
               _message(2, Role.USER, "Go on")]

    text = markdown("Code", history, alternatives=False, rendered_at=AT)

    assert "```js\nlet x =\n```\n\n*(stopped before the end)*" in text
    assert text.rstrip().endswith("Go on")


def test_a_failed_answer_says_why():
    history = [_message(1, Role.ASSISTANT, "", status=MessageStatus.FAILED, error_code=ErrorCode.MODEL_ERROR,
                        error_message="The assistant failed while answering.")]

    text = markdown("Oops", history, alternatives=False, rendered_at=AT)

    assert "*(failed: The assistant failed while answering.)*" in text
