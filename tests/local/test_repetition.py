"""The repetition figures' counting: a paragraph or sentence that says word for word what an earlier one said."""

from __future__ import annotations

from memchat_local.repetition import Answer

LOOP = "I can help you plan your meals for the week.\n"


def test_a_paragraph_written_seven_times_counts_six_repeats():
    assert Answer("Sure!\n\n" + LOOP * 7, "length", 384).repeated_paragraphs == 6


def test_repeats_ignore_case_and_spacing():
    assert Answer("The sky is blue today.\n  the SKY is blue   today.", "stop", 12).repeated_paragraphs == 1


def test_a_repeated_sentence_inside_one_paragraph_is_counted():
    answer = Answer("Cats love naps in the sun. They purr. Cats love naps in the sun.", "stop", 16)
    assert (answer.repeated_paragraphs, answer.repeated_sentences) == (0, 1)


def test_short_repeats_such_as_a_yes_are_no_loop():
    assert Answer("Yes.\nYes.\nNo.", "stop", 6).repeated_sentences == 0
