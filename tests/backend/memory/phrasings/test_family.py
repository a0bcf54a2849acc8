"""The family rule (phrasings/family.py) on round seventeen's everyday speech: relatives named in the shapes chat
gives them, and what looks like them and names no relative of the user's."""

from __future__ import annotations

import pytest

from memchat.memory.memories import Subject
from memchat.memory.phrasings import floor

F = Subject.FAMILY


def _family(message: str) -> list[str]:
    return [p.value for p in floor(message) if p.subject is F]


@pytest.mark.parametrize(("message", "family"), [
    # a name, then whose it is, without the comma: "Kofi my son wants to study medicine"
    ("Ines my daughter starts big school on Monday, what should I pack?", ["daughter Ines"]),
    ("max my son keeps asking for a phone", ["son max"]),
    ("Tomasz our eldest is off to uni in the autumn", ["eldest Tomasz"]),
    ("rafi my husband is away all week so it's just me and the kids", ["husband rafi"]),
    # what a relative is called, without "my", or in lower case
    ("Boyfriend's name is Elliot, he's a sweetheart", ["boyfriend Elliot"]),
    ("my wife's name is siobhan btw", ["wife siobhan"]),
    # a pet by its name, then what it is
    ("Mochi the cat has started sleeping in the sink", ["cat Mochi"]),
    ("honestly bubu the hamster is the boss of this house", ["hamster bubu"]),
    ("Biscuit the dog keeps stealing socks", ["dog Biscuit"]),
    ("so luna the cat is refusing her new food", ["cat luna"]),
    # a household by its count, its "I" dropped
    ("Got three grandkids under five, what board games work for all of them?", ["three grandkids"]),
    ("have two cats and a very patient husband", ["two cats"]),
    # a child born
    ("We had a baby girl last month!! no sleep but worth it", ["baby girl"]),
    ("just had a baby in march so go easy on me", ["baby"]),
])
def test_a_relative_named_in_the_shapes_chat_gives_them(message, family):
    assert _family(message) == family


@pytest.mark.parametrize("message", [
    "Thanks my friend, that helped a lot",  # a friend is no relative
    "Sorry my son is shouting in the background",  # a known word is no name
    "Garden the dog keeps digging up? what does that mean",  # a question
    "write me a story about Pip the dog who lives in Bath",  # a request's world
    "we had a baby shower for my cousin on Sunday",  # a party, not a child
    "I had a baby tooth pulled when I was 30 lol",
    "got two tickets for the match, who should I take?",  # a count of things, not of relatives
    "my friend's son's name is Theo",
    "Mum the wifi is down again",  # a word for a relative, addressed
    "Sorry the dog is barking, I can't hear the video",  # an opener is no name
    "Walked the dog twice today and still no energy",
    "Love my son to bits but he is exhausting",  # a verb before "my son" is no name
    "miss my daughter so much since she moved out",
])
def test_what_looks_like_a_relative_named_and_is_not_teaches_no_family(message):
    assert _family(message) == []


@pytest.mark.parametrize(("message", "family"), [
    ("Can you suggest a birthday present for my husband Callum? He likes fishing", ["husband Callum"]),
    ("what should i pack for my daughter Ada's first sleepover", ["daughter Ada"]),
    ("Write a short poem for my grandma Edith, she turns 90 on Sunday", ["grandma Edith"]),
    ("help me write a sorry text to my bf kian, i missed his gig", ["bf kian"]),
    ("My son Theo's teacher is lovely.", ["son Theo"]),  # a possessive's 's is no part of the name
])
def test_a_relative_named_in_a_question_or_a_request_is_still_the_users(message, family):
    assert _family(message) == family


@pytest.mark.parametrize("message", [
    "Pretend you're my husband Mark and we're arguing about the bins",  # a part the assistant plays
    "let's role play, you are my brother Sam and I'm your sister",
    "Is it normal that my friend's son Theo still bites at 4?",  # another person's relative
    'fix the grammar pls: "my wife Ana and I would love you to come"',  # a quotation
    "what should I call my new puppy, Biscuit or Pepper?",  # a name asked for, not given
    "can you help me plan my sister in May?",  # a month is no name
])
def test_a_question_or_a_request_that_names_no_relative_of_the_users_teaches_no_family(message):
    assert _family(message) == []


# Round nineteen: in lower case, a word the language knows after a relation is that relative's name only before what
# they do, or at the sentence's end; else it is the noun the relation modifies, or a time ("for my cousin wedding").
@pytest.mark.parametrize(("message", "family"), [
    ("my daughter rosa is 6 and loves frogs", ["daughter rosa"]),  # a name the language does not know, anywhere
    ("my husband mark snores all night", ["husband mark"]),  # one it knows, before what he does
    ("me and my mum agnes are baking", ["mum agnes"]),
])
def test_a_lower_case_name_after_a_relation_is_read_before_what_they_do(message, family):
    assert _family(message) == family


@pytest.mark.parametrize("message", [
    "booking a hall for my sister engagement party next month",  # the relation modifies a noun
    "need a gift for my brother birthday, any ideas",
    "planning a surprise for my wife next friday",  # a time after the relation
    "sorry, pet project of mine, carry on",  # a noun's compound, no pet
    "Ilocano is my mother tongue, so go easy on the Tagalog",  # a relation's word that names no relative
    "Welsh is my Mother Tongue",
])
def test_a_known_word_after_a_relation_that_says_nothing_they_do_is_no_name(message):
    assert _family(message) == []


# A relative unnamed, opening their own clause, when it gives their age or their home with the user: the family's own
# fact (what else a relative's clause says is theirs, and names no relative worth keeping: "My sister lives in Porto").
@pytest.mark.parametrize(("message", "family"), [
    ("and my stepson is nearly 12, what phone should we get him", ["stepson"]),
    ("grandma turned 95 on friday so we threw a party", ["grandma"]),
    ("our youngest is 18 months old and still not sleeping through", ["youngest"]),
    ("my mother-in-law has moved in with us, send help", ["mother-in-law"]),
    ("Uncle lives with me since the divorce", ["uncle"]),
])
def test_a_relatives_age_or_home_with_the_user_names_the_relative(message, family):
    assert _family(message) == family


@pytest.mark.parametrize("message", [
    "My brother lives in Leeds.",  # a relative's own home, no household of the user's
    "my daughter is 20 minutes away so she pops round",  # a distance, no age
    "Babies are 6 months when they start solids, right?",  # anyone's
    "my grandad would be 100 today",  # a relative gone
    "my friend's son is 15 and already taller than me",  # another person's relative
    "my nan passed away at 91",
])
def test_a_relatives_clause_with_no_age_or_home_of_the_users_teaches_no_family(message):
    assert _family(message) == []


# A relative unnamed, taken up by a pronoun that gives their age or their home with the user, in a request too: the
# relative is the last one named before the pronoun, with no one else between.
@pytest.mark.parametrize(("message", "family"), [
    ("what do I get my brother for his birthday, he's 30 next week", ["brother"]),
    ("any tips for caring for my aunt, she lives with me since her stroke", ["aunt"]),
])
def test_a_relative_taken_up_by_a_pronoun_with_their_age_or_home_is_read(message, family):
    assert _family(message) == family


@pytest.mark.parametrize("message", [
    "gift ideas for my friend, she's 40",  # no relative
    "I told my sister about my boss, he's 50 and still acts like a kid",  # someone else between
    "my dad's neighbour, he's 70, keeps parking in our spot",  # another person's
    "can you write a poem for my late grandad, he'd be 100 today",  # one gone
])
def test_a_pronoun_that_takes_up_no_relative_of_the_users_teaches_no_family(message):
    assert _family(message) == []


@pytest.mark.parametrize("message", [
    "my daughter wants to be a vet, she's 9, how can I help",  # the relative's own clause says what she wants
])
def test_a_relative_opening_their_own_clause_is_not_taken_up_by_a_later_pronoun(message):
    assert _family(message) == []


# One's children named with "my" left off: only the words for children, two or more names.
@pytest.mark.parametrize(("message", "family"), [
    ("Twins are Maya and Zara, both mad about horses", ["twin Maya", "twin Zara"]),
    ("the boys are Kit (8) and Rafe (5), any rainy day ideas", ["boy Kit", "boy Rafe"]),
])
def test_ones_children_named_with_my_left_off_are_read(message, family):
    assert _family(message) == family


@pytest.mark.parametrize("message", [
    "Dogs are Labradors and Poodles mostly round here",  # no children
    "Kids are Trouble, that's the film title",  # one word, no list
])
def test_a_plural_that_names_no_children_of_the_users_teaches_no_family(message):
    assert _family(message) == []


# Round twenty-one: a relative named where a sentence opens, its "my" left off as typed in haste, then what they do
# (an "-ing" without its "is", an ESL "have"), in a question as in a statement.
@pytest.mark.parametrize(("message", "family"), [
    ("son Mateo refusing to eat veg again, any tricks?", ["son Mateo"]),
    ("cat Pistachio threw up twice today should i worry", ["cat Pistachio"]),
    ("wife Leena have birthday next week, what gift for her?", ["wife Leena"]),
    ("ok so grandma Wiesia moving in with us next month", ["grandma Wiesia"]),
    ("Nephew Oisin wants a drum kit for christmas lol", ["nephew Oisin"]),
])
def test_a_relative_named_with_my_left_off_opening_a_sentence_is_the_users(message, family):
    assert family[0] in _family(message)


@pytest.mark.parametrize("message", [
    "Father Ted is on tonight, what channel?",  # a title
    "Sister Act was the best film of the 90s",
    "Uncle Sam wants you, where is that poster from?",
    "Baby Driver is such a good film",  # anyone's word, a title's
    "dog Biscuit died last week, how do I tell the kids",  # gone
    "write a story where brother Tomas finds a dragon",  # a story's
    "sister Monica recipes, are they good?",  # no doing of theirs
])
def test_a_title_a_story_or_a_relative_gone_with_my_left_off_teaches_no_family(message):
    assert not [value for value in _family(message) if value.split()[0] in ("father", "sister", "uncle", "baby", "dog",
                                                                             "brother")]


# What a relative is called with its "is" or "'s" left off: "my wife name is Ana", "my dog name Rocky".
@pytest.mark.parametrize(("message", "family"), [
    ("my son name Diego, he like football", ["son Diego"]),
    ("our cat name Mochi and she is 3", ["cat Mochi"]),
])
def test_a_relatives_name_with_its_is_left_off_is_read(message, family):
    assert family[0] in _family(message)


@pytest.mark.parametrize("message", [
    "my boss name is Tom and he is strict",
    "my wife named the dog Rex",  # what the relative named
])
def test_a_name_that_is_no_relatives_or_what_they_named_teaches_no_name(message):
    assert not [value for value in _family(message) if value.endswith(("Tom", "Rex"))]


# A pronoun that takes up the relative is no name ("my wife she is teacher"); a count in figures is a count ("I have 2
# daughter").
def test_a_pronoun_after_a_relation_is_no_name():
    assert _family("my wife she is teacher in school") == []


@pytest.mark.parametrize(("message", "family"), [
    ("I have 2 daughter and one dog", ["2 daughter"]),
])
def test_a_count_in_figures_is_read(message, family):
    assert family[0] in _family(message)


# Round twenty: lower-case texting, a word shouted in capitals, what a relative does said by any verb of theirs.
@pytest.mark.parametrize(("message", "family"), [
    # a sentence in lower case is still typed in lower case with a word shouted in it
    ("my cousin zeynep borrowed my straighteners AGAIN and never gave them back", ["cousin zeynep"]),
    # a name the language knows, then what the relative or pet does: a verb of a person or an animal, or a past form
    ("my cousin ruby threw my controller across the room LOL", ["cousin ruby"]),
    ("my daughter hope sings in the shower every single morning", ["daughter hope"]),
    ("my dog pepper bites everyone who visits, how do i train that out", ["dog pepper"]),
])
def test_a_relative_named_in_lower_case_by_what_they_do(message, family):
    assert _family(message) == family


@pytest.mark.parametrize("message", [
    "my son school called me today about his grades",  # a possessive without its 's, no name
    "my dog food bowl is DISGUSTING",
    "my cat litter smells SO bad rn",  # no verb of a person or a pet
    "my mum phone died in the middle of our call",
])
def test_a_lower_case_possessive_or_thing_names_no_relative(message):
    assert _family(message) == []


@pytest.mark.parametrize(("message", "family"), [
    # a word of kin between "my" and the relation, in lower case
    ("ugh my older sister wren has taken over the bathroom", ["older sister wren"]),
    # a relative's name the language knows, in a request, when a verb of theirs follows it
    ("my husband cliff swears the dishwasher is broken, can you settle this", ["husband cliff"]),
    # "my" left off in lower case: a word of kin, or the name in brackets
    ("big sis marisol keeps stealing my eyeliner", ["big sis marisol"]),
    ("girlfriend (hazel) keeps asking where we're going for valentines, help", ["girlfriend hazel"]),
    # one's own parent or grandparent, named by the word for them alone
    ("so grandma is knitting me ANOTHER scarf, what do i even say", ["grandma"]),
    ("Dad's 60th is in a fortnight and I've got nothing planned", ["Dad"]),
    ("mam keeps ringing me during lectures", ["mam"]),
])
def test_a_relative_in_texting_without_my_or_a_capital(message, family):
    assert _family(message) == family


@pytest.mark.parametrize("message", [
    "is my son normal? he only eats beige food",  # a word after the relation, then no verb of theirs
    "Mum says I should learn the cello",  # reported speech: what she says is hers
    "dad keeps telling me i'd make a great lawyer",
    "Mum's the word on the surprise party",  # an idiom
    "Dad jokes are the best jokes, fight me",
    "Mum, the wifi is down again",  # a word for a relative, addressed
    "grandma would have been 90 today",  # one gone
    "if mum keeps calling i'll mute her",  # a condition
    "bro jules is coming round later",  # "bro" is said to anyone
    "sis (lol) keeps texting me",  # chat's words are no names
    "my big brother energy is unmatched today",  # a possessive, no name
])
def test_what_looks_like_a_relative_in_texting_and_is_not(message):
    assert _family(message) == []


@pytest.mark.parametrize(("message", "family"), [
    # what a parent calls their first child, as "my eldest" is
    ("Our first-born, Adaeze, graduates in July and we are hosting a lunch.", ["first-born Adaeze"]),
    # the animals a farm or a stable keeps and names
    ("Our old gelding, Rufus, has a cough that will not clear; should I call the vet?", ["old gelding Rufus"]),
    ("my donkey Hamish won't let the farrier near his feet", ["donkey Hamish"]),
    # "rip" said of something else than the relative
    ("rip my weekend bc my puppy zuzu chews everything in sight", ["puppy zuzu"]),
])
def test_a_relative_or_animal_named_by_a_parent_or_a_farmer(message, family):
    assert _family(message) == family


@pytest.mark.parametrize("message", [
    "rip my uncle tariq, he was the best",  # "rip" said of the relative
    "rip to my grandad bilal, miss him every day",
    "The mare at the riding school, Bella, is lovely",  # another's animal
    "my goat Messi scored again",  # a word of praise, no animal
])
def test_what_looks_like_a_named_animal_or_eldest_and_is_not(message):
    assert _family(message) == []
