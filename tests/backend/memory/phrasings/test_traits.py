"""What the user is, has or lives with (memory/phrasings/traits.py): kept as notes in the user's words, from their own
present clauses only, and never a plan or a diet in its place."""

from __future__ import annotations

import pytest

from evaluation.phrasing import kept
from memchat.memory.memories import Proposal, Subject
from memchat.memory.phrasings import floor

T = Subject.NOTE


def _notes(message: str) -> list[str]:
    return [p.value for p in floor(message) if p.subject is T]


@pytest.mark.parametrize(("message", "note"), [
    # a condition, given as the reason for a request
    ("I have epilepsy, are strobe lights at concerts a risk?", "I have epilepsy"),
    # (a contraction typed without its apostrophe is read as one, never mended into a cue word: "ive" is no "live")
    ("ive got really bad hay fever, best tablets?", "ive got really bad hay fever"),
    ("I suffer from migraines so bright screens hurt. Dark mode tips?", "I suffer from migraines"),
    ("Got mild eczema, which soap is gentle?", "Got mild eczema"),
    ("I've been diagnosed with type 2 diabetes, what breakfasts are good?",
     "I've been diagnosed with type 2 diabetes"),
    # a trait, with an article and a word of degree, or with "I'm" dropped
    ("I'm dyslexic so please keep the summary short", "I'm dyslexic"),
    ("Im a massive early bird, can you plan my day from 5am", "Im a massive early bird"),
    ("hard of hearing so I miss a lot on video calls", "hard of hearing"),
    ("I'm partially deaf in both ears, any captioning apps?", "I'm partially deaf in both ears"),
    # a trait told beside a negation it is not under
    ("I'm a real night owl, never in bed before one. Plan my week?", "I'm a real night owl"),
    # an aid
    ("I use a walking stick, is the coastal path flat?", "I use a walking stick"),
    ("We wear hearing aids, which phones work with them?", "We wear hearing aids"),
    # an allergy to what is never eaten
    ("I'm severely allergic to wasps, what should be in my first aid kit?", "I'm severely allergic to wasps"),
    # languages
    ("I speak Tagalog and English, can you check this translation?", "I speak Tagalog and English"),
    # ("mother tongue" names no mother)
    ("Urdu is my mother tongue so forgive my grammar", "Urdu is my mother tongue"),
    ("my native language is Portuguese, is this email ok?", "my native language is Portuguese"),
    ("I'm a native Korean speaker, please correct me", "I'm a native Korean speaker"),
    # a date that comes back every year
    ("Our anniversary is 14th February, any dinner ideas?", "Our anniversary is 14th February"),
    ("my bday's on june 9, what cake should I ask for", "my bday's on june 9"),
    ("My blood group is AB+, can I give plasma?", "My blood group is AB+"),
])
def test_a_trait_is_a_note_in_the_users_words(message, note):
    assert _notes(message) == [note]


@pytest.mark.parametrize("message", [
    # someone else's, or asked, supposed, denied or over
    "My husband has asthma, what plants are safe?",
    "my brother is colour blind lol",
    "Do I have ADHD? I can never focus.",
    "If I had diabetes, what could I eat?",
    "I don't think I have anxiety, just stress",
    "I'm not left-handed but my daughter is",
    "I used to have eczema as a kid",
    "Write a story about a deaf pianist who is left-handed",
    # the words of a kind without its thing
    "I have a meeting at 3 and then the gym",
    "I speak to my mum every day",
    "I use a laptop for work",
    "I speak English",  # what every message here is written in
    # an allergy to a food is a diet, not a note
    "I'm allergic to peanuts",
    # a birthday party is a plan, which passes
    "my birthday party is on saturday, any cake ideas?",
])
def test_what_states_no_trait_of_the_user(message):
    assert _notes(message) == []


def test_a_birthday_is_a_note_and_no_plan_that_passes():
    # a plan's date passes and it is recalled as past; a birthday comes back every year
    memories = kept("my birthday's on the 12th of October, gift ideas for myself?", [])
    assert memories == [Proposal(T, "my birthday's on the 12th of October")]


def test_an_allergy_to_what_is_never_eaten_is_a_note_and_no_diet():
    assert kept("I'm allergic to cats.", []) == [Proposal(T, "I'm allergic to cats")]


def test_a_condition_one_has_not_is_no_food_refused():
    assert kept("I don't have asthma, thankfully", []) == []


def test_a_food_allergy_stays_a_diet():
    assert [p.subject for p in kept("I'm allergic to shellfish", [])] == [Subject.DIET]
