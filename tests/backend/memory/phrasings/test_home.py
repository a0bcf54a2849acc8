"""Home (memory/phrasings/home.py): where the user lives, as round seventeen reads it."""

from __future__ import annotations

import pytest

from memchat.memory.memories import Proposal, Subject
from memchat.memory.phrasings import floor

H = Subject.HOME


def _homes(message: str) -> list[Proposal]:
    return [proposal for proposal in floor(message) if proposal.subject is H]


# A known place typed in lower case is read as a capitalised one would be, its value as it was typed.
@pytest.mark.parametrize(("message", "home"), [
    ("we relocated to glasgow in 2021 and I love the Necropolis", "glasgow"),
    ("The heating in my cardiff house packed in again", "cardiff"),
    ("Honestly our house in leeds is tiny but the Garden is great", "leeds"),
    ("I moved out to cape town from Durban and the wind is mad", "cape town"),
])
def test_a_known_place_typed_in_lower_case_is_read_as_a_place(message, home):
    assert _homes(message) == [Proposal(H, home)]


@pytest.mark.parametrize("message", [
    "I moved the sofa to the window and now the Room feels bigger",  # no known place
    "my new flat is freezing, any Tips?",  # "new" is no place
    "my sister moved to glasgow in 2021 and Loves it",  # someone else's move
    "Is leeds a nice place to live? Asking for a Friend",
])
def test_a_lower_case_word_that_is_no_known_place_or_no_home_of_the_users_teaches_no_home(message):
    assert _homes(message) == []


# "I'm in <place>", the place a known one, with what being there brings about after it and nothing of a stay about
# the sentence.
@pytest.mark.parametrize(("message", "home"), [
    ("I'm in Leeds, so the trains north are always a nightmare", "Leeds"),
    ("yeah we're in melbourne so the summers are brutal", "melbourne"),
    ("im in glasgow so the rain never really stops", "glasgow"),
])
def test_where_the_user_says_they_are_in_a_known_place_is_their_home(message, home):
    assert _homes(message) == [Proposal(H, home)]


@pytest.mark.parametrize("message", [
    "I'm in London for the weekend so where should I eat?",
    "I'm in Paris for work this week.",
    "I'm in Tesco, what do I need for a curry?",
    "I'm in a meeting so can't talk",
    "I'm in Madrid till Friday.",
    "Three more days and I'm in Tokyo!",
    "im in rome rn, where should I go",
    "I'm in Lisbon on holiday.",
    "If I'm in Leeds, where should I stay?",
    "Is it true that I'm in Leeds?",
    "I'm in Rome, what should I eat?",
    "I'm in Rome so I can't make the call",
    "I'm in Paris so excited!!",
    "I'm in Paris!! omg",
    "For context, I'm in Glasgow.",  # where one is, and no more: a visitor says it too
    "im in dubai so its boiling",  # a moment of a visit, not what living there brings
    "we're in lisbon so the food is amazing",
])
def test_a_stay_a_shop_a_meeting_or_an_arrival_is_no_home(message):
    assert _homes(message) == []


# What was read wrongly or not at all: a move's day, a native's comma, one place said twice, a home in brackets, a
# place far out and of its kind, a span of days counted from now.
@pytest.mark.parametrize(("message", "home"), [
    ("finally got the keys to our house in york and moved in today!!", "york"),
    ("Dublin, born and raised, still here", "Dublin"),
    ("Cardiff born, Cardiff bred.", "Cardiff"),
    ("leith born leith living", "leith"),
    ("Back to Porto (home) after a week away, what's for dinner", "Porto"),
    ("I'm right out in rural Alberta, the nearest vet is an hour away", "Alberta"),
    ("My flat in Ghent has no hot water for the next two days, ugh", "Ghent"),
])
def test_a_home_by_its_move_its_native_its_brackets_its_distance_and_its_days(message, home):
    assert _homes(message) == [Proposal(H, home)]


@pytest.mark.parametrize("message", [
    "moved in yesterday, boxes everywhere",  # a move's day, no place
    "Cardiff born, now living in Bristol",  # born in one place, living in another: not "Cardiff"
    "I'm staying in Leeds for the next 3 days",
    "Ana's from Porto (home of port)",
    "My parents' flat in Ghent has no hot water for the next two days",
    "I'm out in Bali for the next two weeks",
])
def test_a_day_another_place_another_home_or_a_stay_is_not_the_users_home(message):
    assert [p.value for p in _homes(message) if p.value in ("yesterday", "Cardiff", "Porto")] == []
    if "Leeds" in message or "Ghent" in message or "Bali" in message:
        assert _homes(message) == []


def test_a_fact_offered_for_what_it_is_worth_is_no_supposition():
    assert _homes("We live in Porto if it helps with the time zones") == [Proposal(H, "Porto")]
    assert _homes("If I lived in Porto, would that help?") == []


# The winters of a place lived through place the home there.
@pytest.mark.parametrize(("message", "home"), [
    ("Survived four Chicago winters so far and I'm still not used to it", "Chicago"),
    ("It's our second Helsinki winter and the dark is the worst part", "Helsinki"),
    ("ottawa winters are savage but we've done six of them now", "ottawa"),
])
def test_the_winters_of_a_place_lived_through_place_the_home(message, home):
    assert _homes(message) == [Proposal(H, home)]


@pytest.mark.parametrize("message", [
    "Boston winters are brutal, I've had enough of them",  # no count of winters lived through
    "My first Oslo winter was hard.",  # over
    "My sister has survived three Chicago winters.",
    "Are Chicago winters really that bad?",
])
def test_a_places_winters_not_lived_through_by_the_user_now_place_no_home(message):
    assert _homes(message) == []


# A place asked about by what is round it, then "live here"; a lower-case place ends where the next clause runs on.
@pytest.mark.parametrize(("message", "home"), [
    ("what's open round swindon on a sunday? live here but always forget", "swindon"),
    ("we live in brno and im loving it", "brno"),
])
def test_a_place_asked_round_then_lived_in_and_a_place_before_a_run_on_clause(message, home):
    assert _homes(message) == [Proposal(H, home)]


@pytest.mark.parametrize("message", [
    "any good pubs round swindon? my sister lives here",
    "any good pubs round swindon? I'd love to live here",
    "what's on round town tonight? live here now",
])
def test_a_place_asked_round_then_someone_elses_or_a_wished_home_is_no_home(message):
    assert _homes(message) == []


# A dwelling looked for, told as over, or a stay by its length or occasion is no home, capitalised or not.
@pytest.mark.parametrize("message", [
    "looking at a flat in bristol tomorrow",
    "We put an offer on a house in Leeds!",
    "my old flat in leeds had mould everywhere",
    "My Glasgow flat was tiny.",
    "i miss my edinburgh flat so much",
    "We're out in Bali for a month",
    "i'm up in edinburgh for the fringe",
    "the flat in london we're renting for the summer is tiny",
])
def test_a_dwelling_sought_or_over_and_a_stay_by_its_length_are_no_home(message):
    assert _homes(message) == []


def test_a_home_lived_in_for_a_length_of_time_is_still_a_home():
    assert _homes("I've been living in Leeds for a few weeks now") == [Proposal(H, "Leeds")]


# Round eighteen. A negation only in an aside after a comma leaves the home before it standing; an aside that takes
# the home back (or doubts it) leaves nothing.
@pytest.mark.parametrize(("message", "home"), [
    ("relocated to kano in march, still haven't found a good tailor", "kano"),
    ("I live in Ghent now, can't get used to the cobbles", "Ghent"),
])
def test_a_negation_only_in_an_aside_after_the_home_leaves_the_home(message, home):
    assert _homes(message) == [Proposal(H, home)]


@pytest.mark.parametrize("message", [
    "I live in Ghent now, not for long though",
    "I don't live in Ghent, never have",
    "I live in Ghent, or not, can't decide",
])
def test_an_aside_that_takes_the_home_back_leaves_no_home(message):
    assert _homes(message) == []


# More cities typed in lower case by those who live in them (Nigeria, India, the Philippines, Brazil, Poland): the
# longest known name wins ("porto alegre" is not Porto).
@pytest.mark.parametrize(("message", "home"), [
    ("we moved to porto alegre in 2020 and the food is great", "porto alegre"),
    ("i live in davao city with my lola", "davao city"),
    ("i rent a room in lublin, the walls are thin", "lublin"),
])
def test_more_known_places_typed_in_lower_case(message, home):
    assert _homes(message) == [Proposal(H, home)]


# The user's landlord or neighbours somewhere, wherever the user's clause names them, place the user's home.
@pytest.mark.parametrize(("message", "home"), [
    ("I'm fighting with my landlady in Ghent about the deposit", "Ghent"),
    ("waiting three weeks on our neighbours in enugu to fix the fence", "enugu"),
])
def test_a_landlord_or_neighbours_place_the_home(message, home):
    assert _homes(message) == [Proposal(H, home)]


@pytest.mark.parametrize("message", [
    "my sister's landlord in Ghent is awful",
    "my old landlord in Ghent never fixed anything",
    "I'm arguing with my old neighbours in enugu on facebook",
    "I'm visiting my landlord in Ghent tomorrow",
    "Is my landlord in Ghent allowed to do that?",
    "my landlord in a story I'm writing is a vampire",
])
def test_someone_elses_or_a_former_landlord_or_a_question_is_no_home(message):
    assert _homes(message) == []


# A move finished is a home ("moving" alone looks ahead).
@pytest.mark.parametrize(("message", "home"), [
    ("we're finally done moving over to Leipzig, boxes everywhere", "Leipzig"),
    ("just finished moving to Tampere, where do I register", "Tampere"),
])
def test_a_move_finished_is_a_home(message, home):
    assert _homes(message) == [Proposal(H, home)]


@pytest.mark.parametrize("message", [
    "we're moving to Leipzig in June",
    "once we've finished moving to Leipzig I'll rest",
    "my parents just finished moving to Tampere",
])
def test_a_move_yet_to_finish_or_someone_elses_is_no_home(message):
    assert _homes(message) == []


# A span of time spent in a place up to now is a home; Nigerian English's "stay for" and Pidgin's "na ... i dey live"
# place it too, for a known place only.
@pytest.mark.parametrize(("message", "home"), [
    ("five years in Ghent now and the Flemish still beats me", "Ghent"),
    ("nearly two yrs in tampere already, still no sauna of my own", "tampere"),
    ("we stay for enugu, the harmattan is harsh this year", "enugu"),
    ("na lagos we dey stay, traffic everywhere", "lagos"),
])
def test_a_span_of_time_up_to_now_and_a_stay_for_a_known_place_are_a_home(message, home):
    assert _homes(message) == [Proposal(H, home)]


@pytest.mark.parametrize("message", [
    "five years in Ghent was plenty",
    "two weeks in tampere already feels like forever, flying home soon",
    "we stay for Christmas at my mum's",
    "I stay for the food, honestly",
    "na my brother dey live for lagos",
])
def test_a_span_over_a_stay_of_days_or_no_known_place_is_no_home(message):
    assert _homes(message) == []


# "Here in" as Portuguese and Spanish speakers type it in English ("aqui em", "aquí en") places the home as "here in"
# does.
@pytest.mark.parametrize(("message", "home"), [
    ("aquí en Medellín the metro is always packed at 7", "Medellín"),
    ("aqui em fortaleza we have sun every day lol", "fortaleza"),
])
def test_here_in_typed_in_portuguese_or_spanish_places_the_home(message, home):
    assert _homes(message) == [Proposal(H, home)]


@pytest.mark.parametrize("message", [
    "my cousin says aqui em fortaleza it's always sunny",
    "aqui em fortaleza was the best holiday ever",
])
def test_someone_elses_here_or_a_past_visit_is_no_home(message):
    assert _homes(message) == []


# Round nineteen. A negation only in a bracketed aside after the home (which place of the name it is) leaves the home
# standing; an aside that takes it back leaves nothing.
@pytest.mark.parametrize(("message", "home"), [
    ("based in Victoria these days (the BC one not the Aussie state lol), what's a good rain jacket", "Victoria"),
    ("We live in Richmond (not the London one) and the commute is fine.", "Richmond"),
])
def test_a_negation_only_in_a_bracketed_aside_after_the_home_leaves_the_home(message, home):
    assert _homes(message) == [Proposal(H, home)]


@pytest.mark.parametrize("message", [
    "I live in Leeds (not for much longer though).",
    "We live in Derby (well, not any more).",
    "I don't live in Leeds (the Yorkshire one) any more.",
])
def test_a_bracketed_aside_that_takes_the_home_back_leaves_no_home(message):
    assert _homes(message) == []


# A neighbourhood's or a town's name followed by the city, region or state it is in is one address: "I live at
# Rumuola, Port Harcourt" is all of it, never the first part alone.
@pytest.mark.parametrize(("message", "home"), [
    ("Complaint letter pls. We live in Kilburn, London.", "Kilburn, London"),
    ("I'm based in Garki, Abuja and the power keeps going.", "Garki, Abuja"),
    ("We've lived in Boise, ID since the kids were small.", "Boise, ID"),
])
def test_a_place_with_the_city_or_state_it_is_in_is_one_address(message, home):
    assert Proposal(H, home) in _homes(message)


# "I'm in <place>" offered as what the assistant should know for its answer ("if that helps", "if it matters", "for
# context"), written as an address ("Austin, TX"), or with what the user can get there locally; a place that is an
# everyday word too (Cork, Bath, Reading) is read so only when it is capitalised.
@pytest.mark.parametrize(("message", "home"), [
    ("when do the clocks change? I'm in Sheffield, if it matters.", "Sheffield"),
    ("we're in Bath, if that's relevant. best way to dry washing indoors", "Bath"),
    ("Slugs everywhere. I'm in Akron, OH, and it's been so wet.", "Akron, OH"),
    ("Need a birthday cake idea. I'm in Leeds so could grab one locally.", "Leeds"),
])
def test_where_the_user_is_offered_as_context_or_as_an_address_is_their_home(message, home):
    assert _homes(message) == [Proposal(H, home)]


@pytest.mark.parametrize("message", [
    "I'm in Rome if that helps, landed this morning.",  # a visit
    "I'm in Lisbon for the week if it matters.",
    "I'm in bath if that helps, can you read me a story",  # a bath, not Bath
    "I'm in Marketing if that helps.",  # a department
    "I'm in Year 10 if it matters.",
    "I'm in Denver, CO for a conference.",  # a stay by its occasion
    "I'm in Paris so can you suggest somewhere local to eat?",  # a question
    "If I'm in Leeds, if that helps, where should I stay?",
])
def test_a_visit_a_room_a_department_or_a_question_offered_as_context_is_no_home(message):
    assert _homes(message) == []


# Where the user is in a dwelling of a kind ("a 1930s semi", "a condo", "a rental") in a place; a bare dwelling's
# place told after a question about it ("Flat's in Bristol, 1 bed").
@pytest.mark.parametrize(("message", "home"), [
    ("We're in an old semi in Stockport so the loft is a state.", "Stockport"),
    ("I'm in a condo in Toronto, no garden sadly.", "Toronto"),
    ("We're in a townhouse in Calgary and the stairs are killing me.", "Calgary"),
    ("Which boiler should I get? Flat's in Newcastle, ground floor.", "Newcastle"),
    ("Best broadband? Apartment's in Nairobi, top floor.", "Nairobi"),
])
def test_a_dwelling_of_a_kind_the_user_is_in_places_the_home(message, home):
    assert _homes(message) == [Proposal(H, home)]


@pytest.mark.parametrize("message", [
    "We're in a hotel in Leeds tonight.",
    "We're in a cottage in Cornwall this week.",
    "I'm in a queue in Tesco.",
    "We're in a semi in Leeds for the weekend.",
    "We're in a flat in Lisbon for our honeymoon.",
    "We're in an apartment in Rome till Sunday.",
    "Which boiler should my mum get? Her flat's in Leeds.",
    "My brother's flat's in Leeds, he loves it.",
    "Cottage's in Cornwall, booked it for August.",  # a holiday's
    "Apartment's in Barcelona for the week, any tips?",
    "Flat's in Leeds but I haven't moved in yet.",  # not lived in yet
])
def test_a_stay_a_queue_or_someone_elses_dwelling_is_no_home(message):
    assert _homes(message) == []


def test_a_stay_word_in_a_clause_about_something_else_leaves_where_the_user_is():
    assert _homes("Moles in the lawn again. We're in Omaha, NE, and they're worse this year.") == [
        Proposal(H, "Omaha, NE")]
    assert _homes("We're in Omaha, NE, and we fly home this week.") == []


@pytest.mark.parametrize(("message", "home"), [
    ("I live in Leeds, London is too dear.", "Leeds"),  # another clause's place
    ("We live in Leeds, York and Hull are close.", "Leeds"),  # a list
    ("I live in Leeds, London for work most weeks.", "Leeds"),
])
def test_a_place_that_opens_another_clause_or_a_list_is_no_part_of_the_address(message, home):
    assert _homes(message) == [Proposal(H, home)]


# Round nineteen: everyday speech typed fast, and learners' English.
# A known place said as who is on the line, or a bare dwelling of the user's opened by its place.
@pytest.mark.parametrize(("message", "home"), [
    ("glasgow here. any tips for drying washing indoors", "glasgow"),
    ("Lisbon here, checking what to wear for a wedding", "Lisbon"),
    ("manchester house has damp in the bathroom, how do i treat it", "manchester"),
    ("Dublin apartment's heating broke again, who do I ring", "Dublin"),
])
def test_a_known_place_on_the_line_or_before_a_bare_dwelling_is_home(message, home):
    assert _homes(message) == [Proposal(H, home)]


@pytest.mark.parametrize("message", [
    "Tokyo here we come!!",
    "Leeds flat prices are mad rn",
    "Dublin apartment for rent, is this a scam",
    "Rome apartment is booked for August, what should we see",
    "Mateo here, how do I fix a bike chain",  # a name, no place
    "my sister's here, she's from leeds",
])
def test_a_place_that_greets_a_trip_or_a_market_is_no_home(message):
    assert _homes(message) == []


# A known place straight after the verb, its preposition dropped.
@pytest.mark.parametrize(("message", "home"), [
    ("we living lagos now, what is good generator brand", "lagos"),
    ("I stay Mumbai with my family, need help with a tax form", "Mumbai"),
    ("i'm staying now Berlin, is the U-Bahn 24 hours", "Berlin"),
])
def test_a_known_place_with_its_preposition_dropped_is_home(message, home):
    assert _homes(message) == [Proposal(H, home)]


@pytest.mark.parametrize("message", [
    "I live music, it is my whole life",
    "we stay home on sundays",
    "i dont live lagos anymore",
    "my cousin living lagos now",
    "if i live Berlin i would cycle everywhere",
])
def test_a_word_after_the_verb_or_someone_elses_place_is_no_home(message):
    assert _homes(message) == []


# Where the user is, with the part of town or the state written after the town.
@pytest.mark.parametrize(("message", "home"), [
    ("ok so I'm in Manchester, Didsbury area", "Manchester"),
    ("we're in Cape Town, south side", "Cape Town"),
    ("im in Austin TX", "Austin TX"),
])
def test_where_the_user_is_down_to_a_part_of_town_or_a_state_is_home(message, home):
    assert _homes(message) == [Proposal(H, home)]


@pytest.mark.parametrize("message", [
    "I'm in Rome, old town area for the week",
    "im in Manchester, airport area, flight delayed",
    "If I'm in Leeds, city centre area, where do I park?",
    "my brother is in Austin TX",
])
def test_a_stay_in_a_part_of_town_is_no_home(message):
    assert _homes(message) == []


# A clause run on after "and" or "but" that says nothing of the place, negated, leaves the home standing; so does a
# question after a comma.
@pytest.mark.parametrize(("message", "home"), [
    ("been in Porto for 2 yrs now and still cant get used to the hills", "Porto"),
    ("living in Hamburg since 2020 and still cant read the letters from the Finanzamt", "Hamburg"),
    ("leeds local here, where do ppl go for a curry that isnt a chain", "leeds"),
])
def test_a_negation_in_a_run_on_clause_or_a_question_leaves_the_home(message, home):
    assert _homes(message) == [Proposal(H, home)]


@pytest.mark.parametrize("message", [
    "moved to Leeds last year and still never lived there properly",
    "living in Osaka six months and still never know which bin is which",  # (read as a doubt: too close to call)
    "based in Osaka now and still never actually stayed a full month",
    "we don't live in Osaka and never did",
    "I'd live in Osaka and never look back",
])
def test_a_run_on_clause_that_takes_the_home_back_teaches_no_home(message):
    assert _homes(message) == []


# Living somewhere as other languages say it, and a time of year counted from one's move.
@pytest.mark.parametrize(("message", "home"), [
    ("vivo en Sevilla desde 2020, help with my english CV", "Sevilla"),
    ("ich wohne in Graz, how to say Mülltrennung in english", "Graz"),
    ("Our first spring in Leeds since we moved and the pollen is brutal", "Leeds"),
])
def test_living_in_another_language_or_a_season_since_the_move_is_home(message, home):
    assert _homes(message) == [Proposal(H, home)]


@pytest.mark.parametrize("message", [
    "vivo en Sevilla? is that correct spanish for I live in Seville",
    "my parents vivo en Sevilla lol as they say",
    "in the film the hero is called Marco and lives in Naples, what is it called",
    "first spring in Leeds since they moved, my grandparents love it",
])
def test_another_languages_words_asked_about_or_someone_elses_life_is_no_home(message):
    assert _homes(message) == []


# Where the user lives now, its "I'm" dropped, after a question (statements.py's words told after a question).
@pytest.mark.parametrize(("message", "home"), [
    ("whats the best way to register a car, living in Tallinn since march", "Tallinn"),
    ("how do i find a gp, based in Bristol these days", "Bristol"),
])
def test_where_the_user_lives_now_told_after_a_question_is_home(message, home):
    assert _homes(message) == [Proposal(H, home)]


@pytest.mark.parametrize("message", [
    "what is it like, living in Oslo",  # the question's
    "is it expensive, living in London",
    "how do people cope, living in Dubai without ac",
    "write a story about a nurse, living in Bath since the war",  # a text's
])
def test_living_somewhere_asked_about_after_a_question_is_no_home(message):
    assert _homes(message) == []


# Where one is and since when, and one's city named, as learners of English say it.
@pytest.mark.parametrize(("message", "home"), [
    ("we are in Accra since 4 years, which bank is best", "Accra"),
    ("im at Kumasi from 2017 with my wife", "Kumasi"),
    ("My city is Thessaloniki and the summers are long", "Thessaloniki"),
    ("living in porto from 2 years, how to renew residence", "porto"),  # the place, not how long
])
def test_where_one_is_since_when_or_ones_city_is_home(message, home):
    assert _homes(message) == [Proposal(H, home)]


@pytest.mark.parametrize("message", [
    "I'm in Accra from Monday to Friday for work",  # a stay from a day
    "we're in Rome since 2 days, what to see",
    "my hometown is Kumasi but I left long ago",
    "my sister's city is Thessaloniki",
])
def test_a_stay_from_a_day_or_a_city_left_or_someone_elses_is_no_home(message):
    assert _homes(message) == []


# Indian English's "shifted", a place before "based", one's city, a place of origin lived in still, a preposition
# dropped after "I am staying", and a word of emphasis after a lower-case place.
@pytest.mark.parametrize(("message", "home"), [
    ("we have shifted to Hyderabad in june, need school list", "Hyderabad"),
    ("Chennai is our city now, any good beaches", "Chennai"),
    ("I am a Noida based HR executive", "Noida"),
    ("I am from Kochi, staying here since childhood", "Kochi"),
    ("we are staying Doha 3 years already", "Doha"),
])
def test_learners_shapes_of_a_home_are_home(message, home):
    assert Proposal(H, home) in _homes(message)


def test_a_word_of_emphasis_after_a_lower_case_place_is_no_part_of_it():
    assert _homes("we live in chennai only, no travel for us") == [Proposal(H, "chennai")]


@pytest.mark.parametrize("message", [
    "we shifted to Kotlin from Java last year",  # no known place
    "my cousin shifted to Hyderabad",
    "I'm from Kochi, living in Dubai now and then",  # another place lived in
    "I'm from Kochi, staying here for the summer",  # a season's stay
    "Chennai is my favourite city to visit",
])
def test_lookalikes_of_learners_shapes_of_a_home_are_no_home_there(message):
    assert all(proposal.value not in ("Hyderabad", "Chennai", "Kochi") for proposal in _homes(message))


# Round twenty: the letter-writer's and the texter's homes.


@pytest.mark.parametrize(("message", "home"), [
    # a letter's "I write from"
    ("We write from Harrogate, where the spa gardens are in full bloom; which roses are hardiest?", "Harrogate"),
    # the town that ends the user's own address, after a house number
    ("Our postal address is 3 Mill Lane, Canterbury, should you need it for the form.", "Canterbury"),
    # the negation in a clause run on after "and", before a comma
    ("finally back home in norwich and the bins still haven't been collected, great", "norwich"),
    # a request run on after "and" leaves the fact before it standing
    ("I live in Shrewsbury and would be most grateful for a reading list on the Civil War.", "Shrewsbury"),
    ("We live in Hobart and were wondering which ferry goes to Bruny Island?", "Hobart"),
    # a known place's everyday burden told as the user's own
    ("honestly lagos traffic has me leaving the house at 5am every day", "lagos"),
    ("the humidity in singapore has my hair in a state", "singapore"),
    ("Power cuts again in Harare, my laptop died mid-essay", "Harare"),
    ("38 degrees in seville rn and my fan just broke", "seville"),
    # a town the language does not know, named so, its preposition dropped
    ("we live nakuru town, what fruit trees grow well here", "nakuru"),
])
def test_round_twenty_homes(message, home):
    assert _homes(message) == [Proposal(H, home)]


@pytest.mark.parametrize("message", [
    "I write from experience, having nursed for thirty years.",  # no place
    "My old address was 9 Park Road, Leeds.",  # an address of the past
    "My work address is 12 Quay Street, Bristol.",  # a workplace's
    "back in leeds and not living here anymore, sadly",  # the stay taken back
    "My sister lives in Perth and would be grateful for a card.",  # someone else's
    "I used to live in Bath and wondered whether it has changed.",  # the past
    "lagos traffic ruined our whole trip ngl",  # a visit's
    "the traffic in dublin is insane, my brother sits in it for 2 hours",  # a relative's
    "should i pack a coat, the weather in oslo looks grim",  # a journey ahead
    "glasgow weather has one setting",  # the place's alone
    "power cuts in harare are in the news, is it safe to go",  # someone's news, a journey
    "we live in the same flat as my gran lol",  # no place's name
    "mostly plant-based these days, any b12 tips",  # a diet's word before "based"
    "i live inner city",  # a word of the language before "city"
])
def test_round_twenty_lookalikes_place_no_home(message):
    assert _homes(message) == []
