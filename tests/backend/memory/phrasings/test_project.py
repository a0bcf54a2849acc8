"""Project: what the user is making or learning now, read without the model (phrasings/project.py)."""

from __future__ import annotations

import pytest

from memchat.memory.memories import Proposal, Subject
from memchat.memory.phrasings import floor

J = Subject.PROJECT


@pytest.mark.parametrize(("message", "value"), [
    # a trade's work on a room, and a collection put together, by the verb's lemma
    ("Replastering the hallway, slow going.", "replastering the hallway"),
    ("I'm rewiring the garage at the moment.", "rewiring the garage"),
    ("Compiling an anthology of local ghost stories.", "compiling an anthology of local ghost stories"),
    # the object ends where a new clause starts after "and"
    ("I'm halfway through rebuilding a motorbike and the gearbox is seized.", "rebuilding a motorbike"),
    # what a plan, a pitch or a design is for stays with it
    ("Designing a logo for a friend's bakery.", "designing a logo for a friend's bakery"),
    ("I'm writing a grant proposal for our village hall.", "writing a grant proposal for our village hall"),
    # ground worked into a garden
    ("Slowly clearing a veg patch behind the shed.", "clearing a veg patch"),
    ("We're levelling a patio out the back.", "levelling a patio"),
    # a venture grown or started
    ("Just started a newsletter about urban birds.", "started a newsletter about urban birds"),
    ("We're growing a small pottery business.", "growing a small pottery business"),
    # a project named by its kind, what it is on kept
    ("I'm doing a history project about the Tudors.", "history project about the Tudors"),
    # a long piece of work named with its deadline or toll
    ("My novel about a lighthouse keeper is eating my weekends.", "novel about a lighthouse keeper"),
    ("our capstone is due on Friday", "capstone"),
    # the weeks or months into it
    ("Month 2 of learning the banjo.", "learning the banjo"),
    # a little thing made is a thing, not "learning a little"
    ("Making a little rocking horse for my niece.", "making a little rocking horse"),
    # a craft one is getting into
    ("Slowly getting into bookbinding.", "bookbinding"),
    ("I'm getting into watercolour painting again", "watercolour painting"),
    # a making done again, hyphenated, and how it goes left out
    ("Re-upholstering an old armchair.", "re-upholstering an old armchair"),
    ("Re-building our garden wall bit by bit", "re-building our garden wall"),
    ("Prepping for a sprint triathlon.", "prepping for a sprint triathlon"),
    # a thing slogged through, getting somewhere with, or learnt on an app
    ("Slogging through a Spanish grammar workbook.", "a Spanish grammar workbook"),
    ("Finally getting somewhere with my fiddle playing", "my fiddle playing"),
    ("practising French on Babbel at lunch", "French"),
])
def test_a_making_is_read_in_its_everyday_shapes(message, value):
    assert Proposal(J, value) in floor(message)


@pytest.mark.parametrize("message", [
    "I'm digging the new Arctic Monkeys album.",  # a liking, not ground dug
    "Clearing the path after the snow.", "Weeding the lawn again.",  # chores
    "My son is starting a podcast.",  # someone else's
    "Starting a podcast is harder than it looks.",  # said of anyone
    "Week 2 of the school holidays.", "Week 3 of chemo.",  # a stretch of time, no making
    "Month 6 of living in Leeds.", "Week 5 of being unemployed.", "Week 3 of marriage.",  # a state lived in
    "I'm getting into bed.", "getting into trouble at school", "I'm getting into the habit of running",
    "Getting into debt again.", "Re-sending an email to my landlord.",
    "Getting there with my son, slowly.", "Wading through paperwork.", "Ploughing through my emails.",
    "My essay is due tomorrow.",  # done in a sitting
    "Help me write my cover letter.",  # a task asked of the assistant
    "Piecing together what went wrong.",
    "I'm learning a lot from this course.",
])
def test_a_lookalike_teaches_no_project(message):
    assert [p for p in floor(message) if p.subject is J] == []


@pytest.mark.parametrize(("message", "value"), [
    # a skill made good again
    ("Polishing up my German before the move.", "polishing up my German"),
    ("brushing up on statistics for a new role", "brushing up on statistics"),
    # the user with someone else as the making's subject
    ("Me and my flatmate are building a treehouse.", "building a treehouse"),
    ("me and my brother started a vlog about retro consoles", "started a vlog about retro consoles"),
    # a work or a venture named without its article, as chat drops it; a thing made to be sold
    ("making web app for my church choir, any hosting tips", "making web app for my church choir"),
    ("im starting food truck with my uncle", "starting food truck"),
    ("making beeswax candles to sell on etsy", "making beeswax candles to sell"),
    # how far in by the words written, the app named before the language
    ("Roughly 25k words into my memoir.", "my memoir"),
    ("on babbel italian most mornings", "italian"),
    # one more of a thing made by a craft, counted
    ("Starting my 3rd knitted jumper.", "knitted jumper"),
    # training named with its toll, a programme counted in weeks, a thing made again that comes out wrong
    ("Marathon training is taking over my weekends.", "Marathon training"),
    ("doing 30 day yoga, day 12 now", "30 day yoga"),
    ("My macarons keep coming out cracked.", "macarons"),
])
def test_a_making_is_read_as_chat_types_it(message, value):
    assert Proposal(J, value) in floor(message)


@pytest.mark.parametrize("message", [
    "brushing up against the wall", "My sister and her husband are building a house.",
    "making money on the side", "making friends at uni",  # no work, nothing sold
    "im starting shop job monday", "starting business school in autumn",
    "on my second coffee of the day", "on my third glass of wine", "my son is on his fourth knitted scarf",
    "Work training is eating my life.", "Sleep training is killing me.",
    "doing nothing, week 2 of holidays", "doing duolingo every night",
    "My hair keeps coming out like crazy.", "My son's bread keeps coming out flat.",
    "Sam's macarons keep coming out cracked.",
])
def test_a_chat_lookalike_teaches_no_project(message):
    assert [p for p in floor(message) if p.subject is J] == []


@pytest.mark.parametrize(("message", "value"), [
    ("trying to pay off my student loan, 3k down 2k to go", "pay off my student loan"),
    ("Im trying to lose 10 pounds, 6 lost 4 left", "lose 10 pounds"),
])
def test_a_goal_worked_at_with_its_progress_counted_is_a_project(message, value):
    assert Proposal(J, value) in floor(message)


@pytest.mark.parametrize("message", [
    "trying to get through my inbox, 200 down 50 to go",  # an errand
    "my sister is trying to lose weight, 8kg down 5 to go",  # someone else's
    "trying to sleep, 3 hours in",  # no count of what is left
])
def test_a_count_down_that_is_no_goal_of_the_users_teaches_no_project(message):
    assert [p for p in floor(message) if p.subject is J] == []


@pytest.mark.parametrize(("message", "value"), [
    # a making verb by its lemma after "trying to", its thing kept
    ("trying to quilt a cot cover for my niece, the corners are a nightmare", "quilt a cot cover"),
    ("Still trying to upholster an old armchair.", "upholster an old armchair"),
])
def test_a_making_tried_by_its_lemma_is_a_project(message, value):
    assert Proposal(J, value) in floor(message)


@pytest.mark.parametrize("message", [
    "trying to fix my bike, the chain keeps slipping", "trying to make a decision about uni",
    "trying to build my confidence at work", "trying to paint my nails tonight", "my son is trying to build a den",
    "trying to write a cover letter",
])
def test_an_errand_a_sitting_a_resolve_or_someone_elses_try_is_no_project(message):
    assert [p for p in floor(message) if p.subject is J] == []


@pytest.mark.parametrize(("message", "value"), [
    # a venture run with someone, or alone
    ("My cousin and I run a little newsletter on local gigs.", "run a little newsletter"),
    ("me and a friend host a podcast about old horror films", "host a podcast about old horror films"),
    ("I run a YouTube channel on budget travel, 40 videos in", "run a YouTube channel"),
])
def test_a_venture_run_or_hosted_is_a_project(message, value):
    assert Proposal(J, value) in floor(message)


@pytest.mark.parametrize("message", [
    "my brother runs a podcast about cars", "I run a bakery in Leeds", "we run a tight ship here",
    "I run a bath every night", "I listen to a podcast about history", "I run a small walking group",
])
def test_someone_elses_venture_a_trade_or_a_chore_run_is_no_project(message):
    assert [p for p in floor(message) if p.subject is J] == []


@pytest.mark.parametrize(("message", "value"), [
    # a long work and how far it has come, counted in its own units
    ("dissertation is at 9,000 words, due in May", "dissertation"),
    ("My memoir is now up to twelve chapters!", "memoir"),
    ("novel is nearly at 300 pages and still no ending", "novel"),
])
def test_a_long_work_counted_by_how_far_it_has_come_is_a_project(message, value):
    assert Proposal(J, value) in floor(message)


@pytest.mark.parametrize("message", [
    "my sister's thesis is at 80 pages", "The novel is at 300 pages, way too long to finish on holiday",
    "this novel is up to chapter 12 and I'm hooked", "the thesis is at the printers",
])
def test_someone_elses_work_a_book_read_or_a_place_is_no_project(message):
    assert [p for p in floor(message) if p.subject is J] == []


def _projects(message: str) -> list[str]:
    return [p.value for p in floor(message) if p.subject is J]


@pytest.mark.parametrize(("message", "value"), [
    # learning by teaching oneself, as "learning to" is
    ("I'm teaching myself to play the ukulele, send chord charts", "teaching myself to play the ukulele"),
    # a long work by its toll on the user whole
    ("my dissertation is destroying me, send help", "dissertation"),
    ("Our portfolio is the death of me this term", "portfolio"),
    # a work for the screen or the stage shot or directed
    ("I'm directing a pantomime for the village hall this winter", "directing a pantomime"),
    ("been shooting a music video with my band", "shooting a music video"),
    # a venture on the side by what it makes or sells
    ("our etsy shop selling hand-dyed yarn just hit 100 sales", "etsy shop selling hand-dyed yarn"),
])
def test_a_making_by_teaching_oneself_its_toll_the_screen_or_a_side_venture(message, value):
    assert _projects(message) == [value]


@pytest.mark.parametrize("message", [
    # the user's own clause before "classes" is no subject of them
    "We have been attending classes twice a week", "I've been taking lessons every Tuesday",
    # a wedding or a gun shot, a few clips, someone else's venture, a toll of no work
    "shooting a wedding in Bath", "been shooting a few videos of my dog", "shooting my shot with her",
    "my sister's side hustle making candles is booming", "my commute is destroying me",
    "my mum is teaching myself to cope lol",
])
def test_a_class_a_shoot_a_venture_or_a_toll_that_is_not_the_users_making_is_no_project(message):
    assert _projects(message) == []
