"""Phrasings: the floor of facts read without the model, from everyday speech."""

from __future__ import annotations

import pytest

from memchat.memory.extraction import validate
from memchat.memory.memories import Proposal, Subject
from memchat.memory.phrasings import PastFact, floor, notes, past
from memchat.memory.phrasings.words import mended

from .cases import cases

N, H, D, W, F, P, J, L = (Subject.NAME, Subject.HOME, Subject.DIET, Subject.WORK, Subject.FAMILY,
                          Subject.PREFERENCE, Subject.PROJECT, Subject.PLAN)


@pytest.mark.parametrize(("message", "note"), [
    ("Remember that my locker code is 4521.", "my locker code is 4521"),
    ("Can you remember that my gate code is 7730?", "my gate code is 7730"),
    ("FYI, my bike lock code is 3306, please remember it.", "my bike lock code is 3306"),
    ("Can you keep track of this? My locker code is B12.", "My locker code is B12"),
])
def test_the_users_own_notes_are_kept_as_said_even_when_asked_as_a_question(message, note):
    assert notes(message) == [Proposal(Subject.NOTE, note)]


def test_a_single_message_may_state_several_subjects():
    found = floor("Hi, I'm Priya. I live in Ghent, I'm a nurse and I can't eat peanuts.")
    assert {p.subject for p in found} == {N, H, W, D}


# The frames read by structure, not by one phrasing: an occupation from Faker's wider list, "as a <job>"
# after any word for working, a relation with modifiers, a food as the subject, a lasting change, a making
# verb by its lemma.


@pytest.mark.parametrize(("message", "only"), [
    ("I'm a hard worker.", []), ("Nurse here.", [Proposal(W, "Nurse")]), ("I'm Lucia btw.", [Proposal(N, "Lucia")]),
    ("Pretend my name is Sam.", []), ("In the story, I live in Leeds.", []), ("Dad lives in Leeds.", []),
    ("Sam works as a nurse.", []), ("My friend's son Ben is staying over.", []), ("I'm a retired teacher.", []),
    ("I'm a former nurse.", []), ("My friend stopped eating meat.", []), ("Should I stop eating meat?", []),
    ("I lived in Cork years ago.", []),
    ("I'm doing an MSc in marine biology.", [Proposal(J, "MSc in marine biology")]),  # no plan in "Mar-ine"
])
def test_a_frame_that_is_not_the_users_present_fact_teaches_nothing_of_it(message, only):
    assert floor(message) == only


@pytest.mark.parametrize(("message", "family"), [
    ("My wife Priya and I are celebrating our anniversary next week.", ["wife Priya"]),  # "I" is no wife
    ("My brother Sam and I'm off fishing.", ["brother Sam"]),
    ("My kids Ana and Leo and I baked a cake.", ["kid Ana", "kid Leo"]),  # once each, whatever the plural
])
def test_the_user_beside_their_relatives_is_none_of_them(message, family):
    from memchat.memory import extraction

    assert [p.value for p in extraction.floor(message) if p.subject is F] == family  # the rules, then the spans


@pytest.mark.parametrize(("message", "subject"), [
    ("I used to live in Leeds.", H), ("I used to work as a nurse.", W), ("I'm a retired teacher.", W),
    ("Back when I was a welder I worked nights.", W), ("I used to be vegan.", D), ("I was a baker until 2019.", W),
])
def test_a_past_state_is_never_learnt_as_the_current_fact(message, subject):
    from memchat.memory.extraction import validated

    assert [p for p in floor(message) if p.subject is subject] == []
    value = {H: "Leeds", W: message.split()[-1].strip("."), D: "vegan"}[subject]
    assert validated([Proposal(subject, value)], message) == []


def test_the_present_fact_after_a_past_one_is_learnt():
    assert [p for p in floor("I used to be a teacher, now I'm a baker.") if p.subject is W] == [Proposal(W, "baker")]
    assert [p for p in floor("I used to live in Leeds but now I live in York.") if p.subject is H] == [
        Proposal(H, "York")]


@pytest.mark.parametrize(("message", "only"), [
    ("Our apartment in Graz gets no sun at all.", [Proposal(H, "Graz")]),  # "no" negates the sun, not the home
    ("I'm no vegan.", []),
    ("My sister was like, I'm vegan now.", []),  # her words, though not in quotes
    ("The sign read 'I live in Leeds' and I laughed.", []),
    ("I'm training to be a nurse.", []),
    ("I quit my job as a nurse last month.", []),
    ("We have three kids and a dog.", [Proposal(F, "three kids")]),
    ("My sister's wedding is in June.", [Proposal(L, "sister's wedding in June")]),
    ("I'm halfway through a kitchen renovation.", [Proposal(J, "a kitchen renovation")]),
])
def test_negation_quotation_and_intention_have_a_scope(message, only):
    assert floor(message) == only


@pytest.mark.parametrize(("message", "only"), [
    ("I don't have a dog called Rex.", []),  # the relation itself is denied
    ("I'm not married to Sam.", []),
    ("My kids Ana and Ben won't go to bed.", [Proposal(F, "kid Ana"), Proposal(F, "kid Ben")]),
    ("I don't have a car.", []),  # "have" refuses a food as a modal's permission or of a bare mass noun
    ("I don't have dairy.", [Proposal(D, "no dairy")]),
    ("I don't have time for this.", []),
    ("When we move to Leeds we'll get a dog.", []),
    ("My mum keeps saying I should move to York.", []),
    ("I wrok as a nurse.", [Proposal(W, "nurse")]),  # a slip in a cue word, never in a value
    ("My favourtie food is ramen.", [Proposal(P, "ramen")]),
])
def test_what_a_negation_governs_and_a_slip_in_a_cue_word(message, only):
    assert floor(message) == only


@pytest.mark.parametrize(("message", "only"), [
    ("I'm going to Lima in March what should I pack?", [Proposal(L, "going to Lima in March")]),
    ("Our little terrace in Leeds is freezing.", [Proposal(H, "Leeds")]),  # a home word and one place
    ("I work in Leeds but my home is in York.", [Proposal(W, "works in Leeds"), Proposal(H, "York")]),
])
def test_a_fact_before_a_question_and_a_home_by_its_words(message, only):
    assert floor(message) == only


def test_a_full_stop_inside_a_code_is_part_of_the_note():
    assert notes("Remember my wifi password is Tiger.42 please.") == [
        Proposal(Subject.NOTE, "my wifi password is Tiger.42")]


# Round seven (issue 17): phrasings written for the dev half, and traps that look like them.


@pytest.mark.parametrize("message", [
    "Out here in Leeds the winters are long.",  # "Out" is no name
    "Everyone here is learning Japanese.",
    "I am Sam and I run a small choir.",  # a choir is no living
])
def test_a_round_seven_message_names_no_one_and_no_job_it_does_not_state(message):
    assert [p.value for p in floor(message) if p.subject in (N, W)] in ([], ["Sam"])


@pytest.mark.parametrize("message", [
    "Some people love bouldering.", "A friend of mine is flying to Hanoi in March.", "Our neighbours are vegan.",
    "Sam from accounts lives in Leeds.", "I'm reading a book about a baker who moved to Leeds.",
    "Example sentence: I live in Porto.", "Dear Sam,\nI live in Leeds now and work as a baker.\nBest, Ana",
    "I almost became a nurse.", "I'm supposed to be going to Lima in June but I cancelled.",
    "We could move to Graz, what do you think?", "We're doing up the attic this spring.",
])
def test_a_round_seven_trap_teaches_nothing(message):
    assert [p for p in floor(message) if p.subject is not J] == []


def test_giving_up_on_a_thing_is_no_diet():
    assert [p for p in floor("I gave up on the treehouse.") if p.subject is D] == []


def test_lots_of_people_in_a_job_are_not_the_user():
    assert floor("Lots of nurses hate night shifts.") == []


# Round eight: mechanisms rather than phrasings. Each message below words its fact differently from the
# bank's families that the mechanism was written for (another verb of the same family, another value).


@pytest.mark.parametrize("message", [
    "Jo from work is training for a triathlon.",  # a named person doing something now
    "Some people love bouldering.",  # a determiner's noun phrase with a verb is someone else
    "I haven't eaten breakfast.",  # not an abstinence: no span of years
    "My sister just went vegan.",
    "Give me a recipe for lentil soup.",  # an order, not a liking
    "I've got my own car.",  # owning a thing is no business
])
def test_a_round_eight_lookalike_teaches_nothing(message):
    assert [p for p in floor(message) if p.subject is not J] == []


@pytest.mark.parametrize(("message", "fact"), [
    # a topic said of by a pronoun, disliked with the "I" dropped (round sixteen: read as "I can't stand" is)
    ("Horror films? Can't stand them.", Proposal(P, "can't stand Horror films")),
    ("Sushi? Love it!", Proposal(P, "Sushi")),
    ("Enjoy a bit of opera, me.", Proposal(P, "opera")),  # the subject dropped, as people do in chat
    ("Thrillers are right up my alley.", Proposal(P, "Thrillers")),
    ("Evenings are for crosswords.", Proposal(P, "crosswords")),
    ("We've long been into folk music.", Proposal(P, "folk music")),
    ("I've been off sugar since the summer.", Proposal(D, "no sugar")),
    ("Took dairy out of my diet in May.", Proposal(D, "no dairy")),
    ("Welder at the shipyard, ten years.", Proposal(W, "Welder")),  # a job and where, with no verb
    ("Dad to Ivy and Rose.", Proposal(F, "dad to Ivy")),
    ("We have a puppy and his name is Rolo.", Proposal(F, "puppy Rolo")),
    ("Trying to get my boat restored by spring.", Proposal(J, "my boat")),
    ("My current project: a rocking chair.", Proposal(J, "a rocking chair")),
    ("Enrolled onto a pottery course.", Proposal(J, "pottery course")),
    ("Next up: Oslo, at Easter!", Proposal(L, "Oslo at Easter")),
    ("June is Madrid for us.", Proposal(L, "Madrid in June")),
    ("Pop this in your memory: locker 12.", Proposal(Subject.NOTE, "locker 12")),
    ("Could you keep my PIN safe: 8841.", Proposal(Subject.NOTE, "my PIN: 8841")),
    ("Can you save my door code? It's 5150.", Proposal(Subject.NOTE, "my door code: 5150")),
])
def test_a_second_round_eight_mechanism_reads_a_phrasing_it_was_not_written_for(message, fact):
    if fact is None:
        assert [p for p in floor(message) if p.subject is P] == []
    else:
        assert fact in floor(message)


@pytest.mark.parametrize("message", [
    "Ana's husband is a nurse.",  # a possessive names whose it is
    "Can you save my door code? It's B12.",  # a code is no name
    "Like I said, the weather is awful.",  # "like" with its subject dropped is no liking
    "Enjoy your weekend!",  # an imperative
    "I'm off to Lima.",  # a trip, no diet
    "Got a job interview booked for May 3.",
])
def test_a_second_round_eight_lookalike_teaches_nothing_else(message):
    kinds = {p.subject for p in floor(message)}
    assert kinds <= {L, Subject.NOTE}
    assert Subject.NAME not in kinds and W not in kinds and D not in kinds


def test_a_slip_of_a_doubled_letter_is_read_as_its_word():
    from memchat.memory.language import mended, root_set

    assert mended("writting") == "writing" and "write" in root_set("Im writting a memoir")
    assert mended("Priya".casefold()) == "priya"  # no word: left as it is


@pytest.mark.parametrize("message", [
    "A colleague of mine went vegan.",  # a determiner's noun phrase with a past verb is someone else
    "The kids love bouldering.",  # the user's kin, not the user
    "My dream job would be nurse.",
    "I no longer live in Leeds.",  # a past home, never the present one
    "Thanks so much! Bye",
])
def test_a_third_round_eight_lookalike_teaches_nothing(message):
    assert [p for p in floor(message) if p.subject is not F] == []


@pytest.mark.parametrize("message", [
    "my bf works as a chef",  # what people call their kin in chat
    "I hardly ever eat meat, is that bad?",  # a hedge is no refusal
    "I wish I lived in Lisbon.",
])
def test_a_fourth_round_eight_lookalike_teaches_nothing(message):
    assert [p for p in floor(message) if p.subject is not F] == []


@pytest.mark.parametrize("message", [
    "My ex-job as a carpenter was stressful.",  # a former job is history
    "I'm stress-free since the holiday.",  # "-free" of no food is no diet
    "Caption for my photo of Leeds: 'Home at last!'",  # a labelled text for a task
    "My son's teacher is called Aoife.",
])
def test_a_fifth_round_eight_lookalike_teaches_nothing(message):
    assert [p for p in floor(message) if p.subject in (W, D, H, N)] == []
    assert Proposal(F, "son Aoife") not in floor(message)


def test_a_pursuit_given_up_is_history_but_a_food_given_up_is_a_diet():
    assert [p for p in floor("I gave up learning Japanese ages ago.") if p.subject in (J, D)] == []
    assert Proposal(D, "no meat") in floor("I gave up eating meat ages ago.")


def test_an_inflected_word_before_here_is_no_name():
    assert [p for p in floor("Been here in Cork since 2021.") if p.subject is N] == []


@pytest.mark.parametrize(("message", "fact"), [
    ("I used to live in Leeds.", PastFact(Proposal(H, "Leeds"))),
    ("I lived in Porto until 2019, then moved.", PastFact(Proposal(H, "Porto"), "2019")),
    ("I used to work as a nurse.", PastFact(Proposal(W, "nurse"))),
    ("I used to be vegan.", PastFact(Proposal(D, "vegan"))),
])
def test_a_fact_told_as_over_is_read_as_past_and_never_as_current(message, fact):
    assert fact in past(message)
    assert [p for p in floor(message) if p.subject is fact.proposal.subject] == []


@pytest.mark.parametrize("message", [
    "My sister used to live in Oslo.", "I never lived in Oslo.", "I used to love jazz.", "I live in York.",
])
def test_what_is_not_the_users_own_past_home_job_or_diet_is_no_past_fact(message):
    assert past(message) == []


def test_a_lower_case_clause_in_a_capitalised_message_names_no_one_by_a_verb():
    assert [p for p in floor("No way I'd ever eat eggs, but my kids love it.") if p.subject is F] == []
    assert Proposal(F, "kid ana") in floor("my kids ana and ben love it")


def test_a_pet_named_in_the_message_is_not_also_kept_without_its_name():
    assert [p.value for p in floor("We've got a hamster too, Nibbles, who bites.")] == ["hamster Nibbles"]


def test_a_thing_named_without_what_it_is_is_no_note():
    assert floor("Can you hold on to my locker number?") == []


@pytest.mark.parametrize(("message", "fact"), [
    ("Just so you know, I'm pescatarian.", Proposal(D, "pescatarian")),
    ("For the record, I live in Riga now.", Proposal(H, "Riga")),
])
def test_a_note_that_only_states_another_subjects_fact_is_that_fact(message, fact):
    assert floor(message) == [fact]


def test_a_job_named_by_its_occupation_is_kept_over_a_workplace():
    *_, last = [p for p in floor("Shifts at the hospital all week, the joys of being a porter.") if p.subject is W]
    assert last == Proposal(W, "porter")


# ---------------------------------------- every round's phrasings and traps
# One table a behaviour, one group a round of issue 17; one test reads each table (`cases`).
READ: dict[str, list[tuple[str, Proposal]]] = {
    "an everyday statement is read without the model": [
        ("Hey there, Marco here. Quick question about bread.", Proposal(N, "Marco")),
        ("I'm Dana, and I need help planning a garden.", Proposal(N, "Dana")),
        ("hi im zoltan", Proposal(N, "zoltan")),
        ("We moved to Boise last spring and love it.", Proposal(H, "Boise")),
        ("I'm based out of Nairobi.", Proposal(H, "Nairobi")),
        ("I call Melbourne home.", Proposal(H, "Melbourne")),
        ("I don't eat meat.", Proposal(D, "no meat")),
        ("I can't have nuts, I'm allergic.", Proposal(D, "no nuts")),
        ("I keep kosher.", Proposal(D, "kosher")),
        ("I teach chemistry at a high school.", Proposal(W, "teach chemistry")),
        ("I'm a software engineer.", Proposal(W, "software engineer")),
        ("I drive a taxi around town.", Proposal(W, "drive a taxi")),
        ("My son Theo just started school.", Proposal(F, "son Theo")),
        ("Our dog Rufus hates the rain.", Proposal(F, "dog Rufus")),
        ("I'm a huge fan of Studio Ghibli films.", Proposal(P, "Studio Ghibli films")),
        ("I'm working on a podcast about local history.", Proposal(J, "working on a podcast about local history")),
        ("I'm flying to Denver tomorrow.", Proposal(L, "flying to Denver tomorrow")),
    ],
    "a fact is read from its frame not from one phrasing": [
        ("I'm a sonographer at the county hospital.", Proposal(W, "sonographer")),
        ("I work weekends as a sous chef.", Proposal(W, "sous chef")),
        ("I make a living as a locksmith, mostly.", Proposal(W, "locksmith")),
        ("paramedic here, so nights are rough", Proposal(W, "paramedic")),
        ("I earn my living laying bricks.", Proposal(W, "laying bricks")),
        ("My 7-year-old daughter Isla loves kittens.", Proposal(F, "7-year-old daughter Isla")),
        ("Dmitri and I got married in May.", Proposal(F, "married to Dmitri")),
        ("I've got three dogs, Rex, Bo and Pip.", Proposal(F, "dog Pip")),
        ("Lactose doesn't agree with me.", Proposal(D, "no Lactose")),
        ("I stopped drinking coffee in the spring.", Proposal(D, "no coffee")),
        ("I went vegan years ago.", Proposal(D, "vegan")),
        ("I'm in the process of restoring a piano.", Proposal(J, "restoring a piano")),
        ("I'm taking salsa classes.", Proposal(J, "salsa classes")),
        ("I'm doing a PhD in geology.", Proposal(J, "PhD in geology")),
        ("I'm hooked on crosswords.", Proposal(P, "crosswords")),
        ("I grew up in Galway and still live there.", Proposal(H, "Galway")),
        ("Home for me is Tromsø now.", Proposal(H, "Tromsø")),
        ("The name is Bea.", Proposal(N, "Bea")),
        ("Hey, it's Ravi. Quick one.", Proposal(N, "Ravi")),
        ("I'm Noa btw.", Proposal(N, "Noa")),
    ],
    "a round seven statement is read without the model": [
        ("My job is laying bricks.", Proposal(W, "laying bricks")),
        ("Our rabbit is named Biscuit.", Proposal(F, "rabbit Biscuit")),
        ("We moved to Ghent when the kids were small and never left.", Proposal(H, "Ghent")),
        ("We've been in Porto since 2019.", Proposal(H, "Porto")),
        ("Good evening, this is Mateo writing.", Proposal(N, "Mateo")),
        ("I work for the NHS as a paramedic.", Proposal(W, "paramedic")),
        ("I manage a team of engineers.", Proposal(W, "manage a team of engineers")),
    ],
    "a scope for others leaves the users own words": [
        ("I'm a nurse who lives in Leeds.", Proposal(H, "Leeds")),  # the relative is the user
        ("The best thing about living in Leeds is the food.", Proposal(H, "Leeds")),  # "the" leads, the user lives
    ],
    "a round eight mechanism reads a phrasing it was not written for": [
        ("I haven't eaten pork since 2012.", Proposal(D, "no pork")),  # a long abstinence, in the perfect
        ("Absolutely no nuts for me.", Proposal(D, "no nuts")),  # a refusal with no verb of eating
        ("Lentils leave me horribly bloated.", Proposal(D, "no Lentils")),  # what a food does, with an adjective
        ("Garlic and I just don't agree.", Proposal(D, "no Garlic")),  # the food and the user at odds
        ("I stay well away from caffeine.", Proposal(D, "no caffeine")),
        ("I spend my days fitting kitchens.", Proposal(W, "fitting kitchens")),
        ("We've got our own catering company.", Proposal(W, "own catering company")),
        ("I tutor in chemistry after school.", Proposal(W, "tutor in chemistry")),
        ("Electrician by trade, 20 years.", Proposal(W, "Electrician")),
        ("Just a humble pharmacist, really.", Proposal(W, "humble pharmacist")),
        ("We rescued a greyhound, Dash, in May.", Proposal(F, "greyhound Dash")),
        ("Otto (my nephew) is staying with us.", Proposal(F, "nephew Otto")),
        ("The twins (Ivy and Rose) start school soon.", Proposal(F, "twin Ivy")),
        ("Birdsong keeps me grounded.", Proposal(P, "Birdsong")),
        ("Nothing calms me like swimming.", Proposal(P, "swimming")),
        ("I've got a soft spot for old maps.", Proposal(P, "old maps")),
        ("I took up pottery in the spring.", Proposal(J, "pottery")),
        ("Having a crack at Italian this winter.", Proposal(J, "Italian")),
        ("Got a bookcase on the go in the garage.", Proposal(J, "a bookcase")),
        ("Rome at Easter, finally booked it!", Proposal(L, "Rome at Easter")),
        ("Our plan is Oslo next June.", Proposal(L, "Oslo next June")),
        ("You can refer to me as Ines.", Proposal(N, "Ines")),
        ("Been in Leeds going on ten years.", Proposal(H, "Leeds")),
        ("Need you to remember my wifi password: otter42.", Proposal(Subject.NOTE, "my wifi password: otter42")),
    ],
    "a third round eight mechanism reads a phrasing it was not written for": [
        ("I no longer drink coffee.", Proposal(D, "no coffee")),  # "no longer" with a verb of taking is today's refusal
        ("Switched to vegan in the spring.", Proposal(D, "vegan")),
        ("I have a bad reaction to sesame.", Proposal(D, "no sesame")),
        ("Leeds is where we've put down roots.", Proposal(H, "Leeds")),
        ("My town, Whitby, is lovely in May.", Proposal(H, "Whitby")),
        ("My daughters are Ivy and Rose.", Proposal(F, "daughter Ivy")),
        ("I really much prefer cider to beer.", Proposal(P, "cider")),
        ("I could happily spend whole days birdwatching.", Proposal(P, "birdwatching")),
        ("My project for the winter is a dolls' house.", Proposal(J, "a dolls' house")),
        ("Occupation: electrician.", Proposal(W, "electrician")),
        ("On our way to Rome at Easter!", Proposal(L, "On our way to Rome at Easter")),
        ("Oslo in June, can't wait!", Proposal(L, "Oslo in June")),
        ("Thanks so much! Ingrid", Proposal(N, "Ingrid")),
        ("About me: Kwame, 41, teacher.", Proposal(N, "Kwame")),
    ],
    "a fourth round eight mechanism reads a phrasing it was not written for": [
        ("Well, I'm Tomasz, and I need help with my tax return.", Proposal(N, "Tomasz")),  # a discourse word leads
        ("hi its priya.", Proposal(N, "priya")),
        ("Who am I? Ines, a midwife.", Proposal(N, "Ines")),  # the user's own question, answered
        ("Ideas for a wet Sunday with Ivy and Rose, my two girls?", Proposal(F, "girl Ivy")),  # a question's appositive
        ("The twins, Ivy and Rose, turn six today.", Proposal(F, "twin Rose")),
        ("our dog rolo hates the vet", Proposal(F, "dog rolo")),
        ("My lad Jack plays rugby.", Proposal(F, "lad Jack")),
        ("luv a good curry", Proposal(P, "curry")),
        ("Finally started a podcast 🎙️", Proposal(J, "a podcast")),
        ("For my pottery course I need clay, where do I buy it?", Proposal(J, "pottery course")),
        ("Working our way through a 1000-piece puzzle.", Proposal(J, "a 1000-piece puzzle")),
        ("Another long shift at the warehouse today.", Proposal(W, "warehouse")),
        ("📌 Remember: bin day is Tuesday", Proposal(Subject.NOTE, "bin day is Tuesday")),
        ("Lisbon in May 🌞", Proposal(L, "Lisbon in May")),
        ("Got my eye test on the 3rd, wish me luck.", Proposal(L, "Got my eye test on the 3rd")),  # no wish, no luck
        ("Heads up, no dairy for me.", Proposal(D, "no dairy")),
    ],
    "a fifth round eight mechanism reads a phrasing it was not written for": [
        ("We're based in Bristol now, since May.", Proposal(H, "Bristol")),
        ("im in new york now btw", Proposal(H, "new york")),
        ("I'm local to Cardiff.", Proposal(H, "Cardiff")),
        ("My commute across Madrid is brutal.", Proposal(H, "Madrid")),
        ("Myself Arjun, from Pune.", Proposal(N, "Arjun")),
        ("me = noor", Proposal(N, "noor")),
        ("Our kitchen is nut-free since Ben's diagnosis.", Proposal(D, "nut-free")),
        ("Coffee makes me jittery, so I've given it up.", Proposal(D, "no Coffee")),  # a refusal of a pronoun's food
        ("My daughters' names are Ivy and Rose.", Proposal(F, "daughter Ivy")),
        ("Dad of three here, Ivy, Rose and Jack.", Proposal(F, "dad of Jack")),
        ("You can't beat a roast on Sunday.", Proposal(P, "a roast")),
        ("Fave film genre: westerns.", Proposal(P, "westerns")),
        ("My go-to at the pub is cider.", Proposal(P, "cider")),
        ("I'm painting the hallway, hoping to finish today.", Proposal(J, "painting the hallway")),
        ("Midway through a jigsaw of Venice.", Proposal(J, "a jigsaw of Venice")),
        ("Welder by day, drummer by night.", Proposal(W, "Welder")),
        ("My interview's on May 3.", Proposal(L, "interview on May 3")),
    ],
    "a sixth round eight mechanism reads a phrasing it was not written for": [
        ("Oh and by the way, well, I'm Ingrid.", Proposal(N, "Ingrid")),  # several discourse words lead
        ("Kind regards, Omar.", Proposal(N, "Omar")),
        ("fave drink is cold brew", Proposal(P, "cold brew")),
        ("We're redoing the loft ourselves.", Proposal(J, "redoing the loft")),
        ("Made steady progress with my quilt.", Proposal(J, "my quilt")),
        ("kids are ivy and rose", Proposal(F, "kid ivy")),
        ("I'm just outside Lyon.", Proposal(H, "Lyon")),
        ("For reference, my PIN is 4411.", Proposal(Subject.NOTE, "my PIN is 4411")),
        ("Long weekend in Rome coming up!", Proposal(L, "Rome coming up")),
        ("Role: junior architect.", Proposal(W, "junior architect")),
        ("am a nurse so nights are hard", Proposal(W, "nurse")),
    ],
    "a seventh round eight mechanism reads a phrasing it was not written for": [
        ("Hi hi, it's Marta from the choir.", Proposal(N, "Marta")),
        ("Three dogs here: Rex, Bo and Kit.", Proposal(F, "dog Bo")),
        ("home is lisbon these days", Proposal(H, "lisbon")),
        ("My gym locker is 221, please remember.", Proposal(Subject.NOTE, "My gym locker is 221")),
        ("My idea of a perfect Sunday is gardening.", Proposal(P, "gardening")),
    ],
    "a round nine mechanism reads a phrasing it was not written for": [
        ("My mum named me Esther after her aunt.", Proposal(N, "Esther")),  # who named the user
        ("Everyone at the club knows me as Bo.", Proposal(N, "Bo")),
        ("The name on my licence is Idris Bello.", Proposal(N, "Idris Bello")),
        ("Farah Aziz, pleased to meet you.", Proposal(N, "Farah Aziz")),
        ("ok so im zofia and my laptop is broken", Proposal(N, "zofia")),
        ("its me ravi again", Proposal(N, "ravi")),
        ("Relocating to Bergen was the best thing we did.", Proposal(H, "Bergen")),
        ("Sesame puts me in hospital.", Proposal(D, "no Sesame")),
        ("My gut can't handle lentils.", Proposal(D, "no lentils")),
        ("Knee-deep in my thesis right now.", Proposal(J, "my thesis")),
        ("Trying to get my podcast launched by spring.", Proposal(J, "my podcast")),
        ("Sibelius on repeat since Monday.", Proposal(P, "Sibelius")),
        ("Counting down the sleeps to Oslo in May!", Proposal(L, "Oslo in May")),
        ("I've registered for a 10k in June.", Proposal(L, "registered for a 10k in June")),
        ("Driving test on March 9, eek.", Proposal(L, "Driving test on March 9")),
        ("Could you keep my wifi password for me? It's tulip77.", Proposal(Subject.NOTE, "my wifi password: tulip77")),
        ("FYI for later, the bin day is Thursday.", Proposal(Subject.NOTE, "the bin day is Thursday")),
    ],
    "a second round nine mechanism reads a phrasing it was not written for": [
        ("Quick question from Ines: is my boiler safe?", Proposal(N, "Ines")),  # an aside that says who writes
        ("Me again (Bruno). The oven is still broken.", Proposal(N, "Bruno")),
        ("Any good bakeries in Lund? I live there now.", Proposal(H, "Lund")),  # "there" is the place just named
        ("Is the tram in Turku free, do you know? Just moved here.", Proposal(H, "Turku")),  # "here" after a question
        ("Lamb? Can't go near the stuff.", Proposal(D, "no Lamb")),
        ("grime is sooo good", Proposal(P, "grime")),  # praise with no verb of liking
        ("Pretty much live on noodles.", Proposal(P, "noodles")),
        ("Whenever I can, I'm out surfing.", Proposal(P, "surfing")),
        ("My favourite way to spend a rainy day is jigsaws.", Proposal(P, "jigsaws")),
        ("Finally finished chapter two of my thriller!", Proposal(J, "my thriller")),
        ("Spent the weekend on the dinghy, nearly done.", Proposal(J, "the dinghy")),
        ("Going to see my brother in Quito over Easter.", Proposal(L, "Going to see my brother in Quito over Easter")),
        ("May 9 is my driving test, any tips?", Proposal(L, "driving test on May 9")),
        ("For my records: alarm code is 1942.", Proposal(Subject.NOTE, "alarm code is 1942")),
    ],
    "a third round nine mechanism reads a phrasing it was not written for": [
        ("Good morning. Hana Sato writing; my boiler has died.", Proposal(N, "Hana Sato")),
        ("We swapped Paris for Lyon three years ago and haven't looked back.", Proposal(H, "Lyon")),
        ("heads up im in auckland so my timezone is different", Proposal(H, "auckland")),
        ("Scan came back: I'm allergic to kiwi. Need new snacks.", Proposal(D, "allergic to kiwi")),  # after a colon
        ("I've been plastering walls for twenty years and my back knows it.", Proposal(W, "plastering walls")),
        ("Mia has her first ballet class today - she's my eldest.", Proposal(F, "eldest Mia")),  # "she" is Mia
        ("We've got a hamster too, Nibbles, who bites.", Proposal(F, "hamster Nibbles")),
        ("Put on some Mahler and I'm happy for hours.", Proposal(P, "Mahler")),
        ("Update on the greenhouse: the glass is in.", Proposal(J, "the greenhouse")),
        ("Two chapters into my novel and stuck already.", Proposal(J, "my novel")),
        ("Need a hat for a wedding in Bruges in July, any ideas?", Proposal(L, "wedding in Bruges in July")),
        ("The gate code is 2291. Please remember it for me.", Proposal(Subject.NOTE, "The gate code is 2291")),
        ("Can you hold on to my locker number? 118.", Proposal(Subject.NOTE, "my locker number: 118")),
    ],
    "a fifth round nine mechanism reads a phrasing it was not written for": [
        ("Introducing myself properly: Wren.", Proposal(N, "Wren")),
        ("cheers for that\nwren", Proposal(N, "wren")),  # a lower-case signature under thanks
        ("Council tax in Derby went up again.", Proposal(H, "Derby")),
        ("Our end of Derby is quiet at night.", Proposal(H, "Derby")),
        ("My landlord in Derby won't fix the boiler.", Proposal(H, "Derby")),  # someone who comes with the home
        ("Long week of nights, the joys of being a porter.", Proposal(W, "porter")),
        ("I run a little bike shop in the village.", Proposal(W, "run a little bike shop")),
        ("I mend shoes at a place in town.", Proposal(W, "mend shoes")),
        ("The best part of my week is rowing.", Proposal(P, "rowing")),
        ("If there's paella on the menu, I'm ordering it.", Proposal(P, "paella")),  # a condition on the menu
        ("Almost done sewing a quilt!", Proposal(J, "a quilt")),
        ("Any tips for Welsh? I started lessons in May.", Proposal(J, "Welsh lessons")),  # the topic just asked
    ],
    "a round ten mechanism reads a phrasing it was not written for": [
        ("I answer to Ines, if anyone asks.", Proposal(N, "Ines")),  # a verb of naming
        ("I'm still getting used to Turku after the move.", Proposal(H, "Turku")),  # accustomed, not a past habit
        ("Lamb and me are not friends.", Proposal(D, "no Lamb")),  # the food and the user at odds
        ("Anything with sesame in it and I'm in hospital.", Proposal(D, "no sesame")),
        ("Porridge is my comfort food.", Proposal(P, "Porridge")),  # a role by its lemma (comfort, treat, escape)
        ("Crosswords are my little escape.", Proposal(P, "Crosswords")),
        ("Can't get through a day without podcasts.", Proposal(P, "podcasts")),  # a need is no refusal
        ("Grime, nothing else comes close.", Proposal(P, "Grime")),
        ("Give me a crossword and a coffee and I'm happy.", Proposal(P, "crossword")),  # an order with its reward
        ("Can you remember something for me? Bike lock: 4471.", Proposal(Subject.NOTE, "Bike lock: 4471")),
        ("pls save wifi code 8812 for me", Proposal(Subject.NOTE, "wifi code 8812")),
        ("In my line of work as a nurse, weekends don't exist.", Proposal(W, "nurse")),  # the negation is the weekends'
    ],
    "a round ten mechanism from its held-back batch, after its figures were recorded": [
        ("Signed, a very tired Wren.", Proposal(N, "Wren")),
        ("We've got the whole of Derby on our doorstep.", Proposal(H, "Derby")),  # a home by idiom
        ("Ended up in Derby for work and never left.", Proposal(H, "Derby")),
        ("Back in Derby after the holidays and it's freezing.", Proposal(H, "Derby")),
        ("round my way in derby theres nothing open", Proposal(H, "derby")),
        ("Herbal tea only, I quit coffee in May.", Proposal(D, "no coffee")),
        ("I always check the ingredients for sesame because of my allergy.", Proposal(D, "no sesame")),
        ("I've worked in retail for ten years now.", Proposal(W, "retail")),
        ("the kids ivy and rose want pancakes again", Proposal(F, "kid ivy")),
        ("After work I unwind with crosswords.", Proposal(P, "crosswords")),
        ("Anything with paella and I'm there.", Proposal(P, "paella")),
        ("A bit of Mahler on a Sunday morning, you can't beat it.", Proposal(P, "Mahler")),  # the pronoun's topic
        ("I'm in the middle of the loft, so everything is dusty.", Proposal(J, "the loft")),
        ("Spent all of Sunday sanding an old dinghy.", Proposal(J, "an old dinghy")),
        ("picked up welsh again this year, going well", Proposal(J, "welsh")),
        ("First time going to Quito, we leave on May 3.", Proposal(L, "Quito, leave on May 3")),  # the place borrowed
        ("This'll be useful later: locker 118.", Proposal(Subject.NOTE, "locker 118")),
    ],
    "a round eleven mechanism reads a phrasing it was not written for": [
        ("I'm a welder, not a fitter.", Proposal(W, "welder")),  # the contrast negates only itself
        ("fixing up the shed this weekend if the rain holds off", Proposal(J, "fixing up the shed")),
        ("chipping away at a tapestry most evenings", Proposal(J, "a tapestry")),  # a verb of keeping at it
        ("Sorry, should've said, I'm Wren.", Proposal(N, "Wren")),  # a counterfactual of saying hedges nothing
        ("I'm in Derby - have been since 2012.", Proposal(H, "Derby")),
        ("My son Milo thinks I'm ancient.", Proposal(F, "son Milo")),
        ("Never thought I'd end up a welder, but here I am.", Proposal(W, "welder")),  # a change whose result lasts
        ("Been into chess since I was a kid.", Proposal(P, "chess")),  # the subject dropped
        ("No idea why people hate chess, I love it.", Proposal(P, "chess")),  # the pronoun's antecedent
    ],
}

NOTHING: dict[str, list[str]] = {
    "what states no fact of the users own teaches nothing": [
        "My brother lives in Madrid.", "I'm not a teacher.", "I used to be vegan.", "I'm tired.", "I'm British.",
        "I'm going to bed.", "My colleague is vegetarian.", "I lived in Berlin as a student.", "I'll call you Max.",
        "Translate 'I live in Madrid' into Spanish.", "What if I moved to Canada?", "I'm making dinner now.",
        "Don't call me Bob.", "I'm thinking about becoming a nurse.", "I was a chef for ten years.",
    ],
    "a round nine trap teaches nothing": [
        "ok so im hungry and need dinner ideas",  # a state after "ok so im", not a name
        "Oh sure, because I'm obviously a surgeon.",  # sarcasm
        "Yeah right, I live in Monaco.",
        "She goes, 'I'm Hilda and I live in Bergen.'",  # a quotation with a contraction inside it
        "Spent six years in Dublin before moving away.",  # a home left behind
        "I was a chef in a previous life.",
    ],
    "a second round nine trap teaches nothing": [
        "Can you format this? Name: Vera. City: Lund. Job: nurse.",  # what follows "format this?" is the text to format
        "The weather is so good today.",  # praise of no pastime
        "My sister is in Leeds. She lives there with her dog.",
        "I met Ana in Lund. I don't live there.",
    ],
    "a fourth round nine trap teaches nothing": [
        "We're looking at flats in Riga.",  # a search, not a home
        "Worst case, I move back to Riga.",  # a hedge that opens the sentence
        "Once the twins arrive we'll need a bigger place in Riga.",
        "The surgery has me down as living in Riga.",  # a record's words
        "Far from a carpenter, I just tinker.",
    ],
    "a round ten trap teaches nothing": [
        "Fingers crossed we'll be living in Ghent by next year.",  # a hope
        "I helped my sister move to Leeds.",  # a move, but not the user's
        "The bars in Leeds are lively.",  # "lively" is no form of "live"
        "I drove all the way to Leeds, nothing else comes close to that trip.",
        "I made a vegan lasagne for the party.",  # a diet's word that modifies a noun
        "I gave up the cello after a month.",  # what has a determiner is no food given up
        "I gave up Portuguese after a month.",  # nor a name
        "We once lived in Graz, ages ago.",  # an adverb between the user and a past verb
    ],
    "a round eleven trap teaches nothing": [
        "nah im not vegan, never have been",  # a perfect after "never have" is no food refused
        "Should I ever get a parrot, I'm calling it Kiwi.",
        "My teacher used to call me Wren.",  # a name the user was called once
        "Vegan? Me? Hardly.",  # a denial answers "Me?", no name
        "I'm not from Derby, I only go there for work.",  # a trip for work is no job
    ],
    "an order about memory teaches nothing": [
        "Forget where I live.",  # an order's verb is no place
        "Remember where I live?", "Note where I live.", "Update where I live: it changed.",
    ],
}


@pytest.mark.parametrize(("message", "fact"), cases(READ))
def test_a_phrasing_is_read_by_the_mechanism_written_for_its_kind(message, fact):
    assert fact in floor(message)


@pytest.mark.parametrize("message", cases(NOTHING))
def test_a_message_that_states_no_fact_of_the_users_own_teaches_nothing(message):
    assert floor(message) == []


def test_a_month_is_no_place():
    homes = [p for p in floor("we're in derby now btw, moved in april") if p.subject is H]
    assert homes == [Proposal(H, "derby")]


def test_a_diet_ahead_is_not_the_diet_yet():
    assert [p for p in floor("Going vegan next month.") if p.subject is D] == []
    assert floor("Went vegan last month.") == [Proposal(D, "vegan")]


def test_a_diets_word_that_describes_a_dish_is_not_the_users_diet():
    diets = [p for p in floor("FYI I'm vegan, so the dinner needs to be veggie friendly.") if p.subject is D]
    assert diets == [Proposal(D, "vegan")]


# Round twelve: facts as people type them on a phone.
@pytest.mark.parametrize(("message", "note"), [
    ("btw my bike lock code is 4521, dont let me forget", "my bike lock code is 4521"),  # the order after its thing
    ("New gate code is 3306, so don't let me forget it.", "New gate code is 3306"),
    ("Quick one before I forget: locker code is 3306.", "locker code is 3306"),  # a clause of time about forgetting
    ("Lest I forget, my PIN is 7730.", "my PIN is 7730"),
])
def test_a_note_guarded_against_forgetting_by_any_connective(message, note):
    assert notes(message) == [Proposal(Subject.NOTE, note)]


def test_a_gerund_whose_g_is_dropped_is_read_as_the_gerund():
    assert floor("trainin for a marathon so no drinks for me") == [Proposal(J, "training for a marathon")]
    assert floor("been learnin japanese on my phone, its hard") == [Proposal(J, "learning japanese")]


@pytest.mark.parametrize(("message", "likings"), [
    ("honestly i cant stand crowds", ["cant stand crowds"]),  # the apostrophe left out
    ("I listen to sea shanties pretty much all day.", ["sea shanties"]),  # what one listens to, habitually
    ("I'm a big green tea drinker, so no coffee for me thanks.", ["green tea"]),  # a keen drinker
    ("I'm a social drinker.", []),  # one who drinks is a lover of it only when keen
    ("Things I love: Thai curry, sci-fi novels and long walks.", ["Thai curry", "sci-fi novels", "long walks"]),
    ("Stuff I hate - crowds and cold weather", ["hate crowds", "hate cold weather"]),  # a list under its heading
])
def test_a_liking_in_the_shapes_people_type_it(message, likings):
    assert [p.value for p in floor(message) if p.subject is P] == likings


@pytest.mark.parametrize(("message", "plan"), [
    ("Can't come to the party because I'm flying to Lima that weekend.", "flying to Lima that weekend"),
    ("My eye test's been moved to April 19.", "eye test April 19"),  # rescheduled, to its new date
    ("My job interview has been pushed back to next week.", "job interview next week"),
])
def test_a_plan_dated_by_a_time_pointed_back_to_or_moved_to_a_new_date(message, plan):
    assert floor(message) == [Proposal(L, plan)]


@pytest.mark.parametrize("message", ["My eye test has been cancelled.", "I was in Lima that weekend."])
def test_a_cancelled_event_or_a_past_stay_is_no_plan(message):
    assert floor(message) == []


@pytest.mark.parametrize(("message", "fact"), [
    ("Dietary stuff: vegan, no soy.", Proposal(D, "vegan, no soy")),  # a heading over its list, one diet
    ("Allergies: peanuts and eggs.", Proposal(D, "no peanuts, no eggs")),
    ("The bookcase I'm building is nearly done.", Proposal(J, "building the bookcase")),  # the thing, then its making
    ("I go climbing whenever I can because it clears my head.", Proposal(P, "climbing")),
    ("lowkey addicted to crime podcasts rn", Proposal(P, "crime podcasts")),  # a filler before, "rn" after
    ("tampere based, originally from porto", Proposal(H, "tampere")),  # where one is based, as a fragment
    ("Leeds based, originally from Cork", Proposal(H, "Leeds")),
])
def test_a_fact_under_a_heading_described_by_a_clause_or_as_a_fragment(message, fact):
    assert floor(message) == [fact]


@pytest.mark.parametrize("message", ["Allergies: none.", "My sister's allergies: peanuts.", "Research based on data.",
                                     "The shed my dad is building is huge."])
def test_a_heading_with_nothing_under_it_or_someone_elses_states_nothing(message):
    assert floor(message) == []


@pytest.mark.parametrize(("message", "fact"), [
    ("Gave up meat in 2015, vegan ever since.", Proposal(D, "vegan")),  # the diet, not the meat it keeps out
    ("I commute into town from Cork every day.", Proposal(H, "Cork")),  # where one's days start
    ("Loving life in Porto, best move I ever made.", Proposal(H, "Porto")),
    ("Two weeks till Kyoto!!", Proposal(L, "Kyoto in Two weeks")),  # a countdown to a place
    ("Flights to Hanoi are booked for September!", Proposal(L, "Hanoi in September")),  # travel booked for a time
    ("I can't do Thursday because my eye test is that morning.", Proposal(L, "eye test that morning")),
    ("Me and the kids are going to Kyoto in June.", Proposal(L, "going to Kyoto in June")),  # the user with others
    ("tryna learn welding before the trip", Proposal(J, "learn welding")),  # "tryna" is "trying to"
    ("My treehouse project is taking forever.", Proposal(J, "treehouse project")),  # a thing named as one's project
    ("Been at a garden shed all weekend, nearly there.", Proposal(J, "a garden shed")),  # at work on it, far along
    ("Nothing better than ramen on a Friday night.", Proposal(P, "ramen")),
    ("I watch nature documentaries every night before bed.", Proposal(P, "nature documentaries")),  # a habit kept
])
def test_a_fact_told_in_passing_in_the_shapes_of_round_twelves_fourth_batch(message, fact):
    assert floor(message) == [fact]


@pytest.mark.parametrize(("message", "only"), [
    ("Ever since we moved to Bilbao the kids have been happier.", [Proposal(H, "Bilbao")]),  # a place is no name
    ("Me and my wife Ana are off to the cinema tonight.", [Proposal(F, "wife Ana")]),  # with others, no trip
    ("Been at my desk all day, nearly done.", []),
    ("Packing list for Lima in October please.", []),  # a request put as a thing and "please"
])
def test_a_place_a_time_or_a_request_is_not_taken_for_a_fact(message, only):
    assert floor(message) == only


def test_a_note_kept_somewhere_after_the_thing():
    assert notes("My gate code is B12, keep that somewhere for me.") == [Proposal(Subject.NOTE, "My gate code is B12")]


@pytest.mark.parametrize(("message", "only"), [
    ("its freezing here in ghent today", [Proposal(H, "ghent")]),  # an inflected word is no name; "here in" a home
    ("No drinks for me, I'm training for a marathon.", [Proposal(J, "training for a marathon"),
                                                         Proposal(J, "a marathon")]),  # a refusal for now, no diet
    ("The treehouse is coming along, the roof's next.", [Proposal(J, "The treehouse")]),
    ("So tired, stayed up finishing a chess engine.", [Proposal(J, "finishing a chess engine")]),
])
def test_round_twelves_fifth_batch_reads_what_it_states_and_nothing_else(message, only):
    assert floor(message) == only


@pytest.mark.parametrize(("message", "fact"), [
    ("havent touched meat since 2018, pescatarian all the way", Proposal(D, "pescatarian")),
    ("I play chess most evenings with my neighbour.", Proposal(P, "chess")),  # "most evenings", plural
    ("back home in ghent now, long flight", Proposal(H, "ghent")),
    ("eye test tmrw, wish me luck", Proposal(L, "eye test tmrw")),  # "tmrw" is tomorrow, kept as written
    ("Work's mad this week, then Lima on November 27!", Proposal(L, "Lima on November 27")),  # next in one's days
    ("currently obsessed w board games", Proposal(P, "board games")),  # "w" is "with"
])
def test_a_fact_of_round_twelves_held_back_batch_tuned_on_last(message, fact):
    assert floor(message) == [fact]


def test_liking_where_one_lives_is_a_home_not_a_liking():
    assert [p for p in floor("The commute from Nantes takes ages but I like living there.") if p.subject is P] == []


def test_a_time_after_giving_up_is_no_food():
    assert [p for p in floor("im not vegan anymore, gave up in november") if p.subject is D] == []


def test_an_unknown_word_before_btw_in_lower_case_is_a_name_and_a_known_word_is_none():
    assert Proposal(Subject.NAME, "yuki") in floor("yuki btw, forgot to say")
    assert Proposal(Subject.NAME, "priya") in floor("names priya by the way")
    assert [p for p in floor("pescatarian btw") if p.subject is Subject.NAME] == []
    assert [p for p in floor("hungry btw") if p.subject is Subject.NAME] == []


def test_a_plural_relative_before_one_word_in_lower_case_is_a_possessive_and_its_name_after_from():
    assert [p for p in floor("my sisters gp in leeds is great") if p.subject is Subject.FAMILY] == []
    assert Proposal(Subject.NAME, "lucia") in floor("its lucia from the gym")


# Round fourteen (r14a): homes, diets, plans and notes as typed on a phone.


@pytest.mark.parametrize(("message", "note"), [
    ("remember the wifi password hunter22 ok?", "the wifi password hunter22"),  # a tag asks agreement, no question
    ("I'll only forget it otherwise: alarm code 5519.", "alarm code 5519"),  # forgetting foreseen, as a heading
    ("Here's my locker code so you have it: 8812.", "my locker code: 8812"),  # handed over to be kept
    ("My door code changed to 6620, update that for me.", "My door code changed to 6620"),  # "update" after the thing
    ("Save this under work stuff: badge number 4417.", "badge number 4417"),  # filed under a heading of one's own
    ("can u remember my pin for me its 9931", "my pin: 9931"),  # "u" is "you"; "for me its" says what it is
])
def test_a_note_asked_for_in_the_ways_people_type_it(message, note):
    assert notes(mended(message)) == [Proposal(Subject.NOTE, note)]
    assert Proposal(Subject.NOTE, note) in floor(message)


@pytest.mark.parametrize(("message", "read"), [
    ("can u remember my code", "can you remember my code"),
    ("r u free", "are you free"),
    ("Tryna learn welding", "trying to learn welding"),
    ("my kids milo n noor are fighting again", "my kids milo and noor are fighting again"),
    ("I'm from N Ireland", "I'm from N Ireland"),  # a capital N is no "and"
    # a capital letter is a name, not chat: the language R, a person called U
    ("I'm learning R for my thesis.", "I'm learning R for my thesis."),
    ("My name is U Thant.", "My name is U Thant."),
])
def test_chat_spellings_are_read_as_what_they_stand_for_and_a_capital_letter_is_left(message, read):
    assert mended(message) == read


@pytest.mark.parametrize(("message", "family"), [
    ("Me and my partner have been together three years.", ["partner"]),
    ("Anniversary with my wife tomorrow!", ["wife"]),
    ("Date night with my husband tonight!", ["husband"]),
    ("Date night ideas for me and my husband?", []),  # a question
    ("Me and my boss have been together on this project for years.", []),  # a boss is no partner
    ("Anniversary with my sister's family.", []),
])
def test_a_partner_unnamed_is_learnt_from_what_only_a_couple_shares(message, family):
    assert [p.value for p in floor(message) if p.subject is F] == family


@pytest.mark.parametrize(("message", "home"), [
    ("Berlin's been home for about six years now.", ["Berlin"]),  # "'s been" is "has been", no one's Berlin
    ("Lisbon's been my home since 2020.", ["Lisbon"]),
    ("My sister's been living in Leeds for years.", []),  # the sister's home still
])
def test_a_contracted_has_is_read_as_has_not_as_a_possessive(message, home):
    assert [p.value for p in floor(message) if p.subject is H] == home


@pytest.mark.parametrize("message", [
    "Picked up my sister from the airport.",
    "Picked up the kids from school, then groceries.",
    "Picked up Noor from school.",
    "Picked up Noor, she's my niece.",
    "I picked up Sam at the station.",
    "Picked up some milk on the way home.",
    "Picked up a cold at work.",
])
def test_someone_collected_or_a_thing_fetched_is_no_pursuit_picked_up(message):
    assert [p for p in floor(message) if p.subject is J] == []


@pytest.mark.parametrize(("message", "pursuit"), [
    ("Just picked up knitting!", "knitting"),
    ("Picked up Japanese last year.", "Japanese"),
    ("I picked up the cello last month.", "the cello"),
])
def test_a_pursuit_picked_up_is_a_project(message, pursuit):
    assert Proposal(J, pursuit) in floor(message)


@pytest.mark.parametrize("message", [
    "I'm practicing my presentation for tomorrow.",
    "I'm studying for a quiz tomorrow.",
    "Building a fire in the garden tonight with friends.",
    "I'm writing a thank-you card for my neighbour.",
    "Painting my nails while I wait.",
    "I'm learning a lot from these chats.",
])
def test_a_thing_done_in_a_sitting_is_no_project(message):
    assert [p for p in floor(message) if p.subject is J] == []


@pytest.mark.parametrize(("message", "plan"), [
    ("We're having a barbecue this weekend if the weather holds.", "a barbecue this weekend"),
    ("Going to Lima in May if work allows.", "Going to Lima in May"),
])
def test_a_plan_leaves_out_the_condition_on_it(message, plan):
    assert [p.value for p in floor(message) if p.subject is L] == [plan]


@pytest.mark.parametrize(("message", "plan"), [
    ("Next week I'm flying to Rome.", "flying to Rome next week"),
    ("Next month I'm off to Lima to see my sister.", "off to Lima to see my sister next month"),
    ("Tomorrow I have a job interview!", "a job interview tomorrow"),
    ("Next month I'm off to Lima, so excited!", "off to Lima next month"),
    ("In May we are going to Crete.", "going to Crete in May"),
])
def test_a_date_that_led_its_sentence_follows_the_plan_as_it_would_be_said_there(message, plan):
    # The date was put after what the sentence said with that sentence's full stop and capital still on it
    # ("flying to Rome. Next week"), as the Memory screen then showed it.
    assert [p.value for p in floor(message) if p.subject is L] == [plan]


@pytest.mark.parametrize("message", [
    "No coffee for me today, I'm already jittery.",  # a refusal for a day
    "I'm off sugar for a week as a challenge with my colleagues.",  # for a week, as a dare
    "I can't eat another bite, that was huge.",  # a full plate
    "I teach my dog new tricks on weekends.",  # teaching one's own is no job
    "I'm a big fan of your answers!",  # said of the assistant
    "I'm obsessed with this question, honestly.",  # said of the chat
    "Hey it's Monday again ugh.",  # a day is no name
    "I'm married to a teacher.",  # the spouse's job
    "I own a Tesla.",  # owning a car is no living
    "I'm on the train to Glasgow.",  # where one is: a train is no job
    "Call me Ishmael, said the narrator.",  # words given to a speaker after them
    "I can't stand the heat today.",  # a mood of the day
    "I'm making a cake for my daughter's birthday.",  # a cake is made in a sitting
    "Please keep it short.",  # a way of answering, not a note to keep
    "My essay is about living in Tokyo.",  # what a piece of work is about
])
def test_everyday_messages_that_state_no_fact_of_the_user_teach_nothing(message):
    assert floor(message) == []


@pytest.mark.parametrize("message", [
    "I'm house-sitting in Brighton this month.",  # a stay, not a home
    "I'm dog-sitting for a friend in York.",
    "We stayed at my parents' house in Dublin.",  # someone else's home
    "I'm staying at a friend's place in Leeds this week.",
    "Greetings from Lisbon where we are on holiday!",  # away from home
    "Booked a cottage in Wales for August.",  # a booking (a plan), never a home
])
def test_a_stay_away_from_home_is_no_home(message):
    assert [p for p in floor(message) if p.subject is Subject.HOME] == []


@pytest.mark.parametrize("message", ["We moved from Paris to Lyon last year.", "Moved over from Dublin to Lyon"])
def test_a_move_from_one_place_to_another_makes_the_second_home(message):
    assert [p.value for p in floor(message) if p.subject is Subject.HOME] == ["Lyon"]


def test_a_home_beside_a_stay_elsewhere_is_still_learnt():
    homes = [p.value for p in floor("I live in Leeds but I'm visiting Dublin.") if p.subject is Subject.HOME]
    assert homes == ["Leeds"]


def test_an_allergy_beside_one_to_what_is_never_eaten_is_still_a_diet():
    assert [p.value for p in floor("I'm allergic to peanuts and cats.")] == ["allergic to peanuts"]


@pytest.mark.parametrize(("message", "name"), [
    ("It's Priya again!", "Priya"),  # a contraction before a name is no part of it
    ("Name's Olu btw.", "Olu"),
    ("Kofi, 34, nurse from Accra.", "Kofi"),  # a profile's name, age, job and place
])
def test_a_name_is_the_name_alone(message, name):
    assert [p.value for p in floor(message) if p.subject is Subject.NAME] == [name]


def test_a_word_that_opens_a_sentence_is_no_name():
    assert [p for p in floor("Currently writing my thesis on bees.") if p.subject is Subject.NAME] == []


def test_a_keen_fan_likes_what_they_are_a_fan_of():
    assert [p.value for p in floor("I'm a big Arsenal fan.")] == ["Arsenal"]


def test_a_business_one_owns_is_still_a_living():
    assert Proposal(Subject.WORK, "own a small bakery") in floor("I own a small bakery.")


def test_a_refusal_for_good_is_still_a_diet():
    assert [p.value for p in floor("No more alcohol for me, doctor's orders.")] == ["no more alcohol"]


def test_a_note_inside_a_pasted_document_is_the_documents():
    message = "Can you tidy this up?\n\nPacking list\nPassport\nNote: remember that the safe code is 1234"
    assert notes(message) == [] and floor(message) == []


@pytest.mark.parametrize(("message", "fact"), [
    ("Gonna be in Turku the whole of July for work.", "Turku"),  # "gonna", a whole month
    ("goin to Split in August w my brother", "Split"),  # "goin" is "going"
    ("Got my scan early tomorrow, so no wine tonight.", "scan"),  # the part of the day before the date
    ("June 14: driving test. Keep that day clear.", "driving test"),  # a date as the heading over an event
    ("The holiday's Oslo in September, can't wait.", "Oslo"),  # a trip's "'s" is "is", equated with a place
    ("Getting jabs for Lagos, we fly out in May.", "Lagos"),  # what a trip is readied with names the place
    ("New boots bought just in time for Oslo in December.", "Oslo"),  # a place readied for, with its date
])
def test_a_plan_in_the_shapes_of_round_fourteen(message, fact):
    plans = [p for p in floor(message) if p.subject is L]
    assert plans and fact in plans[0].value, plans


@pytest.mark.parametrize(("message", "diet"), [
    ("Cant have anything with sesame in it.", "no sesame"),  # what has the food in it is the food refused
    ("Not allowed sesame any more, doctor's orders.", "no sesame"),  # permission withheld with no verb
    ("My gut hates lentils, sadly.", "no lentils"),  # the body is the user
    ("Sesame is basically poison to me.", "no Sesame"),  # a food equated with harm
    ("No lentils since my diagnosis, not even one.", "no lentils"),  # a verbless refusal told how long
    ("Any lunch ideas for a vegan like me?", "vegan"),  # a diet the user says they share, in a question
])
def test_a_diet_in_the_shapes_of_round_fourteen(message, diet):
    assert Proposal(D, diet) in floor(message)


def test_a_diet_like_someone_elses_is_not_the_users():
    assert [p for p in floor("Any lunch ideas for a vegan like my sister?") if p.subject is D] == []


@pytest.mark.parametrize(("message", "home"), [
    ("Just got a studio flat in Turku, tiny but mine.", "Turku"),  # a dwelling by its kind
    ("flat-sharing in lyon with my cousin", "lyon"),  # sharing one, in lower case
    ("We've put roots down in Lyon for good.", "Lyon"),  # roots put down
    ("We live about five minutes from the centre of Turku.", "Turku"),  # how far from the centre
    ("Lyon native here, never left.", "Lyon"),  # a native still there ("never left" denies nothing)
    ("Home base is Turku, though I'm away a lot.", "Turku"),
])
def test_a_home_in_the_shapes_of_round_fourteen(message, home):
    assert Proposal(H, home) in floor(message)


def test_a_native_who_says_nothing_of_staying_and_a_hotel_near_the_centre_are_no_home():
    assert [p for p in floor("I'm a Lyon native living abroad.") if p.subject is H] == []
    assert [p for p in floor("My hotel is ten minutes from the centre of Turku.") if p.subject is H] == []


# Round fourteen (r14c): the shapes of its third batch.


@pytest.mark.parametrize(("message", "note"), [
    ("keep hold of this for me - bin day code 2291", "bin day code 2291"),
    ("For when I inevitably forget: wifi is hunter22.", "wifi is hunter22"),  # forgetting foreseen, by any connective
    ("Your memory beats mine, so: my alarm code is 5519.", "my alarm code is 5519"),  # a heading asking one's memory
    ("New alarm code just in: 5519. Hang on to it.", "New alarm code just in: 5519"),  # "it": the sentence before
    ("rmb my alarm code is 5519", "my alarm code is 5519"),  # "rmb" is "remember"
])
def test_a_note_in_the_shapes_of_round_fourteens_third_batch(message, note):
    assert Proposal(Subject.NOTE, note) in floor(message)


@pytest.mark.parametrize(("message", "home"), [
    ("A new family moved in next door to us in Turku.", "Turku"),  # what is near the user places the home
    ("The trams round ours in Lyon never run on time.", "Lyon"),  # a negation after the place denies no home
    ("Moved in with my boyfriend in Lyon last year.", "Lyon"),  # a verb with its "I" dropped; whom with
    ("We tried a few cities but Turku's where we stayed.", "Turku"),  # "'s where" is "is where"
    ("Typing this from my couch in Turku.", "Turku"),  # a seat of one's own there
    ("Been in Lyon a decade now.", "Lyon"),  # how long, without "for"
    ("lyon born and bred, still here", "lyon"),
])
def test_a_home_in_the_shapes_of_round_fourteens_third_batch(message, home):
    assert Proposal(H, home) in floor(message)


def test_a_negation_before_what_is_near_the_user_denies_the_home():
    assert [p for p in floor("I don't live round here in Lyon any more.") if p.subject is H] == []


@pytest.mark.parametrize(("message", "diet"), [
    ("Kept off sugar all year.", "no sugar"),  # kept off, as "been off"
    ("Been meat-free since 2016, vegan now.", "vegan"),  # a fragment "now"; "meat-free" beside it is the same diet
    ("3 years sober today", "sober"),  # how long first
    ("I come out in a rash if I eat sesame.", "no sesame"),  # what a food does whenever, put as a condition
    ("I'd sooner go hungry than eat lentils.", "no lentils"),  # what one would sooner do
    ("My GP has taken me off lentils.", "no lentils"),  # barred by one whose word is the user's rule
])
def test_a_diet_in_the_shapes_of_round_fourteens_third_batch(message, diet):
    found = [p for p in floor(message) if p.subject is D]
    assert found == [Proposal(D, diet)]


@pytest.mark.parametrize(("message", "fact"), [
    ("hen do in split on the 14th, need a dress", "split"),  # an event opening the clause, in lower case
    ("Four more sleeps and we're in Turku!", "Turku"),
    ("We fly Saturday for Lyon, nothing packed yet.", "Lyon"),  # a bare day after a verb of leaving
    ("I'm on leave from July 2, off to Oslo.", "Oslo"),  # away from work from a date, the place in the sentence
    ("driving test's at 9 on June 14.", "driving test"),  # an event's "'s" is "is"
    ("Stag do in Riga the weekend after next!", "Riga"),
    ("flights r booked, oslo july 2", "oslo"),  # "r" is "are"; travel booked, then where and when
    ("Booked time off in July so we can do Oslo.", "Oslo"),  # time off taken for a place
])
def test_a_plan_in_the_shapes_of_round_fourteens_third_batch(message, fact):
    plans = [p for p in floor(message) if p.subject is L]
    assert plans and fact in plans[0].value, plans


def test_a_bare_day_is_a_date_only_after_a_verb_of_leaving():
    assert [p for p in floor("Booked the restaurant for Friday!") if p.subject is L] == []


# Round fourteen: the held-back batch (-r14b), tuned on last.


@pytest.mark.parametrize(("message", "fact"), [
    ("moved here to lyon in 2019, never looking back", Proposal(H, "lyon")),  # "here", and "never looking back"
    ("From my window I can see half of Turku.", Proposal(H, "Turku")),  # the view from one's home
    ("Keys collected, we're Lyon people now!", Proposal(H, "Lyon")),  # a place one belongs to
    ("here in turku for good now", Proposal(H, "turku")),
    ("I can't risk sesame, not even a crumb.", Proposal(D, "no sesame")),
    ("I'll pass on anything with lentils, sorry.", Proposal(D, "no lentils")),  # passing on all of it
    ("Off sugar completely since January.", Proposal(D, "no sugar")),  # off a food, no subject, told how long
    ("Need new boots before Oslo in December.", Proposal(L, "Oslo in December")),  # a place readied for
    ("Might need this later: alarm code 5519.", Proposal(Subject.NOTE, "alarm code 5519")),
    ("I keep losing my alarm code, it's 5519. Can you keep it?", Proposal(Subject.NOTE,
                                                                          "I keep losing my alarm code, it's 5519")),
])
def test_a_fact_of_round_fourteens_held_back_batch_tuned_on_last(message, fact):
    assert fact in floor(message)


def test_an_allergy_denied_is_no_diet():
    assert [p for p in floor("I'm not allergic to sesame, that was my cousin.") if p.subject is D] == []
    assert [p for p in floor("I'll pass on dessert tonight.") if p.subject is D] == []
# Round fourteen (r14b): names, family, likings and projects as people type them on a phone.
@pytest.mark.parametrize(("message", "name"), [
    ("yo kwame here", "kwame"),  # "yo" greets as "hi" does
    ("Morning, Aoife checking in again.", "Aoife"),  # what follows the name when the writer is on the line
    ("Yuki (she/her), first time using this.", "Yuki"),  # a name with its pronouns
    ("Mateo, 29, Cape Town. Hi all!", "Mateo"),  # a profile: name, adult age, place
    ("Just Omar is fine, nobody uses my full name.", "Omar"),  # what will do to call the user
    ("Thank you so much!! Ingrid x", "Ingrid"),  # a sign-off with a kiss
    ("Can you check this for typos?\n\nSent from Kwame's iPhone", "Kwame"),  # a phone's signature
    ("its sam ur fave user lol", "sam"),  # the user as the assistant knows them
])
def test_an_introduction_with_no_naming_word(message, name):
    assert [p.value for p in floor(message) if p.subject is N] == [name]


@pytest.mark.parametrize("message", [
    "Ben, 7, wants a trampoline.",  # a child's age: someone else's profile
    "Just Tuesday is fine for the delivery.",  # what will do, with no word of naming
    "Summarise this email:\n\nThe meeting moved to 3.\nSee you there.\nSent from Sam's iPhone",  # a pasted email's
])
def test_a_name_that_is_not_the_users_introduction_is_no_name(message):
    assert [p for p in floor(message) if p.subject is N] == []


@pytest.mark.parametrize(("message", "family"), [
    ("My two, Noor (7) and Ana (4), are off school today.", ["my two: Noor", "my two: Ana"]),  # a count, then ages
    ("My kids, Ana (7) and Ben (4), love the beach.", ["kid Ana", "kid Ben"]),  # a name's age is no part of it
    ("Me, the wife and the kids are off to the coast.", ["wife"]),  # "the" partner beside oneself is one's own
    ("The hubby and I are hosting tonight.", ["hubby"]),
    ("Had to take Pepper to the vet again, she's our cat and hates it.", ["cat Pepper"]),  # a pronoun takes it up
    ("Grandma of three: Ben, Lena and Ana.", ["grandma of Ben", "grandma of Lena", "grandma of Ana"]),
])
def test_a_relative_named_in_passing_or_in_a_list(message, family):
    assert [p.value for p in floor(message) if p.subject is F] == family


@pytest.mark.parametrize("message", [
    "Took Ana to Leeds, she's my neighbour's kid.",  # the pronoun's relative is someone else's
    "Met the wife of my boss.",
    "Just my two cents, but I think the plan is fine.",
])
def test_a_relative_of_someone_else_or_a_count_of_no_one_is_no_family(message):
    assert [p for p in floor(message) if p.subject is F] == []


@pytest.mark.parametrize(("message", "liking"), [
    ("been bingeing old sitcoms all week no regrets", "old sitcoms"),  # watched again and again
    ("On my third rewatch of baking shows this year.", "baking shows"),
    ("I'd happily eat ramen for every meal.", "ramen"),  # a willingness at every turn is a taste
    ("Any excuse for dark chocolate, honestly.", "dark chocolate"),
    ("Already counting down to hiking season again.", "hiking"),  # a season of it awaited
    ("Every chance I get, I'm off sailing.", "sailing"),  # off at it whenever one can
])
def test_a_liking_by_what_one_does_or_cannot_get_enough_of(message, liking):
    assert [p.value for p in floor(message) if p.subject is P] == [liking]


@pytest.mark.parametrize("message", [
    "I'd happily move to Leeds if the job came up.", "I'd happily eat shellfish if I weren't allergic.",
    "My flatmate is on her third rewatch of old sitcoms.",
])
def test_a_willingness_under_a_condition_or_someone_elses_rewatch_is_no_fact(message):
    assert floor(message) == []


@pytest.mark.parametrize(("message", "project"), [
    ("On the home stretch with a kayak now.", "a kayak"),  # the last part of the way
    ("a chess engine is eating all my weekends", "a chess engine"),  # the time it takes up
    ("Day 40 of Japanese on Duolingo!", "Japanese"),  # a day of a run of them
    ("Two coats in on the attic, one to go.", "the attic"),  # how far in, by its units
    ("Stuck on the roof of the birdhouse, any tips?", "birdhouse"),  # a part of the thing made
    ("Another late one in the garage, the bookcase won't build itself.", "bookcase"),  # it will not make itself
    ("Hoping to have a treehouse done by April.", "a treehouse"),  # a hope to have it done by a date
])
def test_a_project_by_where_one_is_in_it(message, project):
    assert [p.value for p in floor(message) if p.subject is J] == [project]


@pytest.mark.parametrize("message", [
    "The boiler won't fix itself, sadly.", "Day 3 of the flu and I'm bored.", "Work is eating all my weekends.",
    "Hoping to get a dog soon.",
])
def test_an_errand_an_illness_a_job_or_a_hope_is_no_project(message):
    assert floor(message) == []


# Round fourteen (r14b), its third batch (-r14r).
@pytest.mark.parametrize(("message", "name"), [
    ("New here - Priya.", "Priya"),  # a heading of a first visit over the name
    ("Hey! Aoife, nice to e-meet you.", "Aoife"),
    ("Guess who's back? Tomasz!", "Tomasz"),  # the riddle of who writes, answered
    ("Perfect, that fixed it. Best, Ingrid", "Ingrid"),  # a valediction that is no thanks
    ("yuki typing, on my mums phone", "yuki"),  # an unknown word on the line
    ("Hi! Omar (he/him) here, first time.", "Omar"),  # pronouns between the name and "here"
])
def test_an_introduction_of_round_fourteens_third_batch(message, name):
    assert [p.value for p in floor(message) if p.subject is N] == [name]


@pytest.mark.parametrize("message", [
    "Cheers Sam, you're a star x", "pasta typing, on my mums phone", "Forwarding this from my husband:\n\n"
    "Can we move dinner to 8?\nSent from Sam's iPhone",
])
def test_a_thanked_assistant_a_known_word_or_a_forwarded_signature_is_no_name(message):
    assert [p for p in floor(message) if p.subject is N] == []


@pytest.mark.parametrize(("message", "family"), [
    ("My lot (Lena, Milo and Ben) are at their grandparents' tonight.", ["my lot: Lena", "my lot: Milo",
                                                                        "my lot: Ben"]),  # a count in brackets
    ("Milo's my eldest and she's off to uni in November.", ["eldest Milo"]),  # "'s" is "is" before "my"
    ("My in-laws, Ruth and Priya, are staying till Sunday.", ["in-laws Ruth", "in-laws Priya"]),  # a plural relation
    ("Me and the kids (Ana + Otto) are baking brownies.", ["kid Ana", "kid Otto"]),  # a "+" between names
])
def test_a_relative_of_round_fourteens_third_batch(message, family):
    assert [p.value for p in floor(message) if p.subject is F] == family


@pytest.mark.parametrize(("message", "liking"), [
    ("If it's ramen, count me in.", "ramen"),  # a condition that has the user in is a liking
    ("Every holiday we book revolves around fishing.", "fishing"),
    ("sailing is the only thing that switches my brain off.", "sailing"),
    ("My ramen habit is getting expensive lol", "ramen"),
    ("I've seen every episode of old sitcoms at least twice.", "old sitcoms"),
])
def test_a_liking_of_round_fourteens_third_batch(message, liking):
    assert [p.value for p in floor(message) if p.subject is P] == [liking]


@pytest.mark.parametrize("message", ["My smoking habit is getting expensive.", "If it's raining, count me out.",
                                     "My sister has seen every episode of old sitcoms."])
def test_a_habit_of_doing_a_condition_not_met_or_someone_elses_viewing_is_no_liking(message):
    assert [p for p in floor(message) if p.subject is P] == []


@pytest.mark.parametrize(("message", "project"), [
    ("birdhouse update: walls are up, roof next", "birdhouse"),  # progress under the thing's name
    ("Currently elbow-deep in the attic.", "the attic"),  # deep in it to any part of the body
    ("Got a treehouse half built at the bottom of the garden.", "a treehouse"),
    ("My piano practice is finally paying off.", "piano"),  # practice that tells
    ("Only the epilogue left to write for a memoir!", "a memoir"),  # the last part of it left
])
def test_a_project_of_round_fourteens_third_batch(message, project):
    assert [p.value for p in floor(message) if p.subject is J] == [project]


@pytest.mark.parametrize("message", ["Life update: moved up north, loving it.", "Kid update: Ben is in bed at last.",
                                     "My diet is finally paying off."])
def test_an_update_on_life_or_a_relative_or_a_diet_paying_off_is_no_project(message):
    assert [p for p in floor(message) if p.subject is J] == []


# Round fourteen (r14b), the held-back batch (-r14q), tuned on last.
@pytest.mark.parametrize(("message", "name"), [
    ("ok ill try that, thx\n- mateo", "mateo"),  # a lower-case signature after a dash
    ("It's only me, Omar, with another silly question.", "Omar"),
    ("thanks hun, aoife xx", "aoife"),  # thanks, a name and kisses on one line
    ("PS I'm Yuki, should've said at the start.", "Yuki"),  # a postscript before "I'm"
])
def test_an_introduction_of_round_fourteens_held_back_batch(message, name):
    assert [p.value for p in floor(message) if p.subject is N] == [name]


@pytest.mark.parametrize("message", ["thanks so much, sam", "ok ill try that\n- done", "cheers, you're a star x"])
def test_thanks_without_a_kiss_or_a_known_word_under_a_dash_is_no_name(message):
    assert [p for p in floor(message) if p.subject is N] == []


def test_a_list_of_names_then_ones_children_by_the_same_count():
    message = "Packed lunches for Ben, Noor and Lena done, my three are finally out the door."
    assert [p.value for p in floor(message) if p.subject is F] == ["my three: Ben", "my three: Noor", "my three: Lena"]
    assert [p for p in floor("Lunch with Ana and Ben, my three are at school.") if p.subject is F] == []


@pytest.mark.parametrize(("message", "liking"), [
    ("Somehow every holiday ends up being about sailing.", "sailing"),
    ("First thing I do on holiday is find the nearest ramen place.", "ramen"),  # what one seeks out first
    ("I can never resist dark chocolate.", "dark chocolate"),  # "can never" as "can't" resist
    ("Every spare minute goes on chess.", "chess"),
])
def test_a_liking_of_round_fourteens_held_back_batch(message, liking):
    assert [p.value for p in floor(message) if p.subject is P] == [liking]


@pytest.mark.parametrize(("message", "project"), [
    ("finally on the last chapter of a memoir", "a memoir"),
    ("My evenings this month are all about Japanese.", "Japanese"),  # a stretch of evenings given to it
    ("The bookcase is in bits all over the garage floor while I rebuild it.", "The bookcase"),  # "it" after a making
])
def test_a_project_of_round_fourteens_held_back_batch(message, project):
    assert [p.value for p in floor(message) if p.subject is J] == [project]


def test_a_thing_taken_up_by_it_after_a_verb_of_mending_is_an_errand():
    assert [p for p in floor("The boiler is broken again, I'll fix it tomorrow.") if p.subject is J] == []


def test_the_relative_who_reports_named_between_commas_is_family_and_what_they_say_is_theirs():
    assert floor("The missus, Lucia, says I work too much.") == [Proposal(F, "missus Lucia")]
    assert floor("The boss, Lucia, says I work too much.") == []
    assert floor("My wife says Ana would be a cute name for a baby.") == []


# Round fifteen: diets, plans, family and notes stated in passing on a phone (-r15a).
@pytest.mark.parametrize(("message", "diet"), [
    ("severe soy allergy so pls double check", "soy allergy"),  # how bad it is, before the food
    ("Allergic to gluten btw so keep it out of any recipes.", "no gluten"),  # chat's aside is no food
])
def test_a_diet_in_the_shapes_of_round_fifteen(message, diet):
    assert [p.value for p in floor(message) if p.subject is D] == [diet]
    assert [p for p in floor(message) if p.subject is Subject.NOTE] == []  # "keep it out of" keeps no note


def test_a_meal_one_cant_do_is_an_appointment_missed_not_a_diet():
    assert [p for p in floor("My eye test's next Tuesday so I can't do lunch.") if p.subject is D] == []
    assert [p.value for p in floor("I don't do dairy.") if p.subject is D] == ["no dairy"]


@pytest.mark.parametrize(("message", "fact"), [
    ("Our eye test got moved to the 12th of June.", "eye test the 12th of June"),  # "got moved", "the 12th of"
    ("Flights to Lima are booked for the 19th.", "Lima the 19th"),  # a day of the month alone
    ("gotta remember my eye test thurs", "eye test thurs"),  # a bare day, typed short, after the event
])
def test_a_plan_in_the_shapes_of_round_fifteen(message, fact):
    assert [p.value for p in floor(message) if p.subject is L] == [fact]


def test_a_short_day_after_an_event_must_stand_alone():
    assert [p for p in floor("My flight sat on the tarmac for hours.") if p.subject is L] == []


@pytest.mark.parametrize(("message", "family"), [
    ("My little one, Noor, is teething.", "little one Noor"),  # what people fondly call their child
    ("otto (my son) wont stop singing", "son otto"),  # an appositive in brackets, in lower case
])
def test_a_relative_in_the_shapes_of_round_fifteen(message, family):
    assert [p.value for p in floor(message) if p.subject is F] == [family]


def test_a_pets_name_is_not_the_users():
    found = floor("Got a new dog, her name's Luna!")
    assert [p for p in found if p.subject is N] == []
    assert [p.value for p in found if p.subject is F] == ["new dog Luna"]


@pytest.mark.parametrize(("message", "note"), [
    ("for future ref my locker code is 7730", "my locker code is 7730"),
    ("Just so it's written down somewhere, gate code B12.", "gate code B12"),
])
def test_a_note_in_the_shapes_of_round_fifteen(message, note):
    assert [p.value for p in floor(message) if p.subject is Subject.NOTE] == [note]


@pytest.mark.parametrize("message", ["I clicked save so it's saved now.", "Keep it short please."])
def test_saving_or_keeping_with_nothing_to_keep_is_no_note(message):
    assert [p for p in floor(message) if p.subject is Subject.NOTE] == []


# Round fifteen: the held-back batch (-r15b), tuned on last.
@pytest.mark.parametrize(("message", "fact", "subject"), [
    ("Full vegan since 2018.", "vegan", D),
    ("lima in june with the girls!!", "lima in june", L),  # with whom one goes, after the place and date
    ("Finally booked Marrakesh for the 27th of September.", "booked Marrakesh for the 27th of September", L),
    ("Our trip to Lima is June 3 to the end of the month.", "trip to Lima June 3 to the end of the month", L),
    ("Half term in Tbilisi this April, kids are buzzing.", "Tbilisi this April", L),  # "this April", a half term
])
def test_a_fact_of_round_fifteens_held_back_batch_tuned_on_last(message, fact, subject):
    assert [p.value for p in floor(message) if p.subject is subject] == [fact]


def test_an_allergy_one_has_not_got_refuses_nothing():
    assert floor("I don't have a soy allergy, I checked.") == []
    assert not validate(Proposal(D, "no soy"), "I don't have a soy allergy, I checked.")


def test_a_place_dated_by_a_time_gone_by_is_no_plan():
    assert not validate(Proposal(L, "lima"), "lima was amazing last june")
    assert validate(Proposal(L, "Lima"), "Lima on the last weekend of June, can't wait!")


# Round sixteen: an independent set of everyday messages (written by someone who read neither the rules nor the
# bank) showed facts said as chat says them, each a mechanism rather than a phrasing.
@pytest.mark.parametrize(("message", "fact"), [
    # the "I" dropped before a verb of working
    ("drive for Uber full time, what's the best way to track mileage for taxes", Proposal(W, "drive for Uber")),
    ("Working in Infosys since 2020.", Proposal(W, "works in Infosys")),
    # an employer joined, by its name
    ("Joined Amazon last month in HR, still figuring out all the internal tools", Proposal(W, "works at Amazon")),
    ("I started at Deloitte in May.", Proposal(W, "works at Deloitte")),
    ("I'm employed by Siemens.", Proposal(W, "works at Siemens")),
    # a new subject after "and" is a clause of its own, whose negation is its own
    ("been in Leeds 6 years and it still hasn't stopped raining, what do people do indoors here", Proposal(H, "Leeds")),
])
def test_a_fact_said_as_chat_says_it(message, fact):
    assert fact in floor(message)


@pytest.mark.parametrize("message", [
    "Work out my budget for me",
    "I joined the Ramblers last year.",  # a walking club
    "I joined Strava.",  # an app
    "My husband joined Google.",
    "If I joined Google I would be rich.",
    "role play: I'm a farmer in 1800s Kansas and you're my neighbour",
])
def test_what_only_looks_like_a_job_joined_or_a_dropped_i_teaches_no_job(message):
    assert [p for p in floor(message) if p.subject is W] == []


def test_a_move_for_work_is_a_home_and_no_job():
    assert floor("moved to porto for work a while back and ive stayed") == [Proposal(H, "porto")]


@pytest.mark.parametrize(("message", "fact"), [
    ("we have twins, both 3, and bedtime is a war zone", Proposal(F, "twins")),
    ("I've got cats.", Proposal(F, "cats")),
    ("can't stand coriander, tastes like soap, so leave it out of the salsa", Proposal(P, "can't stand coriander")),
    ("Hate coriander.", Proposal(P, "hate coriander")),
])
def test_a_household_without_a_count_and_a_dislike_without_its_i(message, fact):
    assert fact in floor(message)


@pytest.mark.parametrize("message", [
    "We have kids coming over.", "Do you have kids?", "I don't have kids.", "My sister has twins.",
    "Hate to ask, but can you help?", "Hate it when that happens.",
])
def test_children_over_for_the_day_and_a_hate_of_asking_teach_nothing(message):
    assert [p for p in floor(message) if p.subject in (F, P)] == []


@pytest.mark.parametrize(("message", "fact"), [
    # a fact, then the request it is the reason for: the request alone is set aside
    ("haven't eaten meat since I was 14 so give me veggie options only pls", Proposal(D, "no meat")),
    ("I haven't eaten meat since I was 14.", Proposal(D, "no meat")),
    ("only halal meat for me, so suggest chicken places that are certified", Proposal(D, "halal")),
    ("on keto since jan so no rice no bread no sugar", Proposal(D, "keto")),
    ("Eggs are a no for me.", Proposal(D, "no Eggs")),
    # (drinking refused: alcohol is meant, but the value keeps to the user's words)
    ("Don't drink, never have, so mocktail suggestions for the party pls", Proposal(D, "no drinking")),
    ("I don't drink.", Proposal(D, "no drinking")),
    ("I'm type 2 diabetic.", Proposal(D, "diabetic")),
    ("doc put me on a low sodium diet after the bp scare", Proposal(D, "low sodium")),
    ("on the low FODMAP diet for my IBS", Proposal(D, "low FODMAP")),
])
def test_a_diet_said_beside_a_request_or_by_doctors_orders(message, fact):
    assert fact in floor(message)


@pytest.mark.parametrize("message", [
    "Vegan food is great.",  # a diet's word that opens a clause about food is the food's
    "Pure veg restaurants are common here.",
    "I don't drink enough water.",  # an amount, no food
    "My wife doesn't drink.",
    "Do you drink?",
    "a story where I am a nurse so make it sad pls",  # a world asked for: its "I" is a character
    "my sister is vegan so veggie recipes pls",
])
def test_food_talk_another_s_diet_and_a_world_asked_for_teach_no_diet_or_job(message):
    assert [p for p in floor(message) if p.subject in (D, W)] == []


def test_a_stay_dated_by_when_one_was_young_is_still_the_home():
    assert floor("I've lived in Leeds since I was 5.") == [Proposal(H, "Leeds")]


@pytest.mark.parametrize(("message", "fact"), [
    # a relative named first, then what they think or want: the relation is still the user's
    ("Jess, my partner, thinks I'm overreacting about this, am I?", Proposal(F, "partner Jess")),
    ("Maya (my 6yo daughter) wants a unicorn cake for her bday, how hard is that", Proposal(F, "6yo daughter Maya")),
    # a condition of its own ends at its comma: "in case it matters" hedges only itself
    ("Nairobi-based, in case it matters for the timezone stuff", Proposal(H, "Nairobi")),
])
def test_a_relative_named_before_their_view_and_a_fact_before_in_case(message, fact):
    assert fact in floor(message)


@pytest.mark.parametrize("message", [
    "I live in Leeds, my sister in York.",  # a place is no name of a sister
    "I live in Leeds, my sister in York, is that far?",
    "Sam, my boss, thinks I'm lazy.",
    "Jess, my partner, thinks I should be vegan.",
])
def test_a_place_before_a_relative_and_what_a_relative_thinks_of_me_are_no_fact_of_theirs(message):
    assert not any(p.subject is F and "Leeds" in p.value for p in floor(message))
    assert [p for p in floor(message) if p.subject in (D, W)] == []


@pytest.mark.parametrize(("message", "fact"), [
    ("born and raised in Auckland and still here, whats a good day hike near me", Proposal(H, "Auckland")),
    ("moved up to Manchester for uni and never left tbh", Proposal(H, "Manchester")),
    ("Glasgow's home now, has been for about three years, but I still miss the sun", Proposal(H, "Glasgow")),
    ("My Cardiff flat is finally sorted.", Proposal(H, "Cardiff")),
    # a negated verb after "and" is its own clause, whatever adverb it carries
    ("been in Cork since 2019 and still can't understand half the accents lol", Proposal(H, "Cork")),
])
def test_a_home_said_in_passing(message, fact):
    assert fact in floor(message)


@pytest.mark.parametrize("message", [
    "Arsenal's home ground is huge.", "My sister's home is in Leeds.", "My sister's London flat is tiny.",
])
def test_a_home_that_is_a_teams_or_a_relatives_is_not_the_users(message):
    assert [p for p in floor(message) if p.subject is H] == []


@pytest.mark.parametrize(("message", "fact"), [
    ("i loooove spicy food, give me a pepper soup recipe", Proposal(Subject.PREFERENCE, "spicy food")),
    ("I liiiive in Leeds now", Proposal(Subject.HOME, "Leeds")),
])
def test_a_letter_held_for_feeling_is_read_as_the_word(message, fact):
    assert fact in floor(message)


@pytest.mark.parametrize(("message", "value"), [
    # a chat's aside after the value, and a bracket opened and never closed, are no part of it
    ("my birthday's on the 9th of may btw 🎂 any cake ideas", "my birthday's on the 9th of may"),
    ("our anniversary is 2 october (ten years, can you believe it)", "our anniversary is 2 october"),
])
def test_a_yearly_date_with_a_chats_aside_after_it_is_a_note_and_no_plan(message, value):
    assert [(p.subject, p.value) for p in floor(message)] == [(Subject.NOTE, value)]


def test_a_value_keeps_a_bracket_it_opened_and_loses_one_it_did_not():
    from memchat.memory.phrasings import tidy
    assert tidy("my son Leo (7)") == "my son Leo (7)"
    assert tidy("trip to Rome (May") == "trip to Rome"
    assert tidy("Leeds.)") == "Leeds"
