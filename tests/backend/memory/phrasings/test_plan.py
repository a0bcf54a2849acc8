"""Plan (memory/phrasings/plan.py): what the user has planned, as round seventeen reads it."""

from __future__ import annotations

import pytest

from memchat.memory.memories import Proposal, Subject
from memchat.memory.phrasings import floor

L = Subject.PLAN


def _plans(message: str) -> list[Proposal]:
    return [proposal for proposal in floor(message) if proposal.subject is L]


# This year is a plan's date after a word that looks ahead; the year's end is a date of its own.
@pytest.mark.parametrize(("message", "plan"), [
    ("We're heading to Mecca for Umrah this year, any advice on the heat?", "heading to Mecca for Umrah this year"),
    ("Getting married this year, so much to organise", "Getting married this year"),
    ("Starting at the new school at the end of this month", "Starting at the new school at the end of this month"),
])
def test_this_year_after_a_word_looking_ahead_and_the_years_end_date_a_plan(message, plan):
    assert _plans(message) == [Proposal(L, plan)]


@pytest.mark.parametrize("message", [
    "Having a go at pottery this year.",
    "I've read twenty books this year.",
    "Doing a lot of swimming this year",
    "going to the gym loads this year",  # a habit, whatever its verb
    "off sick a lot this year",
    "moving more this year, 10k steps a day",
])
def test_this_year_of_what_goes_on_now_is_no_plan(message):
    assert _plans(message) == []


# An application, a move abroad, a trip by how one sleeps or walks, and a giving up ahead, begin a plan.
@pytest.mark.parametrize(("message", "plan"), [
    ("Applying to med school next year, any tips for the personal statement?", "Applying to med school next year"),
    ("We're relocating to Perth in the spring", "relocating to Perth in the spring"),
    ("hiking in Snowdonia over the bank holiday with the kids",
     "hiking in Snowdonia over the bank holiday with the kids"),
    ("Going to give up vaping next week, wish me luck", "Going to give up vaping next week"),
])
def test_an_application_a_move_abroad_a_walking_trip_and_a_giving_up_ahead_are_plans(message, plan):
    assert _plans(message) == [Proposal(L, plan)]


@pytest.mark.parametrize("message", [
    "Hiking on Saturdays keeps me sane.",  # a habit, not a date
    "My brother is emigrating to Chile next year.",
    "I quit vaping last year.",
    "Should I apply to med school next year?",
    "Camping is the best holiday there is.",
])
def test_a_habit_someone_elses_move_a_past_quitting_or_a_question_is_no_plan(message):
    assert _plans(message) == []


# An appointment typed short, its kind named by who it is with: "dentist appt tomorrow".
@pytest.mark.parametrize(("message", "plan"), [
    ("doctor appt on friday, finally getting my knee looked at", "doctor appt on friday"),
    ("Vet appt next Tuesday for the annual jabs", "Vet appt next Tuesday for the annual jabs"),
])
def test_an_appointment_typed_short_is_a_dated_plan(message, plan):
    assert _plans(message) == [Proposal(L, plan)]


@pytest.mark.parametrize("message", [
    "My dentist says I need a crown.",
    "The doctor was off on Friday.",
])
def test_a_doctor_or_dentist_doing_something_is_no_plan_of_the_users(message):
    assert _plans(message) == []


# The plan ends where a question or an aside follows its date.
@pytest.mark.parametrize(("message", "plan"), [
    ("Driving up to Inverness for Easter, what's the quickest route", "Driving up to Inverness for Easter"),
    ("We're moving flat in two weeks, chaos everywhere", "moving flat in two weeks"),
    ("I'm hosting Thanksgiving this year, never done it before!", "hosting Thanksgiving this year"),
])
def test_a_plan_ends_before_the_question_or_aside_after_its_date(message, plan):
    assert _plans(message) == [Proposal(L, plan)]


# Tickets got for an event named by its own name.
@pytest.mark.parametrize(("message", "plan"), [
    ("finally bagged beyonce tickets omg", "beyonce tickets"),
    ("We got Wimbledon tickets!", "Wimbledon tickets"),
])
def test_tickets_for_a_named_event_are_a_plan(message, plan):
    assert _plans(message) == [Proposal(L, plan)]


@pytest.mark.parametrize("message", [
    "Got a speeding ticket on the way home.",
    "got parking tickets twice this month",
    "I got Coldplay tickets for my sister.",
    "Never got glasto tickets in the end.",
    "Has anyone got Wimbledon tickets?",
])
def test_a_fine_a_gift_a_denial_or_a_question_about_tickets_is_no_plan(message):
    assert _plans(message) == []


# Round eighteen. A negation only in an aside after a comma leaves the plan before it standing; an aside that takes
# the plan back (or doubts it) leaves nothing.
@pytest.mark.parametrize(("message", "plan"), [
    ("hip operation on the 3rd, still can't sleep for worrying", "hip operation on the 3rd"),
    ("off to Lima next month for a conference, haven't packed a thing", "off to Lima next month for a conference"),
])
def test_a_negation_only_in_an_aside_after_the_plan_leaves_the_plan(message, plan):
    assert _plans(message) == [Proposal(L, plan)]


@pytest.mark.parametrize("message", [
    "heading to Lima next month, not sure yet",
    "hip operation on the 3rd, or not, they might cancel",
    "I'm not heading to Lima next month, can't afford it",
])
def test_an_aside_that_takes_the_plan_back_leaves_no_plan(message):
    assert _plans(message) == []


# More of the dates people type: a day of the month without "the", a long weekend, the school holidays, a season
# without "the" after a trip; a drive somewhere, as the clause reader puts it ("driving ..." is "I drive ..."); a
# habit's day is none.
@pytest.mark.parametrize(("message", "plan"), [
    ("I'll take the train to Leeds on 21st for a gig", "take the train to Leeds on 21st for a gig"),
    ("city break to Seville in autumn, what should I wear", "Seville in autumn"),
    ("hiking in Snowdonia next long weekend", "hiking in Snowdonia next long weekend"),
    ("taking my nephew to Disneyland over the summer holidays", "taking my nephew to Disneyland over the summer "
     "holidays"),
    ("driving the Ring of Kerry in May, tips for the bends?", "driving the Ring of Kerry in May"),
    ("will fly to Bergen on 2nd for a conference", "fly to Bergen on 2nd for a conference"),
])
def test_more_dates_as_typed_and_a_drive_date_a_plan(message, plan):
    assert _plans(message) == [Proposal(L, plan)]


@pytest.mark.parametrize("message", [
    "I love hiking in autumn",
    "we ski in winter",
    "driving in the dark next month scares me",
    "will it rain in Bergen on 2nd?",
    "will be nice to see Bergen on 2nd",
    "we always go camping over the summer holidays",
    "I drive to work on Fridays",
    "driving in winter scares me",
])
def test_a_season_a_holiday_or_a_day_of_a_habit_is_no_plan(message):
    assert _plans(message) == []


# A known place typed in lower case is read as a capitalised one would be (its value as typed), with whom one goes
# between the place and its date; a trip booked for a place; a place for an occasion of one's own; a first time going.
@pytest.mark.parametrize(("message", "plan"), [
    ("long weekend in krakow with my sisters next month, what to see", "krakow next month"),
    ("hotel is booked for Kyoto in October!!", "Kyoto in October"),
    ("Lisbon for our anniversary next month, any rooftop bars?", "Lisbon for our anniversary next month"),
    ("first time flying to Tokyo in March, so nervous", "flying to Tokyo in March"),
])
def test_a_lower_case_place_a_trip_booked_for_a_place_an_occasion_and_a_first_time_are_plans(message, plan):
    assert _plans(message) == [Proposal(L, plan)]


@pytest.mark.parametrize("message", [
    "krakow in march was freezing last year",
    "is krakow nice in march?",
    "Lisbon for a honeymoon next month sounds dreamy, my sister's lucky",
    "first time I went to Tokyo in March it rained",
    "my boss has a hotel booked for Kyoto in October",
])
def test_a_place_in_the_past_a_question_someone_elses_trip_is_no_plan(message):
    assert _plans(message) == []


# A party somewhere, dated, is an event of one's own like a wedding or a conference.
@pytest.mark.parametrize(("message", "plan"), [
    ("hen party in Dublin in May, need matching t-shirt ideas", "hen party in Dublin in May"),
])
def test_a_party_somewhere_dated_is_a_plan(message, plan):
    assert _plans(message) == [Proposal(L, plan)]


@pytest.mark.parametrize("message", [
    "a party in Dublin in May would be fun",
    "my brother's stag party in Dublin in May got cancelled",
])
def test_a_wished_or_someone_elses_party_is_no_plan(message):
    assert _plans(message) == []


# A festival dates a plan as Christmas does; a trip named by its place, planned or booked for a date.
@pytest.mark.parametrize(("message", "plan"), [
    ("flying home to Accra for Eid, need gift ideas for my nieces", "flying home to Accra for Eid"),
    ("mysore trip booked for diwali with my cousins", "mysore trip booked for diwali"),
    ("Tbilisi getaway planned for next spring", "Tbilisi getaway planned for next spring"),
])
def test_a_festival_dates_a_plan_and_a_trip_named_by_its_place(message, plan):
    assert _plans(message) == [Proposal(L, plan)]


@pytest.mark.parametrize("message", [
    "we always fly home for Eid",
    "mysore trip for diwali was the best",
    "my sister's Tbilisi getaway is planned for next spring",
    "a Tbilisi getaway for next spring would be nice",
])
def test_a_festival_habit_a_past_trip_or_someone_elses_trip_is_no_plan(message):
    assert _plans(message) == []


# One day's part, without "on", dates a plan ("saturday night"); the days' parts of a habit (plural) do not.
@pytest.mark.parametrize(("message", "plan"), [
    ("hiking up pen y fan saturday morning, what should I bring", "hiking up pen y fan saturday morning"),
    ("We're hosting a quiz at the pub Sunday afternoon", "hosting a quiz at the pub Sunday afternoon"),
])
def test_a_days_part_dates_a_plan(message, plan):
    assert _plans(message) == [Proposal(L, plan)]


@pytest.mark.parametrize("message", [
    "We're hosting a quiz at the pub Sunday afternoons",
    "hiking saturday morning was magical",
    "is the pub open sunday afternoon?",
])
def test_the_days_parts_of_a_habit_a_past_night_or_a_question_are_no_plan(message):
    assert _plans(message) == []


@pytest.mark.parametrize("message", [
    # a day's part in the plural is a habit's, whatever is done then
    "doing life drawing on Wednesday evenings, my hands are a mess",
    "going swimming on Friday mornings before work",
    "I'm playing five-a-side on Monday nights these days",
])
def test_a_doing_on_a_days_part_in_the_plural_is_a_habit_not_a_plan(message):
    assert _plans(message) == []


@pytest.mark.parametrize(("message", "plan"), [
    # a trip equated with where it goes by "to", dated by its leaving, under a heading
    ("To answer you: the holiday is to Crete, leaving Sunday night.", "Crete, leaving Sunday night"),
    ("our trip's to Porto, flying out next week", "Porto, flying out next week"),
])
def test_a_trip_to_a_place_dated_by_its_leaving_is_a_plan(message, plan):
    assert _plans(message) == [Proposal(L, plan)]


@pytest.mark.parametrize("message", [
    "the trip was to Crete, leaving Sunday night", "my sister's trip is to Porto, flying out next week",
    "the trip is to Crete, leaving Sunday night, maybe",
])
def test_a_trip_over_someone_elses_or_doubted_is_no_plan(message):
    assert _plans(message) == []


@pytest.mark.parametrize(("message", "plan"), [
    # "will" with its "I" dropped, then a verb of going: a statement, not a question
    ("will travel to Kochi with my aunt in March, what should I pack", "travel to Kochi with my aunt in March"),
    ("Will fly to Nairobi next week for the conference.", "fly to Nairobi next week for the conference"),
])
def test_will_with_its_i_dropped_before_a_verb_of_going_is_a_plan(message, plan):
    assert _plans(message) == [Proposal(L, plan)]


@pytest.mark.parametrize("message", [
    "will visit be possible next month?", "Will Kochi be hot in March", "will my sister visit Kochi next month",
    "will it travel well in March",
])
def test_will_asked_of_a_thing_or_someone_else_is_no_plan(message):
    assert _plans(message) == []


@pytest.mark.parametrize(("message", "plan"), [
    # a holiday by its name this one or next, the weeks off that schools, churches and countries keep, a weekend taken
    ("Flying home to Busan next chuseok, what gifts should I bring?", "Flying home to Busan next chuseok"),
    ("taking the kids to Lisbon over the october hols", "taking the kids to Lisbon over the october hols"),
    ("Driving up to Inverness in the easter holidays.", "Driving up to Inverness in the easter holidays"),
    ("off to bristol for the long weekend!!", "off to bristol for the long weekend"),
    ("visiting my gran in cork for spring break", "visiting my gran in cork for spring break"),
])
def test_a_trip_dated_by_a_holiday_or_a_weekend_is_a_plan(message, plan):
    assert _plans(message) == [Proposal(L, plan)]


@pytest.mark.parametrize("message", [
    "We always go to Cornwall in the school holidays", "The kids are off in the easter holidays",
    "my brother is flying to Busan for chuseok", "Christmas in the school holidays was chaos",
])
def test_a_holiday_of_a_habit_of_someone_else_or_of_the_past_is_no_plan(message):
    assert _plans(message) == []


@pytest.mark.parametrize(("message", "plan"), [
    # a step in life in the present, dated ahead; a celebration of a round number; the formal future's duty
    ("I graduate in July, so I need a gown", "graduate in July"),
    ("My wife and I celebrate our ruby anniversary next month.", "celebrate our ruby anniversary next month"),
    ("I am to preach at St Mary's on the 9th of June", "to preach at St Mary's on the 9th of June"),
    # "gonna" before a doing of a day out; the user with others, their "are" dropped
    ("gonna hike the pennine way in june", "gonna hike the pennine way in june"),
    ("me and the girls driving to Galway on Friday", "driving to Galway on Friday"),
    # what leads up to it is none of it
    ("I retire next spring after thirty years at the bank", "retire next spring"),
])
def test_a_step_in_life_a_round_celebration_and_a_day_out_ahead_are_plans(message, plan):
    assert _plans(message) == [Proposal(L, plan)]


@pytest.mark.parametrize("message", [
    "We celebrate Christmas in December", "we celebrate our anniversary in May", "I attend church on Sunday",
    "gonna see how it goes next week", "I retired in June", "when I retire I'll have more time",
    "me and my sister arguing again next to the tree", "I am to blame for the trip next week",
])
def test_a_feast_of_every_year_a_habit_a_wait_or_a_past_step_is_no_plan(message):
    assert _plans(message) == []


@pytest.mark.parametrize(("message", "plan"), [
    # an event of one's own by its day and hour, or a day of life by itself; nothing said after "and I"
    ("driving test friday at 2pm, so nervous", "driving test friday"),
    ("prom is in 3 weeks and i have no date", "prom in 3 weeks"),
])
def test_an_event_of_ones_own_by_its_day_or_its_hour_is_a_plan(message, plan):
    assert _plans(message) == [Proposal(L, plan)]


@pytest.mark.parametrize("message", [
    "her graduation is in June", "a wedding in the summer is lovely", "his interview is on Friday at 9",
    "their wedding is next week and they still need a venue",
])
def test_an_event_of_someone_else_or_one_judged_is_no_plan(message):
    assert _plans(message) == []
