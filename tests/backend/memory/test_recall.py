"""Recall: the memories most relevant to the new message go into the prompt, never past the budget."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from memchat.memory.memories import Subject
from memchat.memory.recall import bm25_scores, select, terms, words

from .conftest import T0, saved

HOME = saved(Subject.HOME, "Lisbon", updated_ms=T0)
DIET = saved(Subject.DIET, "vegetarian", updated_ms=T0 + 1)
PET = saved(Subject.FAMILY, "a cat called Miso", updated_ms=T0 + 2)
JOB = saved(Subject.WORK, "nurse at the city hospital", updated_ms=T0 + 3)
ALL = [HOME, DIET, PET, JOB]


def test_words_are_lower_cased_with_plurals_folded():
    assert words("Cats and DOGS") == ["cat", "and", "dog"]


def test_short_words_and_double_s_endings_are_not_folded():
    assert words("bus glass gas") == ["bus", "glass", "gas"]


def test_terms_leave_out_stopwords():
    assert terms("Where do I live?") == ["live"]


def test_a_document_with_the_query_term_scores_above_one_without():
    with_term, without = bm25_scores("vegetarian food", ["I am vegetarian", "I live in Lisbon"])
    assert with_term > without == 0.0


def test_a_rarer_term_weighs_more_than_a_common_one():
    docs = ["jazz music", "rock music", "pop music", "jazz club"]
    scores = bm25_scores("music club", docs)
    assert scores[3] > scores[0]


def test_no_documents_have_no_scores():
    assert bm25_scores("anything", []) == []


def test_when_every_memory_fits_every_memory_goes_in():
    chosen = select(ALL, "hello there", budget=sum(m.tokens for m in ALL))
    assert {m.memory_id for m in chosen} == {m.memory_id for m in ALL}


def test_a_question_finds_its_memory_by_the_subjects_everyday_words():
    chosen = select(ALL, "Where do I live?", budget=HOME.tokens)
    assert chosen == [HOME]


def test_a_question_in_other_words_than_the_memory_finds_it_by_lemma_and_root():
    teacher = saved(Subject.WORK, "maths teacher", updated_ms=T0)
    kids = saved(Subject.FAMILY, "kids Ana", updated_ms=T0)
    others = [saved(Subject.PREFERENCE, f"hobby number {n}", updated_ms=T0 + 10 + n) for n in range(20)]
    assert select([teacher, *others], "What do I teach these days?", budget=teacher.tokens) == [teacher]
    assert select([kids, *others], "How old is my kid?", budget=kids.tokens) == [kids]


def test_a_question_word_names_its_subject():
    newer = [saved(Subject.PREFERENCE, f"board game {n}", updated_ms=T0 + 10 + n) for n in range(20)]
    assert select([HOME, *newer], "Where am I these days?", budget=HOME.tokens) == [HOME]


def test_the_most_relevant_memory_comes_first():
    chosen = select(ALL, "What should I eat tonight?", budget=10_000)
    assert chosen[0] == DIET


def test_memories_the_message_does_not_name_go_profile_first_then_newest_first():
    chosen = select(ALL, "hello", budget=10_000)
    assert chosen == [JOB, DIET, HOME, PET]


def test_the_profile_is_in_reach_of_a_request_that_names_none_of_it():
    allergy = saved(Subject.DIET, "allergic to gluten", updated_ms=T0)
    job = saved(Subject.WORK, "sonographer", updated_ms=T0 + 1)
    likes = [saved(Subject.PREFERENCE, f"board game {n}", updated_ms=T0 + 10 + n) for n in range(30)]
    budget = allergy.tokens + job.tokens + likes[0].tokens
    chosen = select([allergy, job, *likes], "Is this cake okay for me?", budget=budget)
    assert allergy in chosen and job in chosen


def test_a_memory_the_message_names_comes_before_the_profile():
    cat = saved(Subject.FAMILY, "a cat called Miso", updated_ms=T0)
    assert select([HOME, DIET, JOB, cat], "Is my cat okay?", budget=cat.tokens) == [cat]


def test_the_rest_is_a_spread_the_newest_of_each_subject_before_the_second_newest_of_any():
    project = saved(Subject.PROJECT, "a memoir", updated_ms=T0)
    older = saved(Subject.PROJECT, "a triathlon", updated_ms=T0 - 1)
    likes = [saved(Subject.PREFERENCE, f"board game {n}", updated_ms=T0 + 10 + n) for n in range(50)]
    chosen = select([older, project, *likes], "What's my side gig?", budget=project.tokens + likes[-1].tokens)
    assert chosen == [likes[-1], project], "the newest project is in reach though fifty likes are newer"
    assert select([older, project, *likes], "What's my side gig?", budget=10_000)[:4] == [
        likes[-1], project, likes[-2], older]


def test_a_memory_the_message_asks_to_forget_is_left_out():
    chosen = select(ALL, "forget where I live", budget=10_000, exclude=frozenset({HOME.memory_id}))
    assert HOME not in chosen and len(chosen) == 3


def test_a_budget_smaller_than_any_memory_chooses_none():
    assert select(ALL, "Where do I live?", budget=min(m.tokens for m in ALL) - 1) == []


_values = st.text(alphabet=st.sampled_from("abcdefg hijk"), min_size=1, max_size=60)


@given(memories=st.lists(st.tuples(st.sampled_from(list(Subject)), _values), max_size=20),
       message=_values, budget=st.integers(min_value=0, max_value=400))
def test_the_chosen_memories_never_exceed_the_budget(memories, message, budget):
    pool = [saved(subject, value, updated_ms=T0 + i) for i, (subject, value) in enumerate(memories)]
    chosen = select(pool, message, budget=budget)

    assert sum(m.tokens for m in chosen) <= budget
    assert len({id(m) for m in chosen}) == len(chosen)


def test_a_trait_kept_as_a_note_is_found_by_how_people_ask_about_it():
    languages = saved(Subject.NOTE, "I speak Yoruba and English", updated_ms=T0)
    condition = saved(Subject.NOTE, "I have asthma", updated_ms=T0)
    others = [saved(Subject.PREFERENCE, f"board game {n}", updated_ms=T0 + 10 + n) for n in range(20)]
    assert select([languages, *others], "Which languages am I fluent in?", budget=languages.tokens) == [languages]
    assert select([condition, *others], "Any health condition I should mention to the gym?",
                  budget=condition.tokens) == [condition]
