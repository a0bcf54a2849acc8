"""The sweep: answers whose worker is gone end in bounded time, and the waiting client is told."""

from __future__ import annotations

import time
import uuid

from memchat.frames import ErrorFrame, MessageStatus
from memchat.handlers import sweep as sweep_handler
from memchat.memory import Memory
from memchat.sweep import Sweeper

from .recorded import ALICE, CONNECTION

NOW = 1_800_000_000.0


def _pending(memory: Memory, *, grace_ms: int, at: float = NOW):
    return memory.store_user_message(ALICE, conversation_id=None, client_message_id=uuid.uuid4(), text="Hi",
                                     now_ms=int(at * 1000), connection_id=CONNECTION, start_grace_ms=grace_ms)


def test_an_answer_whose_worker_never_started_is_failed_and_its_client_told(memory, poster, gateway):
    turn = _pending(memory, grace_ms=1_000)
    outcome = Sweeper(memory=memory, poster=poster, clock=lambda: NOW + 2).run()

    assert [e.reply_id for e in outcome.ended] == [turn.reply_id]
    [frame] = gateway.frames(CONNECTION, ErrorFrame)
    assert (frame.code, frame.conversation_id, frame.message_id) == ("internal", turn.conversation_id, turn.reply_id)
    answer = memory.history(ALICE, turn.conversation_id, before=None, limit=5).items[-1]
    assert (answer.status, answer.error_code) == (MessageStatus.FAILED, "internal")


def test_a_streaming_answer_whose_worker_died_is_interrupted_with_its_partial_text(memory, poster, gateway):
    turn = _pending(memory, grace_ms=120_000)
    memory.claim_reply(ALICE, turn.conversation_id, turn.reply_id, owner="w", now_ms=int(NOW * 1000),
                       lease_ms=30_000)
    memory.renew_lease(ALICE, turn.conversation_id, turn.reply_id, owner="w", text="Once upon",
                       now_ms=int(NOW * 1000), lease_ms=30_000)

    assert Sweeper(memory=memory, poster=poster, clock=lambda: NOW + 29).run().ended == []  # still leased
    outcome = Sweeper(memory=memory, poster=poster, clock=lambda: NOW + 31).run()

    assert outcome.told == 1
    answer = memory.history(ALICE, turn.conversation_id, before=None, limit=5).items[-1]
    assert (answer.text, answer.status) == ("Once upon", MessageStatus.INTERRUPTED)
    assert "interrupted" in gateway.frames(CONNECTION, ErrorFrame)[0].message


def test_a_second_sweep_finds_nothing_and_tells_nobody_again(memory, poster, gateway):
    _pending(memory, grace_ms=1_000)
    Sweeper(memory=memory, poster=poster, clock=lambda: NOW + 2).run()
    again = Sweeper(memory=memory, poster=poster, clock=lambda: NOW + 3).run()
    assert again.ended == [] and len(gateway.frames(CONNECTION, ErrorFrame)) == 1


def test_a_client_gone_does_not_stop_the_sweep(memory, poster, gateway):
    gateway.disconnect(CONNECTION)
    _pending(memory, grace_ms=1_000)
    _pending(memory, grace_ms=1_000)
    outcome = Sweeper(memory=memory, poster=poster, clock=lambda: NOW + 2).run()
    assert (len(outcome.ended), outcome.told) == (2, 0)


def test_the_handler_reports_what_it_ended(memory, poster):
    _pending(memory, grace_ms=1_000, at=time.time() - 60)  # the handler's sweep reads the real clock
    assert sweep_handler.handle({}, Sweeper(memory=memory, poster=poster)) == {"ended": 1, "told": 1, "retried": 0}


def test_every_device_following_a_dead_workers_answer_is_told(memory, poster, gateway):
    turn = _pending(memory, grace_ms=120_000)
    memory.claim_reply(ALICE, turn.conversation_id, turn.reply_id, owner="w", now_ms=int(NOW * 1000),
                       lease_ms=30_000)
    memory.follow_reply(ALICE, turn.conversation_id, turn.reply_id, connection_id="TabletConn0AMCKdw=", seq=0)

    outcome = Sweeper(memory=memory, poster=poster, clock=lambda: NOW + 31).run()

    assert outcome.told == 2
    for connection_id in (CONNECTION, "TabletConn0AMCKdw="):
        (error,) = gateway.frames(connection_id, ErrorFrame)
        assert error.message_id == turn.reply_id


def test_a_streaming_answer_with_no_text_saved_yet_is_told_interrupted_not_unstarted(memory, poster, gateway):
    # Its worker died before its first renewal: the client may have shown deltas, so the answer did start.
    turn = _pending(memory, grace_ms=120_000)
    memory.claim_reply(ALICE, turn.conversation_id, turn.reply_id, owner="w", now_ms=int(NOW * 1000),
                       lease_ms=30_000)

    Sweeper(memory=memory, poster=poster, clock=lambda: NOW + 31).run()

    [frame] = gateway.frames(CONNECTION, ErrorFrame)
    assert "interrupted" in frame.message and "could not be started" not in frame.message
    answer = memory.history(ALICE, turn.conversation_id, before=None, limit=5).items[-1]
    assert (answer.status, answer.error_code) == (MessageStatus.FAILED, "internal")  # no text to keep


def test_history_says_why_the_sweep_ended_an_answer_as_its_client_was_told(memory, poster, gateway):
    turn = _pending(memory, grace_ms=1_000)
    Sweeper(memory=memory, poster=poster, clock=lambda: NOW + 2).run()

    [frame] = gateway.frames(CONNECTION, ErrorFrame)
    view = memory.history(ALICE, turn.conversation_id, before=None, limit=5).items[-1].view()
    assert view.error_message == frame.message == "The answer could not be started. Please try again."
