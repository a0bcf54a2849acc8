"""Introductions (memory/phrasings/names.py): the user's name however they give it, and never a name that is not
theirs."""

from __future__ import annotations

import pytest

from memchat.memory.memories import Proposal, Subject
from memchat.memory.phrasings import floor

N = Subject.NAME


def _names(message: str) -> list[Proposal]:
    return [p for p in floor(message) if p.subject is N]


@pytest.mark.parametrize(("message", "name"), [
    # a greeting of another language before the name on the line
    ("Namaste, Priyanka here, quick one about visas.", Proposal(N, "Priyanka")),
    ("Hola, Ines speaking.", Proposal(N, "Ines")),
    # a discourse word before an introduction that opens the message
    ("Ah ok, well it's Tomas by the way.", Proposal(N, "Tomas")),
    ("yes Nkechi, that's me lol", Proposal(N, "Nkechi")),
    ("Oops, Gianluca here again.", Proposal(N, "Gianluca")),
    # who is on the line in Indian English
    ("Hello, Vikrant this side. Need help with my resume.", Proposal(N, "Vikrant")),
    # a request to be called by a name, asked as a question
    ("Could you please address me as Ifeoma?", Proposal(N, "Ifeoma")),
    ("Would you mind calling me Rosalind from here on?", Proposal(N, "Rosalind")),
    # the name put down for the user, "my name" before the name it is
    ("Put my name up as Dmitri on the sign-up sheet.", Proposal(N, "Dmitri")),
    ("Start the reply with my name, Saoirse, please.", Proposal(N, "Saoirse")),
    # the name with how it is spelt or said
    ("It's Caoimhe (pronounced kee-va) if you wondered.", Proposal(N, "Caoimhe")),
    ("it's Katharine with a k and an a in the middle", Proposal(N, "Katharine")),
    # "as <name> please (that's me)"
    ("Address the card from Marguerite please (that's me).", Proposal(N, "Marguerite")),
    # a name answered to the assistant's question
    ("Obinna. You asked for my name earlier.", Proposal(N, "Obinna")),
    # a name in quotes the user says is theirs
    ('End the toast with "Cheers, Zainab" because that\'s my name!', Proposal(N, "Zainab")),
    # a lower-case writer whose keyboard capitalised "I"
    ("hi this is femi speaking I need a hand with excel", Proposal(N, "femi")),
])
def test_an_introduction_of_round_seventeen(message, name):
    assert _names(message) == [name]


def test_the_name_the_user_goes_by_is_kept_and_one_no_one_calls_them_is_not():
    assert _names("Call me Kit, no one has called me Katherine in years.") == [Proposal(N, "Kit")]


@pytest.mark.parametrize("message", [
    "Mum called me Maggie when I was little.",  # a name the user was called once, by what follows it
    "Everyone called me Bubba growing up.",
    "Nobody calls me Robert.",  # a name no one calls the user
    "Can you call me Captain in the game?",  # a name in a game or a story
    "Could you call me back tomorrow?",
    "Could I call you Jarvis?",  # the assistant's name
    "Pain this side of my head, what could it be?",  # a known word on "this side"
    "oh it's Ramadan btw",  # (a lower-case word after "it's" with "btw" stays unread)
    "Luna, that's my name for her, she's a cat.",  # a name of the user's for something
    "Sam, that's not my name.",
    "Pizza. You asked what I want for dinner.",  # an answer to another question
    "Forward this to Jake, that's my brother's email.",
    'Write a poem for a girl named "Priya", she loves the sea.',
])
def test_a_name_that_is_not_the_users_is_no_introduction(message):
    assert _names(message) == []


@pytest.mark.parametrize("message", [
    "Same here.",  # the word of agreeing
    "It's Diwali!",  # a feast
    "Ok Lagos here we come",  # a place greeted
    "Sorry, Grandma here, on my grandson's tablet.",  # a relative
    "Could you call me Madam from now on?",  # a title
    "Could you call me Dad in the poem?",  # a name in a poem
    "That's my name, don't wear it out.",  # a pronoun
    "Is Ines a pretty name? Since that's my name I wonder.",  # a conjunction that opens a sentence
    "Hypothetically speaking I'm a teacher.",  # a manner word made with "-ly"
    "Honestly here, I don't know.",
    "Jain here, so no onion or garlic",  # a faith the lexicon does not know
    "Sikh here, what should I know about visiting a gurdwara?",
])
def test_a_word_of_agreeing_a_feast_a_place_a_relative_a_title_or_a_pronoun_is_no_name(message):
    assert _names(message) == []


def test_a_short_name_that_ends_in_ly_is_still_a_name():
    assert _names("Sally here, quick question.") == [Proposal(N, "Sally")]
    assert _names("Emily speaking, hi!") == [Proposal(N, "Emily")]


@pytest.mark.parametrize(("message", "name"), [
    ("Do you remember me? Tendai from Harare.", Proposal(N, "Tendai")),  # the riddle of who writes, answered
    ("You're chatting with Oksana now.", Proposal(N, "Oksana")),  # who the assistant is talking to
    ("Hello! Ruairi from yesterday, the one with the bike question.", Proposal(N, "Ruairi")),  # the one from before
    ("Zanele from last week again, quick follow-up.", Proposal(N, "Zanele")),
])
def test_who_writes_as_the_one_from_before_or_the_one_talked_to(message, name):
    assert _names(message) == [name]


@pytest.mark.parametrize("message", [
    "Hi from Lisbon!",  # a greeting from a place
    "Hiya! Sandwiches from yesterday, are they still ok?",  # food from before
    "You're talking to a nurse, so be technical.",
    "Remember me? I asked about Lagos.",
])
def test_a_greeting_from_a_place_or_food_from_before_is_no_name(message):
    assert _names(message) == []


@pytest.mark.parametrize("message", [
    "Right, Tunde here has a question for you too.",  # a name as the subject of a verb after "here"
    "Well Ayesha, that's me told.",  # an idiom said to someone named
    "Okay Femi, that's me off to bed.",
])
def test_a_name_before_a_verb_or_an_idiom_with_that_s_me_is_no_introduction(message):
    assert _names(message) == []


@pytest.mark.parametrize(("message", "name"), [
    ("Tunde here, is this the right place?", Proposal(N, "Tunde")),
    ("Ayesha, that's me!", Proposal(N, "Ayesha")),
])
def test_the_name_on_the_line_or_that_s_me_still_introduces(message, name):
    assert _names(message) == [name]


@pytest.mark.parametrize(("message", "name"), [
    ("Kindly refer to me as Prof. Adeyemi.", Proposal(N, "Prof. Adeyemi")),  # a title's full stop ends nothing
    ("Hello, I'm Mrs Eleni Papadakis.", Proposal(N, "Mrs Eleni Papadakis")),
    ("Bea (short for Beatrix) here!", Proposal(N, "Bea")),  # the long name a short one is for
    ("I'd much rather you called me Bea.", Proposal(N, "Bea")),  # a wish to be called
    ("I'd prefer to be called Rafa, thanks.", Proposal(N, "Rafa")),
    ("Greetings, Kenji here.", Proposal(N, "Kenji")),
    ("Evening all, it's me, Kenji.", Proposal(N, "Kenji")),
    ("Hiya, I'm Ffion xx", Proposal(N, "Ffion")),  # a kiss after the name
])
def test_a_title_a_short_name_a_wish_to_be_called_or_a_kiss(message, name):
    assert _names(message) == [name]


@pytest.mark.parametrize("message", [
    "My dentist is Dr. Hughes.",  # someone else's title
    "BBC, short for British Broadcasting Corporation.",  # an acronym
    "Sat, short for Saturday.",  # a day
    "I'd rather go by Eurostar.",  # a wish to travel
    "I'd like to be called Captain in the game.",
    "I'd love to name my daughter Isla.",
])
def test_a_title_of_someone_else_an_acronym_or_a_wish_of_another_kind_is_no_name(message):
    assert _names(message) == []


@pytest.mark.parametrize("message", [
    'translate into spanish: "Marta, that is my name"',  # "that's my name" in the text to translate
    'My neighbour shouted "Oi, Gary, that\'s my name!" at the telly.',  # in someone else's words
])
def test_that_s_my_name_in_a_quotation_is_not_the_users(message):
    assert _names(message) == []


@pytest.mark.parametrize(("message", "name"), [
    # an introduction in the words of another language, in an English message, and "here" as it says it
    ("meu nome é Joaquim, can you check my visa letter", Proposal(N, "Joaquim")),
    ("Hola! me llamo Esteban and I need a packing list", Proposal(N, "Esteban")),
    ("Kiran mera naam hai, pls suggest some old movies", Proposal(N, "Kiran")),
    ("Svetlana hier, quick one: how do I descale a kettle", Proposal(N, "Svetlana")),
    ("bruno aqui, need a caption for my beach pics", Proposal(N, "bruno")),
    ("ola! maria eduarda aqui, can u fix my cv", Proposal(N, "maria eduarda")),
    # a greeting of English elsewhere, and a laugh or a title the message opens with
    ("G'day all, Bindi here, got a question on tax.", Proposal(N, "Bindi")),
    ("haha I'm Wiktoria by the way, forgot to say", Proposal(N, "Wiktoria")),
    ("ta mate, Eoin btw, sorry for not saying earlier", Proposal(N, "Eoin")),
    ("maam this is lakshmi writing, pls check my essay intro", Proposal(N, "lakshmi")),
])
def test_another_languages_introduction_or_an_opening_before_the_name(message, name):
    assert _names(message) == [name]


@pytest.mark.parametrize(("message", "name"), [
    # a lower-case introduction in the capitalised patterns' shapes, of a word the language does not know
    ("good morning, rakesh this side, need a leave letter", Proposal(N, "rakesh")),
    ("oluchi is my name and i sell shoes online", Proposal(N, "oluchi")),
    ("this is babajide, my wifi keeps dropping at night", Proposal(N, "babajide")),
    # and of one it knows, said with the user's age or as the user back again
    ("grace here, 41, mum of three, need a dinner plan", Proposal(N, "grace")),
    ("rob speaking, back again with my printer saga", Proposal(N, "rob")),
])
def test_a_lower_case_introduction_of_a_word_the_language_does_not_know_or_back_again(message, name):
    assert _names(message) == [name]


@pytest.mark.parametrize("message", [
    "Mi hermano se llama Diego.",  # a brother's name
    "this is ridiculous, my wifi keeps dropping",  # a word of the language after "this is"
    "sir this is urgent, pls reply soon",
    "english this side of the border is different",
    "same here, back again with the same bug",  # a state, not a name
    "ola, tudo bem aqui",  # words of another language before its "here"
    "estou aqui, sorry for the delay",
])
def test_a_lookalike_of_another_languages_or_a_lower_case_introduction_names_no_one(message):
    assert _names(message) == []


@pytest.mark.parametrize(("message", "name"), [
    # a name others call the user, whoever they are
    ("My nan still calls me Jonathan whenever I forget to ring her.", Proposal(N, "Jonathan")),
    ("Everybody on my team calls me Raj, so that's fine.", Proposal(N, "Raj")),
    # a signature in the user's own name
    ("Draft a thank-you card for my neighbour and sign it off from me, Chiamaka.", Proposal(N, "Chiamaka")),
    ("Close the email with my name: Benedikt.", Proposal(N, "Benedikt")),
    # a profile: name, adult age, what the user is
    ("Mireille, 47, newly retired and bored silly. Hobby ideas?", Proposal(N, "Mireille")),
    # what to call the user instead of a title
    ("You can just use Obiageli, not madam, we're friends now.", Proposal(N, "Obiageli")),
    # "name is" without "my", after "but"
    ("Everyone shortens it but real name is Bartholomew.", Proposal(N, "Bartholomew")),
    # the user put down by name, then "that's me"
    ("List Genevieve as the organiser on the poster, that's me.", Proposal(N, "Genevieve")),
    # a name with an apology for it
    ("Przemysław - sorry, hard name I know - need help with a toast.", Proposal(N, "Przemysław")),
    # a name put right against a slip of one letter, in a message about how it is written
    ("Spell it right in the signature please, it's Zoë not Zoe.", Proposal(N, "Zoë")),
])
def test_a_name_as_others_call_the_user_a_signature_a_profile_or_a_spelling_put_right(message, name):
    assert _names(message) == [name]


@pytest.mark.parametrize("message", [
    "my boss calls me Superstar when he wants a favour",  # a word of fondness
    "Grandad calls me Trouble.",
    "My daughter calls me Mama.",  # a parent's word
    "He calls me Lazy when I skip the gym.",  # a word of the moment
    "nobody calls me Jonathan anymore",  # negated
    "My dad used to call me Bunny.",  # once
    "Sign it from Mum and Dad.",  # the card's senders
    "Sign the card from me, Tobi and the kids.",  # the user among others
    "Tom, 45, works in sales and lives next door.",  # someone else's profile
    "Ben, 7, wants a trampoline.",
    "Sarah, 30, my flatmate, keeps stealing my food.",
    "Paris, 25, sunny and warm all week.",  # a place's weather
    "Use Arial, not Times, for the poster.",  # no title
    "Just say Hello, not sir, it's friendlier.",  # a greeting
    "Luna - weird name for a cat?",  # a pet's name
    "His real name is Reginald.",  # someone else's
    "Add Sam to the rota, that's me done for today.",  # "that's me done"
    "it's Austria not Australia, fix the spelling.",  # a place put right
    "It's Lyon not Lyons.",  # not about how a name is written
    "Write a story about a girl, sign it from me, Lily.",  # a story's
    "Pretend my name: Bob.",  # a game's
])
def test_a_lookalike_of_a_name_others_call_the_user_a_signature_a_profile_or_a_spelling_names_no_one(message):
    assert _names(message) == []


def test_a_name_told_after_a_request_for_a_text_of_the_users_own_is_theirs():
    assert _names("write me short linkedin bio, my name is Ayodele, i do warehouse logistics") == [
        Proposal(N, "Ayodele")]
    assert _names("Write a story about a dog, my name is Bob") == []


# Round nineteen: an introduction after a reply's label ("In answer to your question: ..."), after words that hand
# the assistant a fact to keep or a context ("note that I'm ...", "for context I'm ..."), and the name the user signs
# their own texts with.
@pytest.mark.parametrize(("message", "name"), [
    ("Answer to your q - yes, I am Beatrix. Now the recipe?", Proposal(N, "Beatrix")),
    ("Answer to the question you asked: my name's Tendai Moyo.", Proposal(N, "Tendai Moyo")),
    ("Whatever else you forget, note that I'm Ruairi, please.", Proposal(N, "Ruairi")),
    ("If nothing else sticks, keep in mind I'm Zanele.", Proposal(N, "Zanele")),
    ("Quick one. For the record I am Oluwaseun, a first-year nursing student.", Proposal(N, "Oluwaseun")),
    ("Could you tidy my CV? Just so you know I'm Magdalena, I go by Magda at work.", Proposal(N, "Magdalena")),
    ("I always sign my emails Bronwyn and it looks too casual, thoughts?", Proposal(N, "Bronwyn")),
    ("Does this sound ok? I signed the card Thandiwe because that's what my team knows me as.",
     Proposal(N, "Thandiwe")),
    ("These days I sign off messages as Kit, it's shorter.", Proposal(N, "Kit")),
])
def test_an_introduction_after_a_reply_label_or_a_fact_handed_over_and_a_users_own_signature_name_the_user(
        message, name):
    assert name in _names(message)


@pytest.mark.parametrize("message", [
    "If you're writing the story, remember I'm the Captain.",  # a role in a story
    "Pretend I'm Batman and remember I'm Bruce.",  # a game
    "Just so you know, I'm British, so spell it colour.",  # a nationality
    "For context I'm Vegan and cooking for six.",  # a diet
    "Remember you're Max from now on.",  # a name for the assistant
    "Note that my sister is Farah.",  # someone else's name
    "Sign it Grandma, she'd love that.",  # a card signed for someone else
    "Can you sign it Tobias for me? He's my flatmate.",  # a request, someone else's name
    "I signed it Best, is that too cold?",  # a sign-off word
    "I signed the lease Monday and I'm shattered.",  # a day
    "My brother signs his emails Reggie.",  # someone else's signature
    "I never sign it Margaret, only Maggie to friends, and anyway that's my aunt.",  # negated
    "To answer your question: it's Lisbon, we fly Friday.",  # a place answered
    "Answer to your question: yes, it's Porto.",
    "Just so you know I'm Black British.",  # a heritage
    "I signed it Ama and Kofi.",  # a card from two
    "I signed it as Acting Manager.",  # a role
    "For context I'm Dyslexic, so keep it short.",  # what one is
    "Remember I'm Capricorn, we're stubborn.",  # a star sign
])
def test_a_lookalike_of_a_reply_a_handed_over_fact_or_a_signature_names_no_one(message):
    assert _names(message) == []


# Round nineteen: introductions typed fast, and learners' English.
@pytest.mark.parametrize(("message", "name"), [
    # "my name" with "is" dropped, before a run-on
    ("my name Oluwaseun but i need help with a visa form", "Oluwaseun"),
    # "name is" with "my" dropped, after the user's own request
    ("could you fix my cover letter, name is Radek btw", "Radek"),
    # the question run on without a comma, cut at its word
    ("Soy Valentina 😊 how do i say this in english?", "Valentina"),
    ("hi im Dorota can u check my email?", "Dorota"),
    # "I am" in other languages
    ("Jestem Agnieszka, need help with a complaint letter", "Agnieszka"),
    ("hallo ich bin jorinde, quick question", "jorinde"),
    # introducing oneself with "I"
    ("I want to introduce myself: Bogdan.", "Bogdan"),
    # after a greeting of a first meeting
    ("im tendai glad to meet you", "tendai"),
    # with how it is spelt, typed fast
    ("Zoë (w/ the dots pls) is how i spell it", "Zoë"),
    ("its siobhán with the accent, dont drop it", "siobhán"),
    # the user as the one who is, or the one from before
    ("Thembeka is me, I asked about rooibos earlier", "Thembeka"),
    ("hi, oyelaran from yesterday, did u find the answer", "oyelaran"),
    # a name after what starts something else in lower case
    ("pls call me yaw not mr mensah", "yaw"),
    ("my friends know me as chidubem but nobody can spell it", "chidubem"),
    # an apology for the typing before who is on the line
    ("Apologies for the bad english, Eryk here from Gdynia", "Eryk"),
    # a bare name sentence, then said to be the user or said again
    ("Ngozika!! yes thats me. what should I cook", "Ngozika"),
    ("Oyelowo. only Oyelowo. can you write me a toast", "Oyelowo"),
    # a profile in lower case
    ("tatenda, 31, living in harare, want to learn guitar", "tatenda"),
    # who is on the line, as German and Polish speakers say it
    ("Here is Grzegorz from Łódź, question about my tax return", "Grzegorz"),
    ("hey, here is wiebke again", "wiebke"),
    # "I am" with its "I" dropped
    ("hello, am Chukwuemeka from Onitsha", "Chukwuemeka"),
    ("Hi, am Yusuf, a nurse from Kano", "Yusuf"),
    # a text of the user's signed from a bare name
    ("pls sign the email from Bartek, thanks", "Bartek"),
    # "that's my full name" after it
    ("Amara Obi - thats my full name, put it on the certificate", "Amara Obi"),
])
def test_introductions_typed_fast_or_in_learners_english_are_read(message, name):
    assert Proposal(N, name) in _names(message)


@pytest.mark.parametrize("message", [
    "my cat, name is Miso and she is 3",  # someone else's name
    "help my brother, name is Tom and he needs a job",
    "write a bio for my startup, name is Nova",  # a thing's name
    "my name Tag fell off my jacket",
    "I love soy milk.",  # a drink
    "Soy Milk. is it healthy?",
    "Lisbon here, checking what to wear for a wedding",  # a place on the line
    "pasta with a twist, any ideas",
    "Coffee. just coffee. what goes with it",  # a word, said again
    "Done! that's me sorted for today",
    "eggs, 12, flour, 500 - what can i bake",
    "tired, 30, looking for motivation",
    "im tired nice to meet u too",  # a word the language knows
    "leftovers from yesterday, still ok to eat?",
    "Is my name Sam what do you think?",  # a question
    "nobody calls me rafa not even my mum",
    "Am Ready.",  # a word the language knows
    "Am Tired, long day",
    "Here is Chapter Two.",
    "here is Paris, the city of love",  # a place
    "here is Sam's essay, can you check it",
    "Here is Bilal's CV.",  # someone's thing
    "Hi, am Sarah's mum",
    "sign it from Mr Jones",  # a title: maybe someone the user writes for
    "sign the card from Tom and Jess",
    "sign it from Karen, my boss",
    "write a card for my mum, sign it from Grandma",
])
def test_lookalikes_of_introductions_typed_fast_teach_no_name(message):
    assert _names(message) == []


# Round twenty: the formal letter-writer's and the texting teenager's introductions.


@pytest.mark.parametrize(("message", "name"), [
    # a title alone is no name, and a name may run to three words after one
    ("I am Prof. Tan Wei Ming, and I have a query about citations.", Proposal(N, "Prof. Tan Wei Ming")),
    # the closings of a formal letter, with a title or a middle initial
    ("Might you suggest a hymn for a harvest service? Yours faithfully, Revd Morwenna Tregear",
     Proposal(N, "Revd Morwenna Tregear")),
    ("Please check the grammar of the notice above. With kind regards, Ebenezer J. Mensah", Proposal(N, "Ebenezer")),
    # whichever of the user's names it is
    ("My christian name is Aldous, should you need it for the form.", Proposal(N, "Aldous")),
    ("Kowalczyk is my family name; please spell it carefully.", Proposal(N, "Kowalczyk")),
    ("everyone says kas but my legal name is Kasimir", Proposal(N, "Kasimir")),
    ("I was baptised Eulalia, though I seldom use it outside church.", Proposal(N, "Eulalia")),
    # whoever calls the user so, and the user put down by name at their asking
    ("the whole class calls me bongani so thats fine", Proposal(N, "bongani")),
    ("You can list me as Theodora Vance on the guest list.", Proposal(N, "Theodora Vance")),
    # after a dash, and a fact handed over as a favour
    ("apologies for the delay - I'm Cressida, we spoke on Monday.", Proposal(N, "Cressida")),
    ("Could you remember that I am Leopold, for the reply.", Proposal(N, "Leopold")),
    # greetings of English elsewhere, a friend's word before the introduction
    ("Howzit, Thabo here, need a braai menu", Proposal(N, "Thabo")),
    ("fam its tendai here, need help w maths", Proposal(N, "tendai")),
    # the name on the line, then an aside in brackets or an emoji
    ("nomvula here 🙃 whats the best way to revise", Proposal(N, "nomvula")),
    ("ikaika writing (yes the hawaiian one) need a speech", Proposal(N, "ikaika")),
    # the name with how it is said, a shouted spelling in a lower-case message
    ("its saoirse, pronounced seer-sha btw", Proposal(N, "saoirse")),
    ("catharina with a C, NOT a K, pls fix it", Proposal(N, "catharina")),
    # who is on the line after a greeting, then what they want
    ("yo its kwabena, need a caption", Proposal(N, "kwabena")),
    # the name after the user introduces themselves
    ("should introduce myself first, mahlet, hi", Proposal(N, "mahlet")),
    # a nickname with the long name it is short for
    ("im pip (short for philippa) and i need a gift idea", Proposal(N, "pip")),
    # a text asked to be signed from the user by name
    ("make a thank u card for my tutor and sign it from me, oluwadamilare x", Proposal(N, "oluwadamilare")),
])
def test_round_twenty_introductions(message, name):
    assert _names(message) == [name]


@pytest.mark.parametrize("message", [
    "My mum is Prof. Tan.",  # someone else's title and name
    "Please forward this to the vicar. Yours faithfully, the Parish Council",
    "my middle name is Rose",  # no one calls the user by it
    "The registrar put me down as Deceased by mistake, can you believe it",  # someone else put them down
    "If I were a knight - I'm Lancelot - what would I wear?",  # a supposition
    "Could you remember that I am Zorro in the game?",  # a game
    "its cold here",  # what the place is like
    "its freezing, not fun",
    "hey its spotify, not apple music",  # a brand put right, not who is on the line
    "im ded (short for dead)",  # slang for a word of the language
    "i need to introduce myself to my new flatmates, lol",  # whom to
    "sign it from me, mum xx",  # a relative
    "write a poem where the knight signs it from me, zed",  # a story
    "tbh its giving, not gonna lie",
])
def test_round_twenty_lookalikes_name_no_one(message):
    assert _names(message) == []
