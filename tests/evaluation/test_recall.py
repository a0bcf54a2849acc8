"""Recall by meaning: the question bank's split, the users the questions are asked by, the scorer, and the
recorded floor (`floors.py`) the share of questions whose memory reaches the prompt may not fall below.

A failure on the test half reports counts only, so nobody tunes recall on its questions by reading a failure."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from collections import Counter

import pytest

from evaluation.bank import SPLITS, SUBJECTS, examples
from evaluation.recall import MEMORIES, NOW_MS, Question, evaluate, facts, holding, questions
from memchat.memory.memories import SINGLE_VALUED, Subject, memory_id_for

from .floors import RECALL_FLOORS


def _plain(text: str) -> str:
    """A question as words only: casefolded, without punctuation, slots or a "[slot]" head."""
    return " ".join(re.findall(r"[a-z']+", re.sub(r"\{\w+\}|^\[[\w|]+\]", " ", text.casefold())))


@pytest.fixture(scope="module")
def scores():
    return {split: evaluate(split) for split in SPLITS}


# ------------------------------------------------------------------ the question bank's split


def test_no_question_is_in_both_halves():
    dev, test = ({_plain(q.text) for q in questions(split)} for split in SPLITS)
    shared = len(dev & test)  # a count only: a failure never prints the test half's words
    assert shared == 0, f"{shared} dev questions are word for word in the test half"


def test_every_subject_has_at_least_12_distinct_questions_in_each_half():
    for split in SPLITS:
        counts = Counter(q.subject for q in {(_plain(q.text), q.subject): q for q in questions(split)}.values())
        assert all(counts[subject] >= 12 for subject in SUBJECTS), (split, counts)


def test_most_questions_name_no_slot_of_the_fact():
    for split in SPLITS:
        asked = questions(split)
        for subject in SUBJECTS:
            own = [q for q in asked if q.subject == subject]
            assert sum(bool(q.echoes) for q in own) <= len(own) // 4, (split, subject)


def test_every_question_fits_facts_of_its_own_half():
    for split in SPLITS:
        pool = facts(split)
        for question in questions(split):
            assert sum(question.fits(f) for f in pool) >= 3, (split, question.subject) if split == "test" else question


def test_reading_the_dev_questions_never_imports_the_test_half():
    code = ("import sys; from evaluation.recall import questions, facts; questions('dev'); facts('dev'); "
            "assert not {'evaluation.bank.questions_test_half', 'evaluation.bank.test_half'} & set(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_an_unknown_split_is_refused():
    with pytest.raises(ValueError, match="no such split"):
        questions("train")  # type: ignore[arg-type]


# ------------------------------------------------------------------ facts, questions and users


def test_the_facts_are_the_phrasing_banks_golds_with_their_slots():
    for split in SPLITS:
        # One fact per memory consolidation would save (the same words learnt twice are one memory).
        golds = {memory_id_for(Subject(g.subject), g.value) for e in examples(split) for g in e.golds}
        pool = facts(split)
        assert [f.memory_id for f in pool] == list(dict.fromkeys(f.memory_id for f in pool))
        assert {f.memory_id for f in pool} == golds
        # Every slot word kept is in the value: a question naming it names this fact.
        assert all(re.search(re.escape(w), f.value, re.I) for f in pool for w in f.slots.values())


def test_a_question_naming_a_slot_is_asked_with_the_facts_words_and_only_of_facts_holding_it():
    pool = facts("dev")
    question = Question.parse("note", "What's my {thing}?")
    note = next(f for f in pool if question.fits(f))
    assert question.asked_of(note) == f"What's my {note.slots['thing']}?"
    assert not question.fits(next(f for f in pool if f.subject == "preference"))
    kids = Question.parse("family", "[kid] What are my kids called?")
    assert kids.text == "What are my kids called?" and kids.echoes == ()
    assert all("kid" in f.slots for f in pool if kids.fits(f))
    assert any(f.subject == "family" and not kids.fits(f) for f in pool)


def test_a_user_holds_the_asked_memory_among_100_as_the_answer_path_reads_them():
    pool = facts("dev")
    rng = random.Random(7)
    for asked in rng.sample(pool, 40):
        memories = holding(asked, pool, rng)
        assert len(memories) == MEMORIES == len({m.memory_id for m in memories})
        assert asked.memory_id in {m.memory_id for m in memories}
        subjects = Counter(m.subject.value for m in memories)
        assert all(subjects[s.value] == 1 for s in SINGLE_VALUED)  # a person has one home
        assert [m.updated_ms for m in memories] == sorted((m.updated_ms for m in memories), reverse=True)
        assert all(m.created_ms <= m.updated_ms <= NOW_MS for m in memories)
        # No other memory of the asked subject shares its slot words: the question points at one.
        siblings = [m for m in memories if m.subject.value == asked.subject and m.memory_id != asked.memory_id]
        assert not any(w.casefold() in m.value.casefold() for m in siblings for w in asked.slots.values())


def test_users_of_a_subject_with_several_values_sometimes_hold_several():
    pool = facts("dev")
    rng = random.Random(3)
    notes = [f for f in pool if f.subject == "note"]
    held = [sum(m.subject.value == "note" for m in holding(rng.choice(notes), pool, rng)) for _ in range(30)]
    assert max(held) > 1


# ------------------------------------------------------------------ the scorer


def test_a_question_counts_only_when_its_memory_is_chosen():
    perfect = evaluate("dev", per_question=1, choose=lambda memories, text, settings: [m.memory_id for m in memories])
    nothing = evaluate("dev", per_question=1, choose=lambda memories, text, settings: [])
    assert perfect.rate == 1.0 and nothing.rate == 0.0
    assert sum(nothing.asked.values()) == len(questions("dev")) == len(nothing.misses)


def test_the_evaluation_is_the_same_on_every_run():
    # Separate processes with different hash seeds: no set's order may reach the users or the questions.
    code = ("from evaluation.recall import evaluate; s = evaluate('dev', per_question=1); "
            "print(sorted(s.answered.items()), s.fitted, s.misses)")
    runs = {subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(runs) == 1


def test_the_recall_budget_holds_fewer_than_a_users_memories(scores):
    # If all 100 fitted, every question would be answered whatever recall did: the measure would be empty.
    for score in scores.values():
        assert max(score.fitted) < MEMORIES and sum(score.held) == MEMORIES * len(score.held)


# ------------------------------------------------------------------ the floor


@pytest.mark.parametrize("split", SPLITS)
def test_the_asked_memory_reaches_the_prompt_at_least_as_often_as_recorded(scores, split):
    # Plain numbers in the assertion: pytest would print the score's misses, the test half's included.
    rate: float = scores[split].rate
    answered, asked = sum(scores[split].answered.values()), sum(scores[split].asked.values())
    detail = "" if split == "test" else "\n".join(scores[split].misses)
    assert rate >= RECALL_FLOORS[f"recall by meaning, {split}"], f"{answered}/{asked}\n{detail}"


# ------------------------------------------------------------------ the time (printed by make eval, never asserted)


def test_the_time_is_measured_side_by_side_and_only_printed():
    from evaluation import recall_time

    timing = recall_time.measure(repetitions=6)
    assert len(timing.on) == len(timing.off) == 6
    assert all(f.timed or f.passed is None for f in recall_time.figures(timing))
