"""Language: words as their lemmas, and a doer's noun or a gerund as the verb it comes from."""

from __future__ import annotations

import pytest

from memchat.memory.language import bases, cue_set, is_word, lemma, lemmas, mended, near, root_set, roots, tokens


def test_tokens_are_casefolded_and_keep_their_apostrophes():
    assert tokens("I can\u2019t eat Shellfish, I'm sure.") == ["i", "can't", "eat", "shellfish", "i'm", "sure"]


@pytest.mark.parametrize(("word", "expected"), [("lived", "live"), ("taught", "teach"), ("grew", "grow"),
                                                ("children", "child"), ("teaches", "teach")])
def test_an_inflected_word_becomes_its_lemma_irregular_forms_included(word, expected):
    assert lemma(word) == expected


@pytest.mark.parametrize(("word", "verb"), [("teacher", "teach"), ("driver", "drive"), ("baker", "bake"),
                                            ("translator", "translate"), ("building", "build")])
def test_a_doers_noun_or_a_gerund_has_its_verb_among_its_roots(word, verb):
    assert verb in roots(word)


def test_a_word_with_no_verb_behind_it_is_only_itself():
    assert roots("carpenter") == frozenset({"carpenter"})


def test_the_root_set_of_a_text_holds_every_words_forms():
    assert {"drive", "driver", "bus"} <= root_set("I'm a bus driver")
    assert lemmas("She taught kids") == ["she", "teach", "kid"]


def test_a_name_the_dictionary_does_not_know_is_no_word():
    assert is_word("kettle") and not is_word("Aoife")


@pytest.mark.parametrize(("word", "other", "close"), [
    ("wrok", "work", True), ("lve", "live", True), ("remeber", "remember", True), ("favourtie", "favourite", True),
    ("work", "work", False), ("walk", "work", False), ("lives", "live", True), ("liver", "lived", True),
])
def test_near_is_one_slip_apart(word, other, close):
    assert near(word, other) is close


@pytest.mark.parametrize(("word", "base"), [
    ("relocation", "relocate"), ("obsession", "obsess"), ("enjoyment", "enjoy"), ("allergic", "allergy"),
    ("sensitivity", "sensitive"), ("happiness", "happy"), ("resident", "reside"), ("intolerance", "intolerant"),
])
def test_a_derived_word_is_read_with_the_word_it_comes_from(word, base):
    assert base in bases(word) and base in cue_set(f"the {word}")


def test_a_derived_word_has_no_base_the_dictionary_does_not_know():
    assert bases("nation") == frozenset() and bases("Aoife".casefold()) == frozenset()


@pytest.mark.parametrize(("word", "expected"), [
    ("trainin", "training"), ("learnin", "learning"),  # a gerund's g dropped as it is said
    ("writting", "writing"),  # a letter doubled
    ("berlin", "berlin"), ("within", "within"),  # a word or a name stays as it is
])
def test_a_slip_is_mended_only_into_a_word(word, expected):
    assert mended(word) == expected
    assert "train" in root_set("trainin for a marathon")


def test_a_prefix_set_off_by_a_hyphen_is_read_joined_to_its_verb():
    assert "redo" in root_set("Re-doing the attic") and "redo" in cue_set("re-doing the attic")
    assert "rek" not in root_set("re-k")
