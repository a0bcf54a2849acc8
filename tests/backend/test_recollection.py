"""Recollection on the answer path: memories, summary and window read side by side and fitted to the budget."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from memchat.events import RecalledInstructions
from memchat.frames import MessageStatus, Role
from memchat.memory import Project, RecallState, UserInstructions, estimate_tokens, memory_budget
from memchat.memory.memories import Source, Subject
from memchat.memory.reads import StoredMessage
from memchat.projects import check_instructions
from memchat.recollection import fit, instruction_blocks, recollect

from .memory.conftest import T0, saved
from .recorded import ALICE, BOB

NOW = 1_732_529_707_801
LAST = "f" * 24  # sorts after every message id: "before" for a turn not yet stored


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=2) as executor:
        yield executor


def _conversation(memory, turns, *, user=ALICE, temporary=False, text=lambda i: f"question {i}"):
    conversation, ids = None, []
    for i in range(turns):
        turn = memory.store_user_message(user, conversation_id=conversation, client_message_id=uuid.uuid4(),
                                         text=text(i), now_ms=NOW + i * 60_000, temporary=temporary)
        memory.finish_reply(user, turn.conversation_id, turn.reply_id, text=f"answer {i}",
                            status=MessageStatus.COMPLETE, tokens=estimate_tokens(f"answer {i}"))
        conversation = turn.conversation_id
        ids += [turn.message_id, turn.reply_id]
    return conversation, ids


def _remember(memory, user=ALICE, **values):
    memories = []
    for i, (subject, value) in enumerate(values.items()):
        memories.append(saved(Subject(subject), value, updated_ms=T0 + i, sources=(Source("c0ffee01", f"{i:024x}"),)))
        memory.put_memory(user, memories[-1])
    return memories


def _recollect(memory, settings, pool, conversation_id, text="Where do I live?", **kwargs):
    return recollect(memory, settings, pool, user_id=kwargs.pop("user_id", ALICE), conversation_id=conversation_id,
                     before=LAST, text=text, **kwargs)


class RecordingPool(ThreadPoolExecutor):
    """A real pool that notes what was handed to it."""

    def __init__(self) -> None:
        super().__init__(max_workers=1)
        self.submitted: list[str] = []

    def submit(self, fn, /, *args, **kwargs):
        self.submitted.append(fn.__name__)
        return super().submit(fn, *args, **kwargs)


def test_the_memories_are_read_on_the_pool_beside_the_conversations_query(memory, settings):
    conversation, _ = _conversation(memory, 1)
    with RecordingPool() as pool:
        before = memory.calls
        _recollect(memory, settings, pool, conversation)

    # The user's instructions come with the memories' Query: no read of their own.
    assert pool.submitted == ["recall_state"] and memory.calls - before == 2  # one Query each


def test_a_new_conversation_recalls_the_users_memories_and_nothing_else(memory, settings, pool):
    home, diet = _remember(memory, home="Lisbon", diet="vegetarian")

    recalled = _recollect(memory, settings, pool, None)

    assert recalled.window == [] and recalled.summary == ""
    assert {m.memory_id for m in recalled.memories} == {home.memory_id, diet.memory_id}
    assert [m.text for m in recalled.memories if m.memory_id == home.memory_id] == ["Lives in: Lisbon"]


def test_the_window_summary_and_memories_come_together(memory, settings, pool):
    conversation, ids = _conversation(memory, 3)
    memory.save_summary(ALICE, conversation, text="Ada planned a trip.", through=ids[1], previous_through=None)
    _remember(memory, home="Lisbon")

    recalled = _recollect(memory, settings, pool, conversation)

    assert recalled.summary == "Ada planned a trip."
    assert [m.message_id for m in recalled.window] == ids[2:]  # nothing both summarised and repeated
    assert [m.text for m in recalled.memories] == ["Lives in: Lisbon"]


def test_memory_switched_off_recalls_no_memories_but_keeps_the_conversation(memory, settings, pool):
    conversation, ids = _conversation(memory, 1)
    _remember(memory, home="Lisbon")
    memory.set_memory_enabled(ALICE, False)

    recalled = _recollect(memory, settings, pool, conversation)

    assert recalled.memories == [] and [m.message_id for m in recalled.window] == ids


def test_a_temporary_chat_reads_no_memories(memory, settings, pool):
    _remember(memory, home="Lisbon")
    before = memory.calls

    assert _recollect(memory, settings, pool, None, temporary=True).memories == []
    assert memory.calls == before + 1  # not even read: the user's instructions are, with one GetItem


def test_a_temporary_conversation_recalls_no_memories_on_later_turns(memory, settings, pool):
    conversation, _ = _conversation(memory, 1, temporary=True)
    _remember(memory, home="Lisbon")

    assert _recollect(memory, settings, pool, conversation).memories == []


def test_a_message_asking_to_forget_a_memory_does_not_carry_it(memory, settings, pool):
    _, diet = _remember(memory, home="Lisbon", diet="vegetarian")

    recalled = _recollect(memory, settings, pool, None, text="Please forget my address.")

    assert [m.memory_id for m in recalled.memories] == [diet.memory_id]


def test_read_for_a_stored_message_memories_are_chosen_for_the_windows_last_user_message(memory, settings, pool):
    # The worker reads its own window (a regenerated or continued answer): the message is in it.
    conversation, _ = _conversation(memory, 1, text=lambda i: "Forget my home town, please.")
    _remember(memory, home="Lisbon", diet="vegetarian")

    recalled = _recollect(memory, settings, pool, conversation, text="")

    assert [m.text for m in recalled.memories] == ["Diet: vegetarian"]


def test_a_reserve_leaves_room_in_the_budget(memory, settings, pool):
    conversation, _ = _conversation(memory, 80)  # more than the budget holds
    whole = _recollect(memory, settings, pool, conversation, text="")
    reserved = _recollect(memory, settings, pool, conversation, text="", reserve=200)
    assert whole.tokens <= memory_budget(settings)
    assert reserved.tokens <= memory_budget(settings) - 200 < whole.tokens


def test_without_long_term_memory_the_prompt_is_the_recent_window_alone(memory, settings, pool):
    conversation, ids = _conversation(memory, 3)
    memory.save_summary(ALICE, conversation, text="Ada planned a trip.", through=ids[1], previous_through=None)
    _remember(memory, home="Lisbon")

    recalled = _recollect(memory, settings.model_copy(update={"long_term_memory": False}), pool, conversation)

    assert recalled.memories == [] and recalled.summary == ""
    assert [m.message_id for m in recalled.window] == ids


def test_another_user_recalls_nothing_of_alices(memory, settings, pool):
    conversation, ids = _conversation(memory, 2)
    memory.save_summary(ALICE, conversation, text="Ada planned a trip.", through=ids[0], previous_through=None)
    _remember(memory, home="Lisbon")

    recalled = _recollect(memory, settings, pool, conversation, user_id=BOB)

    assert (recalled.window, recalled.memories, recalled.summary) == ([], [], "")


def test_a_long_conversation_with_many_memories_stays_within_the_budget(memory, settings, pool):
    text = "Where do I live? " + "Tell me more about it. " * 40
    conversation, _ = _conversation(memory, 30, text=lambda i: f"question {i}: " + "lorem ipsum dolor " * 30)
    for i in range(60):
        memory.put_memory(ALICE, saved(Subject.PREFERENCE, f"hobby number {i} " + "with details " * 8,
                                       updated_ms=T0 + i))
    memory.put_memory(ALICE, saved(Subject.HOME, "Lisbon", updated_ms=T0))

    recalled = _recollect(memory, settings, pool, conversation, text=text)

    assert recalled.tokens <= memory_budget(settings) - estimate_tokens(text)
    assert sum(m.tokens for m in recalled.memories) <= settings.recall_budget_tokens
    assert "Lives in: Lisbon" in [m.text for m in recalled.memories]
    assert recalled.window  # the newest messages still got their share


# ---------------------------------------------------------------- fitting, without DynamoDB


def _window(*tokens: int) -> list[StoredMessage]:
    return [StoredMessage(f"{i:024x}", Role.USER if i % 2 == 0 else Role.ASSISTANT, f"m{i}", MessageStatus.COMPLETE,
                          NOW + i, t) for i, t in enumerate(tokens)]


def test_the_summary_and_memories_take_their_share_first_and_the_window_what_is_left(settings):
    home = saved(Subject.HOME, "Lisbon")
    summary = "Ada planned a trip."
    total = estimate_tokens(summary) + home.tokens + 25

    recalled = fit(_window(20, 20, 20), {"summary": summary}, RecallState(True, [home]), text="hi", total=total,
                   settings=settings)

    assert recalled.summary == summary and len(recalled.memories) == 1
    assert [m.message_id for m in recalled.window] == [f"{2:024x}"]
    assert recalled.tokens <= total


def test_a_summary_over_its_bound_is_left_out(settings):
    long = "word " * (settings.summary_max_tokens * 2)
    recalled = fit([], {"summary": long, "summaryThrough": "0"}, RecallState(True, []), text="hi", total=10_000,
                   settings=settings)
    assert recalled.summary == ""


@hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # settings is a plain value
@given(window=st.lists(st.integers(min_value=9, max_value=400), max_size=30),
       memories=st.lists(st.text(alphabet="abc def", min_size=1, max_size=200), max_size=30),
       summary=st.text(alphabet="abc. ", max_size=700), total=st.integers(min_value=0, max_value=1500))
def test_what_is_recalled_never_exceeds_what_is_left_of_the_budget(settings, window, memories, summary, total):
    state = RecallState(True, [saved(Subject.PREFERENCE, value, updated_ms=T0 + i) for i, value in enumerate(memories)])

    recalled = fit(_window(*window), {"summary": summary, "summaryThrough": "0"}, state, text="abc", total=total,
                   settings=settings)

    assert recalled.tokens <= total


def test_a_plan_whose_date_has_passed_is_recalled_as_past(settings):
    trip = replace(saved(Subject.PLAN, "Kyoto next March"), when="2027-03")
    before = fit([], {}, RecallState(enabled=True, memories=[trip]), text="Any tips?", total=1000,
                 settings=settings, today=date(2027, 2, 1))
    after = fit([], {}, RecallState(enabled=True, memories=[trip]), text="Any tips?", total=1000,
                settings=settings, today=date(2027, 4, 1))
    assert [m.text for m in before.memories] == ["Plan: Kyoto next March (March 2027)"]
    assert [m.text for m in after.memories] == ["Plan (past, March 2027): Kyoto next March"]


# ---------------------------------------------------------------- instructions in the budget


def _instructions(settings, project=True):
    """The user's two texts and a project's, each as long as the limits allow in ASCII."""
    longest = "word " * (settings.instructions_max_chars // 5)
    assert check_instructions(longest, "text", settings) == longest.strip()
    user = UserInstructions(about="About: " + longest[7:], style="Style: " + longest[7:])
    return user, (Project("b0a710c1", "Spanish", "Project: " + longest[9:], T0, T0) if project else None)


def test_instructions_at_their_longest_all_fit_their_share_before_recall_and_the_window(memory, settings, pool):
    user, project = _instructions(settings)
    memory.set_instructions(ALICE, about=user.about, style=user.style)
    memory.put_memory(ALICE, saved(Subject.HOME, "Lisbon", updated_ms=T0))
    conversation, _ = _conversation(memory, 30, text=lambda i: f"question {i}: " + "lorem ipsum dolor " * 30)
    memory.move_conversation(ALICE, conversation, memory.create_project(
        ALICE, name="Spanish", instructions=project.instructions, now_ms=T0, limit=5).project_id)
    text = "Where do I live?"

    recalled = _recollect(memory, settings, pool, conversation, text=text)

    assert recalled.instructions.texts == [user.about.strip(), user.style.strip(), project.instructions.strip()]
    assert sum(estimate_tokens(b) for b in instruction_blocks(recalled.instructions)) <= (
        settings.instructions_budget_tokens)
    assert "Lives in: Lisbon" in [m.text for m in recalled.memories] and recalled.window
    assert recalled.tokens <= memory_budget(settings) - estimate_tokens(text)


def test_the_window_yields_to_instructions_oldest_messages_first(settings):
    user, project = _instructions(settings)
    window = _window(*[100] * 14)
    state = RecallState(enabled=True, memories=[])
    total = memory_budget(settings)

    without = fit(window, {}, state, text="", total=total, settings=settings)
    within = fit(window, {}, replace(state, instructions=user), text="", total=total, settings=settings,
                 project=project)

    assert within.tokens <= total and without.tokens <= total
    assert within.window == without.window[len(without.window) - len(within.window):]  # the newest stay
    assert len(within.window) < len(without.window)


@pytest.mark.parametrize(("room", "kept"), [(3, ["about", "style", "project"]), (2, ["about", "style"]),
                                            (1, ["about"]), (0, [])])
def test_beside_a_message_that_leaves_no_room_the_projects_instructions_yield_first_then_how_to_answer(
        settings, room, kept):
    user, project = _instructions(settings)
    blocks = instruction_blocks(RecalledInstructions(about=user.about, style=user.style,
                                                     project=project.instructions))
    total = sum(estimate_tokens(block) for block in blocks[:room]) + 20  # less than any block costs
    recalled = fit([], {}, RecallState(enabled=False, memories=[], instructions=user), text="long", total=total,
                   settings=settings, project=project)

    assert [name for name in ("about", "style", "project") if getattr(recalled.instructions, name)] == kept


def test_another_users_instructions_and_projects_never_reach_a_prompt(memory, settings, pool):
    user, project = _instructions(settings)
    memory.set_instructions(ALICE, about=user.about, style=user.style)
    project_id = memory.create_project(ALICE, name="Spanish", instructions=project.instructions, now_ms=T0,
                                       limit=5).project_id

    # Bob names Alice's project for a new conversation: the read is keyed by Bob, and finds nothing.
    recalled = _recollect(memory, settings, pool, None, user_id=BOB, project_id=project_id)

    assert recalled.instructions.texts == []
