"""The clauses the rules read around a request or a question to the assistant (memory/statements.py)."""

from __future__ import annotations

import pytest

from memchat.memory.memories import Proposal, Subject
from memchat.memory.phrasings import floor

H, P, J = Subject.HOME, Subject.PREFERENCE, Subject.PROJECT


@pytest.mark.parametrize(("message", "fact"), [
    # a question or a request first, then the user's own words after a comma
    ("how do I stop snoozing my alarm, I hate getting up early", Proposal(P, "hate getting up early")),
    ("recommend a good podcast app, I'm hooked on history podcasts", Proposal(P, "history podcasts")),
    ("give me a packing list, I'm a huge fan of hiking", Proposal(P, "hiking")),
    # the user's words first, then a request the comma starts (its "might" supposes nothing of them)
    ("I'm mad about birdwatching, can you suggest binoculars I might like", Proposal(P, "birdwatching")),
    ("I'm building a treehouse, can you suggest wood that might last", Proposal(J, "building a treehouse")),
    # a liking told without its object, which the request named, and a thing then called the user's own
    ("suggest a few good horror films, I'm hooked at the moment", Proposal(P, "horror")),
    ("find me some new sea shanty albums, im obsessed", Proposal(P, "sea shanty")),
    ("make me a workout playlist, drum and bass, that's my jam", Proposal(P, "drum and bass")),
    # a relative "where" is no question: the home stays read
    ("The rent in Leeds, where I live, is mad.", Proposal(H, "Leeds")),
])
def test_the_users_words_beside_a_request_are_read(message, fact):
    assert fact in floor(message)


@pytest.mark.parametrize("message", [
    "write a story where a knight says, I love dragons",  # a text to write
    "translate this for me, I love dragons",
    "pretend you're my coach, I'm into marathons",  # a role
    "what would you say, I'm a huge fan of hiking",  # a supposition
    "tell my mum, I'm obsessed with hiking",  # a message passed on
    "how do I help my son, he's obsessed with hiking",  # someone else's
    "suggest some books for my son, he's obsessed",
    "write a song for my mum, country, that's her thing",
    "make me a caption, beach day, that's my vibe",  # the caption's words
    "give me some podcasts, I'm obsessed with this",  # a pointer names nothing
])
def test_a_request_or_question_lends_its_words_to_no_fact(message):
    assert floor(message) == []
