"""Preference: what the user likes and dislikes, read without the model (phrasings/preference.py)."""

from __future__ import annotations

import pytest

from memchat.memory.memories import Proposal, Subject
from memchat.memory.phrasings import floor

P = Subject.PREFERENCE


def _tastes(message: str) -> list[str]:
    return [p.value for p in floor(message) if p.subject is P]


@pytest.mark.parametrize(("message", "value"), [
    # a favourite however far it outdoes the rest
    ("Sea swimming is my all-time favourite way to spend a morning.", "Sea swimming"),
    ("Board games are my very favourite thing on a wet Sunday.", "Board games"),
    # a pastime put first is kept whole, where and how it is done
    ("Cycling along the canal is my favourite thing.", "Cycling along the canal"),
    ("Honestly, baking bread from scratch is my favourite.", "baking bread from scratch"),
    # the kind of person one is, its noun kept, with or without the "I'm"
    ("Big beach person.", "beach person"),
    ("I'm a real night person, always have been.", "night person"),
    # what one lives by, and what one puts first against another
    ("Snooker is my whole world.", "Snooker"),
    ("Vinyl over streaming every time.", "Vinyl"),
    ("Oat milk instead of dairy any day.", "Oat milk"),
    # a dislike told by its verdict or its effect on the user's nerves, in the user's words
    ("Olives taste like feet.", "Olives taste like feet"),
    ("Celery is just vile.", "Celery is just vile"),
    ("Loud chewing sets my teeth on edge.", "Loud chewing sets my teeth on edge"),
    ("Small talk genuinely does my head in.", "Small talk genuinely does my head in"),
    # a liking whose clause only a contrast after it, or a defiance, negates
    ("I love audiobooks not podcasts.", "audiobooks"),
    ("Yep I'm a Coldplay fan, no shame.", "Coldplay"),
    ("yes I am a Bond films fan, no apologies", "Bond films"),
    # how much is said between "I'm" and the liking
    ("I'm kinda addicted to sudoku.", "sudoku"),
    ("Im lowkey obsessed with sea shanties.", "sea shanties"),
    # a thing named, then called one's own by a pointer, and a choice made every time
    ("Bluegrass, that's my jam.", "Bluegrass"),
    ("Mostly sea shanties, that's my vibe", "sea shanties"),
    ("I always go for the aisle seat", "aisle seat"),
    ("I usually opt for oat milk in my coffee", "oat milk"),
    # its joy named, with how much said
    ("Grime is honestly my jam.", "Grime"),
    ("Sunday roasts are such a vibe", "Sunday roasts"),
    ("Wild swimming is pure bliss.", "Wild swimming"),
    ("Old school garage hits different", "Old school garage"),
    ("Pub quizzes are the highlight of my week.", "Pub quizzes"),
    # for as long as it lasts, the "I" dropped too
    ("I could watch Columbo forever.", "Columbo"),
    ("could drink iced coffee every day", "iced coffee"),
    # a treat, a whole collection, every time without question
    ("We treat ourselves to sushi most Fridays.", "sushi"),
    ("my entire watchlist is Korean dramas", "Korean dramas"),
    ("tacos all day, every day", "tacos"),
    ("Yoga every morning, non-negotiable.", "Yoga"),
    # a thing watched again as a habit
    ("We rewatch old Columbo episodes every Christmas.", "old Columbo episodes"),
    # the fan one has long been, without the "I've been" in the value
    ("Always been a Spurs fan.", "Spurs"),
    ("I've been a Bowie fan for decades.", "Bowie"),
])
def test_a_liking_or_dislike_is_read_in_its_everyday_shapes(message, value):
    assert Proposal(P, value) in floor(message)


@pytest.mark.parametrize("message", [
    "Cycling along the canal isn't my favourite thing.",  # negated
    "Not a beach person.", "Nice person.", "Good person, just tired.",  # a character, or denied
    "i am the clumsiest person alive, how do i fix a cracked screen", "I'm an honest person, I'll admit it",
    "My son is my whole world.", "This job is my life.",  # a relative, a pointer
    "He picks lager over ale every time.",  # someone else's
    "My sister thinks olives are disgusting.", "The food here is gross.", "Is tofu gross?",
    "My boss drives me up the wall.", "It stresses me out.", "Work stresses me out.",
    "I'm not into audiobooks, not really.", "I don't love audiobooks not gonna lie.",
    "My daughter is kinda obsessed with sudoku.",
    "My dad, that's my hero.", "Work, that's my thing.",  # a person, one's job
    "I always pick the wrong queue", "I always pick up my kids at 3", "She always picks the aisle seat",
    "i always go for whatever is cheapest",
    "what do you think my favourite colour is?",  # a question
    "My son loves Lego.",  # someone else's
    "Flying over the Alps every time is a thrill.",  # "over" a place
    "I always go for a run after work.",  # a pastime gone for, not a choice
    "Weird person.", "Stubborn person, always have been.",  # a character
    "i love my job it makes me happy",  # a clause taken in whole
    "I've never been a Bowie fan.",
    "I binge eat crisps when I'm low.", "I binge on chocolate at night.",
    "This is such a vibe.", "The party was such a vibe.", "My gym session is the highlight of my day.",
    "She could watch Columbo forever.", "I could move to Spain forever.",
    "I'm obsessed with this.", "Honestly addicted to it", "im hooked on these",  # a pointer names nothing
])
def test_a_lookalike_teaches_no_liking(message):
    assert _tastes(message) == []


@pytest.mark.parametrize(("message", "value"), [
    # a pointer after a liking takes up the bare thing the sentence opens with
    ("pls no capers i hate them", "hate capers"),
    ("anchovies are basically salty fish hairs, can't stand them", "can't stand anchovies"),
    # a liking said in Portuguese, a favourite with the copula of Nigerian English
    ("adoro brigadeiro", "brigadeiro"),
    ("jollof rice na my favourite", "jollof rice"),
    # a role it plays, with how much said and "now" after
    ("Sea swimming is basically my church now", "Sea swimming"),
    # the only thing keeping one going, after what leads up to it
    ("long week at work, climbing is the only thing keeping me going", "climbing"),
    # days given over to a doing
    ("my sundays = baking", "baking"),
    ("my evenings are basically knitting", "knitting"),
    # a verdict of the best there is, and the worst of its kind
    ("a flat white is the greatest drink on earth", "flat white"),
    ("Crunchy peanut butter is elite", "Crunchy peanut butter"),
    ("Celery is the worst vegetable", "Celery is the worst vegetable"),
    # what one adds to everything, an act seen live again and again
    ("I put chilli oil on basically everything", "chilli oil"),
    ("I've seen Coldplay live six times", "Coldplay"),
])
def test_a_liking_is_read_as_people_say_it_in_passing(message, value):
    assert Proposal(P, value) in floor(message)


@pytest.mark.parametrize("message", [
    "thanks, i love it", "new phone, love it", "kids are loud, i hate it", "the new update, i hate it",
    "gorgeous, love it", "my sister's cat, i love it",
    "trashy tv, Love Island every night",  # a title, no verb after a comma
    "my weekends are just working", "my weekends are basically nothing",
    "this is elite", "my team is elite", "Her cooking is the best food in the world",
    "Mondays are the worst when it rains", "the worst part of my day is the commute", "Sam is the worst driver",
    "I put my keys on everything", "She's seen Coldplay live six times",
    "My brother says jollof rice na my favourite?",
])
def test_a_lookalike_in_passing_teaches_no_liking(message):
    assert _tastes(message) == []


@pytest.mark.parametrize(("message", "value"), [
    ("spent my whole saturday with vintage synths, best day of the week", "vintage synths"),
    ("Spent another Sunday doing crosswords in bed, honestly the best part of my weekend", "crosswords in bed"),
])
def test_a_day_spent_at_a_thing_and_called_the_best_of_the_week_is_a_liking(message, value):
    assert Proposal(P, value) in floor(message)


@pytest.mark.parametrize("message", [
    "spent the whole sunday with my kids, best day of the week",
    "spent saturday with Tom and Ana, best day of the week",
    "spent another sunday cleaning, best day of my week lol", "my son spent saturday fishing, best day of his week",
    "spent saturday fishing, caught nothing",  # no best day
])
def test_a_day_spent_with_company_a_chore_or_by_someone_else_is_no_liking(message):
    assert _tastes(message) == []


@pytest.mark.parametrize(("message", "value"), [
    ("coffee, the stronger the better", "coffee"),
    ("thrillers on a sunday, the darker the better", "thrillers"),
])
def test_a_thing_the_more_of_a_quality_the_better_is_a_liking(message, value):
    assert Proposal(P, value) in floor(message)


@pytest.mark.parametrize("message", [
    "reply asap, the sooner the better", "Sam, the louder the better", "he likes chilli, the hotter the better",
    "my curries, the hotter the better",
])
def test_haste_a_name_or_someone_elses_taste_the_more_the_better_is_no_liking(message):
    assert _tastes(message) == []


@pytest.mark.parametrize(("message", "value"), [
    # a thing put first, then called what the user does with it, or what it does for them
    ("Birdwatching is what gets me through the week.", "Birdwatching"),
    ("Country music is all we play in the car.", "Country music"),
    ("chess on my phone is the only thing I look forward to at lunch", "chess"),
    # (what the user is, told before the thing and joined to it, is no thing liked)
    ("Off work these days and fishing is what keeps me going.", "fishing"),
])
def test_a_thing_put_first_and_called_what_the_user_does_with_it_is_a_liking(message, value):
    assert _tastes(message) == [value]


@pytest.mark.parametrize("message", [
    "Work is what keeps me going.", "the rent is all I think about", "my mum is what keeps me sane",
    "my thesis is the only thing I look forward to finishing", "That is all I listen to.",
    "Nursing is what I do for a living.",
])
def test_a_chore_a_worry_a_person_or_a_pointer_put_first_is_no_liking(message):
    assert _tastes(message) == []


@pytest.mark.parametrize(("message", "value"), [
    ("Leeds United till I die, no question.", "Leeds United"),
    ("Kaizer Chiefs until the day I die", "Kaizer Chiefs"),
])
def test_an_allegiance_for_life_is_a_liking(message, value):
    assert Proposal(P, value) in floor(message)


@pytest.mark.parametrize("message", [
    "I'll be paying this mortgage till I die", "my dad, Celtic till he dies", "It will haunt me till I die",
    "that song, until I die",
])
def test_a_burden_someone_elses_allegiance_or_a_pointer_till_death_is_no_liking(message):
    assert _tastes(message) == []


@pytest.mark.parametrize(("message", "value"), [
    # the liking before a comma, the negation only in what follows it
    ("Absolutely love thunderstorms, never sleep through one.", "thunderstorms"),
    ("I adore dim sum, can't get it round here though.", "dim sum"),
    ("Can't stand the wind, never could.", "can't stand the wind"),
])
def test_a_liking_whose_negation_is_only_in_the_clause_after_its_comma_is_read(message, value):
    assert Proposal(P, value) in floor(message)


@pytest.mark.parametrize("message", [
    "I love jazz, not.", "Not sure I love jazz, never tried.", "I don't love jazz, never did.",
    "I like him, can't say why",
])
def test_a_liking_negated_itself_or_named_by_a_pointer_before_the_comma_is_none(message):
    assert _tastes(message) == []


@pytest.mark.parametrize(("message", "value"), [
    # a mood of the day in another clause of the sentence leaves the liking before it alone
    ("really hate musicals, so for tonight something with explosions please", "hate musicals"),
])
def test_a_liking_beside_a_clause_of_the_day_is_read(message, value):
    assert Proposal(P, value) in floor(message)


@pytest.mark.parametrize("message", [
    "I hate the heat today", "loving the sunshine this morning", "ugh I can't stand the noise tonight",
    "I listen to honestly", "we play too",
])
def test_a_mood_of_the_day_or_a_filler_word_is_no_liking(message):
    assert _tastes(message) == []


@pytest.mark.parametrize("message", [
    "everyone shortens it but I prefer real name on forms", "I much prefer being called Jo", "I like surname only",
])
def test_how_the_user_would_be_called_is_no_liking(message):
    assert _tastes(message) == []


@pytest.mark.parametrize(("message", "value"), [
    ("I prefer full-fat milk", "full-fat milk"), ("I like first-person shooters", "first-person shooters"),
])
def test_a_taste_whose_words_only_look_like_a_name_is_still_a_liking(message, value):
    assert _tastes(message) == [value]


@pytest.mark.parametrize(("message", "value"), [
    # a liking told as a cleft the other way round, the thing after its copula
    ("What we enjoy most is a slow Sunday brunch", "a slow Sunday brunch"),
    ("The only thing I really like is bouldering", "bouldering"),
    ("the one thing I couldn't live without is my espresso machine", "espresso machine"),
    ("the thing I look forward to all week is Thursday salsa", "Thursday salsa"),
])
def test_a_cleft_with_the_thing_after_its_copula_is_a_liking(message, value):
    assert _tastes(message) == [value]


@pytest.mark.parametrize("message", [
    "What I loved most was the beach", "The thing I can't live without is you", "what I like is that it's quick",
])
def test_a_cleft_of_the_past_of_a_person_or_of_a_pointer_is_no_liking(message):
    assert _tastes(message) == []


@pytest.mark.parametrize(("message", "value"), [
    # a liking under way, its "I" dropped, and being hooked or big on a thing without the "I'm"
    ("been loving sea shanties on my runs", "sea shanties"),
    ("Really loving pickleball lately, is it bad for knees", "pickleball"),
    ("seriously hooked on wordle", "wordle"),
    ("huge on Formula 1 this season", "Formula 1"),
    # a kind of person one is, however much so
    ("I'm such a beach person", "beach person"),
    # what it brings the user, and how much of their life it is
    ("Old maps bring me such joy", "Old maps"), ("long train journeys give me real peace", "long train journeys"),
    ("Salsa dancing is a huge part of my life", "Salsa dancing"),
])
def test_everyday_likings_told_without_a_verb_of_liking_or_its_i(message, value):
    assert _tastes(message) == [value]


@pytest.mark.parametrize("message", [
    "loving the weather today", "loving life at the moment", "loving your answers", "been loving it",
    "really loving Lisbon so far", "loving Kyoto, the food is unreal",
    "my kids bring me joy", "Work is a huge part of my life", "I live for the weekends", "i live for fridays tbh",
])
def test_a_mood_a_pointer_a_person_work_or_a_time_is_no_liking(message):
    assert _tastes(message) == []


@pytest.mark.parametrize(("message", "value"), [
    # the dislikes of a formal hand and of a strong one, with their "I" or without
    ("We loathe crowded beaches, so a quiet cove please.", "loathe crowded beaches"),
    ("I really cannot abide queues at the post office", "cannot abide queues"),
    ("despise group projects, they're always unfair", "despise group projects"),
    ("I abhor reality television", "abhor reality television"),
])
def test_a_dislike_by_its_stronger_verbs(message, value):
    assert _tastes(message) == [value]


@pytest.mark.parametrize("message", [
    "I can't bear to leave the dog alone", "my brother despises me", "i cant abide him", "I loathe to say it",
    "Can't bear it any more", "I despise that you asked",
])
def test_a_stronger_dislike_of_a_person_a_pointer_or_a_doing_is_no_taste(message):
    assert _tastes(message) == []


@pytest.mark.parametrize(("message", "value"), [
    # a cleft of what the user likes best, by any verb of liking
    ("Birdwatching is what we love most about retirement", "Birdwatching"),
    ("cold brew is the thing i like best", "cold brew"),
    # how truly said between the copula and the favourite, the favourite as chat clips it, a thing that is all one is
    ("dim sum is lowkey my fave food", "dim sum"), ("Crosswords are definitely my favourite pastime", "Crosswords"),
    ("pickleball is basically my entire personality now", "pickleball"), ("Afrobeats is my ting", "Afrobeats"),
    # enough of a thing never had, without its "of"
    ("we can't get enough board games at home", "board games"),
    # the only one of its kind the user cares for or takes in
    ("Cricket is the only sport I really follow", "Cricket"),
    ("k-drama is the only tv i watch", "k-drama"),
    # a role the thing plays, with a word to the assistant after it
    ("lofi playlists are my study comfort, lol", "lofi playlists"),
])
def test_a_liking_told_by_what_the_thing_is_to_the_user(message, value):
    assert _tastes(message) == [value]


@pytest.mark.parametrize("message", [
    "What I like most is that it's quick", "the bus is what I hate most", "i can't get enough sleep",
    "can't get enough time with the kids", "my sister is definitely my fave", "you are my entire personality",
    "Tom is the only person I care about", "this is the only one i like", "Work is the only thing I care about",
    "mum is the only one i listen to",
])
def test_a_cleft_a_favourite_or_an_only_one_of_a_person_a_pointer_or_a_want_is_no_liking(message):
    assert _tastes(message) == []


@pytest.mark.parametrize(("message", "value"), [
    # a liking named by its noun, as a formal hand puts it, the thing after it or before it
    ("We take such delight in amateur dramatics", "amateur dramatics"),
    ("I have long had a deep fondness for Victorian architecture", "Victorian architecture"),
    ("I find real enjoyment in restoring clocks", "restoring clocks"),
    ("Bell ringing remains a constant pleasure to me", "Bell ringing"),
    ("I'm a voracious reader of naval history", "naval history"),
])
def test_a_liking_by_its_noun_in_a_formal_hand(message, value):
    assert _tastes(message) == [value]


@pytest.mark.parametrize("message", [
    "I had a great love of sailing as a boy", "I take great pleasure in my grandchildren",
    "my son is a great joy to me",
    "I find no pleasure in cooking", "I take pleasure in telling you", "Work has always been a great joy to me",
    "rowing, which I enjoy greatly",
])
def test_a_formal_liking_of_the_past_of_people_denied_or_of_a_pointer_is_no_taste(message):
    assert _tastes(message) == []
