"""Leases on answers in flight: claimed once, taken over only when stale, renewed with the text so far,
and found and ended by the sweep once they run out."""

from __future__ import annotations

import uuid
from functools import partial

from memchat.frames import FinishReason, MessageStatus
from memchat.memory import Memory
from memchat.memory.leases import MAX_FOLLOWERS, inflight_shard
from memchat.tables import INFLIGHT_SHARDS

from ..recorded import ALICE, BOB, CONNECTION

NOW = 1_800_000_000_000
LEASE = 30_000


def _turn(memory: Memory, *, grace_ms: int = 120_000):
    return memory.store_user_message(ALICE, conversation_id=None, client_message_id=uuid.uuid4(), text="Hi",
                                     now_ms=NOW, connection_id=CONNECTION, start_grace_ms=grace_ms)


def _answer(memory: Memory, turn) -> dict:
    item = memory._client.get_item(TableName=memory.table_name, Key={
        "pk": {"S": f"U#{ALICE}#C#{turn.conversation_id}"}, "sk": {"S": f"M#{turn.reply_id}"}})["Item"]
    return {key: next(iter(value.values())) for key, value in item.items()}


def _stale(memory: Memory, now_ms: int) -> list[dict]:
    return [item for shard in range(INFLIGHT_SHARDS) for item in memory.stale_answers(shard, now_ms=now_ms)]


def test_a_placeholder_is_stored_with_a_lease_for_its_worker_to_start(memory):
    turn = _turn(memory, grace_ms=120_000)
    answer = _answer(memory, turn)
    assert answer["leaseUntil"] == str(NOW + 120_000)
    assert answer["inflightShard"] == inflight_shard(turn.reply_id)
    assert answer["connectionId"] == CONNECTION


def test_a_pending_answer_is_claimed_once(memory):
    turn = _turn(memory)
    assert memory.claim_reply(ALICE, turn.conversation_id, turn.reply_id, owner="a", now_ms=NOW, lease_ms=LEASE)
    assert not memory.claim_reply(ALICE, turn.conversation_id, turn.reply_id, owner="b", now_ms=NOW + 1,
                                  lease_ms=LEASE)


def test_a_stale_lease_is_taken_over_and_the_answer_starts_afresh(memory):
    turn = _turn(memory)
    memory.claim_reply(ALICE, turn.conversation_id, turn.reply_id, owner="a", now_ms=NOW, lease_ms=LEASE)
    assert memory.renew_lease(ALICE, turn.conversation_id, turn.reply_id, owner="a", text="Half an",
                              now_ms=NOW + 1000, lease_ms=LEASE)

    assert memory.claim_reply(ALICE, turn.conversation_id, turn.reply_id, owner="b", now_ms=NOW + 1000 + LEASE + 1,
                              lease_ms=LEASE)
    answer = _answer(memory, turn)
    assert (answer["owner"], answer["text"], answer["status"]) == ("b", "", "streaming")
    # The first worker's next renewal fails: it has lost the answer and must stop.
    assert not memory.renew_lease(ALICE, turn.conversation_id, turn.reply_id, owner="a", text="Half an answer",
                                  now_ms=NOW + LEASE + 2000, lease_ms=LEASE)


def test_a_renewal_saves_the_text_so_far(memory):
    turn = _turn(memory)
    memory.claim_reply(ALICE, turn.conversation_id, turn.reply_id, owner="a", now_ms=NOW, lease_ms=LEASE)
    memory.renew_lease(ALICE, turn.conversation_id, turn.reply_id, owner="a", text="Once upon", now_ms=NOW + 5000,
                       lease_ms=LEASE)
    history = memory.history(ALICE, turn.conversation_id, before=None, limit=10).items
    assert (history[-1].text, history[-1].status) == ("Once upon", MessageStatus.STREAMING)


def test_only_answers_whose_lease_ran_out_are_stale(memory):
    fresh, old = _turn(memory, grace_ms=60_000), _turn(memory, grace_ms=1_000)
    stale = _stale(memory, NOW + 2_000)
    assert [item["sk"] for item in stale] == [f"M#{old.reply_id}"]
    assert fresh.reply_id not in str(stale)


def test_ending_a_stale_answer_marks_it_by_whether_it_has_text_and_leaves_the_index(memory):
    silent, partial = _turn(memory, grace_ms=1_000), _turn(memory)
    memory.claim_reply(ALICE, partial.conversation_id, partial.reply_id, owner="a", now_ms=NOW, lease_ms=1_000)
    memory.renew_lease(ALICE, partial.conversation_id, partial.reply_id, owner="a", text="Once", now_ms=NOW,
                       lease_ms=1_000)

    ended = {e.reply_id: e for e in (memory.end_stale(item, now_ms=NOW + 5_000, error_code="internal")
                                     for item in _stale(memory, NOW + 5_000))}

    assert ended[silent.reply_id].status is MessageStatus.FAILED
    assert ended[partial.reply_id].status is MessageStatus.INTERRUPTED
    assert ended[partial.reply_id].connections == (CONNECTION,)
    assert _stale(memory, NOW + 10_000) == []
    assert "leaseUntil" not in _answer(memory, partial)


def test_an_answer_renewed_after_the_sweep_read_it_is_not_ended(memory):
    turn = _turn(memory)
    memory.claim_reply(ALICE, turn.conversation_id, turn.reply_id, owner="a", now_ms=NOW, lease_ms=1_000)
    [item] = _stale(memory, NOW + 2_000)
    memory.renew_lease(ALICE, turn.conversation_id, turn.reply_id, owner="a", text="still here",
                       now_ms=NOW + 2_000, lease_ms=LEASE)
    assert memory.end_stale(item, now_ms=NOW + 2_000, error_code="internal") is None


def test_finishing_an_answer_takes_it_out_of_the_index(memory):
    turn = _turn(memory, grace_ms=1_000)
    memory.claim_reply(ALICE, turn.conversation_id, turn.reply_id, owner="a", now_ms=NOW, lease_ms=1_000)
    memory.finish_reply(ALICE, turn.conversation_id, turn.reply_id, text="Done.", status=MessageStatus.COMPLETE,
                        tokens=3)
    assert _stale(memory, NOW + 60_000) == []


def test_an_answer_that_failed_without_text_can_be_reopened_once(memory):
    turn = _turn(memory)
    memory.abandon_reply(ALICE, turn.conversation_id, turn.reply_id, error_code="internal")
    assert memory.reopen_reply(ALICE, turn.conversation_id, turn.reply_id, now_ms=NOW, start_grace_ms=1_000)
    assert memory.reply_status(ALICE, turn.conversation_id, turn.reply_id) is MessageStatus.PENDING
    assert "errorCode" not in _answer(memory, turn)
    assert not memory.reopen_reply(ALICE, turn.conversation_id, turn.reply_id, now_ms=NOW, start_grace_ms=1_000)


def test_an_answer_that_failed_with_text_is_not_reopened(memory):
    turn = _turn(memory)
    memory.claim_reply(ALICE, turn.conversation_id, turn.reply_id, owner="a", now_ms=NOW, lease_ms=LEASE)
    memory.finish_reply(ALICE, turn.conversation_id, turn.reply_id, text="Half", status=MessageStatus.FAILED,
                        tokens=2, error_code="model_error")
    assert not memory.reopen_reply(ALICE, turn.conversation_id, turn.reply_id, now_ms=NOW, start_grace_ms=1_000)


def test_a_stale_answer_names_every_connection_that_resumed_it(memory):
    turn = _turn(memory)
    memory.claim_reply(ALICE, turn.conversation_id, turn.reply_id, owner="a", now_ms=NOW, lease_ms=1_000)
    assert memory.follow_reply(ALICE, turn.conversation_id, turn.reply_id, connection_id="phone=", seq=3)
    assert memory.follow_reply(ALICE, turn.conversation_id, turn.reply_id, connection_id=CONNECTION, seq=0)

    [ended] = [memory.end_stale(item, now_ms=NOW + 5_000, error_code="internal")
               for item in _stale(memory, NOW + 5_000)]

    assert ended is not None and ended.connections == (CONNECTION, "phone=")  # each told once
    assert "followers" not in _answer(memory, turn)


def test_only_an_answer_in_flight_can_be_followed_and_by_a_bounded_number_of_connections(memory):
    turn = _turn(memory)
    follow = partial(memory.follow_reply, ALICE, turn.conversation_id, turn.reply_id)
    assert all(follow(connection_id=f"c{n}=", seq=0) for n in range(MAX_FOLLOWERS))
    assert not follow(connection_id="one-too-many=", seq=0)
    assert follow(connection_id="c0=", seq=5)  # one already following may resume again
    assert memory.poll_answer(ALICE, turn.conversation_id, turn.reply_id).followers["c0="] == 5
    assert not memory.follow_reply(BOB, turn.conversation_id, turn.reply_id, connection_id="bob=", seq=0)

    memory.finish_reply(ALICE, turn.conversation_id, turn.reply_id, text="Done.", status=MessageStatus.COMPLETE,
                        tokens=3)
    assert not follow(connection_id="late=", seq=0)


def test_finishing_an_answer_returns_its_followers_in_the_same_write(memory):
    turn = _turn(memory)
    memory.claim_reply(ALICE, turn.conversation_id, turn.reply_id, owner="a", now_ms=NOW, lease_ms=30_000)
    memory.follow_reply(ALICE, turn.conversation_id, turn.reply_id, connection_id="tablet=", seq=2)

    followers = memory.finish_reply(ALICE, turn.conversation_id, turn.reply_id, text="Hi.",
                                    status=MessageStatus.COMPLETE, tokens=3, finish_reason=FinishReason.STOP)

    assert followers == {"tablet=": 2}
    stored = memory.message(ALICE, turn.conversation_id, turn.reply_id)
    assert stored is not None and stored.finish_reason is FinishReason.STOP and stored.view().seq is None


def test_a_renewal_saves_how_many_deltas_the_saved_text_covers(memory):
    turn = _turn(memory)
    memory.claim_reply(ALICE, turn.conversation_id, turn.reply_id, owner="a", now_ms=NOW, lease_ms=30_000)
    memory.renew_lease(ALICE, turn.conversation_id, turn.reply_id, owner="a", text="Once upon", seq=4,
                       now_ms=NOW, lease_ms=30_000)

    view = memory.message(ALICE, turn.conversation_id, turn.reply_id).view()
    assert (view.status, view.text, view.seq) == (MessageStatus.STREAMING, "Once upon", 4)
