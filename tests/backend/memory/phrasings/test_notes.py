"""The user's own notes (memory/phrasings/notes.py): what they ask to be kept, read as said, and nothing else."""

from __future__ import annotations

import pytest

from memchat.memory import patterns as rx
from memchat.memory.memories import Proposal, Subject
from memchat.memory.phrasings import floor

T = Subject.NOTE


def _notes(message: str) -> list[Proposal]:
    return [p for p in floor(message) if p.subject is T]


@pytest.mark.parametrize(("message", "note"), [
    # an abbreviation's full stop before what it abbreviates does not end the note
    ("Save this please, account no. is 00412-77.", Proposal(T, "account no. is 00412-77")),
    ("Note this down: booking ref. 7Q-2291 for the ferry.", Proposal(T, "booking ref. 7Q-2291 for the ferry")),
    # the politeness after the order is no part of the note
    ("Log this for me please: gym locker 118", Proposal(T, "gym locker 118")),
    # the "please" of Nigerian Pidgin and Igbo, and Pidgin's "say" for "that"
    ("Biko remember that the gate code is 2580.", Proposal(T, "the gate code is 2580")),
    ("abeg remember say the meter number na 0451 o", Proposal(T, "the meter number na 0451 o")),
    # a thing of the user's with its own verb is a statement, not the thing's name alone
    ("Remember that my visa runs out in August.", Proposal(T, "my visa runs out in August")),
    ("Please remember my library card expires on Friday.", Proposal(T, "my library card expires on Friday")),
    # told so that the assistant remembers it
    ("So that you remember: recycling goes out every other Monday.",
     Proposal(T, "recycling goes out every other Monday")),
    ("just so u remember - boiler fault code E119", Proposal(T, "boiler fault code E119")),
])
def test_a_note_of_round_seventeen(message, note):
    assert _notes(message) == [note]


@pytest.mark.parametrize(("message", "notes"), [
    ("Remember the answer is no. Then ask me again.", ["the answer is no"]),  # "no." that ends a sentence ends it
    ("Can you remember my car keys?", []),  # the thing's name alone, with nothing said of it
    ("Remember my spare keys for the shed.", []),
    ("Please hold on to my passport number.", []),
    ("I said it twice so you remember, right?", []),  # a purpose in passing, no order
    ("So you remember when we met?", []),  # a question
])
def test_what_is_no_note_of_round_seventeen(message, notes):
    assert [p.value for p in _notes(message)] == notes


@pytest.mark.parametrize(("message", "note"), [
    # a note that is also a plan is kept as the user said it, beside the plan
    ("Keep in mind we fly to Oslo on the 14th, so no plans for me after.",
     "we fly to Oslo on the 14th, so no plans for me after"),
    ("Remember our wedding anniversary is on 2nd May.", "our wedding anniversary is on 2nd May"),
])
def test_a_note_that_states_a_plan_is_kept_as_a_note_too(message, note):
    assert Proposal(T, note) in floor(message)


@pytest.mark.parametrize("message", [
    "Just so you know, I'm vegan now.",  # a note whose words are another subject's fact is that fact
    "Remember that I live in Ghent.",
])
def test_a_note_that_states_another_subjects_fact_is_that_fact(message):
    assert _notes(message) == [] and floor(message)


@pytest.mark.parametrize(("message", "note"), [
    ("Mental note: the bike shed key is on the blue hook.", "the bike shed key is on the blue hook"),  # a heading
    ("Memo to you: water meter serial WM-4471.", "water meter serial WM-4471"),
    ("Remember this bit: the loft ladder code is 9921.", "the loft ladder code is 9921"),  # which is kept
    ("Store this somewhere safe: ISA account 81-22-19.", "ISA account 81-22-19"),  # how it is kept
])
def test_a_heading_or_an_order_that_says_how_or_which_is_no_part_of_the_note(message, note):
    assert [p.value for p in _notes(message)] == [note]


@pytest.mark.parametrize("message", ["Keep this safe.", "Keep that handy for me!", "Remember this one?"])
def test_an_order_that_says_only_how_to_keep_it_is_no_note(message):
    assert _notes(message) == []


@pytest.mark.parametrize(("message", "note"), [
    ("Remember for the future: the loft hatch sticks in winter.", "the loft hatch sticks in winter"),  # for when
    ("Do me a favor and memorise that the side gate code is 6060.", "the side gate code is 6060"),  # a favour first
    ("Could you keep track of this for me: pharmacy closes at 6 on Saturdays.",
     "pharmacy closes at 6 on Saturdays"),
    ("Jot that down for me: locker 3B, code 1771.", "locker 3B, code 1771"),
    ("Put it in your notes: water softener salt every 6 weeks.", "water softener salt every 6 weeks"),
    ("Please leave a note that the meter is read on the 28th.", "the meter is read on the 28th"),
    ("Save this into memory: boiler pressure 1.5 bar.", "boiler pressure 1.5 bar"),
])
def test_an_order_with_what_it_is_for_or_where_it_is_kept_then_the_note(message, note):
    assert [p.value for p in _notes(message)] == [note]


@pytest.mark.parametrize("message", [
    "Remember for later!", "I keep track of that in a spreadsheet.", "Did you jot that down for me?",
    "Do me a favour and remember?",
])
def test_an_order_with_nothing_to_keep_or_someone_keeping_track_is_no_note(message):
    assert _notes(message) == []


@pytest.mark.parametrize("message", ["I put jazz on most evenings and adore every note.",
                                     "Still waiting on the last update."])
def test_a_noun_a_determiner_takes_is_no_order_to_keep(message):
    assert [p for p in floor(message) if p.subject is Subject.NOTE] == []


@pytest.mark.parametrize("message", [
    # when a reminder is wanted, said after "remind me", is no note (the yearly date is the sentence's own fact)
    "My mother's birthday is on the 2nd of June; kindly remind me a week beforehand.",
    "the car tax is due in march so remind me every year nearer the time",
    "pls remind me well in advance",
])
def test_when_to_remind_is_no_note(message):
    assert not [p for p in _notes(message) if rx.search(r"beforehand|nearer the time|in advance", p.value)]


def test_what_to_remind_of_after_a_time_is_still_a_note():
    assert Proposal(T, "every friday that the bins go out") in _notes("remind me every friday that the bins go out")
