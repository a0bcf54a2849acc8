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


# Round twenty: the styles of older, formal writers and of teenagers texting (all lower case).
@pytest.mark.parametrize(("message", "note"), [
    # a compound written with a hyphen or a space, either way
    ("I'm left handed, which scissors should I buy?", "I'm left handed"),
    ("i'm hard-of-hearing so subtitles always on", "i'm hard-of-hearing"),
    # the conditions of later life
    ("I have Alzheimer's in its early stages; could you help me set up reminders?",
     "I have Alzheimer's"),
    ("ive got copd so stairs are a nightmare, any breathing exercises", "ive got copd"),
    # the perfect, which says it has lasted to now
    ("I've lived with fibromyalgia for a decade; what gentle exercise would you suggest?",
     "I've lived with fibromyalgia"),
    ("I have had epilepsy since I was a boy, so strobe lighting worries me.", "I have had epilepsy"),
    # the diagnosis as a heading, with no subject
    ("recently diagnosed with dyslexia, what apps help with reading", "recently diagnosed with dyslexia"),
    # an aid coordinated with a trait, its subject said once
    ("I am partially sighted and use a guide dog, so are trains easy?",
     "I am partially sighted and use a guide dog"),
    # a standing held for life, as an opening apposition or with "I'm"
    ("As a widower of three years, I am still learning to cook for one.", "As a widower of three years"),
    ("Being a Gulf War veteran, I receive a pension; how is it taxed?", "Being a Gulf War veteran"),
    ("i'm a practising buddhist btw so meditation tips are welcome", "i'm a practising buddhist"),
    # a language called one's first or mother tongue, listed or not, or what is spoken at home
    ("Cebuano is my first language so forgive my grammar", "Cebuano is my first language"),
    ("Amharic is what we speak at home", "Amharic is what we speak at home"),
    # a vehicle by its make, driven or owned, or said as one's own
    ("We drive a Skoda Octavia estate; is it worth fitting winter tyres?", "We drive a Skoda Octavia estate"),
    ("my old kia picanto keeps stalling at lights, why", "my old kia picanto"),
    # a commute by how long it takes
    ("my commute's about 90 mins by bus so i need something to read", "my commute's about 90 mins by bus"),
    # a blood group said as what one is (and a lone lower-case "a" is an article)
    ("i'm AB positive, can i give plasma", "i'm AB positive"),
    # a condition, the subject of its present
    ("my arthritis is playing up again in this cold, any tips", "my arthritis"),
    ("ugh migraines keep me off screens for days, what helps", "migraines"),
])
def test_a_trait_in_the_formal_and_the_texting_styles(message, note):
    assert note in _notes(message)


@pytest.mark.parametrize("message", [
    # a standing that describes the noun after it, or another's
    "I'm a Catholic school teacher in Derry",
    "As a veteran teacher I have seen every fad come and go",
    "My dad is a Vietnam veteran and won't talk about it",
    # a faith given as the reason for a diet is the diet's
    "As a Muslim, I only eat halal meat",
    "i'm hindu so no beef pls",
    # a language word that is not named as one's own language
    "This is my first language exchange meetup",
    "Spanish is my sister's first language",
    # a vehicle that is not the user's, or asked about
    "My brother's honda civic keeps breaking down",
    "should I buy a toyota or a ford?",
    "I drive a hard bargain at car boot sales",
    # a commute that names no time, or someone else's
    "my commute is awful",
    "My wife's commute is 2 hours each way",
    # a blood group that is not said as what one is, and an article
    "I'm a negative person, I know",
    # a condition that is someone else's or not present
    "My mum's arthritis is playing up",
    "I used to suffer from migraines as a teen",
])
def test_a_round_twenty_lookalike_teaches_no_trait(message):
    assert _notes(message) == []


@pytest.mark.parametrize(("message", "note"), [
    # a date that comes back every year, in a sentence the clause reader sets aside for what follows it
    ("Our anniversary is the 9th of May, if that helps you plan.", "Our anniversary is the 9th of May"),
    ("My birthday is on 30 November, not that I'd like a fuss made.", "My birthday is on 30 November"),
])
def test_a_yearly_date_before_a_condition_on_the_telling(message, note):
    assert note in _notes(message)


@pytest.mark.parametrize("message", [
    "If my birthday is on the 3rd of April, what star sign am I?",
    "In the story, my birthday is the 1st of May",
    "My birthday isn't on the 5th of June, that's my brother's",
])
def test_a_yearly_date_supposed_or_denied_is_no_note(message):
    assert _notes(message) == []


@pytest.mark.parametrize(("message", "note"), [
    # a first language stays one when told of a childhood
    ("Welsh was my first language as a child in Bala, so my spelling in English wanders.",
     "Welsh was my first language"),
    ("tagalog was my mother tongue growing up but im rusty now", "tagalog was my mother tongue"),
])
def test_a_first_language_told_of_a_childhood_is_kept(message, note):
    assert note in _notes(message)


@pytest.mark.parametrize("message", [
    "French was my first language class at school",
    "Spanish wasn't my first language, it was my dad's",
    "Italian was my grandmother's first language",
])
def test_a_first_language_lookalike_is_no_note(message):
    assert _notes(message) == []
