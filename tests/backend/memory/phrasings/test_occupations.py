"""Occupations (memory/occupations.py): the nouns that name a job, which the work rules read."""

from __future__ import annotations

import pytest

from memchat.memory.memories import Proposal, Subject
from memchat.memory.phrasings import floor

W = Subject.WORK


def _work(message: str) -> list[Proposal]:
    return [p for p in floor(message) if p.subject is W]


# Round twenty: the jobs of the formal letter-writer (the bench, the school, the ship, the surgery, the civil service)
# and of the texting student (made online).
@pytest.mark.parametrize(("message", "job"), [
    ("I am a GP in a market town.", "GP"),
    ("I am headteacher of a village school.", "headteacher"),
    ("I'm a public servant in the department of transport", "public servant"),
    ("I'm a content creator, mostly youtube", "content creator"),
    ("i'm a youtuber so i need thumbnails", "youtuber"),
    ("I am a merchant seafarer.", "merchant seafarer"),
    ("I have been a magistrate since 2015.", "magistrate"),
])
def test_the_jobs_of_the_bench_the_school_the_sea_and_the_screen_are_work(message, job):
    assert Proposal(W, job) in _work(message)


@pytest.mark.parametrize("message", [
    "I've been to the GP twice this week",
    "I'm a civil sort of person",
    "I'm a creator of chaos lol",
    "my GP is useless",
    "I was up before the magistrate once",
])
def test_what_only_sounds_like_those_jobs_teaches_no_work(message):
    assert _work(message) == []
