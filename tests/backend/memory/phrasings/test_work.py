"""Work (memory/phrasings/work.py): what the user does for a living, in the phrasings round seventeen reads."""

from __future__ import annotations

import pytest

from memchat.memory.memories import Proposal, Subject
from memchat.memory.phrasings import floor

W = Subject.WORK


def _work(message: str) -> list[Proposal]:
    return [p for p in floor(message) if p.subject is W]


# An occupation with no verb, opening its sentence, and what is said of it after: hours, years, a correction.
@pytest.mark.parametrize(("message", "job"), [
    ("Pharmacist, twelve hour shifts. What should I eat on breaks?", "Pharmacist"),
    ("ok so welder for 6 years now and my back is done", "welder"),
    ("Physiotherapist, mostly sports injuries", "Physiotherapist"),
    ("Chippy by trade. Carpenter, I mean.", "Carpenter"),
    ("self-employed hairdresser, which means no sick pay", "self-employed hairdresser"),
    ("Porter at the Royal Infirmary.", "Porter"),
])
def test_an_occupation_said_with_no_verb_opening_its_sentence_is_the_users(message, job):
    assert _work(message)[-1] == Proposal(W, job)


@pytest.mark.parametrize("message", [
    "Chef, can you give me a quick recipe?",
    "Doctor, I have a rash on my arm",
    "plumber, how much do they charge an hour?",
    "Teacher at my son's school, lovely woman.",
    "my mate's a plumber, nights mostly",
    "Dinner at a friend's place.",
    "Lawyer, what would you say about this?",
    "Welder for 30 years until I retired",
    "mechanic for 10 years, my uncle",
    "Courier at a depot in Leeds, my brother",
])
def test_an_occupation_addressed_asked_about_or_someone_elses_teaches_no_work(message):
    assert _work(message) == []


# A negation in a later part of the sentence denies that part only: the work before it stands.
@pytest.mark.parametrize(("message", "job"), [
    ("I repair bikes for a living and still I can't fix my own", "repair bikes"),
    ("I'm an electrician, but my own wiring is never finished", "electrician"),
    ("my job is in structural engineering, my family never understand it", "structural engineering"),
])
def test_a_negation_after_the_work_leaves_the_work(message, job):
    assert Proposal(W, job) in _work(message)


@pytest.mark.parametrize("message", [
    "I don't repair bikes for a living and never will",
    "I'm not an electrician, but I rewired my shed",
    "my job isn't in engineering, it's in sales and I never liked engineering",
    "I'm a nurse, or not anymore",
    "I'm a teacher, well technically not yet",
])
def test_a_negation_of_the_work_itself_still_denies_it(message):
    denied = ("repair bikes", "electrician", "engineering", "nurse", "teacher")
    assert all(p.value not in denied for p in _work(message))


# A trade by its verb and what it works on: "I farm sheep", "I write software for a bank", "I do security at a
# mall", and a trade with its "I" dropped before "for a living".
@pytest.mark.parametrize(("message", "job"), [
    ("I farm dairy cattle up in the dales", "farm dairy cattle"),
    ("I build software for an insurer", "build software"),
    ("I do accounting for a few small firms", "accounting"),
    ("I do security at a retail park, mostly nights", "security"),
    ("lay bricks for a living, have done since I was 16", "lay bricks"),
])
def test_a_trade_by_what_it_works_on_is_the_users_work(message, job):
    assert Proposal(W, job) in _work(message)


@pytest.mark.parametrize("message", [
    "I do security updates on my laptop every week",
    "I write software reviews on my blog",
    "Nobody lays bricks for a living any more",
    "Writing software for a living sounds fun",
    "I farm out the ironing to my sister",
    "my brother farms sheep in Wales",
    # with its "I" dropped, a verb "for work" or "full time" is a trip, a course or a move as often as a job
    "Fly to Dublin for work on Monday, what should I pack?",
    "Study full time and the reading list is endless",
    "Cover the late shift for work tomorrow so no gym",
])
def test_a_trade_verb_that_is_no_living_of_the_users_teaches_no_work(message):
    assert _work(message) == []


# A job named in brackets after a clause about the user's work: "I cook for a living (head chef at a bistro)".
@pytest.mark.parametrize(("message", "job"), [
    ("I work shifts (night porter at a hotel) so sleep is weird", "night porter"),
    ("I teach for a living (maths lecturer at a college)", "maths lecturer"),
])
def test_a_job_named_in_brackets_after_the_users_work_is_the_job(message, job):
    assert _work(message)[-1] == Proposal(W, job)


@pytest.mark.parametrize("message", [
    "I work with Sam (a nurse at the same hospital) on Fridays",
    "I met a guy (a plumber from Derby) at the pub",
])
def test_someone_elses_job_in_brackets_is_not_the_users(message):
    assert all(p.value not in ("nurse", "plumber") for p in _work(message))


# A want with its "I" dropped, after a comma, is a clause of its own (statements.py), so the fact before it stands:
# "been a plumber 20 yrs, want to write a facebook ad".
@pytest.mark.parametrize(("message", "job"), [
    ("been a welder since 2009, want to make a website for the business", "welder"),
    ("I'm a childminder, wanna write a policy for parents", "childminder"),
])
def test_the_work_before_a_want_with_its_i_dropped_is_read(message, job):
    assert _work(message)[-1] == Proposal(W, job)


@pytest.mark.parametrize("message", [
    "want to be a welder, need to know where to start",
    "my brother's been a welder since 2009, want to make him a website",
    "if I'd been a welder, want to guess what I'd earn?",
])
def test_a_want_or_someone_elses_work_before_it_teaches_no_work(message):
    assert _work(message) == []


# Round nineteen: "for work" says what a thing is done for, not what the work is; and an occupation's word after "to"
# is a verb's infinitive.
@pytest.mark.parametrize(("message", "job"), [
    ("I drive a forklift for work", "drive a forklift"),
    ("I repair boilers for a living", "repair boilers"),
])
def test_a_trade_by_its_verb_is_still_read(message, job):
    assert _work(message) == [Proposal(W, job)]


@pytest.mark.parametrize("message", [
    "I wear a suit for work, what tie goes with navy",
    "i get up at 6 for work so need a quick breakfast",
    "wat to cook in the slow cooker, got beef",
])
def test_what_is_done_for_work_or_an_infinitive_teaches_no_work(message):
    assert _work(message) == []


# Round nineteen: a verbless job with its years needs no "for" ("welder 12 years"), and may follow a comma in the
# user's own clause; vehicles driven as a trade, many of them or by the app, with or without the "I".
@pytest.mark.parametrize(("message", "job"), [
    ("plumber 20 years, my knees are shot", "plumber"),
    ("I own a little bakery, pastry chef 12 years and counting", "pastry chef"),
    ("i drive trucks across europe so my sleep is a mess", "drive trucks"),
    ("honestly drive lyft most nights, how do I do my taxes", "drive lyft"),
])
def test_a_job_with_its_years_or_vehicles_driven_as_a_trade_is_read(message, job):
    assert Proposal(W, job) in _work(message)


@pytest.mark.parametrize("message", [
    "Went to see my dad, mechanic for 30 years before he retired",  # a relative before the comma
    "I visited my colleague, nurse 10 years",
    "I drive the kids to school every morning",  # one trip, not a trade
    "drive trucks to the tip on saturday",
])
def test_someone_elses_job_or_a_trip_driven_teaches_no_work(message):
    assert _work(message) == []


# Round twenty-one: a job typed in haste with no verb, in a question as in a statement: what follows it is the day's
# matter ("locksmith, lady locked out wants..."), its lot ("midwife life"), where or on what it is done ("cook on a
# cruise ship", "lecturer of physics"), how it goes ("courier and soaked through"); the article left off after "work
# as/like", and a family's trade in its "we".
@pytest.mark.parametrize(("message", "job"), [
    ("locksmith, lady locked out of her car wants a quote, what do i charge?", "locksmith"),
    ("three night shifts in a row... midwife life. any tips for sleep", "midwife"),
    ("cook on a cruise ship, how do i stay fit with buffets", "cook"),
    ("lecturer of physics, half the class failed the midterm, what now?", "lecturer"),
    ("courier and soaked through every day, best waterproof jacket?", "courier"),
    ("Tiler 8 yrs, client wants herringbone in a tiny bathroom, worth it?", "Tiler"),
    ("I am working like cleaner in a hotel, is hard for the back", "cleaner"),
    ("we are baker, we open at 5 every morning", "baker"),
])
def test_a_job_said_in_haste_with_no_verb_or_article_is_the_users(message, job):
    assert Proposal(W, job) in _work(message)


@pytest.mark.parametrize("message", [
    "Dentist at 3pm tomorrow, so nervous",  # an appointment
    "Plumber, can you tell me why my boiler clicks?",  # an address
    "Chef, give me your best risotto",
    "Doctor, my son has a rash on his arm",
    "Nurse or midwife, which pays better in the UK?",  # a choice
    "good electrician, any recommendations?",  # a search
    "Electrician, plumber, builder: who do I call for a damp wall?",
    "write a story: firefighter on night shift saves a cat",  # a story
    "my uncle, mechanic 40 yrs, says the gearbox is gone",  # someone else's
    "Mechanic at the garage said the clutch is done",
    "I work like a dog these days",
    "we are the champions",
])
def test_an_address_an_appointment_a_choice_or_someone_elses_job_teaches_no_work(message):
    assert _work(message) == []


# The "I'm" left off before a sector, for whom or where ("in logistics for a supermarket chain"); a trade's own place
# that only its keeper calls "my" ("my salon", "our pizzeria").
@pytest.mark.parametrize(("message", "job"), [
    ("in logistics for a supermarket chain, how do i ask for a raise", "logistics"),
    ("still in recruitment at a small agency and hating it", "recruitment"),
    ("back-to-back cuts at my salon today, feet are killing me", "salon"),
    ("we run our little pizzeria 6 days a week, what oven temp for neapolitan", "pizzeria"),
])
def test_a_sector_with_its_im_left_off_or_a_trades_own_place_is_read(message, job):
    assert Proposal(W, job) in _work(message)


@pytest.mark.parametrize("message", [
    "In IT for example, what does a sysadmin do?",
    "in finance for beginners, which book is best",
    "working from my cafe again, the wifi is slow",  # anyone's cafe
    "had lunch at my sister's salon",
    "book a table at my favourite restaurant",
])
def test_a_sector_as_a_topic_or_a_place_anyone_calls_theirs_teaches_no_work(message):
    assert _work(message) == []


# The article left off after "as" or "like" with the workplace between ("I work in restaurant as cook"), and a subject
# and its verb never part of a verbless job ("I am nurse in hospital since 5 years" is "nurse", never "I am nurse").
@pytest.mark.parametrize(("message", "job"), [
    ("I am working in bank like cashier since two years", "cashier"),
    ("we work at factory as welder, both me and my brother", "welder"),
    ("I am plumber in small company since 3 years", "plumber"),
])
def test_a_job_with_its_article_or_its_workplace_article_left_off_is_the_job_alone(message, job):
    assert _work(message) == [Proposal(W, job)]


@pytest.mark.parametrize("message", [
    "I work in Madrid as well, the office is nice",
    "I am working like crazy this month",
])
def test_what_follows_as_or_like_that_is_no_job_teaches_none(message):
    assert all(p.value.casefold() not in ("well", "crazy") for p in _work(message))


# The verb a job is said with is never part of it: "work as cashier at lidl" is "cashier", "I am working like nurse"
# is "nurse", "im software engineer at startup" is "software engineer".
@pytest.mark.parametrize(("message", "job"), [
    ("work as waiter at hotel, tips are bad", "waiter"),
    ("I am working like carpenter in Berlin", "carpenter"),
    ("im data engineer at bank, need sql help", "data engineer"),
])
def test_the_verb_a_job_is_said_with_is_no_part_of_the_job(message, job):
    assert _work(message) == [Proposal(W, job)]


# A job someone else does to the user or for their need, whose it is asked, or a short question of it, is no job of
# the user's: "nurse at the clinic gave me...", "lawyer for my divorce", "architect of the building, who was it".
@pytest.mark.parametrize("message", [
    "midwife at the hospital told me to rest, is that normal",
    "accountant for my tax return, how much do they charge",
    "chef in the show used truffle oil, can i skip it",
    "engineer of the bridge, who was it again",
    "life coach, worth it?",
    "Bartender, two more please",
    "cook for 12 people on sunday, easy ideas?",
])
def test_a_job_done_to_the_user_or_asked_of_teaches_no_work(message):
    assert _work(message) == []


# Round twenty: the formal letter-writer's and the texting student's ways of saying their work.

# "As a <job>" opening a sentence whose subject is the user: the frame is the work, whatever the rest says (a request,
# a passive, a negation of something else): "As a GP I am often asked...", "as a designer i cannot look at...".
@pytest.mark.parametrize(("message", "job"), [
    ("As a district nurse I am regularly asked about wound dressings; what is the latest guidance?", "district nurse"),
    ("as a structural engineer i genuinely cannot watch those bridge collapse videos", "structural engineer"),
    ("Speaking as a solicitor, I would welcome a plain summary of the new tenancy rules.", "solicitor"),
    ("As chief pharmacist at a county hospital I need a rota template.", "chief pharmacist"),
    ("In my role as a magistrate, I see a lot of young offenders.", "magistrate"),
])
def test_a_job_framing_the_users_sentence_is_their_work(message, job):
    assert Proposal(W, job) in _work(message)


@pytest.mark.parametrize("message", [
    "As a former teacher I still mark everything in red.",
    "As a teacher I used to dread parents' evening.",
    "As a mother of a paramedic I worry constantly.",
    "As teacher appreciation week approaches I want to buy a gift.",
    "As a nurse's daughter I grew up around hospitals.",
    "Write a story where, as a pilot, I crash on an island.",
    "As a doctor would, I checked his pulse.",
])
def test_a_job_frame_that_is_asked_of_the_assistant_past_or_someone_elses_teaches_no_work(message):
    assert _work(message) == []


# A negation said after "and still" denies the later part only, its apostrophe dropped as chat drops it: "I've been a
# plumber for years and still cant fix my own sink".
@pytest.mark.parametrize(("message", "job"), [
    ("I've been a baker for twenty years and still dont like getting up early", "baker"),
    ("im an electrician and still cant work out my own fuse box", "electrician"),
])
def test_a_negation_without_its_apostrophe_after_the_work_leaves_the_work(message, job):
    assert Proposal(W, job) in _work(message)


# "<job> life" opening a sentence and said something of ("nurse life means...", "chef life = no weekends"), or a job in
# brackets that comments on the sentence before it ("(paramedic life)", "(nurse, if you couldn't tell)").
@pytest.mark.parametrize(("message", "job"), [
    ("bartender life means never seeing daylight on weekends", "bartender"),
    ("sous chef life = cuts and burns forever", "sous chef"),
    ("three codes in one night and no break 😩 (paramedic life)", "paramedic"),
    ("patient screamed at me over a parking ticket (receptionist, in case you couldn't tell)", "receptionist"),
    ("another 6am start. (baker life lol)", "baker"),
])
def test_a_job_life_or_a_bracketed_job_after_a_rant_is_the_users(message, job):
    assert Proposal(W, job) in _work(message)


@pytest.mark.parametrize("message", [
    "student life in edinburgh is so expensive, where can i find cheap food?",
    "what is nurse life really like?",
    "my sister is exhausted all the time (nurse)",
    "the guy at the counter was so rude (cashier)",
    "my cousin just qualified (paramedic life begins)",
    "we watched a documentary about a surgeon (brain surgeon, in fact)",
])
def test_a_job_life_or_bracket_that_is_asked_or_someone_elses_teaches_no_work(message):
    assert _work(message) == []


# A signature's job title, after a letter's sign-off: "Kind regards, Dr. Ruth Mensah, Consultant Radiologist".
@pytest.mark.parametrize(("message", "job"), [
    ("Could you tidy up this notice for the surgery door? Many thanks, Ruth Mensah, Practice Nurse", "Practice Nurse"),
    ("I would appreciate a short summary of the changes.\nBest wishes,\nTom Hale\nChartered Surveyor",
     "Chartered Surveyor"),
])
def test_a_job_title_signing_off_the_users_message_is_their_work(message, job):
    assert Proposal(W, job) in _work(message)


@pytest.mark.parametrize("message", [
    "Please draft a reply to my GP. Kind regards, Ruth",
    "Write a letter of complaint signed: Yours sincerely, A. Patient, Nurse",
    "Thanks, nurse",
])
def test_a_sign_off_without_a_job_or_in_a_letter_to_write_teaches_no_work(message):
    assert _work(message) == []


# A trade said to be one's living: "welding's my living", "carpentry is my trade" (never "that's my job").
@pytest.mark.parametrize(("message", "job"), [
    ("I keep bees on a few acres, and honey is my living.", "honey"),
    ("I keep a small boat, fishing's my livelihood so the weather matters a lot", "fishing"),
    ("Joinery is my trade, furniture mostly.", "Joinery"),
])
def test_a_trade_said_to_be_ones_living_is_the_users_work(message, job):
    assert Proposal(W, job) in _work(message)


@pytest.mark.parametrize("message", [
    "that's my job, apparently",
    "it's my living room that needs painting",
    "cooking is my job at home and I hate it",
    "his trade is plumbing",
])
def test_what_is_no_trade_said_as_ones_living_teaches_no_work(message):
    assert _work(message) == []


# A family's trade in its "we": "we farm arable land up north", "we run a small bakery".
@pytest.mark.parametrize(("message", "job"), [
    ("We farm dairy cattle near the coast and need help with a milk yield chart.", "farm dairy cattle"),
])
def test_a_trade_in_the_users_we_is_their_work(message, job):
    assert Proposal(W, job) in _work(message)


@pytest.mark.parametrize("message", [
    "we farm out the ironing to my mum",
    "My parents farm sheep in Wales",
])
def test_a_we_that_farms_out_or_someone_elses_farm_teaches_no_work(message):
    assert _work(message) == []


# Years spent in a service or a sector, with the present after it: "Fifteen years in the army and I still...".
@pytest.mark.parametrize(("message", "job"), [
    ("Thirty years in the navy and I still can't sleep past five.", "the navy"),
    ("ten years in hospitality, still love it", "hospitality"),
])
def test_years_in_a_sector_said_as_the_present_are_the_users_work(message, job):
    assert Proposal(W, job) in _work(message)


@pytest.mark.parametrize("message", [
    "Ten years in the army taught me discipline.",
    "twenty years in sales before I retired",
    "my dad did thirty years in the police",
])
def test_years_in_a_sector_that_are_over_or_someone_elses_teach_no_work(message):
    assert _work(message) == []


# A rueful question about the change that made the user what they are: "why did i ever become a nurse".
@pytest.mark.parametrize(("message", "job"), [
    ("marking 90 essays this weekend, why did i ever become a lecturer", "lecturer"),
    ("Why on earth did I train as an accountant", "accountant"),
])
def test_a_rueful_question_about_becoming_a_job_is_the_users_work(message, job):
    assert Proposal(W, job) in _work(message)


@pytest.mark.parametrize("message", [
    "why did my brother become a pilot",
    "why did i want to become a vet as a kid",
    "should i become a nurse?",
    "why did i become a fan of this show",
])
def test_a_question_of_becoming_someone_elses_or_a_wish_teaches_no_work(message):
    assert _work(message) == []


# An emoji inside an aside's brackets ends nothing: "(barista life 🫠)" is one aside.
@pytest.mark.parametrize(("message", "job"), [
    ("closing shift again and the espresso machine broke (waitress life 😩)", "waitress"),
])
def test_an_emoji_inside_a_bracketed_job_leaves_it_one_aside(message, job):
    assert Proposal(W, job) in _work(message)


@pytest.mark.parametrize("message", [
    "student life is so expensive",
    "my mum works nights (nurse life 😩)",
])
def test_a_students_life_or_someone_elses_aside_teaches_no_work(message):
    assert _work(message) == []


# How one is what one is, said between "I'm" and the job, is no part of the job: "i'm literally a barista".
@pytest.mark.parametrize(("message", "job"), [
    ("im lowkey a receptionist at a dentist so i hear everything", "receptionist"),
    ("I am currently a senior paramedic with the ambulance service.", "senior paramedic"),
    ("i'm only a trainee electrician tbh", "trainee electrician"),
])
def test_a_stance_between_im_and_the_job_is_no_part_of_it(message, job):
    assert Proposal(W, job) in _work(message)
    assert not [p for p in _work(message) if p.value.casefold().startswith(("lowkey", "currently", "only"))]


@pytest.mark.parametrize("message", [
    "i'm basically a therapist for my friends",
    "i'm literally a taxi for my kids",
    "I'm nearly a nurse, one exam left",
    "im kinda a chef now lol",
])
def test_a_job_only_likened_or_not_yet_reached_teaches_no_work(message):
    assert _work(message) == []


# A trade's world worked with no preposition, or its work opening the clause: "i work security", "working
# hospitality over christmas is brutal".
@pytest.mark.parametrize(("message", "job"), [
    ("i work construction so i'm up at 5", "construction"),
    ("working hospitality over new year is actual torture", "hospitality"),
])
def test_a_trades_world_worked_without_a_preposition_is_the_users_work(message, job):
    assert Proposal(W, job) in _work(message)


@pytest.mark.parametrize("message", [
    "working retail must be awful at christmas",
    "my brother works construction",
    "working security sounds boring",
    "I used to work retail",
])
def test_a_trades_world_seen_from_outside_or_someone_elses_teaches_no_work(message):
    assert _work(message) == []
