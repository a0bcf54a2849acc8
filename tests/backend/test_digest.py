"""The background path: after an answer ends, title the conversation, fold the summary, learn and forget.

The model is a scripted fake at its seam (`complete`), which records every call: the tests can tell what
each step showed it, and that extraction saw the user's own message only.
"""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pytest

from memchat.digest import Digest, FinishedTurn
from memchat.errors import ModelFailed, ModelUnavailable
from memchat.frames import MessageStatus
from memchat.memory import Memory, window_budget
from memchat.memory.budget import estimate_tokens
from memchat.memory.extraction import EXTRACTION_INSTRUCTIONS, EXTRACTION_SCHEMA, Drop
from memchat.memory.forgetting import REDACTED
from memchat.memory.memories import Source, Subject
from memchat.memory.summary import SUMMARY_INSTRUCTIONS
from memchat.memory.titles import TITLE_INSTRUCTIONS
from memchat.model import ChatMessage, Completion
from memchat.recollection import recollect

from .memory.conftest import saved
from .recorded import ALICE, BOB, seed_conversation

NOW = 1_732_529_707_801
SUMMARY_START = SUMMARY_INSTRUCTIONS.split("{", 1)[0]


@dataclass
class Call:
    kind: str
    messages: list[ChatMessage]
    max_tokens: int
    temperature: float
    json_schema: dict[str, Any] | None


@dataclass
class ScriptedModel:
    """Answers each kind of request from its script; `fail` makes every call raise (the endpoint is down)."""

    title: str = "Hiking in the Azores"
    summary: str = "Ada asked about hiking in the Azores."
    memories: list[tuple[str, str]] = field(default_factory=list)
    fail: Exception | None = None
    calls: list[Call] = field(default_factory=list)

    def complete(self, messages, *, max_tokens, temperature=0.0, json_schema=None) -> Completion:
        system = messages[0].content
        kind = ("title" if system == TITLE_INSTRUCTIONS else "extract" if system == EXTRACTION_INSTRUCTIONS
                else "summary" if system.startswith(SUMMARY_START) else "unknown")
        self.calls.append(Call(kind, list(messages), max_tokens, temperature, json_schema))
        if self.fail is not None:
            raise self.fail
        text = {"title": self.title, "summary": self.summary,
                "extract": json.dumps({"memories": [{"subject": s, "value": v} for s, v in self.memories]})}[kind]
        return Completion(text, "stop", None, None)

    def kinds(self) -> list[str]:
        return [call.kind for call in self.calls]


@pytest.fixture
def model() -> ScriptedModel:
    return ScriptedModel()


@pytest.fixture
def digest(memory: Memory, model: ScriptedModel, settings) -> Digest:
    return Digest(memory=memory, model=model, settings=settings, clock=lambda: NOW / 1000)


def _turn(memory, text, *, answer="Sounds good.", user=ALICE, conversation=None, temporary=False,
          now_ms=NOW) -> FinishedTurn:
    turn = memory.store_user_message(user, conversation_id=conversation, client_message_id=uuid.uuid4(), text=text,
                                     now_ms=now_ms, temporary=temporary)
    memory.finish_reply(user, turn.conversation_id, turn.reply_id, text=answer, status=MessageStatus.COMPLETE,
                        tokens=estimate_tokens(answer))
    return FinishedTurn(user, turn.conversation_id, turn.message_id, turn.reply_id)


def _values(memory, user=ALICE) -> dict[str, str]:
    return {m.subject.value: m.value for m in memory.recall_state(user, limit=50).memories}


# ---------------------------------------------------------------- the trigger


def _image(**changes: Any) -> dict[str, Any]:
    image = {"pk": f"U#{ALICE}#C#c0ffee01", "sk": "M#0193a1b2c3d4e5f6a7b8c9d1", "role": "assistant",
             "status": "complete", "replyTo": "0193a1b2c3d4e5f6a7b8c9d0"}
    return {k: v for k, v in {**image, **changes}.items() if v is not None}


def test_an_ended_answer_names_its_turn():
    assert FinishedTurn.from_image(_image()) == FinishedTurn(ALICE, "c0ffee01", "0193a1b2c3d4e5f6a7b8c9d0",
                                                             "0193a1b2c3d4e5f6a7b8c9d1")


@pytest.mark.parametrize("changes", [{"role": "user"}, {"status": "pending"}, {"status": "streaming"},
                                     {"sk": "META"}, {"pk": f"U#{ALICE}"}, {"pk": "X#a#C#b"}, {"replyTo": None}])
def test_any_other_item_is_no_turn(changes):
    assert FinishedTurn.from_image(_image(**changes)) is None


# ---------------------------------------------------------------- titles


def test_the_first_turn_is_titled_by_the_model(memory, digest, model):
    turn = _turn(memory, "What should I pack for hiking in the Azores?", answer="Boots and a rain jacket.")

    outcome = digest.run(turn)

    assert outcome.titled and memory.conversation(ALICE, turn.conversation_id)["title"] == "Hiking in the Azores"
    (title,) = [c for c in model.calls if c.kind == "title"]
    assert "Azores" in title.messages[1].content and "rain jacket" in title.messages[1].content


def test_a_titled_conversation_is_not_titled_again(memory, digest, model):
    first = _turn(memory, "What should I pack for hiking in the Azores?")
    digest.run(first)
    digest.run(_turn(memory, "And for Madeira?", conversation=first.conversation_id, now_ms=NOW + 60_000))

    assert model.kinds().count("title") == 1


def test_a_title_the_user_gave_is_never_replaced(memory, digest, model):
    turn = _turn(memory, "What should I pack for hiking in the Azores?")
    memory.rename_conversation(ALICE, turn.conversation_id, "Packing")

    digest.run(turn)

    assert "title" not in model.kinds() and memory.conversation(ALICE, turn.conversation_id)["title"] == "Packing"


def test_an_answer_without_text_is_titled_from_the_first_words_without_the_model(memory, digest, model):
    turn = _turn(memory, "What should I pack for hiking in the Azores?", answer="")

    digest.run(turn)

    assert "title" not in model.kinds()
    assert memory.conversation(ALICE, turn.conversation_id)["title"] == "What should I pack for hiking"


# ---------------------------------------------------------------- learning


def test_extraction_sees_only_the_users_own_message_with_the_schema(memory, digest, model):
    turn = _turn(memory, "My name is Ada.", answer="Nice to meet you, Ada! I am memchat, from Porto.")

    digest.run(turn)

    (extract,) = [c for c in model.calls if c.kind == "extract"]
    assert [(m.role, m.content) for m in extract.messages] == [("system", EXTRACTION_INSTRUCTIONS),
                                                              ("user", "My name is Ada.")]
    assert extract.json_schema == EXTRACTION_SCHEMA and extract.temperature == 0.0


def test_a_fact_the_user_stated_is_learnt_with_its_source(memory, digest, model):
    model.memories = [("diet", "vegetarian")]
    turn = _turn(memory, "Any dinner ideas? I'm vegetarian.")

    outcome = digest.run(turn)

    (learnt,) = memory.recall_state(ALICE, limit=10).memories
    assert (learnt.subject, learnt.value) == (Subject.DIET, "vegetarian") and outcome.learnt == 1
    assert learnt.sources == (Source(turn.conversation_id, turn.message_id),)


def test_a_fact_the_model_invented_or_took_from_the_answer_is_dropped(memory, digest, model):
    model.memories = [("home", "Porto"), ("work", "software engineer")]
    digest.run(_turn(memory, "I live near the sea.", answer="Porto is by the sea! Are you a software engineer?"))

    assert _values(memory) == {}


def test_the_digest_counts_what_was_proposed_kept_dropped_by_reason_and_superseded(memory, digest, model):
    digest.run(_turn(memory, "I live in Lisbon."))
    model.memories = [("home", "Porto"), ("diet", "vegan"), ("home", "Leeds"), ("work", "nurse")]

    outcome = digest.run(_turn(memory, "I moved to Porto. My sister lives in Leeds and I'm not vegan."))

    assert (outcome.proposed, outcome.kept, outcome.superseded) == (5, 1, 1)  # the rules' Porto and the model's 4
    assert outcome.dropped == {Drop.NEGATED: 1, Drop.SOMEONE_ELSE: 1, Drop.NOT_STATED: 1}
    assert _values(memory) == {"home": "Porto"}


def test_the_models_value_never_takes_a_one_valued_subject_from_the_rules_reading(memory, digest, model):
    # The embedded model proposed "work: engineering" for this message, and the check lets such a value through.
    model.memories = [("work", "engineer"), ("preference", "explaining things simply")]
    digest.run(_turn(memory, "My job is in civil engineering. I love explaining things simply."))

    assert _values(memory)["work"] == "civil engineering"
    model.memories = [("work", "engineering")]  # with no reading of the rules, the model's value is learnt
    digest.run(_turn(memory, "My work is mostly engineering now.", user=BOB))
    assert _values(memory, BOB)["work"] == "engineering"


def test_a_redelivered_turn_learns_nothing_twice(memory, digest, model):
    model.memories = [("preference", "jazz")]
    turn = _turn(memory, "I love jazz.")
    digest.run(turn)
    before = memory.recall_state(ALICE, limit=10).memories

    again = digest.run(turn)

    assert again.learnt == 0 and memory.recall_state(ALICE, limit=10).memories == before


def test_a_new_home_supersedes_the_old_one_which_becomes_history(memory, digest, model):
    model.memories = [("home", "Lisbon")]
    digest.run(_turn(memory, "I live in Lisbon."))
    model.memories = [("home", "Lyon")]
    digest.run(_turn(memory, "I moved to Lyon last week.", now_ms=NOW + 60_000))

    assert _values(memory) == {"home": "Lyon"}
    assert [h["value"] for h in memory.memory_history(ALICE)] == ["Lisbon"]


def test_a_turn_delivered_again_after_a_later_one_leaves_the_later_value_current(memory, digest, model):
    first = _turn(memory, "I live in Lisbon.")
    digest.run(first)
    digest.run(_turn(memory, "I moved to Lyon last week.", now_ms=NOW + 60_000))

    again = digest.run(first)  # a batch delivered again, from the earlier record

    assert _values(memory) == {"home": "Lyon"} and again.superseded == 0
    assert [h["value"] for h in memory.memory_history(ALICE)] == ["Lisbon"]


def test_the_floor_learns_without_the_model_and_the_digest_then_finds_it_learnt(memory, digest, model):
    turn = _turn(memory, "I live in Lisbon.")

    assert digest.floor(turn).learnt == 1 and model.calls == []
    assert _values(memory) == {"home": "Lisbon"}
    assert digest.run(turn).learnt == 0


def test_a_message_redacted_by_a_deletion_before_its_digest_teaches_nothing_back(memory, digest, model):
    turn = _turn(memory, "Remember that my passport number is QX77123. I live in Lisbon.")
    digest.floor(turn)  # the worker, as the answer ended
    note = next(m for m in memory.recall_state(ALICE, limit=10).memories if "QX77123" in m.value)
    memory.delete_memory(ALICE, note.memory_id)  # the user deletes it: the message now says "[forgotten]"

    digest.run(turn)

    assert _values(memory) == {"home": "Lisbon"}


def test_a_forget_request_read_after_a_later_message_was_learnt_spares_what_that_message_said(memory, digest,
                                                                                             model):
    digest.run(_turn(memory, "I live in Lisbon."))
    forget = _turn(memory, "Forget where I live.", now_ms=NOW + 60_000)
    digest.floor(_turn(memory, "I live in Lyon now.", now_ms=NOW + 120_000))  # its answer ended first

    digest.run(forget)

    assert _values(memory) == {"home": "Lyon"}


def test_a_past_home_or_job_never_replaces_the_current_one(memory, digest, model):
    digest.run(_turn(memory, "I live in Lisbon and I'm a baker."))
    model.memories = [("home", "Leeds"), ("work", "nurse")]

    outcome = digest.run(_turn(memory, "I used to live in Leeds, and back when I was a nurse I worked nights.",
                                now_ms=NOW + 60_000))

    assert _values(memory) == {"home": "Lisbon", "work": "baker"}
    assert outcome.dropped == {Drop.PAST: 2} and outcome.superseded == 0
    # The past home the rules read goes to history, ended, never current ("back when I was a nurse" they
    # do not read: the model's proposal of it was dropped, and nothing else keeps it).
    assert [(h["value"], h["supersededBy"]) for h in memory.memory_history(ALICE)] == [("Leeds", "")]
    assert outcome.ended == 1


def test_a_fact_told_as_over_goes_to_history_with_its_end_and_its_source(memory, digest, model):
    turn = _turn(memory, "I lived in Leeds until 2019.")

    outcome = digest.run(turn)

    assert _values(memory) == {} and outcome.ended == 1
    (item,) = memory.memory_history(ALICE)
    assert (item["subject"], item["value"], item["until"], item["supersededMs"]) == ("home", "Leeds", "2019", NOW)
    assert item["sources"] == [f"{turn.conversation_id}/{turn.message_id}"]


def test_the_current_value_told_as_over_stops_being_current(memory, digest, model):
    digest.run(_turn(memory, "I work as a nurse."))

    digest.run(_turn(memory, "I used to work as a nurse.", now_ms=NOW + 60_000))

    assert _values(memory) == {}
    assert [(h["value"], h["supersededBy"]) for h in memory.memory_history(ALICE)] == [("nurse", "")]


def test_a_redelivered_past_fact_is_kept_once(memory, digest, model):
    turn = _turn(memory, "I used to live in Porto.")
    digest.run(turn)

    again = digest.run(turn)

    assert again.ended == 0 and [h["value"] for h in memory.memory_history(ALICE)] == ["Porto"]


def test_a_past_fact_is_kept_for_its_own_user_only(memory, digest, model):
    digest.run(_turn(memory, "I live in Lyon.", user=BOB))

    digest.run(_turn(memory, "I used to live in Lyon."))

    assert _values(memory, BOB) == {"home": "Lyon"} and memory.memory_history(BOB) == []
    assert [h["value"] for h in memory.memory_history(ALICE)] == ["Lyon"]


def test_a_past_fact_goes_with_the_conversation_it_was_learnt_from(memory, digest, model):
    turn = _turn(memory, "I used to live in Porto.")
    digest.run(turn)

    memory.forget_conversation(ALICE, turn.conversation_id)  # what deleting the conversation does to memory

    assert memory.memory_history(ALICE) == []


def test_remember_that_is_kept_without_the_model_proposing_it(memory, digest, model):
    digest.run(_turn(memory, "Remember that my locker code is 4521."))
    assert _values(memory) == {"note": "my locker code is 4521"}


def test_a_note_remembered_again_with_a_new_detail_replaces_the_old_one(memory, digest, model):
    digest.run(_turn(memory, "Remember that my bike lock code is 4521."))
    digest.run(_turn(memory, "Remember that my bike lock code is 1234.", now_ms=NOW + 60_000))

    assert _values(memory) == {"note": "my bike lock code is 1234"}


def test_forget_deletes_the_memory_and_its_copies(memory, digest, model):
    said = _turn(memory, "I live in Zanzibar.")
    model.memories = [("home", "Zanzibar")]
    digest.run(said)
    model.memories = []

    outcome = digest.run(_turn(memory, "Please forget my address.", now_ms=NOW + 60_000))

    assert outcome.forgotten == 1 and _values(memory) == {}
    question, _ = memory.message_pair(ALICE, said.conversation_id, said.message_id, said.reply_id)
    assert question.text == f"I live in {REDACTED}."


def test_an_answer_that_recalled_a_memory_is_redacted_when_the_memory_is_deleted(memory, digest, model):
    model.memories = [("home", "Zanzibar")]
    digest.run(_turn(memory, "I live in Zanzibar."))
    (home,) = memory.recall_state(ALICE, limit=10).memories
    model.memories = []
    # Another conversation, whose answer's prompt carried the memory.
    turn = memory.store_user_message(ALICE, conversation_id=None, client_message_id=uuid.uuid4(),
                                     text="Any beach nearby?", now_ms=NOW + 60_000)
    memory.finish_reply(ALICE, turn.conversation_id, turn.reply_id, text="Zanzibar has lovely beaches.",
                        status=MessageStatus.COMPLETE, tokens=9, recalled=[home.memory_id])
    digest.run(FinishedTurn(ALICE, turn.conversation_id, turn.message_id, turn.reply_id))

    memory.delete_memory(ALICE, home.memory_id)

    _, answer = memory.message_pair(ALICE, turn.conversation_id, turn.message_id, turn.reply_id)
    assert answer.text == f"{REDACTED} has lovely beaches."


def test_every_conversation_a_memory_was_learnt_from_is_traced(memory, digest, model):
    model.memories = [("home", "Zanzibar")]
    turns = [_turn(memory, "I live in Zanzibar.", now_ms=NOW + i * 60_000) for i in range(7)]
    for turn in turns:
        digest.run(turn)
    (home,) = memory.recall_state(ALICE, limit=10).memories

    assert {item["sk"].rsplit("#", 1)[1] for item in memory._traces(ALICE, {home.memory_id})} == {
        turn.conversation_id for turn in turns}


def test_a_forgotten_value_is_not_learnt_back_from_the_request_itself(memory, digest, model):
    model.memories = [("home", "Lisbon")]
    digest.run(_turn(memory, "I live in Lisbon."))

    digest.run(_turn(memory, "Forget that I live in Lisbon.", now_ms=NOW + 60_000))

    assert _values(memory) == {}


def test_with_memory_off_nothing_is_learnt_and_extraction_is_not_asked(memory, digest, model):
    memory.set_memory_enabled(ALICE, False)
    digest.run(_turn(memory, "I live in Lisbon. Remember that my locker code is 4521."))

    assert "extract" not in model.kinds() and memory.recall_state(ALICE, limit=10).memories == []


def test_with_memory_off_a_forget_request_is_still_honoured(memory, digest, model):
    memory.put_memory(ALICE, saved(Subject.HOME, "Lisbon"))
    memory.set_memory_enabled(ALICE, False)

    digest.run(_turn(memory, "Forget my address."))

    assert memory.recall_state(ALICE, limit=10).memories == []


def test_a_forget_request_in_a_temporary_chat_is_still_honoured(memory, digest, model):
    model.memories = [("home", "Lisbon")]
    digest.run(_turn(memory, "I live in Lisbon."))
    model.memories = [("home", "Porto")]

    outcome = digest.run(_turn(memory, "Please forget my address. I live in Porto.", temporary=True,
                               now_ms=NOW + 60_000))

    assert outcome.forgotten == 1 and _values(memory) == {}  # forgotten, and nothing learnt
    assert model.kinds().count("extract") == 1  # the first turn's: the temporary one asked nothing


def test_a_temporary_chat_teaches_nothing(memory, digest, model):
    digest.run(_turn(memory, "I live in Lisbon. Remember that my locker code is 4521.", temporary=True))

    assert "extract" not in model.kinds() and _values(memory) == {}


def test_past_the_limit_the_least_recently_confirmed_memory_goes(memory, model, settings):
    digest = Digest(memory=memory, model=model, settings=settings.model_copy(update={"max_memories": 2}),
                    clock=lambda: NOW / 1000)
    memory.put_memory(ALICE, saved(Subject.PREFERENCE, "chess", updated_ms=NOW - 2))
    memory.put_memory(ALICE, saved(Subject.PREFERENCE, "jazz", updated_ms=NOW - 1))
    model.memories = [("home", "Lisbon")]

    digest.run(_turn(memory, "I live in Lisbon."))

    assert sorted(m.value for m in memory.recall_state(ALICE, limit=10).memories) == ["Lisbon", "jazz"]


def test_one_users_turn_never_touches_another_users_memories(memory, digest, model):
    memory.put_memory(BOB, saved(Subject.HOME, "Lisbon"))
    model.memories = [("home", "Lyon")]

    digest.run(_turn(memory, "Forget everything. I live in Lyon."))

    assert _values(memory, BOB) == {"home": "Lisbon"} and _values(memory) == {"home": "Lyon"}


# ---------------------------------------------------------------- the summary


def _long_conversation(memory, dynamodb, settings, messages=24, text=lambda i: f"message {i}: lorem ipsum dolor sit"):
    conversation, ids = seed_conversation(dynamodb, settings.table_name, ALICE, messages=messages, text=text)
    return FinishedTurn(ALICE, conversation, ids[-2], ids[-1]), ids


def test_a_short_conversation_is_not_summarised(memory, digest, model):
    digest.run(_turn(memory, "Hello!"))
    assert "summary" not in model.kinds()


def test_messages_past_half_the_window_are_folded_into_a_bounded_summary(memory, dynamodb, digest, model, settings):
    turn, ids = _long_conversation(memory, dynamodb, settings)
    model.summary = "Ada talked about lorem ipsum. " * 100

    outcome = digest.run(turn)

    conversation = memory.conversation(ALICE, turn.conversation_id)
    assert outcome.folded > 0 and conversation["summaryThrough"] == ids[outcome.folded - 1]
    assert estimate_tokens(conversation["summary"]) <= settings.summary_max_tokens
    left = memory.unsummarised(ALICE, turn.conversation_id, after=conversation["summaryThrough"])
    assert sum(m.tokens for m in left) <= window_budget(settings) // 4
    (call,) = [c for c in model.calls if c.kind == "summary"]
    assert call.max_tokens == settings.summary_max_tokens and "message 0:" in call.messages[1].content


def test_a_long_backlog_is_folded_a_window_at_a_time_within_the_models_prompt(memory, dynamodb, digest, model,
                                                                           settings):
    turn, ids = _long_conversation(memory, dynamodb, settings, messages=200, text=lambda i: "lorem ipsum " * 20)

    outcome = digest.run(turn)

    (call,) = [c for c in model.calls if c.kind == "summary"]
    assert sum(estimate_tokens(m.content) for m in call.messages) + call.max_tokens <= settings.model_max_tokens
    assert 0 < outcome.folded < 200
    assert memory.conversation(ALICE, turn.conversation_id)["summaryThrough"] == ids[outcome.folded - 1]


def test_the_next_fold_starts_from_the_previous_summary(memory, dynamodb, digest, model, settings):
    turn, _ = _long_conversation(memory, dynamodb, settings)
    digest.run(turn)
    through = memory.conversation(ALICE, turn.conversation_id)["summaryThrough"]
    later = _turn(memory, "lorem ipsum dolor " * 60, conversation=turn.conversation_id, now_ms=NOW + 3_600_000)
    model.calls.clear()

    digest.run(later)

    (call,) = [c for c in model.calls if c.kind == "summary"]
    assert f"Summary so far:\n{model.summary}" in call.messages[1].content
    assert "message 0:" not in call.messages[1].content
    assert memory.conversation(ALICE, turn.conversation_id)["summaryThrough"] > through


def test_a_redelivered_turn_folds_nothing_twice(memory, dynamodb, digest, model, settings):
    turn, _ = _long_conversation(memory, dynamodb, settings)
    digest.run(turn)

    assert digest.run(turn).folded == 0 and model.kinds().count("summary") == 1


def test_a_memory_forgotten_while_a_summary_is_being_written_does_not_come_back_in_it(memory, dynamodb, digest,
                                                                                     model, settings):
    turn, ids = _long_conversation(memory, dynamodb, settings)
    memory.save_summary(ALICE, turn.conversation_id, text="Ada lives in Zanzibar.", through=ids[0],
                        previous_through=None)
    home = saved(Subject.HOME, "Zanzibar", sources=(Source(turn.conversation_id, ids[0]),))
    memory.put_memory(ALICE, home)
    model.summary = "Ada lives in Zanzibar and asked about lorem ipsum."  # the fold carries the old summary on
    answer = model.complete

    def forget_meanwhile(messages, **kwargs):
        if messages[0].content.startswith(SUMMARY_START):
            memory.delete_memory(ALICE, home.memory_id)  # the user deletes it while the model writes
        return answer(messages, **kwargs)

    model.complete = forget_meanwhile  # type: ignore[method-assign]
    digest.run(turn)

    assert "Zanzibar" not in memory.conversation(ALICE, turn.conversation_id)["summary"]


def _meanwhile(model: ScriptedModel, action) -> None:
    """Run `action` while the model reads the message for extraction (as a user acting at that moment)."""
    answer = model.complete

    def complete(messages, **kwargs):
        if messages[0].content == EXTRACTION_INSTRUCTIONS:
            action()
        return answer(messages, **kwargs)

    model.complete = complete  # type: ignore[method-assign]


def test_memories_cleared_while_extraction_runs_are_not_learnt_back(memory, digest, model):
    turn = _turn(memory, "I live in Zanzibar.")
    model.memories = [("home", "Zanzibar")]

    def learn_then_clear():
        memory.put_memory(ALICE, saved(Subject.HOME, "Zanzibar", sources=(
            Source(turn.conversation_id, turn.message_id),)))
        memory.clear_memories(ALICE)  # the user clears everything while the model reads the message

    _meanwhile(model, learn_then_clear)
    digest.run(turn)

    assert _values(memory) == {}


# ---------------------------------------------------------------- failures and deletions


def test_a_deleted_conversation_is_not_digested(memory, digest, model):
    turn = _turn(memory, "I live in Lisbon.")
    memory.delete_conversation(ALICE, turn.conversation_id)

    outcome = digest.run(turn)

    assert model.calls == [] and outcome.model_calls == 0 and _values(memory) == {}


def test_a_model_failure_raises_so_the_record_is_delivered_again(memory, digest, model):
    model.fail = ModelUnavailable()
    with pytest.raises(ModelUnavailable):
        digest.run(_turn(memory, "I live in Lisbon."))


def test_with_the_model_down_what_the_rules_read_is_learnt_before_the_turn_is_retried(memory, digest, model):
    # An answer preempting the digest's call on the one local slot, or an endpoint that is down: the floor holds.
    model.fail = ModelFailed("stopped for an answer that needed the model: retry later")
    turn = _turn(memory, "Remember that my locker code is 4521. I live in Lisbon.")

    with pytest.raises(ModelFailed):
        digest.run(turn)
    assert _values(memory) == {"note": "my locker code is 4521", "home": "Lisbon"}

    model.fail = None  # delivered again: the model's parts are done, and nothing is learnt twice
    outcome = digest.run(turn)
    assert outcome.titled and _values(memory) == {"note": "my locker code is 4521", "home": "Lisbon"}
    assert all(len(m.sources) == 1 for m in memory.recall_state(ALICE, limit=10).memories)


def test_the_outcome_counts_the_model_calls(memory, digest, model):
    outcome = digest.run(_turn(memory, "I live in Lisbon."))
    assert outcome.model_calls == len(model.calls) == 2  # title and extraction


@pytest.mark.parametrize("text", ["What is a lighthouse for? Answer in three sentences.",
                                  "Tell me a long story about a dog who lives in Leeds.",
                                  "```\nI live in Leeds\n```"])
def test_a_message_that_states_nothing_is_not_read_by_the_model(memory, digest, model, text):
    # A question, a request or code has no clause of the user's own: nothing the model proposed could be kept,
    # so the background model is not asked (on the one local slot, answers wait for every call it makes).
    model.memories = [("home", "Leeds")]
    outcome = digest.run(_turn(memory, text))
    assert [c.kind for c in model.calls] == ["title"] and outcome.model_calls == 1
    assert _values(memory) == {} and outcome.proposed == 0


def test_a_clear_all_while_the_first_extraction_runs_is_not_undone(memory, digest, model):
    turn = _turn(memory, "Most evenings I put jazz on, I adore that stuff.")  # a fact only the model reads
    model.memories = [("preference", "jazz")]
    _meanwhile(model, lambda: memory.clear_memories(ALICE, now_ms=NOW + 1))  # nothing learnt yet to redact

    outcome = digest.run(turn)

    assert _values(memory) == {} and outcome.learnt == 0


def test_what_the_rules_read_is_learnt_before_the_model_is_first_called(memory, digest, model):
    # On a busy machine each model call takes minutes: a note the user asked to keep must not wait for a title.
    seen: list[dict[str, str]] = []
    answer = model.complete

    def complete(messages, **kwargs):
        seen.append(_values(memory))
        return answer(messages, **kwargs)

    model.complete = complete  # type: ignore[method-assign]
    model.memories = [("home", "Lisbon")]
    outcome = digest.run(_turn(memory, "Remember that my locker code is 4521. I live in Lisbon."))

    assert seen[0] == {"note": "my locker code is 4521", "home": "Lisbon"}  # at the title's call
    assert outcome.model_calls == len(seen) == 2  # the title and the extraction
    assert (outcome.learnt, outcome.kept) == (2, 2)  # learnt once: the model's Lisbon is the rules' one


def test_what_is_said_after_a_clear_all_is_learnt(memory, digest, model):
    memory.clear_memories(ALICE, now_ms=NOW - 1)
    memory.set_memory_enabled(ALICE, True)  # the switch keeps the clear's mark
    model.memories = [("home", "Zanzibar")]
    assert digest.run(_turn(memory, "I live in Zanzibar.")).learnt == 1
    assert _values(memory) == {"home": "Zanzibar"}


# ---------------------------------------------------------------- the last exchange stays revisable


def _echoing(model: ScriptedModel) -> None:
    """A summariser that keeps every word it is given, so whatever was folded shows in the summary."""
    answer = model.complete

    def complete(messages, **kwargs):
        if messages[0].content.startswith(SUMMARY_START):
            model.calls.append(Call("summary", list(messages), kwargs["max_tokens"], 0.0, None))
            return Completion(messages[1].content.split("New messages:\n", 1)[1], "stop", None, None)
        return answer(messages, **kwargs)

    model.complete = complete  # type: ignore[method-assign]


def _after_a_long_answer(memory, digest, model, settings) -> FinishedTurn:
    """A conversation whose last answer alone passes half the window, digested (as `make dev` met it)."""
    _echoing(model)
    first = _turn(memory, "Tell me about hiking.", answer="Hiking is walking in nature.")
    story = "Once upon a time Quetzalcoatl walked the hills."
    while estimate_tokens(story) <= window_budget(settings) // 2:
        story += " The hills were long and the walk was longer."
    last = _turn(memory, "Tell me a long story.", answer=story, conversation=first.conversation_id, now_ms=NOW + 1000)
    digest.run(last)
    assert model.kinds().count("summary") == 1  # the fold happened: the first exchange is in the summary
    return last


def _recollected(memory, settings, turn: FinishedTurn, before: str):
    with ThreadPoolExecutor(max_workers=4) as pool:
        return recollect(memory, settings, pool, user_id=ALICE, conversation_id=turn.conversation_id,
                         before=before, text="")


def test_after_a_fold_regenerating_the_last_answer_still_reads_its_message(memory, digest, model, settings):
    last = _after_a_long_answer(memory, digest, model, settings)

    again = memory.regenerate_reply(ALICE, last.conversation_id, last.reply_id, now_ms=NOW + 2000,
                                    connection_id="c", start_grace_ms=120_000)
    window = _recollected(memory, settings, last, again.answer.message_id).window

    assert window and window[-1].message_id == last.message_id  # what the worker checks before the model


def test_after_a_fold_retrying_a_failed_answer_still_reads_its_message(memory, digest, model, settings):
    _echoing(model)
    first = _turn(memory, "Tell me about hiking.", answer="Hiking is walking in nature. " * 20)
    long_question = "Please read this. " + "It is a long question. " * 26
    turn = memory.store_user_message(ALICE, conversation_id=first.conversation_id, client_message_id=uuid.uuid4(),
                                     text=long_question, now_ms=NOW + 1000)
    memory.finish_reply(ALICE, first.conversation_id, turn.reply_id, text="", status=MessageStatus.FAILED, tokens=0,
                        error_code="model_unavailable")
    digest.run(FinishedTurn(ALICE, first.conversation_id, turn.message_id, turn.reply_id))
    assert model.kinds().count("summary") == 1

    window = _recollected(memory, settings, first, turn.reply_id).window

    assert window and window[-1].message_id == turn.message_id


def test_an_edit_after_a_fold_leaves_the_replaced_answers_words_out_of_its_prompt(memory, digest, model, settings):
    last = _after_a_long_answer(memory, digest, model, settings)

    edited = memory.store_user_message(ALICE, conversation_id=last.conversation_id, client_message_id=uuid.uuid4(),
                                       text="Tell me a short story instead.", now_ms=NOW + 2000,
                                       replaces=(last.message_id, last.reply_id))
    recalled = _recollected(memory, settings, last, edited.reply_id)

    assert "Hiking is walking" in recalled.summary  # the fold did run
    assert "Quetzalcoatl" not in recalled.summary
    assert not any("Quetzalcoatl" in m.text for m in recalled.window)
    assert recalled.window[-1].message_id == edited.message_id


def test_a_turn_edited_before_its_digest_ran_teaches_nothing(memory, digest, model):
    turn = _turn(memory, "I live in Zanzibar.")
    model.memories = [("home", "Zanzibar")]
    memory.store_user_message(ALICE, conversation_id=turn.conversation_id, client_message_id=uuid.uuid4(),
                              text="I live in Lisbon.", now_ms=NOW + 1000, replaces=(turn.message_id, turn.reply_id))

    outcome = digest.run(turn)

    assert outcome.learnt == 0 and _values(memory) == {}
    assert "extract" not in model.kinds() and "title" not in model.kinds()


# ---------------------------------------------------------------- instructions are the user's words, not memories

ABOUT = "My name is Zed and I live in Lyon. Remember that my locker code is 4521."
PROJECT = "Remember that I study Spanish for my move to Sevilla."


@pytest.mark.parametrize("temporary", [False, True])
def test_the_digest_never_learns_from_the_users_or_a_projects_instructions(memory, digest, model, temporary):
    memory.set_instructions(ALICE, about=ABOUT, style="Call me by my name.")
    model.memories = [("name", "Zed"), ("home", "Lyon"), ("note", "locker code is 4521"), ("plan", "Sevilla")]
    turn = _turn(memory, "Hola, ¿qué tal?", answer="¡Hola Zed! ¿Qué tal Lyon?", temporary=temporary)
    if not temporary:
        project = memory.create_project(ALICE, name="Spanish", instructions=PROJECT, now_ms=NOW, limit=5)
        memory.move_conversation(ALICE, turn.conversation_id, project.project_id)

    digest.run(turn)

    assert _values(memory) == {}
    seen = " ".join(m.content for call in model.calls for m in call.messages)
    assert "Zed and I live" not in seen and "Sevilla" not in seen and "4521" not in seen
    assert memory.instructions(ALICE).about == ABOUT  # kept as written: never redacted, never folded


def test_forget_reaches_a_fact_told_as_over_and_its_words(memory, digest, model):
    told = _turn(memory, "I used to live in Porto.")
    digest.run(told)

    outcome = digest.run(_turn(memory, "Forget Porto.", now_ms=NOW + 60_000))

    assert outcome.forgotten == 1 and memory.memory_history(ALICE) == []
    said = memory.history(ALICE, told.conversation_id, before=None, limit=10).items
    assert said and not any("Porto" in message.text for message in said)
