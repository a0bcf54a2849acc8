"""The family rule (phrasings/family.py) on round seventeen's everyday speech: relatives named in the shapes chat
gives them, and what looks like them and names no relative of the user's."""

from __future__ import annotations

import pytest

from memchat.memory.memories import Subject
from memchat.memory.phrasings import floor

F = Subject.FAMILY


def _family(message: str) -> list[str]:
    return [p.value for p in floor(message) if p.subject is F]


@pytest.mark.parametrize(("message", "family"), [
    # a name, then whose it is, without the comma: "Kofi my son wants to study medicine"
    ("Ines my daughter starts big school on Monday, what should I pack?", ["daughter Ines"]),
    ("max my son keeps asking for a phone", ["son max"]),
    ("Tomasz our eldest is off to uni in the autumn", ["eldest Tomasz"]),
    ("rafi my husband is away all week so it's just me and the kids", ["husband rafi"]),
    # what a relative is called, without "my", or in lower case
    ("Boyfriend's name is Elliot, he's a sweetheart", ["boyfriend Elliot"]),
    ("my wife's name is siobhan btw", ["wife siobhan"]),
    # a pet by its name, then what it is
    ("Mochi the cat has started sleeping in the sink", ["cat Mochi"]),
    ("honestly bubu the hamster is the boss of this house", ["hamster bubu"]),
    ("Biscuit the dog keeps stealing socks", ["dog Biscuit"]),
    ("so luna the cat is refusing her new food", ["cat luna"]),
    # a household by its count, its "I" dropped
    ("Got three grandkids under five, what board games work for all of them?", ["three grandkids"]),
    ("have two cats and a very patient husband", ["two cats"]),
    # a child born
    ("We had a baby girl last month!! no sleep but worth it", ["baby girl"]),
    ("just had a baby in march so go easy on me", ["baby"]),
])
def test_a_relative_named_in_the_shapes_chat_gives_them(message, family):
    assert _family(message) == family


@pytest.mark.parametrize("message", [
    "Thanks my friend, that helped a lot",  # a friend is no relative
    "Sorry my son is shouting in the background",  # a known word is no name
    "Garden the dog keeps digging up? what does that mean",  # a question
    "write me a story about Pip the dog who lives in Bath",  # a request's world
    "we had a baby shower for my cousin on Sunday",  # a party, not a child
    "I had a baby tooth pulled when I was 30 lol",
    "got two tickets for the match, who should I take?",  # a count of things, not of relatives
    "my friend's son's name is Theo",
    "Mum the wifi is down again",  # a word for a relative, addressed
    "Sorry the dog is barking, I can't hear the video",  # an opener is no name
    "Walked the dog twice today and still no energy",
    "Love my son to bits but he is exhausting",  # a verb before "my son" is no name
    "miss my daughter so much since she moved out",
])
def test_what_looks_like_a_relative_named_and_is_not_teaches_no_family(message):
    assert _family(message) == []


@pytest.mark.parametrize(("message", "family"), [
    ("Can you suggest a birthday present for my husband Callum? He likes fishing", ["husband Callum"]),
    ("what should i pack for my daughter Ada's first sleepover", ["daughter Ada"]),
    ("Write a short poem for my grandma Edith, she turns 90 on Sunday", ["grandma Edith"]),
    ("help me write a sorry text to my bf kian, i missed his gig", ["bf kian"]),
    ("My son Theo's teacher is lovely.", ["son Theo"]),  # a possessive's 's is no part of the name
])
def test_a_relative_named_in_a_question_or_a_request_is_still_the_users(message, family):
    assert _family(message) == family


@pytest.mark.parametrize("message", [
    "Pretend you're my husband Mark and we're arguing about the bins",  # a part the assistant plays
    "let's role play, you are my brother Sam and I'm your sister",
    "Is it normal that my friend's son Theo still bites at 4?",  # another person's relative
    'fix the grammar pls: "my wife Ana and I would love you to come"',  # a quotation
    "what should I call my new puppy, Biscuit or Pepper?",  # a name asked for, not given
    "can you help me plan my sister in May?",  # a month is no name
])
def test_a_question_or_a_request_that_names_no_relative_of_the_users_teaches_no_family(message):
    assert _family(message) == []
