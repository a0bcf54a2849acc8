"""A bubble's model: an answer's pieces put back in order."""

from __future__ import annotations

from memchat_mobile.message import Reassembly


def test_reassembly_reports_a_gap_until_it_is_filled() -> None:
    pieces = Reassembly()

    assert pieces.push(1, "b") == "" and not pieces.complete
    assert pieces.push(0, "a") == "ab" and pieces.complete


def test_early_deltas_covered_by_a_catch_up_are_not_doubled() -> None:
    pieces = Reassembly()
    pieces.push(0, "a")
    assert pieces.push(2, "c") == ""  # early: 1 is missing

    assert pieces.resume(1, 3, "bc") == "bc"
    assert pieces.push(3, "d") == "d" and pieces.complete


def test_the_waking_line_counts_down_in_whole_minutes_then_says_any_moment() -> None:
    from memchat.frames import MessageStatus, Role
    from memchat_mobile.message import Message, waking_text

    answer = Message(role=Role.ASSISTANT, status=MessageStatus.PENDING, waking_until=1000.0)
    assert [waking_text(answer, now) for now in (700.0, 880.0, 941.0, 999.5, 1000.0, 1200.0)] == [
        "Waking the assistant, about 5 min", "Waking the assistant, about 2 min", "Waking the assistant, about 1 min",
        "Waking the assistant, about 1 min", "Waking the assistant, any moment now",
        "Waking the assistant, any moment now"]
    answer.text = "First words"
    assert waking_text(answer, 700.0) is None, "the answer replaces the line"
