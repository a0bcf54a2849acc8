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
