"""Spans: values found by their structure, kept only when validation finds the user's own clause states them."""

from __future__ import annotations

import pytest

from memchat.memory.extraction import floor
from memchat.memory.memories import Proposal, Subject
from memchat.memory.spans import spans

D, F, J, L, W = Subject.DIET, Subject.FAMILY, Subject.PROJECT, Subject.PLAN, Subject.WORK


@pytest.mark.parametrize(("message", "fact"), [
    ("Biscuit the rabbit chewed through the cable again.", Proposal(F, "rabbit Biscuit")),  # a name, then "the" pet
    ("We're seeing Auntie Flo at Christmas.", Proposal(F, "auntie Flo")),  # a title before the name
    ("I'm the pescatarian one at work, so I bring lunch.", Proposal(D, "pescatarian")),  # said of the user
    ("Month two of studying for a law degree and I'm tired.", Proposal(J, "a law degree")),  # the verb anywhere
    ("Our Lisbon trip is booked for May.", Proposal(L, "Lisbon trip May")),
    ("I fix boilers and my customers are mostly landlords.", Proposal(W, "fix boilers")),  # a word for work beside it
    ("My little one Noor starts nursery today.", Proposal(F, "little one Noor")),  # a child by what they are
    ("Granny Ruth turns ninety on Sunday.", Proposal(F, "granny Ruth")),  # a name the lemma table would bend
])
def test_a_value_is_found_by_its_structure_and_kept_when_the_users_clause_states_it(message, fact):
    assert fact in floor(message)


@pytest.mark.parametrize("message", [
    "I love Granny Smith apples.",  # the name qualifies a noun
    "I'm reading Uncle Tom's Cabin.",
    "I made a vegan lasagne for the party.",  # a diet's word that modifies a noun
    "My colleague is the vegan one at work.",  # said of someone else
    "I read about a man restoring an old Vespa.",  # someone else's verb
    "Spent years training for a marathon but gave up.",  # a sentence that ends by giving it up is history
    "Our Rome trip in May was amazing.",  # a trip that has been
    "I bake cakes for the kids' birthdays.",  # a trade's verb with no word for work beside it
    "Write me a story about Pepper the cat.",  # a request
])
def test_a_lookalike_span_is_not_kept(message):
    assert [p for p in floor(message) if p.subject in (D, F, J, L, W)] == []


def test_a_span_is_only_a_candidate_until_validation_keeps_it():
    """"My sister's dog Rex" is a dog and its name, by structure; the dog is the sister's, so nothing is kept."""
    message = "My sister's dog Rex is a menace."
    assert Proposal(F, "dog Rex") in list(spans(message))
    assert floor(message) == []
