"""Extraction: the model only proposes; a proposal is kept only when the user's own message says it."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from memchat.memory.extraction import (
    EXTRACTION_INSTRUCTIONS,
    EXTRACTION_SCHEMA,
    MAX_PROPOSALS,
    MAX_VALUE_CHARS,
    VALUE_FILLER,
    Drop,
    Forget,
    Proposal,
    floor,
    forgotten,
    judge,
    parse_proposals,
    remembered,
    validate,
    validated,
)
from memchat.memory.memories import Subject
from memchat.memory.recall import STOPWORDS

from .cases import cases

ADA = "Hi! My name is Ada, I'm a vegetarian and I live in Lisbon with my two cats."


def _answer(*entries: tuple[str, str]) -> str:
    return json.dumps({"memories": [{"subject": s, "value": v} for s, v in entries]})


# ---------------------------------------------------------------- the schema the model answers in


def test_the_schema_offers_every_subject_but_the_users_own_notes():
    offered = EXTRACTION_SCHEMA["properties"]["memories"]["items"]["properties"]["subject"]["enum"]
    assert set(offered) == {s.value for s in Subject} - {"note"}


def test_the_schema_bounds_how_many_and_how_long():
    memories = EXTRACTION_SCHEMA["properties"]["memories"]
    assert memories["maxItems"] == MAX_PROPOSALS
    assert memories["items"]["properties"]["value"]["maxLength"] == MAX_VALUE_CHARS
    assert EXTRACTION_SCHEMA["required"] == ["memories"]


def test_the_instructions_ask_for_the_users_own_words_in_json():
    assert "user's own words" in EXTRACTION_INSTRUCTIONS and '{"memories": []}' in EXTRACTION_INSTRUCTIONS


# ---------------------------------------------------------------- parsing the model's answer


def test_an_answer_in_the_schema_becomes_proposals():
    assert parse_proposals(_answer(("name", "Ada"), ("home", "Lisbon"))) == [
        Proposal(Subject.NAME, "Ada"), Proposal(Subject.HOME, "Lisbon")]


@pytest.mark.parametrize("raw", ["", "not json", "[1, 2]", '{"memories": "Ada"}', '{"facts": []}',
                                 '{"memories": [' * 5000])
def test_a_malformed_answer_is_no_proposal(raw):
    assert parse_proposals(raw) == []


def test_entries_with_an_unknown_subject_or_a_non_text_value_are_dropped():
    raw = json.dumps({"memories": [{"subject": "hobby", "value": "chess"}, {"subject": "home", "value": 3},
                                   "Lisbon", {"subject": "diet", "value": "vegan"}]})
    assert parse_proposals(raw) == [Proposal(Subject.DIET, "vegan")]


def test_a_note_proposed_by_the_model_is_dropped_as_notes_come_only_from_remember_that():
    assert parse_proposals(_answer(("note", "good name for my cat"), ("diet", "vegan"))) == [
        Proposal(Subject.DIET, "vegan")]


def test_a_value_is_trimmed_of_spacing_and_surrounding_punctuation():
    assert parse_proposals(_answer(("home", '  "Lisbon,\n Portugal."  '))) == [
        Proposal(Subject.HOME, "Lisbon, Portugal")]


def test_at_most_the_schemas_number_of_proposals_is_read():
    raw = _answer(*[("preference", f"thing {i}") for i in range(MAX_PROPOSALS + 3)])
    assert len(parse_proposals(raw)) == MAX_PROPOSALS


# ---------------------------------------------------------------- validation against the message


def test_a_value_the_message_states_is_kept():
    assert validate(Proposal(Subject.HOME, "Lisbon"), ADA)


def test_a_value_with_a_word_the_user_never_said_is_dropped():
    assert not validate(Proposal(Subject.HOME, "Porto"), ADA)
    assert not validate(Proposal(Subject.FAMILY, "two cats and a dog"), ADA)


def test_a_copy_of_the_prompts_own_wording_is_dropped():
    assert not validate(Proposal(Subject.PLAN, "plans with a date"), "I'm going to Rome in May.")


def test_a_single_valued_subject_needs_its_cue_in_the_message():
    assert not validate(Proposal(Subject.WORK, "Lisbon"), "Lisbon is lovely in spring.")
    assert validate(Proposal(Subject.HOME, "Lisbon"), "I moved to Lisbon.")


def test_a_plural_in_the_message_supports_its_singular():
    assert validate(Proposal(Subject.FAMILY, "two cat"), ADA)


@pytest.mark.parametrize("value", ["", "the and of", "x" * (MAX_VALUE_CHARS + 1), " ".join(["cats"] * 13)])
def test_an_empty_stopword_only_or_overlong_value_is_dropped(value):
    assert not validate(Proposal(Subject.PREFERENCE, value), ADA + " " + value)


@pytest.mark.parametrize(("subject", "value", "message"), [
    (Subject.WORK, "work", "I work as a nurse."), (Subject.WORK, "my job", "My job is nursing, I'm a nurse."),
    (Subject.DIET, "diet", "I'm on a vegan diet."), (Subject.HOME, "home", "Home is Leeds for me."),
    (Subject.PLAN, "plans", "My plans: Rome in May."),
])
def test_a_value_that_only_names_its_subject_is_no_fact(subject, value, message):
    # The embedded model proposes "Work: work" for "I work as a nurse": every word is said and cued, and nothing is
    # told; kept, it would also take the one-valued subject's place from the rules' "nurse".
    assert not validate(Proposal(subject, value), message)
    assert validated([*floor(message), Proposal(subject, value)], message) == floor(message)


@pytest.mark.parametrize(("message", "value"), [
    ("I did welding for a year at school.", "welding"), ("I studied nursing.", "nursing"),
    ("I did a welding course at school.", "welding"),
])
def test_what_one_did_or_studied_is_no_job_today(message, value):
    # A learned proposer offered "Work: welding" for the first; what one does today still is one's work.
    assert not validate(Proposal(Subject.WORK, value), message)
    assert validate(Proposal(Subject.WORK, "welding"), "I do welding for a living.")


def test_validated_keeps_one_value_per_single_valued_subject_the_last_given():
    proposals = [Proposal(Subject.HOME, "Lisbon"), Proposal(Subject.DIET, "vegetarian"),
                 Proposal(Subject.HOME, "lisbon")]
    assert validated(proposals, ADA) == [Proposal(Subject.HOME, "lisbon"), Proposal(Subject.DIET, "vegetarian")]


def test_validated_merges_repeats_of_a_multi_valued_subject_whatever_their_case():
    proposals = [Proposal(Subject.FAMILY, "two cats"), Proposal(Subject.FAMILY, "Two Cats")]
    assert len(validated(proposals, ADA)) == 1


def test_validated_drops_what_the_message_does_not_say():
    assert validated([Proposal(Subject.DIET, "vegan"), Proposal(Subject.DIET, "vegetarian")], ADA) == [
        Proposal(Subject.DIET, "vegetarian")]


_WORD = re.compile(r"[^\W_]+")
_vocabulary = st.sampled_from(["Ada", "Lisbon", "cats", "cat", "vegan", "the", "in", "live", "jazz", "Rome",
                               "my", "name", "is", "nurse", "glass", "I'm", "Straße", "İstanbul", "42"])
_phrase = st.lists(_vocabulary, min_size=1, max_size=10).map(" ".join)


def _said(word: str, message: str) -> bool:
    folded = {w for w in _WORD.findall(message.casefold())}
    return word in folded or (word.endswith("s") and word[:-1] in folded) or word + "s" in folded


@given(value=_phrase, message=_phrase, subject=st.sampled_from(list(Subject)))
def test_a_value_with_a_meaningful_word_absent_from_the_message_is_never_accepted(value, message, subject):
    if validate(Proposal(subject, value), message):
        for word in _WORD.findall(value.casefold()):
            # Validation reads past its own filler ("in" of "Ada in", a family value from "Ada cats"); recall's
            # stop words are not the same list.
            assert word in STOPWORDS or word in VALUE_FILLER or _said(word, message), word


# ---------------------------------------------------------------- the commonest phrasings, read without the model


def test_the_commonest_phrasings_of_single_valued_facts_are_read_without_the_model():
    text = "My name is Ada Lovelace and I live in New York City. I am vegetarian. I work as a nurse at a clinic."
    assert floor(text) == [
        Proposal(Subject.NAME, "Ada Lovelace"), Proposal(Subject.HOME, "New York City"),
        Proposal(Subject.DIET, "vegetarian"), Proposal(Subject.WORK, "nurse")]


def test_a_place_written_in_lower_case_is_no_place():
    assert floor("I live in a small flat.") == []


def test_a_question_states_no_fact():
    assert floor("Do I live in Lisbon? Is my name Ada?") == []


@pytest.mark.parametrize("text", ["I'm not living in Paris anymore.", "I am no longer based in Berlin.",
                                  "I am never living in Rome again.", "Don't call me Bob.",
                                  "Please do not call me Al."])
def test_a_negated_statement_states_no_fact(text):
    assert floor(text) == []


def test_a_statement_with_an_adverb_still_states_its_fact():
    assert floor("I'm currently living in Lyon, and I am now based in Casino Town.") == [
        Proposal(Subject.HOME, "Lyon"), Proposal(Subject.HOME, "Casino Town")]


# ---------------------------------------------------------------- "remember that ..." and "forget ..."


def test_remember_that_keeps_the_users_own_words_as_a_note():
    assert remembered("Thanks. Remember that my locker code is 4521.") == [
        Proposal(Subject.NOTE, "my locker code is 4521")]


@pytest.mark.parametrize("text", ["Do you remember my name?", "Remember when we met?",
                                  "I can never remember my locker code.", "Remember it."])
def test_a_question_or_a_mere_mention_of_remembering_is_no_order(text):
    assert remembered(text) == []


def test_each_sentence_may_ask_to_remember_something():
    notes = remembered("Remember that the wifi password is tulip. Please remember my dentist is Dr Silva!")
    assert [n.value for n in notes] == ["the wifi password is tulip", "my dentist is Dr Silva"]


def test_forget_names_what_to_forget():
    assert forgotten("Forget my address.") == [Forget("my address")]
    assert forgotten("OK. Please forget about my trip to Rome") == [Forget("my trip to Rome")]


@pytest.mark.parametrize("text", ["Please forget everything about me.", "Forget everything.", "forget all"])
def test_forget_everything_asks_for_everything(text):
    assert [r.everything for r in forgotten(text)] == [True]


def test_forget_all_about_one_thing_forgets_that_thing_only():
    assert [r.everything for r in forgotten("Please forget all about my trip to Rome.")] == [False]


@pytest.mark.parametrize("text", ["Can you forget my address?", "Forget it.", "Don't forget my umbrella.",
                                  "I always forget my keys."])
def test_a_question_or_a_mere_mention_of_forgetting_is_no_request(text):
    assert forgotten(text) == []


def test_a_value_read_from_a_question_is_dropped():
    assert not validate(Proposal(Subject.HOME, "Lisbon"), "Do I live in Lisbon? Just checking.")


def test_a_multi_valued_subject_needs_its_cue_in_the_message():
    """A small model proposed "Family: eggs" for "How do I boil an egg?": the words are there, the family is not."""
    assert not validate(Proposal(Subject.FAMILY, "eggs"), "I want to boil an egg for breakfast.")
    assert validate(Proposal(Subject.FAMILY, "Lena"), "My daughter Lena keeps asking about dinosaurs.")


# Round seven (issue 17): what a good model proposes from these is kept, and a trap's temptation is not.


# Round eight: validation keeps what a good model proposes for phrasings with no verb of the subject.


def test_a_relatives_teacher_named_is_no_relative_of_the_users():
    assert not validate(Proposal(Subject.FAMILY, "son Aoife"), "My son's teacher is called Aoife.")
    assert validate(Proposal(Subject.FAMILY, "son Ben"), "My son's name is Ben.")


def test_text_handed_over_after_a_request_is_not_the_users():
    assert not validate(Proposal(Subject.HOME, "Lund"), "Can you format this? Name: Vera. City: Lund. I live in Lund.")


# ---------------------------------------- every round's proposals, kept and dropped
# One table a behaviour, one group a round of issue 17; one test reads each table (`cases`).
KEPT: dict[str, list[tuple[Subject, str, str]]] = {
    "a round seven proposal the message states is kept": [
        (Subject.HOME, "Porto", "We've been in Porto since 2019."),
        (Subject.HOME, "Aarhus", "Our family lives in Aarhus."),
        (Subject.PREFERENCE, "can't stand olives", "I can't stand olives."),
        (Subject.PROJECT, "old boat", "I'm refurbishing an old boat."),
        (Subject.PLAN, "driving test", "I'm taking my driving test on the 12th."),
        (Subject.PROJECT, "podcast about local history", "My current project is a podcast about local history."),
    ],
    "a round eight proposal is kept": [
        (Subject.DIET, "no nuts", "Absolutely no nuts for me."),  # a refusal with no verb of eating
        (Subject.DIET, "no garlic", "Garlic and I just don't agree."),
        (Subject.DIET, "no lamb", "Lamb is off the menu for me."),
        (Subject.DIET, "no beer", "Haven't touched beer since 2019."),  # a verb of taking, by lemma
        (Subject.PREFERENCE, "birdsong", "Birdsong keeps me grounded."),  # what a liking does for one
        (Subject.PREFERENCE, "punk", "Punk never gets old."),  # praise put as a denial
        (Subject.PROJECT, "pottery", "I've taken up pottery."),
        (Subject.WORK, "kitchen fitter", "Kitchen fitter by trade."),
        (Subject.HOME, "Leeds", "Been in Leeds going on ten years."),
    ],
    "a round nine proposal is kept": [
        (Subject.DIET, "no sesame", "Sesame puts me in hospital."),
        (Subject.PREFERENCE, "Sibelius", "Sibelius on repeat all week."),
        (Subject.PROJECT, "thesis", "Deep into thesis revision right now."),
        (Subject.PLAN, "dentist appointment on June 4", "Dentist appointment on June 4, wish me luck!"),
    ],
    "a second round nine proposal is kept": [
        (Subject.WORK, "bake bread", "I bake bread at the co-op."),  # a trade's verb names its doer's job
        (Subject.PREFERENCE, "k-pop", "k-pop is sooo good"),
        (Subject.PROJECT, "a kayak", "Spent the weekend on a kayak, nearly done."),
        (Subject.PLAN, "Hanoi over Easter", "Going to see my sister in Hanoi over Easter."),
    ],
    "a third round nine proposal is kept": [
        (Subject.HOME, "auckland", "heads up im in auckland so timezone is different"),
        (Subject.WORK, "plastering walls", "I've been plastering walls since I left school."),
        (Subject.PREFERENCE, "ramen", "I love ramen and the kids love it too."),  # the user's liking, shared
        (Subject.DIET, "allergic to kiwi", "Scan came back: I'm allergic to kiwi."),
    ],
    "a round ten proposal is kept": [
        (Subject.PLAN, "Lima in March", "I'm going to Lima and we fly out in March."),  # over a sentence's clauses
        (Subject.DIET, "no gin", "Teetotal here, so no gin."),  # a refusal with no verb after the diet
        (Subject.WORK, "nurse", "In my line of work as a nurse, weekends don't exist."),  # the weekends are negated
        (Subject.PREFERENCE, "Porridge", "Porridge is my comfort food."),  # a role by its lemma
        (Subject.WORK, "fix boilers", "I fix boilers and my customers are mostly landlords."),  # a word for work
        (Subject.HOME, "Turku", "I'm still getting used to Turku after the move."),  # accustomed, not past
    ],
    "a round eleven proposal is kept": [
        (Subject.HOME, "Derby", "I live in Derby, not Luton, people mix them up."),  # the contrast is negated alone
        (Subject.WORK, "welder", "I'm a welder, not a fitter, before you ask."),
        (Subject.WORK, "welder", "Never thought I'd end up a welder, but here I am."),  # an expectation met
        (Subject.PROJECT, "a tapestry", "Pressing on with a tapestry this week."),  # what one keeps at
        (Subject.WORK, "welder", "I'm a welder, whatever my dad says about it."),  # the concession is its own
        (Subject.HOME, "Derby", "I'm in Derby - have been since 2012."),  # how long one has been there
        (Subject.FAMILY, "son Milo", "My son Milo thinks I'm ancient."),  # the reporter is still named
    ],
}

DROPPED: dict[str, list[tuple[Subject, str, str]]] = {
    "a round seven trap is not kept": [
        (Subject.HOME, "Graz", "We could move to Graz, what do you think?"),
        (Subject.DIET, "vegan", "Our neighbours are vegan."),
        (Subject.PLAN, "Hanoi", "A friend of mine is flying to Hanoi in March."),
        (Subject.PREFERENCE, "bouldering", "Some people love bouldering."),
        (Subject.FAMILY, "dog Pepper", "My sister's dog is called Pepper."),
        (Subject.HOME, "Leeds", "Sam from accounts lives in Leeds."),
        (Subject.WORK, "baker", "I'm reading a book about a baker who moved to Leeds."),
        (Subject.WORK, "nurse", "I almost became a nurse."),
        (Subject.PLAN, "Lima", "I'm supposed to be going to Lima in June but I cancelled."),
        (Subject.HOME, "Porto", "Example sentence: I live in Porto."),
    ],
    "a round seven supposition quote or third party is not kept": [
        (Subject.WORK, "miner", "My granddad was a miner in Leeds."),
        (Subject.WORK, "baker", "I quit being a baker last year."),
        (Subject.WORK, "nurse", "Assume I'm a nurse in Leeds."),
        (Subject.WORK, "nurse", "Here's a job ad:\nWe are looking for a nurse in Leeds.\nApply now."),
        (Subject.HOME, "Graz", "> I live in Graz and I'm vegan\nwhat does this quote mean?"),
        (Subject.HOME, "Porto", "The company is based in Porto."),
    ],
    "a round eight lookalike proposal is dropped": [
        (Subject.PROJECT, "triathlon", "Jo from work is training for a triathlon."),  # a named person, doing
        (Subject.DIET, "no nuts", "No nuts in the cake, my sister is allergic."),  # no refusal of the user's
        (Subject.PREFERENCE, "punk", "Punk gets old fast."),
        (Subject.DIET, "no dairy", "My husband and I don't get on with dairy."),  # someone else's diet too
    ],
    "a sentence framed as hearsay or a hope supports nothing": [
        (Subject.PREFERENCE, "bouldering", "According to my husband, I'm obsessed with bouldering."),  # hearsay, whole
        (Subject.HOME, "Oslo", "I've heard Oslo is lovely to live in."),
        (Subject.DIET, "vegan", "In case I go vegan, what should I buy?"),
        (Subject.WORK, "nurse", "My dream is to be a nurse."),
        (Subject.WORK, "chef", "Unless I become a chef, I'll stay in retail."),
        (Subject.DIET, "vegan", "Part of me wants to go vegan."),
    ],
    "a round nine lookalike proposal is dropped": [
        (Subject.WORK, "electrician", "We need to hire an electrician for the flat."),  # a job looked for
        (Subject.WORK, "plumber", "I'm seeing a plumber about the boiler tomorrow."),
        (Subject.WORK, "pilot", "Oh yes, because I'm clearly a pilot."),  # sarcasm
        (Subject.HOME, "Cork", "Spent ten years in Cork before moving away."),  # a home left behind
        (Subject.HOME, "Bergen", "She said, 'I'm vegan and I live in Bergen.'"),
    ],
    "a third round nine lookalike proposal is dropped": [
        (Subject.PREFERENCE, "ramen", "We had ramen at the school fair and the kids loved it."),  # the kids' liking
        (Subject.WORK, "plumber", "Summarise: Jo Bell, 42, is a plumber who moved to Hull in 2019."),  # handed over
    ],
    "a fourth round nine lookalike proposal is dropped": [
        (Subject.DIET, "no gluten", "Gluten isn't a problem for me."),  # a restriction denied
        (Subject.DIET, "vegan", "I've got nothing against vegans, I'm just not one."),
        (Subject.HOME, "Riga", "Worst case, I move back to Riga."),
        (Subject.WORK, "joiner", "Far from a joiner, I just tinker at weekends."),
    ],
    "a round ten lookalike proposal is dropped": [
        (Subject.HOME, "York", "My sister lives in York and I live in Leeds."),  # a sentence's clause of another's
        (Subject.PLAN, "Rome in May", "My sister is going to Rome and I'm going in May."),
        (Subject.DIET, "no meat", "My sister is vegan, so no meat."),
        (Subject.HOME, "Leeds", "I'm planning to move to Leeds next year."),  # a home ahead
        (Subject.HOME, "Leeds", "We move to Leeds in June."),
        (Subject.HOME, "Leeds", "I'm staying in Leeds for a conference."),  # a stay
        (Subject.WORK, "nurse", "how do i become a nurse"),  # a question with no question mark
        (Subject.DIET, "vegan", "what do vegans eat"),
        (Subject.DIET, "vegan", "Half my friends are vegan."),  # a group of others
        (Subject.HOME, "Leeds", "My in-laws live in Leeds."),  # a hyphenated relative
        (Subject.HOME, "Leeds", "Living in Leeds must be nice."),  # a supposition
        (Subject.WORK, "pilot", "Becoming a pilot has always been my dream."),  # a dream
        (Subject.PREFERENCE, "bouldering", "Bouldering looks fun, I should try it."),  # an impression
        (Subject.PROJECT, "a novel", "I keep meaning to write a novel."),  # an intention
        (Subject.WORK, "nurse", "I spent twenty years as a nurse."),  # years spent as one was
        (Subject.HOME, "Leeds", "Leeds was home until 2015."),
        (Subject.PROJECT, "Japanese", "I tried learning Japanese once."),  # a try
        (Subject.PLAN, "Lima in March", "We went to Lima in March."),  # a trip that has been
        (Subject.WORK, "teacher", "As a teacher, my mum works long hours."),  # a fronted phrase is the mum's
    ],
    "a round eleven lookalike proposal is dropped": [
        (Subject.HOME, "Luton", "I live in Derby, not Luton, people mix them up."),  # what the contrast denies
        (Subject.DIET, "vegan", "Were I vegan, I'd eat more beans."),  # a condition put by inversion
        (Subject.HOME, "Derby", "Picture me living in Derby with a garden."),  # an imagined world
        (Subject.WORK, "welder", "In a parallel universe I'm a welder."),
        (Subject.WORK, "welder", "Our lodger works as a welder."),  # someone of the household, doing
        (Subject.DIET, "vegan", "Was vegan for a bit at uni."),  # a dropped subject before "was"
        (Subject.DIET, "vegan", "Probably going vegan soon-ish."),  # a diet ahead
        (Subject.WORK, "welder", "Should've been a welder, honestly."),  # what should have been
        (Subject.WORK, "welder", "Jo swears I'm the best welder in town."),  # someone's opinion of the user
        (Subject.DIET, "vegan", "I'm vegan. Kidding, I love steak."),  # a joke owned up to
        (Subject.WORK, "welder", "Applying for welder jobs in Cape Town."),  # a job applied for
        (Subject.HOME, "Cape Town", "Applying for welder jobs in Cape Town."),  # a place's name is no cue of home
        (Subject.DIET, "vegan", "I'm the opposite of vegan, I eat everything."),  # a denial without negation
    ],
}


@pytest.mark.parametrize(("subject", "value", "message"), cases(KEPT))
def test_a_proposal_the_message_states_is_kept(subject, value, message):
    assert validate(Proposal(subject, value), message)


@pytest.mark.parametrize(("subject", "value", "message"), cases(DROPPED))
def test_a_proposal_the_message_does_not_state_as_the_users_is_dropped(subject, value, message):
    assert not validate(Proposal(subject, value), message)


def test_what_one_listens_to_or_keenly_drinks_is_a_liking_validation_keeps():
    assert validate(Proposal(Subject.PREFERENCE, "Bach"), "I listen to Bach pretty much all day.")
    assert not validate(Proposal(Subject.PREFERENCE, "Bach"), "My dad listens to Bach all day.")


def test_a_project_named_as_finished_is_over_and_a_slip_in_a_cue_is_read_mended():
    assert not validate(Proposal(Subject.PROJECT, "a kayak"), "Finally finished a kayak last year.")
    assert validate(Proposal(Subject.PROJECT, "a kayak"), "Nearly finished a kayak, just the seat left.")
    assert validate(Proposal(Subject.HOME, "tampere"), "i liv in tampere fyi")


def test_a_project_given_up_is_over_and_a_stay_in_a_decade_of_ones_life_is_history():
    assert not validate(Proposal(Subject.PROJECT, "the cello"), "I gave up the cello after a month.")
    assert not validate(Proposal(Subject.PROJECT, "a kayak"), "Gave up on a kayak ages ago, no time.")
    assert validate(Proposal(Subject.PROJECT, "a kayak"), "Gave up telly to build a kayak this winter.")
    assert not validate(Proposal(Subject.HOME, "Leeds"), "Spent my twenties in Leeds, now I'm back with my parents.")


@pytest.mark.parametrize(("subject", "value", "message"), [
    # values the embedded model proposed, each of whose words the message says in a clause of the subject
    (Subject.FAMILY, "vegetarian", "my fiancé is vegetarian, what can I cook for him"),
    (Subject.FAMILY, "sleeping", "my little brother is sleeping on my sofa again, third time this year"),
    (Subject.FAMILY, "nurse", "my sister is a nurse"),
    (Subject.HOME, "heat", "since I moved to Perth last year the heat has been a lot to get used to"),
    (Subject.PREFERENCE, "3306", "Just so you know, my parking spot number is 3306."),
    (Subject.WORK, "Tbilisi", "In October I'll be in Tbilisi for work."),
    (Subject.PROJECT, "brno", "I commute into town from Brno every day."),
    (Subject.WORK, "Lena", "Bringing my daughter Lena to work today."),
    (Subject.FAMILY, "food", "cos im vegan i just bring my own food"),
    (Subject.FAMILY, "school", "Our kids go to school here in Aarhus."),
])
def test_a_value_without_the_shape_of_its_subject_is_no_fact(subject, value, message):
    assert not validate(Proposal(subject, value), message)


@pytest.mark.parametrize(("subject", "value", "message"), [
    (Subject.FAMILY, "greyhound called Pip", "we adopted a rescue greyhound called Pip last month"),
    (Subject.FAMILY, "little brother", "my little brother is sleeping on my sofa again"),
    (Subject.FAMILY, "married to Lucia", "I'm married to Lucia."),
    (Subject.HOME, "Perth", "since I moved to Perth last year the heat has been a lot to get used to"),
    (Subject.HOME, "the Hague", "I live in the Hague now."),
    (Subject.WORK, "IT", "I work in IT."),
    (Subject.WORK, "Google", "I work at Google."),
    (Subject.FAMILY, "ben", "my kids ben and lena are driving me mad"),
    (Subject.FAMILY, "Lucia", "I'm married to Lucia."),
])
def test_a_relation_a_name_and_a_place_have_their_subjects_shape(subject, value, message):
    assert validate(Proposal(subject, value), message)


@pytest.mark.parametrize(("subject", "value", "message"), [
    (Subject.HOME, "Dundee", "Dundee, that is where I am."),
    (Subject.HOME, "Reykjavik", "Reykjavik is where I am, dark by 4pm"),
    (Subject.PROJECT, "my allotment", "Slowly taming my allotment, brambles everywhere"),
])
def test_the_users_own_clause_with_no_other_subjects_cue_speaks_of_the_subject_it_holds(subject, value, message):
    assert validate(Proposal(subject, value), message)


@pytest.mark.parametrize(("subject", "value", "message"), [
    (Subject.HOME, "Lisbon", "Lisbon is beautiful in spring."),  # a clause about a thing, not the user
    (Subject.PREFERENCE, "jazz", "I play jazz at weddings for work"),  # another subject's cue
    (Subject.WORK, "spreadsheets", "I stare at spreadsheets all day"),  # a job needs its cue
    (Subject.DIET, "toast", "I burnt my toast again"),  # and so does a diet
])
def test_a_clause_about_a_thing_or_with_another_subjects_cue_or_a_job_or_diet_uncued_states_nothing(
        subject, value, message):
    assert judge(Proposal(subject, value), message) is Drop.NO_CUE


def test_the_models_proposals_come_after_the_rules_and_never_take_a_one_valued_subject_from_them():
    message = "my job is in civil engineering, help me explain what I do"
    model = [Proposal(Subject.WORK, "engineering")]
    assert validate(model[0], message)
    assert validated(floor(message), message, model) == [Proposal(Subject.WORK, "civil engineering")]
    assert validated([], message, model) == model


def test_a_plan_called_off_is_no_plan():
    assert not validate(Proposal(Subject.PLAN, "lima"), "lima trip got cancelled, gutted")
    assert not validate(Proposal(Subject.PLAN, "Lima in May"), "Our Lima trip in May fell through.")
    assert validate(Proposal(Subject.PLAN, "Lima in May"), "Our Lima trip in May is booked.")


def test_here_places_the_speakers_home_whoever_the_clause_is_about():
    assert validate(Proposal(Subject.HOME, "Porto"), "Our kids go to school here in Porto.")
    assert not validate(Proposal(Subject.HOME, "Porto"), "Our kids go to school in Porto.")


def test_a_pronoun_takes_up_the_value_of_the_clause_before():
    assert validate(Proposal(Subject.DIET, "no pork"), "Please no pork in mine, I react badly to it.")
    assert not validate(Proposal(Subject.DIET, "no pork"), "No pork in mine, my sister reacts badly to it.")


def test_a_cue_verb_beside_its_noun_and_a_cue_clipped():
    assert validate(Proposal(Subject.DIET, "no soy"), "I react badly to soy.")
    assert validate(Proposal(Subject.PROJECT, "a marathon"), "Prepping for a marathon in June.")
    assert validate(Proposal(Subject.PROJECT, "the attic"), "Re-doing the attic bit by bit.")


def test_a_wish_for_luck_hopes_for_how_it_goes_not_that_it_is():
    assert validate(Proposal(Subject.PLAN, "eye test on Friday"), "Got my eye test on Friday, fingers crossed.")
    assert not validate(Proposal(Subject.PLAN, "Lima"), "Fingers crossed we go to Lima in May.")


def test_eagerness_put_as_a_denial_is_no_negation():
    assert validate(Proposal(Subject.PLAN, "lima in october"), "lima in october, cant come soon enough")


def test_a_symptom_a_food_brings_on_and_keeping_away_from_it_refuse_it():
    assert validate(Proposal(Subject.DIET, "no soy"), "Soy sets off my eczema.")
    assert validate(Proposal(Subject.DIET, "no milk"), "Staying away from milk this year.")
    assert validate(Proposal(Subject.DIET, "no gluten"), "I keep well clear of gluten.")
    assert not validate(Proposal(Subject.DIET, "no milk"), "My sister is staying away from milk this year.")


@pytest.mark.parametrize(("value", "message"), [
    ("no shellfish", "Shellfish means an EpiPen for me, so nothing from the sea"),
    ("no prawns", "Prawns put me in anaphylaxis once, never again"),
    ("no oats", "oats make me vomit, no idea why"),
    ("no pork", "pork is haram for me"),
])
def test_a_food_refused_by_what_it_does_to_the_body_or_by_a_faith(value, message):
    assert validate(Proposal(Subject.DIET, value), message)


@pytest.mark.parametrize(("value", "message"), [
    ("no shellfish", "My sister's shellfish allergy means she carries an EpiPen"),
    ("no pork", "My neighbour is Muslim, so no pork at the barbecue for him"),
    ("no pork", "I'm not Muslim, pork is fine for me"),
    ("no peanuts", "my friend's throat closes up with peanuts"),
])
def test_a_body_or_faith_word_refuses_nothing_for_someone_else_or_of_the_other_polarity(value, message):
    assert not validate(Proposal(Subject.DIET, value), message)


def test_a_thing_done_on_a_rhythm_is_a_pastime_or_a_pursuit():
    assert validate(Proposal(Subject.PREFERENCE, "ramen"), "could eat ramen every day tbh")
    assert validate(Proposal(Subject.PROJECT, "Japanese"), "doing Japanese on duolingo every morning")
    assert not validate(Proposal(Subject.PROJECT, "the cello"), "My son has the cello twice a week.")


def test_a_project_tackled_worked_by_hand_or_got_there_with():
    assert validate(Proposal(Subject.PROJECT, "the attic"), "Finally tackling the attic, it's a mess.")
    assert validate(Proposal(Subject.PROJECT, "bookcase"), "Sanded the legs of the bookcase today.")
    assert validate(Proposal(Subject.PROJECT, "a garden shed"), "slowly getting there with a garden shed")


def test_near_me_places_the_users_home():
    assert validate(Proposal(Subject.HOME, "Cork"), "The supermarket near me in Cork shuts at eight.")
    assert not validate(Proposal(Subject.HOME, "Cork"), "The supermarket in Cork shuts at eight.")


def test_a_thing_equated_with_ones_taste_is_a_liking():
    assert validate(Proposal(Subject.PREFERENCE, "k-pop"), "k-pop is such a vibe")
    assert validate(Proposal(Subject.PREFERENCE, "sailing"), "Sailing on Sundays is the highlight of my week.")
    assert validate(Proposal(Subject.PREFERENCE, "jazz"), "Jazz is totally my jam.")
    assert not validate(Proposal(Subject.PREFERENCE, "jazz"), "My brother says jazz is such a vibe.")
    assert not validate(Proposal(Subject.PREFERENCE, "sam"), "Sam is my husband.")
    assert not validate(Proposal(Subject.PREFERENCE, "leeds"), "Leeds is my home now.")
    assert not validate(Proposal(Subject.PREFERENCE, "jazz"), "Is jazz such a vibe?")


def test_refusing_meat_beside_a_diet_without_it_is_that_diet():
    assert validate(Proposal(Subject.DIET, "vegan"), "dont eat meat, vegan for four years")
    assert not validate(Proposal(Subject.DIET, "vegan"), "I'm not vegan, I just don't eat meat.")


def test_never_missing_a_chance_is_eagerness_no_negation():
    assert validate(Proposal(Subject.PREFERENCE, "sailing"), "I never miss a chance to go sailing.")


def test_a_project_sorted_out_gone_hours_into_knee_deep_in_or_logged_for():
    assert validate(Proposal(Subject.PROJECT, "the attic"), "Sorting out the attic this week, so much junk.")
    assert validate(Proposal(Subject.PROJECT, "Japanese"), "Twenty hours into Japanese and I can order a coffee.")
    assert validate(Proposal(Subject.PROJECT, "a memoir"), "knee deep in a memoir atm")
    assert validate(Proposal(Subject.PROJECT, "a marathon"), "Logging miles for a marathon in April.")
    assert not validate(Proposal(Subject.PROJECT, "a marathon"), "My brother is logging miles for a marathon.")


def test_ones_own_services_and_daily_round_in_a_place_are_a_home():
    assert validate(Proposal(Subject.HOME, "Brno"), "My GP in Brno is useless.")
    assert validate(Proposal(Subject.HOME, "Ghent"), "I walk the dog along the river in Ghent every morning.")
    assert not validate(Proposal(Subject.HOME, "Brno"), "my sisters gp in Brno is great")


def test_a_drink_swapped_for_another_is_given_up_and_a_playlist_is_what_one_likes():
    assert validate(Proposal(Subject.DIET, "no milk"), "Swapped milk for water a year ago and never went back.")
    assert validate(Proposal(Subject.PREFERENCE, "k-pop"), "my whole playlist is k-pop")
    assert not validate(Proposal(Subject.PREFERENCE, "k-pop"), "The kids' playlist is all k-pop.")


def test_part_of_what_the_rules_read_is_kept_and_never_with_the_polarity_turned():
    # round fourteen (r14c): the rules read "no sesame or lentils"; a model's "no sesame" is part of it, "sesame" not
    assert validate(Proposal(Subject.DIET, "no sesame"), "dont do sesame or lentils, havent for years")
    assert not validate(Proposal(Subject.DIET, "sesame"), "dont do sesame or lentils, havent for years")
    assert validate(Proposal(Subject.PLAN, "Oslo"), "Booked time off in July so we can do Oslo.")


def test_an_allergy_denied_supports_no_refusal():
    # round fourteen (r14b): "I'm not allergic" is negated, and no refusal of the food
    assert not validate(Proposal(Subject.DIET, "no sesame"), "I'm not allergic to sesame, that was my cousin.")
# Round fourteen (r14b): what validation reads beside the rules, for a model's proposal in its own words.
@pytest.mark.parametrize("message", ["Noor is my friend's daughter.",
                                     "Packed lunches for Noor, she's my neighbour's kid."])
def test_someone_elses_child_is_no_family_of_the_users(message):
    assert not validate(Proposal(Subject.FAMILY, "Noor"), message)
    assert validate(Proposal(Subject.FAMILY, "Noor"), message.replace("friend's ", "").replace("neighbour's ", ""))


def test_ones_children_by_their_count_before_their_names_are_family():
    assert validate(Proposal(Subject.FAMILY, "Noor"), "My two, Noor (7) and Ana (4), are off school today.")
    assert not validate(Proposal(Subject.FAMILY, "Noor"), "Just my two cents, Noor would disagree.")


def test_a_project_on_its_home_stretch_eating_ones_weekends_or_on_its_nth_day():
    assert validate(Proposal(Subject.PROJECT, "cedar birdhouse"), "On the home stretch with a cedar birdhouse now.")
    assert validate(Proposal(Subject.PROJECT, "kayak"), "a kayak is eating all my weekends")
    assert validate(Proposal(Subject.PROJECT, "Japanese"), "Day 40 of Japanese on Duolingo!")
    assert validate(Proposal(Subject.PROJECT, "attic"), "Two coats in on the attic, one to go.")
    assert not validate(Proposal(Subject.PROJECT, "kayak"), "My brother's kayak is eating all his weekends.")


def test_a_thing_watched_again_and_again_is_liked_and_a_willingness_is_a_taste():
    assert validate(Proposal(Subject.PREFERENCE, "sitcoms"), "been bingeing old sitcoms all week no regrets")
    assert validate(Proposal(Subject.PREFERENCE, "curry"), "I'd happily eat Thai curry for every meal.")
    assert not validate(Proposal(Subject.PREFERENCE, "curry"), "I'd happily eat Thai curry if it were milder.")


def test_a_hope_to_get_a_thing_is_no_fact_but_a_hope_to_have_a_making_done_by_a_date_is_a_project():
    assert not validate(Proposal(Subject.FAMILY, "dog"), "Hoping to get a dog soon.")
    assert validate(Proposal(Subject.PROJECT, "treehouse"), "Hoping to have a treehouse done by April.")


def test_a_hyphenated_relation_a_habit_all_of_a_thing_seen_and_what_one_is_in_for():
    assert validate(Proposal(Subject.FAMILY, "Ruth"), "My in-laws, Ruth and Priya, are staying till Sunday.")
    assert validate(Proposal(Subject.PREFERENCE, "curry"), "My Thai curry habit is getting expensive lol")
    assert validate(Proposal(Subject.PREFERENCE, "sitcoms"), "I've seen every episode of old sitcoms at least twice.")
    assert validate(Proposal(Subject.PREFERENCE, "hiking"), "Every holiday we book revolves around hiking.")
    assert validate(Proposal(Subject.PREFERENCE, "curry"), "If it's Thai curry, count me in.")
    assert validate(Proposal(Subject.PROJECT, "memoir"), "Only the epilogue left to write for a memoir!")
    assert not validate(Proposal(Subject.PREFERENCE, "smoking"), "My smoking habit is getting expensive.")
    assert not validate(Proposal(Subject.PREFERENCE, "curry"), "If it's Thai curry, I'll pass.")


def test_names_taken_up_by_ones_children_by_their_count_and_what_one_cannot_resist():
    message = "Packed lunches for Ben, Noor and Lena done, my three are finally out the door."
    assert validate(Proposal(Subject.FAMILY, "Noor"), message)
    assert validate(Proposal(Subject.PREFERENCE, "chocolate"), "I can never resist dark chocolate.")
    assert not validate(Proposal(Subject.FAMILY, "Ana"), "Lunch with Ana and Ben, my three are at school.")


@pytest.mark.parametrize(("subject", "value", "message"), [
    # a pet named by its breed
    (Subject.FAMILY, "beagle Biscuit", "Biscuit (our beagle) ate a sock, should i be worried??"),
    (Subject.FAMILY, "greyhound called Pip",
     "we adopted a rescue greyhound called Pip last month and he's scared of stairs"),
    # a trade as chat clips it
    (Subject.WORK, "backend dev", "As a backend dev at a fintech startup I spend half my day in meetings, how do I "
                                  "protect focus time"),
    # what is coming, as chat says it
    (Subject.PLAN, "route 66 this summer", "gonna do route 66 this summer w/ my dad, any must-sees"),
    (Subject.PLAN, "knee op on the 14th", "knee op on the 14th, any tips for recovery"),
    (Subject.PLAN, "retiring at the end of the year", "retiring at the end of the year after 32 years, what do "
                                                      "people even do all day"),
])
def test_validation_keeps_a_good_models_reading_of_chat_speech(subject, value, message):
    # Round sixteen: from an independent set of everyday messages, ideal proposals dropped for want of a cue.
    assert validate(Proposal(subject, value), message)


@pytest.mark.parametrize(("subject", "value", "message"), [
    (Subject.FAMILY, "beagle", "My neighbour's beagle barks all night."),
    (Subject.PLAN, "rent due Friday", "My sister's rent is due Friday."),
    (Subject.WORK, "dev", "What does a dev do all day?"),
])
def test_another_s_pet_or_date_and_a_question_about_a_trade_are_still_dropped(subject, value, message):
    assert not validate(Proposal(subject, value), message)


def test_the_rules_use_one_set_of_patterns_whatever_the_messages(monkeypatch):
    # A pattern made of a message's own words ("rf'{re.escape(text)}\s+since'") is compiled anew for every
    # message: it pushed the rules' own patterns out of re's cache (512 in CPython), every rule's pattern was then
    # compiled again for every message, and the soak's worker environments, digesting each turn, fell seven times
    # behind. The rules keep their compiled patterns (memory/patterns.py), and those are one set however many
    # different messages they read.
    from evaluation.bank import examples

    compiled: set[tuple[object, int]] = set()
    original = re._compile

    def counting(pattern, flags):
        compiled.add((pattern, flags))
        return original(pattern, flags)

    monkeypatch.setattr(re, "_compile", counting)
    messages = [example.text for example in examples("dev")][::5]  # about 1,300 messages of every subject
    for message in messages:
        floor(message)
        # (a model's proposals, each new: the message's own last and first words)
        words = message.split()
        validated([Proposal(Subject.HOME, words[-1].strip(".!?,")), Proposal(Subject.PREFERENCE, words[0]),
                   Proposal(Subject.WORK, words[len(words) // 2])], message)
    assert len(messages) > 1000
    # (about 360 today, from every rule's path; a pattern per message would be more than a thousand)
    assert len(compiled) <= re._MAXCACHE * 3 // 4, len(compiled)
