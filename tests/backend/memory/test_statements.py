"""Statements: the user's own present clauses, who each is about, and whether it is negated or past."""

from __future__ import annotations

import pytest

from memchat.memory.memories import Proposal, Subject
from memchat.memory.phrasings import floor
from memchat.memory.statements import Speaker, clauses, own_words

H, P, J = Subject.HOME, Subject.PREFERENCE, Subject.PROJECT


def texts(message: str) -> list[str]:
    return [clause.text for clause in clauses(message)]


@pytest.mark.parametrize("message", [
    "Tell me a long story about a dog who lives in Leeds.",
    "Can you write a poem about a nurse?",
    "If I lived in Rome, I'd cycle to work.",
    "I'd love to live in Japan one day.",
    "Where should I live, Lisbon or Porto?",
    "My doctor said I should go vegan.",
])
def test_requests_hypotheticals_questions_and_reported_speech_state_nothing(message):
    assert clauses(message) == ()


@pytest.mark.parametrize("message", [
    "Hypothetical: I'm a nurse working nights.",
    "Scenario - I work as a cashier and someone shoplifts.",
    "Just hypothetically, I'm a chef.",
    "For this exercise, I'm a product manager.",
    "Riddle: I'm a baker who hates bread.",
    "Say you're my boss and I'm a junior dev.",
    "In a world where I'm a nurse, I'd never sleep.",
    "When I'm a doctor I'll buy a house.",
    "Aspiring chef here, tips on knife skills?",
    "i wonder what it'd be like to work as a chef",
])
def test_a_case_put_a_self_wished_or_a_wondering_states_nothing(message):
    assert clauses(message) == ()


@pytest.mark.parametrize("message", ["and ur from graz", "you are from graz now", "You live in Leeds, remember?",
                                     "Nurses are underpaid.", "Lawyers are expensive."])
def test_a_clause_about_the_assistant_or_people_by_their_job_is_someone_elses(message):
    assert clauses(message)[0].speaker is Speaker.OTHER


@pytest.mark.parametrize("message", ["You can call me Priya.", "You'll usually find me fishing on Sundays.",
                                     "You can't beat sailing on a sunny day.",
                                     "Just so you know I don't eat shellfish."])
def test_a_you_the_user_speaks_through_is_no_one_else(message):
    assert all(clause.speaker is Speaker.USER for clause in clauses(message))


def test_a_text_labelled_as_someone_elses_is_not_the_users_words():
    assert clauses("Text from my mum: I've gone vegan!") == ()
    assert clauses("Quote from my nan: I never touch alcohol.") == ()
    assert texts("I'm vegan. Note from me: that's for life.") == ["I'm vegan.", "Note from me: that's for life."]


@pytest.mark.parametrize(("message", "speaker"), [
    ("My Muslim colleagues don't eat pork", Speaker.OTHER),
    ("my Hindu neighbours never eat beef", Speaker.OTHER),
    ("my vegan flatmate cooks every night", Speaker.OTHER),
    ("My Jewish in-laws keep kosher", Speaker.KIN),
    ("my gorgeous wife is a nurse", Speaker.KIN),
    ("my own company is doing well", Speaker.USER),
    ("my dentist appointment is on Monday", Speaker.USER),
])
def test_a_person_described_before_they_are_named_is_still_that_person(message, speaker):
    assert clauses(message)[0].speaker is speaker


@pytest.mark.parametrize("message", [
    "Her message: my son Leo is sick, can you cover my shift?",
    "Jake's reply was: I live in Lisbon now",
    "my sister's caption: I'm a nurse and proud",
    "Tom texted me: living in Lisbon now, come visit!",
    "my coworker just messaged: my son Leo is sick",
    "she wrote back: I'm vegan these days",
    "Mum: I'm in Lisbon now!",
    "my dad on whatsapp: I've gone vegan",
])
def test_a_message_labelled_by_whose_it_is_or_who_sent_it_is_not_the_users_words(message):
    assert clauses(message) == ()


@pytest.mark.parametrize(("message", "expected"), [
    ("I texted her: I'm a nurse", ["I texted her", "I'm a nurse"]),
    ("Update: I live in Lisbon now", ["Update", "I live in Lisbon now"]),
    ("My reply: I'm a nurse", ["My reply", "I'm a nurse"]),
    ("my sister's wedding: I'm the MC", ["my sister's wedding", "I'm the MC"]),
])
def test_the_users_own_label_or_words_sent_stay_theirs(message, expected):
    assert texts(message) == expected


def test_laughter_between_words_ends_the_clause_before_what_others_say():
    assert texts("i love durian haha my friends say it stinks, any dessert idea with it?") == ["i love durian"]
    assert texts("i live in leeds lol my sister lives in york") == ["i live in leeds", "my sister lives in york"]
    assert clauses("im a nurse lol jk") == ()  # laughter that owns up to a joke still takes it back


def test_a_question_after_a_dash_is_cut_there():
    assert texts("sushi is my comfort food - can i make it at home?") == ["sushi is my comfort food"]
    assert texts("We live in Graz - any good walks nearby?") == ["We live in Graz"]


@pytest.mark.parametrize(("message", "told"), [
    ("write me short linkedin bio, my name is Ayodele, i do warehouse logistics",
     ["my name is Ayodele", "i do warehouse logistics"]),
    ("can u draft a polite email to my landlord, I live in Gdansk and the boiler broke",
     ["I live in Gdansk and the boiler broke"]),
    ("give me 3 quick dal recipes, am a student living alone", ["am a student living alone"]),
])
def test_the_users_words_after_a_request_for_a_text_of_their_own_are_theirs(message, told):
    assert texts(message) == told


@pytest.mark.parametrize("message", ["write a poem, I am a pirate in Leeds",
                                     "Write a story about a dog, my name is Bob",
                                     "write a scene where I live in Oslo, make it sad"])
def test_what_follows_a_request_for_a_story_or_a_poem_is_not_the_users(message):
    assert clauses(message) == ()


def test_code_quotes_and_pasted_documents_are_not_the_users_words():
    assert "Paris" not in own_words("Fix this:\n```\nuser = 'I live in Paris'\n```")
    assert "Paris" not in own_words('The sign said "I live in Paris" and I laughed.')
    pasted = "Summarise this email from my landlord:\n\nHello,\nMy name is Bob and I live in Leeds.\nRegards"
    assert own_words(pasted) == "Summarise this email from my landlord:"


def test_a_question_keeps_the_statements_before_its_last_clause():
    assert texts("I work as a nurse, is that tiring?") == ["I work as a nurse"]


def test_a_clause_is_about_the_user_a_relative_or_someone_else():
    speakers = {c.text: c.speaker for c in clauses("I live in York but my sister lives in Leeds; he works nights.")}
    assert speakers == {"I live in York": Speaker.USER, "my sister lives in Leeds": Speaker.KIN,
                        "he works nights.": Speaker.OTHER}


def test_a_clause_with_no_subject_of_its_own_continues_the_previous_one():
    first, second = clauses("I grew up in Leeds but moved to York in 2019.")
    assert (first.past, second.past) == (True, False)
    assert second.speaker is Speaker.USER


@pytest.mark.parametrize(("message", "negated"), [("I can't eat shellfish.", True), ("I'm not vegan.", True),
                                                  ("I can't get enough of ramen.", False), ("I eat fish.", False)])
def test_negation_is_read_per_clause_and_idioms_are_no_negation(message, negated):
    (clause,) = clauses(message)
    assert clause.negated is negated


@pytest.mark.parametrize("message", ["I used to live in Oslo.", "Back when I was a nurse, I worked nights.",
                                     "I was vegetarian for a year."])
def test_a_past_state_is_history(message):
    assert all(clause.past for clause in clauses(message))


def test_a_hedge_after_a_comma_takes_only_itself():
    assert texts("I'm veggie, if that matters.") == ["I'm veggie"]


def test_a_single_quotation_with_an_apostrophe_inside_is_still_someone_elses_words():
    assert "Bergen" not in own_words("He said, 'I'm moving to Bergen,' and left.")


@pytest.mark.parametrize("message", ["Call me Ishmael, said the narrator.", "I'm vegan, my doctor says."])
def test_words_given_to_a_speaker_after_them_are_theirs(message):
    assert own_words(message).strip() == ""


def test_a_speaker_named_in_the_middle_of_a_sentence_gives_it_no_one_elses_words():
    assert "sam" in own_words("hey so my names sam, my friend said u can help with essays")


def test_what_a_piece_of_work_is_about_states_nothing_of_the_user():
    assert clauses("My essay is about living in Tokyo.") == ()


def test_sarcasm_states_nothing():
    assert clauses("Oh yes, because I'm clearly a pilot.") == ()


@pytest.mark.parametrize("message", ["Spent ten years in Cork before moving away.",
                                     "I was a nurse in a previous life."])
def test_a_state_left_behind_is_history(message):
    assert all(clause.past for clause in clauses(message))


def test_an_appointment_with_someone_is_the_users_own():
    (clause,) = clauses("Dentist appointment on June 4, wish me luck!")
    assert clause.speaker is Speaker.USER


def test_getting_used_to_a_place_is_the_present_not_a_past_habit():
    assert [c.past for c in clauses("I'm still getting used to Graz after the move.")] == [False]
    assert [c.past for c in clauses("I used to live in Graz.")] == [True]


def test_a_hope_states_nothing():
    assert clauses("Fingers crossed we'll be living in Graz by next year.") == ()
    assert clauses("Hopefully I'm a nurse by June.") == ()


def test_a_negation_governs_its_own_subjects_verb_not_what_the_comma_ended():
    found = clauses("In my line of work as a nurse, weekends don't exist.")
    assert [(c.text, c.negated) for c in found] == [("In my line of work as a nurse", False),
                                                    ("weekends don't exist.", True)]


def test_a_liking_put_as_an_order_with_its_reward_is_the_users():
    assert texts("Give me some jazz and a blanket and I'm sorted.") != []
    assert texts("Give me some jazz recommendations.") == []


def test_what_lies_ahead_is_marked_but_a_promise_to_stay_is_not():
    assert [c.ahead for c in clauses("I'm planning to move to Graz next year.")] == [True]
    assert [c.ahead for c in clauses("I'm staying in Graz for a conference.")] == [True]
    assert [c.ahead for c in clauses("I'll be honest, I live in Graz.")] == [False, False]
    assert [c.ahead for c in clauses("I work in planning.")] == [False]


def test_a_refusal_to_leave_negates_the_leaving_not_the_home():
    found = clauses("I've lived in Graz for years and will never leave.")
    assert [(c.text, c.negated) for c in found] == [("I've lived in Graz for years", False),
                                                    ("will never leave.", True)]


# ---------------------------------------- round eleven: grammatical scopes, not phrasings


def test_a_contrast_with_not_negates_only_what_it_contrasts():
    found = clauses("I live in Derby, not Luton, people always mix them up.")
    assert [(c.text[:9], c.negated) for c in found] == [("I live in", False), ("not Luton", True)]
    assert [c.negated for c in clauses("I'm a welder, not a fitter.")] == [False, True]


@pytest.mark.parametrize("message", ["Were I a vegan, I'd eat more beans.", "Had we moved to Derby, life would "
                                     "be calmer.", "Should I ever get a parrot, I'm calling it Kiwi."])
def test_a_condition_put_by_inversion_states_nothing(message):
    assert clauses(message) == ()


@pytest.mark.parametrize("message", ["Picture me living in Derby with a garden.", "Picture this: I'm a welder.",
                                     "In a parallel universe I'm a welder in Derby."])
def test_an_imagined_world_states_nothing(message):
    assert clauses(message) == ()


def test_a_person_of_the_household_who_does_something_is_someone_else():
    (clause,) = clauses("Our lodger works as a welder.")
    assert clause.speaker is Speaker.OTHER
    assert [c.speaker for c in clauses("My flat overlooks the canal.")] == [Speaker.USER]


def test_a_sentence_that_drops_its_subject_before_was_is_history():
    assert [c.past for c in clauses("Was vegan for a bit at uni.")] == [True]
    assert [c.past for c in clauses("Was it you who asked?")] == []  # a question states nothing at all


def test_a_condition_on_the_weather_after_a_clause_leaves_the_clause():
    assert texts("cracking on with the shed this weekend if the rain holds off") == [
        "cracking on with the shed this weekend if the rain holds off"]
    assert texts("cracking on with the shed this weekend if I find the time") == []  # a condition on the user


def test_an_expectation_denied_then_met_states_what_was_met():
    assert texts("Never thought I'd end up a welder, but here I am.") == ["I end up a welder."]
    assert texts("Never thought I'd end up a welder.") == []  # no more than a thought


@pytest.mark.parametrize("message", ["Should've been a welder, honestly.", "A flat in Derby is the dream.",
                                     "Technically I could call myself vegan."])
def test_what_should_have_been_an_aim_or_a_name_one_could_take_states_nothing(message):
    assert clauses(message) == ()


@pytest.mark.parametrize("message", ["Jo swears I'm the best welder in town.", "My wife is convinced I'm vegan.",
                                     "My mum keeps introducing me as a welder.",
                                     "Dad's always on about me moving to Derby.",
                                     "The surgery's put me down as vegan."])
def test_an_opinion_of_the_user_or_a_name_given_them_by_others_is_reported(message):
    assert clauses(message) == ()


def test_a_concession_is_a_clause_of_its_own():
    assert texts("I'm a welder, whatever my dad says.") == ["I'm a welder"]


def test_a_name_for_the_user_denied_by_its_predicate_is_negated():
    assert [c.negated for c in clauses("Calling me a welder is a bit of a stretch.")] == [True]


@pytest.mark.parametrize("message", ["I'm vegan. Kidding, I love steak.", "im a welder lol jk",
                                     "I'm a welder... said no one ever.", "I'm vegan. Haha joking.",
                                     "I'm vegan. Just kidding!", "im a welder jks", "I'm vegan. Said nobody ever.",
                                     "I'm a welder, said nobody ever."])
def test_a_joke_owned_up_to_takes_back_what_it_follows(message):
    assert clauses(message) == ()


def test_a_statement_that_says_it_is_no_joke_stands():
    assert texts("I'm vegan, not joking.")[0] == "I'm vegan"


@pytest.mark.parametrize("message", ["In ten years I see myself in Derby.", "The idea is to go vegan in spring.",
                                     "I keep toying with the idea of becoming a welder.",
                                     "Weighing up a move to Derby.", "Going vegan is on the cards."])
def test_an_idea_entertained_states_nothing(message):
    assert clauses(message) == ()


@pytest.mark.parametrize("message", ["Got called a welder at the party.", "Someone mistook me for a welder.",
                                     "My sister tagged me as vegan."])
def test_a_name_others_gave_the_user_is_reported(message):
    assert clauses(message) == ()


def test_a_denial_with_no_word_of_negation_is_negated():
    assert [c.negated for c in clauses("I'm the opposite of vegan.")] == [True]


def test_a_relative_who_reports_is_still_named():
    assert texts("My son Milo thinks I'm ancient.") == ["My son Milo"]
    assert texts("My mum says I should move to Derby.") == []  # no name: nothing of the user's


def test_a_verb_of_being_before_a_place_asks_without_its_mark():
    assert clauses("is derby expensive to live in") == ()


def test_a_pronoun_liked_is_what_the_clause_before_loved_or_hated():
    assert texts("No idea why people hate chess, I love it.")[-1] == "I love chess."


@pytest.mark.parametrize(("message", "text"), [
    ("Ugh my neighbours in Graz are having a party again.", "my neighbours in Graz are having a party again."),
    ("lowkey addicted to crime podcasts rn", "addicted to crime podcasts rn"),
])
def test_an_interjection_or_a_chat_filler_is_no_part_of_its_clause(message, text):
    assert [c.text for c in clauses(message)] == [text]


def test_a_modal_before_an_adverb_has_dropped_its_subject_and_saying_no_to_a_thing_is_no_report():
    assert texts("Can never say no to ramen.") == ["Can never say no to ramen."]
    assert texts("can someone say hi to Sam") == []


def test_a_wh_word_run_into_its_verb_asks_without_its_mark():
    assert clauses("whats a good name for a dog") == ()
    assert clauses("hows the weather in leeds") == ()


def test_a_topic_turned_down_is_refused_unless_the_topic_is_what_the_user_is():
    assert texts("gluten? no thanks, i swell up")[0] == "no gluten for me"
    assert "vegan" not in " ".join(texts("Me? Vegan? No thanks.")).casefold()


@pytest.mark.parametrize(("message", "text"), [
    ("can u give me a paella recipe without prawns, i'm allergic to shellfish", "i'm allergic to shellfish"),
    ("Give me a packing list, I'm flying to Lima on Friday", "I'm flying to Lima on Friday"),
    ("how do i get a drivers licence here, i live in Perth now", "i live in Perth now"),
    ("Suggest some dinners for this week, since we're vegetarian.", "we're vegetarian."),
])
def test_what_the_user_tells_after_a_request_or_a_question_is_their_own_clause(message, text):
    assert texts(message) == [text]


@pytest.mark.parametrize("message", [
    "Role play a barista, I'm a customer from Leeds",  # a part played
    "write me a story where I live in Paris, I want it funny",  # a world asked for
    "Let's just say, for argument's sake, I'm a paramedic.",  # a supposition
    "Should I ever get a parrot, I'm calling it Kiwi.",  # a condition put by inversion
    "can you check my cover letter, i need it by friday?",  # still asking
])
def test_a_request_or_a_question_whose_reason_is_no_fact_of_the_users_states_none(message):
    assert clauses(message) == ()


@pytest.mark.parametrize(("message", "fact"), [
    # a question or a request first, then the user's own words after a comma
    ("how do I stop snoozing my alarm, I hate getting up early", Proposal(P, "hate getting up early")),
    ("recommend a good podcast app, I'm hooked on history podcasts", Proposal(P, "history podcasts")),
    ("give me a packing list, I'm a huge fan of hiking", Proposal(P, "hiking")),
    # the user's words first, then a request the comma starts (its "might" supposes nothing of them)
    ("I'm mad about birdwatching, can you suggest binoculars I might like", Proposal(P, "birdwatching")),
    ("I'm building a treehouse, can you suggest wood that might last", Proposal(J, "building a treehouse")),
    # a liking told without its object, which the request named, and a thing then called the user's own
    ("suggest a few good horror films, I'm hooked at the moment", Proposal(P, "horror")),
    ("find me some new sea shanty albums, im obsessed", Proposal(P, "sea shanty")),
    ("make me a workout playlist, drum and bass, that's my jam", Proposal(P, "drum and bass")),
    # a relative "where" is no question: the home stays read
    ("The rent in Leeds, where I live, is mad.", Proposal(H, "Leeds")),
])
def test_the_users_words_beside_a_request_are_read(message, fact):
    assert fact in floor(message)


@pytest.mark.parametrize("message", [
    "write a story where a knight says, I love dragons",  # a text to write
    "translate this for me, I love dragons",
    "pretend you're my coach, I'm into marathons",  # a role
    "what would you say, I'm a huge fan of hiking",  # a supposition
    "tell my mum, I'm obsessed with hiking",  # a message passed on
    "how do I help my son, he's obsessed with hiking",  # someone else's
    "suggest some books for my son, he's obsessed",
    "write a song for my mum, country, that's her thing",
    "make me a caption, beach day, that's my vibe",  # the caption's words
    "give me some podcasts, I'm obsessed with this",  # a pointer names nothing
])
def test_a_request_or_question_lends_its_words_to_no_fact(message):
    assert floor(message) == []


@pytest.mark.parametrize(("message", "speaker"), [
    # a job and "here" opening a message is who speaks, whichever job it is ("teacher" is also someone one has)
    ("teacher here (year 4), fun ways to explain fractions?", Speaker.USER),
    ("Coach here, need drills for the under 10s", Speaker.USER),
    # "here" after someone is where they are, not who speaks
    ("The teacher here is lovely", Speaker.OTHER),
    ("The nurses here are run off their feet", Speaker.OTHER),
])
def test_a_job_with_here_is_who_speaks_but_here_after_someone_is_a_place(message, speaker):
    assert clauses(message)[0].speaker is speaker


@pytest.mark.parametrize("message", ["Urdu is my mother tongue", "my mother tongue is Tamil"])
def test_a_mother_tongue_names_no_relative(message):
    assert clauses(message)[0].speaker is Speaker.USER


@pytest.mark.parametrize(("message", "told"), [
    ("Answer to your question: yes my name is Olumide.", "my name is Olumide."),
    ("in reply to your question, I'm a welder", "I'm a welder"),
    ("Since you asked, I'm a plumber", "I'm a plumber"),
    ("as u asked, we live in Mombasa", "we live in Mombasa"),
])
def test_the_opening_of_an_answer_to_the_assistant_is_neither_a_request_nor_a_quote(message, told):
    assert told in [clause.text for clause in clauses(message) if clause.speaker is Speaker.USER]


def test_someone_elses_words_after_a_verb_of_saying_are_still_theirs():
    assert clauses("My sister asked, I'm vegan now") == ()


@pytest.mark.parametrize(("message", "told"), [
    # a verb after "will" or "can" with no question mark is the user's, their "I" dropped
    ("will visit Jaipur with my parents in May, what should we see", "will visit Jaipur with my parents in May"),
    ("can recommend the noodle bar on Hope St", "can recommend the noodle bar on Hope St"),
    # a point between digits ends no sentence
    ("I'm a joiner and the job is 3.2m of shelving.", "I'm a joiner and the job is 3.2m of shelving."),
    # someone's wish after the user's words is a clause of its own, and the user's words stay theirs
    ("help me quote for a kitchen, I'm a plumber and the client wants it by May", "I'm a plumber"),
    ("i'm a barber and a customer just asked for a mullet, help", "i'm a barber"),  # an adverb between
])
def test_the_users_words_beside_a_modal_a_number_or_someone_elses_wish(message, told):
    assert told in [clause.text for clause in clauses(message) if clause.speaker is Speaker.USER]


@pytest.mark.parametrize("message", ["will Ana visit Jaipur in May", "can anyone recommend a noodle bar",
                                     "help me reply, my boss wants to know if I'm a manager"])
def test_a_question_put_with_a_modal_or_a_wish_reported_states_nothing(message):
    assert not [clause for clause in clauses(message) if clause.speaker is Speaker.USER]
