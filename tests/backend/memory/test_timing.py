"""Timing: a plan's date made absolute when it is learnt, and recalled as past once it has gone by."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from memchat.memory.consolidation import plan
from memchat.memory.extraction import Proposal
from memchat.memory.memories import SavedMemory, Source, Subject
from memchat.memory.timing import label, passed, when

SAID = int(datetime(2026, 12, 5, 10, tzinfo=UTC).timestamp() * 1000)  # a Saturday


@pytest.mark.parametrize(("value", "expected"), [
    ("Kyoto next March", "2027-03"),  # said in December: next year's March
    ("flying to Hanoi in December", "2026-12"),  # this month has not ended
    ("dentist appointment on March 27", "2027-03-27"),
    ("flying to Denver tomorrow", "2026-12-06"),
    ("job interview next Tuesday", "2026-12-08"),
    ("Lima over Christmas", "2026-12-25"),
    ("conference in Lima the week after next", "2026-12-19"),
])
def test_a_plans_date_is_made_absolute_from_when_it_was_said(value, expected):
    assert when(value, SAID) == expected


def test_a_plan_without_a_date_has_none():
    assert when("visiting my parents", SAID) is None


def test_a_date_reads_as_people_write_it():
    assert (label("2027-03"), label("2027-04-12")) == ("March 2027", "12 April 2027")


def test_a_plan_has_passed_once_its_day_or_its_whole_month_is_over():
    today = date(2027, 3, 15)
    assert passed("2027-03-14", today) and not passed("2027-03-15", today)
    assert passed("2027-02", today) and not passed("2027-03", today)


def test_a_learnt_plan_keeps_its_absolute_date_and_is_recalled_as_past_after_it():
    changes = plan([], [Proposal(Subject.PLAN, "Kyoto next March")], source=Source("c", "m"), now_ms=SAID, limit=10)
    (learnt,) = changes.puts
    assert learnt.when == "2027-03" and learnt.text == "Plan: Kyoto next March (March 2027)"
    assert learnt.prompt_text(date(2027, 2, 1)) == learnt.text
    assert learnt.prompt_text(date(2027, 4, 1)) == "Plan (past, March 2027): Kyoto next March"
    assert learnt.tokens >= max(len(learnt.text), len(learnt.prompt_text(date(2027, 4, 1)))) // 4


def test_the_date_survives_the_table():
    memory = SavedMemory("id", Subject.PLAN, "Kyoto next March", created_ms=SAID, updated_ms=SAID, when="2027-03")
    assert SavedMemory.from_plain(memory.item("alice")).when == "2027-03"
    assert "when" not in SavedMemory("id", Subject.HOME, "Graz", created_ms=SAID, updated_ms=SAID).item("alice")
