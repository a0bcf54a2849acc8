"""Recall of past exchanges on the seeded set of evaluation/exchanges/, held to the issue's floors on both halves:
the right exchange in the prompt for at least 90% of the messages that refer to one, any exchange for fewer
than 5% of those that refer to none (the dev half was tuned on; the held-out half never was)."""

from __future__ import annotations

import pytest

from evaluation.exchanges import POOL, dev, held_out
from memchat.recollection import recollect
from memchat.search.references import refers_to_past

from ..recorded import ALICE


@pytest.fixture
def seeded(exchange, indexed):
    asked = {}
    for key, (question, answer) in POOL.items():
        turn = exchange(ALICE, question, answer)
        asked[key] = (turn.conversation_id, turn.message_id)
    indexed()
    return asked


@pytest.mark.parametrize("half", [dev.PROBES, held_out.PROBES], ids=["dev", "held-out"])
def test_the_right_exchange_is_recalled_for_references_and_none_for_other_messages(memory, settings, pool, finder,
                                                                                 seeded, half):
    right = wrong = 0
    references = [probe for probe in half if probe.means]
    others = [probe for probe in half if not probe.means]
    for probe in half:
        recalled = recollect(memory, settings, pool, user_id=ALICE, conversation_id=None, before="f" * 24,
                             text=probe.text, finder=finder)
        found = [(e.conversation_id, e.message_id) for e in recalled.exchanges]
        if probe.means:
            right += seeded[probe.means] in found
        else:
            wrong += bool(found)
    assert right / len(references) >= 0.9
    assert wrong / len(others) < 0.05


def test_the_halves_share_no_message():
    assert not {p.text for p in dev.PROBES} & {p.text for p in held_out.PROBES}
    assert all(p.means is None or p.means in POOL for p in (*dev.PROBES, *held_out.PROBES))


def test_the_rules_read_the_dev_half_whole():
    assert [p.text for p in dev.PROBES if refers_to_past(p.text) != bool(p.means)] == []
