"""Diet (memory/phrasings/diet.py): what the user eats and cannot, in the phrasings round seventeen reads."""

from __future__ import annotations

import pytest

from memchat.memory.memories import Proposal, Subject
from memchat.memory.phrasings import floor

D = Subject.DIET


def _diets(message: str) -> list[Proposal]:
    return [p for p in floor(message) if p.subject is D]


# A request for food, then after its comma the rule the food must keep: the request is no statement, but its last
# clause is the user's own.
@pytest.mark.parametrize(("message", "fact"), [
    ("Could you suggest a curry for tonight, I'm allergic to peanuts", "allergic to peanuts"),
    ("Give me some breakfast ideas please, absolutely no eggs for me", "no eggs"),
    ("looking for a burger recipe, only kosher meat for me", "kosher"),
    ("can you plan a week of dinners for me, I'm coeliac", "coeliac"),
])
def test_the_rule_a_requested_dish_must_keep_is_read_after_the_request(message, fact):
    assert Proposal(D, fact) in _diets(message)


@pytest.mark.parametrize("message", [
    "Could you suggest a curry for tonight, my son's allergic to peanuts",
    "Can you write a story about a chef, she's vegan",
    "Give me some breakfast ideas please, I'm not vegan",
    "Can you suggest a dinner for my guests, they're vegetarian",
    "Could you suggest a curry for tonight, if I were vegan what would change",
])
def test_a_request_for_food_followed_by_someone_elses_rule_teaches_no_diet(message):
    assert _diets(message) == []


# A diet named, then what it rules out given as its consequence: the one diet, the whole of it (diet is one value
# per user, and the consequence alone would replace the diet it follows).
@pytest.mark.parametrize(("message", "fact"), [
    ("Halal, so pork is off the menu for me", "Halal, no pork"),
    ("I'm doing paleo these days so grains are a no-go", "paleo, no grains"),
    ("gluten intolerant, which means pasta is a no", "gluten intolerant, no pasta"),
])
def test_a_refusal_that_follows_from_a_named_diet_is_kept_with_it(message, fact):
    assert _diets(message)[-1] == Proposal(D, fact)


@pytest.mark.parametrize("message", [
    "I'm not halal, so pork is fine",
    "My sister's vegan, so meat is a no at hers",
    "vegan, so no meat at all",  # the meat-free diet says it already
])
def test_a_consequence_of_a_diet_not_the_users_adds_nothing(message):
    assert all("," not in p.value for p in _diets(message))


# Doing or keeping a diet, said by its verb: "keeping kosher", "doing keto", "following a halal diet".
@pytest.mark.parametrize(("message", "fact"), [
    ("Keeping halal makes the work canteen tricky", "halal"),
    ("Doing low-carb at the moment, any snack ideas?", "low-carb"),
    ("I'm sticking to paleo for now", "paleo"),
])
def test_a_diet_kept_or_done_by_its_verb_is_the_users(message, fact):
    assert Proposal(D, fact) in _diets(message)


@pytest.mark.parametrize("message", [
    "I'm doing vegan baking for the school fair",
    "Doing a keto cookbook review for work",
    "keeping vegan recipes in a folder",
])
def test_a_diets_word_that_describes_what_is_done_teaches_no_diet(message):
    assert _diets(message) == []


# Someone whose word is the user's rule: a doctor's order to cut a food out, a diet a doctor put the user on.
@pytest.mark.parametrize(("message", "fact"), [
    ("My GP told me to give up salt, what do I season chips with?", "no salt"),
    ("The dietitian has told me to avoid dairy", "no dairy"),
    ("my consultant put me on low FODMAP after the scans", "low FODMAP"),
])
def test_a_doctors_order_is_the_users_rule(message, fact):
    assert Proposal(D, fact) in _diets(message)


@pytest.mark.parametrize("message", [
    "My GP told me to give up salt for a week before the test",
    "If my doctor told me to give up cheese I'd cry",
    "My doctor never told me to avoid dairy",
    "My GP told my dad to give up salt",
    "Did the doctor tell me to avoid dairy?",
    "my doctor told me to avoid dairy but I ignore her",
    "the vet put my dog on a low-fat diet",
])
def test_an_order_not_given_the_user_or_not_kept_teaches_no_diet(message):
    assert _diets(message) == []


# What a food does to the body, said as the reason it is never eaten: a reaction, a throat that closes, a food that
# would kill the user where an allergy is named.
@pytest.mark.parametrize(("message", "fact"), [
    ("Coffee gives me palpitations", "no Coffee"),
    ("my lips swell up with kiwi", "no kiwi"),
    ("sesame could kill me, anaphylactic", "no sesame"),
])
def test_what_a_food_does_to_the_body_is_a_refusal(message, fact):
    assert Proposal(D, fact) in _diets(message)


@pytest.mark.parametrize("message", [
    "this commute would literally kill me",
    "Mondays will kill me lol",
    "cycling gives me windburn",
    "work gives me palpitations",
    "My doctor told me to cut out sugar?",
    "my throat closes up when I sing high notes",
])
def test_a_harm_that_is_no_food_teaches_no_diet(message):
    assert _diets(message) == []


@pytest.mark.parametrize("message", [
    "I need a cake recipe, halal for my guests",
    "Can you suggest a buffet menu, vegetarian for the whole team",
])
def test_the_rule_of_those_a_requested_dish_is_for_teaches_no_diet(message):
    assert _diets(message) == []


@pytest.mark.parametrize("message", ["Keto is a fad.", "Vegan cheese is disgusting.",
                                     "Vegetarian options are rubbish here"])
def test_a_diets_word_that_opens_a_clause_about_something_else_is_no_diet_of_the_users(message):
    assert [p for p in floor(message) if p.subject is Subject.DIET] == []


@pytest.mark.parametrize("message", ["Vegan since 2019.", "Vegan btw", "vegetarian life, two years in"])
def test_a_diets_word_that_opens_a_fragment_about_the_user_is_their_diet(message):
    assert [p.subject for p in floor(message)] == [Subject.DIET]


# Round nineteen: "can't handle", "can't stomach", "can't tolerate" take what is never eaten as often as a food; a
# phrase whose head (its last word) is never eaten is no food however it is described.
@pytest.mark.parametrize(("message", "fact"), [
    ("I can't handle garlic at all", "no garlic"),
    ("cant stomach red meat anymore", "no red meat"),
])
def test_a_food_one_cannot_handle_is_still_refused(message, fact):
    assert _diets(message) == [Proposal(D, fact)]


@pytest.mark.parametrize("message", [
    "i cant handle early mornings, any tips",  # was "no early"
    "I can't stomach scary movies, what should we watch",
    "cant tolerate loud noise at night so need earplugs",
])
def test_what_one_cannot_handle_that_is_never_eaten_teaches_no_diet(message):
    assert _diets(message) == []


# Round nineteen: after "and", a determiner or a pronoun opens a clause of its own, never the next food of a list.
@pytest.mark.parametrize(("message", "facts"), [
    ("I'm allergic to sesame and the menu is full of it", ["allergic to sesame"]),  # was also "allergic to menu"
    ("allergic to kiwi and my mouth goes itchy", ["allergic to kiwi"]),
    ("i'm allergic to shellfish and my kids love prawns", ["allergic to shellfish"]),
    ("I'm allergic to peanuts and tree nuts", ["allergic to peanuts", "allergic to tree nuts"]),
])
def test_a_clause_after_and_is_no_food_of_the_list(message, facts):
    assert [p.value for p in _diets(message)] == facts


# Round nineteen: a diet named by its kind ("a <kind> diet"), a kind of fasting, or a "low-" one.
@pytest.mark.parametrize(("message", "fact"), [
    ("we keep to a Mediterranean diet mostly, any fish ideas?", "Mediterranean diet"),
    ("been doing alternate-day fasting since spring", "alternate-day fasting"),
    ("I'm on low-histamine at the moment so no aged cheese", "low-histamine"),
])
def test_a_diet_named_by_its_kind_is_read(message, fact):
    assert Proposal(D, fact) in _diets(message)


@pytest.mark.parametrize("message", [
    "I'm on a strict diet, help",  # no kind of diet
    "my wife is on a low-carb diet",  # someone else's
    "I'm not on a paleo diet",  # denied
    "thinking of doing intermittent fasting",  # not yet
    "phone is on low-battery again",
])
def test_a_diet_of_no_kind_or_not_the_users_teaches_no_diet(message):
    assert _diets(message) == []


# Round twenty-one, as typed in haste or by those who learnt English later: a refusal with its "do" left off ("I no
# drink beer"), an allergy with its article left off after "have", how far into a diet one is ("week 3 on paleo"), a
# diet with no verb told how lately ("strictly vegetarian since 2019", "paleo diet now").
@pytest.mark.parametrize(("message", "fact"), [
    ("we no eat beef in this family, give me lasagna with lamb?", "no beef"),
    ("I not drinking coffee, only tea, what is good herbal one?", "no coffee"),
    ("btw i have peanut allergy so careful pls", "peanut allergy"),
    ("week 3 on paleo and craving pasta so bad", "paleo"),
    ("mostly pescatarian these days, need fish dinners", "pescatarian"),
    ("paleo diet now so no grains, breakfast ideas?", "paleo diet"),
])
def test_a_diet_said_in_haste_or_without_do_or_article_is_read(message, fact):
    assert Proposal(D, fact) in _diets(message)


@pytest.mark.parametrize("message", [
    "keto diet lately everywhere on tiktok, is it safe?",  # said of the diet, not the user
    "keto diet now, is it worth it?",  # asked
    "paleo diet for weeks? my doctor would laugh",
    "I not sure if I eat pork tonight",  # no refusal
    "my son have peanut allergy, is satay safe?",  # someone else's
    "day 3 of the conference and I'm exhausted",
])
def test_a_diet_asked_about_or_someone_elses_teaches_no_diet(message):
    assert _diets(message) == []


@pytest.mark.parametrize(("message", "fact"), [
    ("I no can eat gluten, my stomach hurts after", "no gluten"),
])
def test_a_refusal_with_can_after_its_no_is_read(message, fact):
    assert Proposal(D, fact) in _diets(message)


# "allergic" with another language's preposition: "I am allergic for shrimps" is "no shrimps" (never "allergic to",
# words the user did not write), never a time ("allergic for years").
@pytest.mark.parametrize(("message", "fact"), [
    ("I am allergic for shrimps, what can I order", "no shrimps"),
    ("my boy ok but I am allergic on strawberry", "no strawberry"),
])
def test_allergic_with_another_prepositions_food_is_refused(message, fact):
    assert Proposal(D, fact) in _diets(message)


def test_allergic_for_a_time_refuses_no_food():
    assert _diets("I am allergic for years, doctors don't know to what") == []


@pytest.mark.parametrize("message", [
    "I not eat after 9pm, is good for sleep?",  # when, never what
    "I don't eat before noon most days",
    "we no eat out much, too expensive",
])
def test_when_or_where_one_does_not_eat_refuses_no_food(message):
    assert _diets(message) == []


# Round twenty: the styles of older, formal writers and of teenagers texting (all lower case).
@pytest.mark.parametrize(("message", "fact"), [
    # a diet held as one's standing, in an opening apposition to "I"
    ("Being a strict pescatarian, I find most set menus rather limited.", "pescatarian"),
    ("as a lifelong vegan i never know what to bring to barbecues", "vegan"),
    # a fact before the wish that ends its sentence
    ("I keep kosher and would be grateful for a dessert that uses no butter.", "kosher"),
    ("I am vegetarian, so I would welcome suggestions for a Christmas centrepiece.", "vegetarian"),
    # an allergy with no food, or a pronoun for it, and the food the sentence asks to be left out
    ("could you leave out the sesame, i'm super allergic", "no sesame"),
    ("Please omit walnuts from the loaf; I am allergic to them.", "no walnuts"),
    # "no X for me" after the clause that gives its reason
    ("we keep halal so no pork for me thanks", "no pork"),
    # a food that makes a part of the body react
    ("prawns make my lips swell up so seafood platters are out", "no prawns"),
    # the user and the food at odds, the user named first, or as enemies
    ("me and dairy don't get along, what milk should i try", "no dairy"),
    ("gluten and i are sworn enemies btw", "no gluten"),
    # the food equated with death
    ("peanuts = instant death for me so check the label", "no peanuts"),
    # a self-introduction by the diet, whatever is asked after it
    ("veggie student here, is that quorn stuff any good", "veggie"),
    # what the user does eat after a refusal, one diet
    ("I don't eat pork but I do eat chicken, what goes with rice?", "no pork but chicken"),
    # an intolerance is no allergy
    ("dairy intolerance makes pizza night hard", "dairy intolerance"),
])
def test_a_diet_in_the_formal_and_the_texting_styles(message, fact):
    assert Proposal(D, fact) in _diets(message)


@pytest.mark.parametrize("message", [
    # an apposition with a noun after the diet's word, or with a past "I"
    "As a vegan baker, I get asked about egg replacers a lot",
    "As a vegetarian I was always hungry at school",
    "In the story, as a vegan I refuse the feast",
    # a wish about a diet, or a diet supposed
    "If I were vegetarian, I would like more recipes",
    # an allergy that is someone else's, or denied, or with nothing left out
    "make the cake without nuts, my son is allergic",
    "no need to leave out the nuts, i'm not allergic",
    "i'm allergic lol",
    # a refusal for what one is doing
    "driving tonight so no wine for me",
    "doing a sober january so no beer for me",
    # what the body does that is not a food's
    "the cold makes my lips go blue",
    "me and my sister are enemies",
    # a self-introduction that is no diet's
    "vegan food here is amazing",
])
def test_a_round_twenty_lookalike_teaches_no_diet(message):
    assert _diets(message) == []
