"""Phrasings: the floor of facts read without the model, from everyday speech."""

from __future__ import annotations

import pytest

from memchat.memory.memories import Proposal, Subject
from memchat.memory.phrasings import floor, notes

N, H, D, W, F, P, J, L = (Subject.NAME, Subject.HOME, Subject.DIET, Subject.WORK, Subject.FAMILY,
                          Subject.PREFERENCE, Subject.PROJECT, Subject.PLAN)


@pytest.mark.parametrize(("message", "fact"), [
    ("Hey there, Marco here. Quick question about bread.", Proposal(N, "Marco")),
    ("I'm Dana, and I need help planning a garden.", Proposal(N, "Dana")),
    ("hi im zoltan", Proposal(N, "zoltan")),
    ("We moved to Boise last spring and love it.", Proposal(H, "Boise")),
    ("I'm based out of Nairobi.", Proposal(H, "Nairobi")),
    ("I call Melbourne home.", Proposal(H, "Melbourne")),
    ("I don't eat meat.", Proposal(D, "no meat")),
    ("I can't have nuts, I'm allergic.", Proposal(D, "no nuts")),
    ("I keep kosher.", Proposal(D, "kosher")),
    ("I teach chemistry at a high school.", Proposal(W, "teach chemistry")),
    ("I'm a software engineer.", Proposal(W, "software engineer")),
    ("I drive a taxi around town.", Proposal(W, "drive a taxi")),
    ("My son Theo just started school.", Proposal(F, "son Theo")),
    ("Our dog Rufus hates the rain.", Proposal(F, "dog Rufus")),
    ("I'm a huge fan of Studio Ghibli films.", Proposal(P, "Studio Ghibli films")),
    ("I'm working on a podcast about local history.", Proposal(J, "working on a podcast about local history")),
    ("I'm flying to Denver tomorrow.", Proposal(L, "flying to Denver tomorrow")),
])
def test_an_everyday_statement_is_read_without_the_model(message, fact):
    assert fact in floor(message)


@pytest.mark.parametrize("message", [
    "My brother lives in Madrid.", "I'm not a teacher.", "I used to be vegan.", "I'm tired.", "I'm British.",
    "I'm going to bed.", "My colleague is vegetarian.", "I lived in Berlin as a student.", "I'll call you Max.",
    "Translate 'I live in Madrid' into Spanish.", "What if I moved to Canada?", "I'm making dinner now.",
    "Don't call me Bob.", "I'm thinking about becoming a nurse.", "I was a chef for ten years.",
])
def test_what_states_no_fact_of_the_users_own_teaches_nothing(message):
    assert floor(message) == []


@pytest.mark.parametrize(("message", "note"), [
    ("Remember that my locker code is 4521.", "my locker code is 4521"),
    ("Can you remember that my gate code is 7730?", "my gate code is 7730"),
    ("FYI, my bike lock code is 3306, please remember it.", "my bike lock code is 3306"),
    ("Can you keep track of this? My locker code is B12.", "My locker code is B12"),
])
def test_the_users_own_notes_are_kept_as_said_even_when_asked_as_a_question(message, note):
    assert notes(message) == [Proposal(Subject.NOTE, note)]


def test_a_single_message_may_state_several_subjects():
    found = floor("Hi, I'm Priya. I live in Ghent, I'm a nurse and I can't eat peanuts.")
    assert {p.subject for p in found} == {N, H, W, D}
