"""The instructions and projects routes: the user's own instructions, projects and their conversations, each
read and changed for the caller only, and what every answer's prompt then holds."""

from __future__ import annotations

import uuid

import pytest

from memchat.chat import Chat
from memchat.errors import BadRequest, NotFound, TooLarge
from memchat.events import GenerationJob
from memchat.frames import (
    Ack,
    ConversationChanged,
    Conversations,
    CreateProject,
    Deleted,
    DeleteProject,
    GetHistory,
    GetInstructions,
    Instructions,
    ListConversations,
    ListProjects,
    MoveConversation,
    ProjectChanged,
    ProjectDeleted,
    Projects,
    RegenerateAnswer,
    RenameProject,
    SendMessage,
    SetInstructions,
    SetProjectInstructions,
)
from memchat.generation import MEMORIES_HEADING, Generation
from memchat.handlers.worker import purge
from memchat.handoff import WorkerInvoker
from memchat.memory.memories import Source, Subject
from memchat.recollection import ABOUT_HEADING, PROJECT_HEADING, STYLE_HEADING

from .memory.conftest import saved
from .recorded import ALICE, BOB, BOB_CONNECTION, CONNECTION
from .tgi import token_parts

ABOUT = "I am a nurse on night shifts in Porto."
STYLE = "Answer in two sentences at most."
SPANISH = "Answer in Spanish and correct my mistakes."


def _send(text="Hola, ¿qué tal?", *, conversation_id=None, project_id=None, temporary=False) -> SendMessage:
    return SendMessage(action="sendMessage", conversation_id=conversation_id, client_message_id=uuid.uuid4(),
                       text=text, project_id=project_id, temporary=temporary)


def _last(gateway, connection, kind):
    return gateway.frames(connection, kind)[-1]


def _project(chat, caller, gateway, name="Spanish practice", instructions=SPANISH) -> str:
    chat.handle(caller, CreateProject(action="createProject", name=name, instructions=instructions))
    return _last(gateway, caller.connection_id, ProjectChanged).project.project_id


def _conversation(chat, caller, gateway, **send) -> Ack:
    chat.handle(caller, _send(**send))
    return _last(gateway, caller.connection_id, Ack)


def _system(endpoint) -> str:
    return endpoint.requests[-1]["messages"][0]["content"]


def _answer(generation: Generation, endpoint, job: GenerationJob) -> str:
    """Run the worker on a job and return the system message its prompt had."""
    endpoint.streams(*token_parts(["Vale."]))
    generation.run(job)
    return _system(endpoint)


# ---------------------------------------------------------------- the user's instructions


def test_instructions_start_empty_and_say_how_long_each_may_be(chat, alice, gateway, settings):
    chat.handle(alice, GetInstructions(action="getInstructions"))

    assert _last(gateway, CONNECTION, Instructions) == Instructions(about="", style="",
                                                                    max_chars=settings.instructions_max_chars)


def test_instructions_are_kept_and_a_text_left_out_stays_as_it_was(chat, alice, gateway):
    chat.handle(alice, SetInstructions(action="setInstructions", about=ABOUT, style=STYLE))
    chat.handle(alice, SetInstructions(action="setInstructions", style="  Be brief.  "))
    chat.handle(alice, GetInstructions(action="getInstructions"))

    written, read = gateway.frames(CONNECTION, Instructions)[1:]
    assert (written.about, written.style) == (read.about, read.style) == (ABOUT, "Be brief.")


def test_an_empty_text_clears_it(chat, alice, gateway):
    chat.handle(alice, SetInstructions(action="setInstructions", about=ABOUT, style=STYLE))
    chat.handle(alice, SetInstructions(action="setInstructions", about=""))

    assert (_last(gateway, CONNECTION, Instructions).about, _last(gateway, CONNECTION, Instructions).style) == (
        "", STYLE)


def test_instructions_over_the_length_limit_are_refused_saying_by_how_much_and_nothing_changes(
        chat, alice, gateway, memory, settings):
    chat.handle(alice, SetInstructions(action="setInstructions", about=ABOUT))
    long = "x" * (settings.instructions_max_chars + 7)

    with pytest.raises(TooLarge, match="shorten it by 7"):
        chat.handle(alice, SetInstructions(action="setInstructions", about=long, style=STYLE))

    assert (memory.instructions(ALICE).about, memory.instructions(ALICE).style) == (ABOUT, "")


def test_instructions_the_model_could_not_read_beside_the_rest_are_refused_saying_how_long_may_go(chat, alice,
                                                                                                  settings):
    # Within the character limit, but each of these characters costs three tokens.
    dense = "日本語" * (settings.instructions_max_chars // 3)

    with pytest.raises(TooLarge, match=r"under about \d+ characters in this script"):
        chat.handle(alice, SetInstructions(action="setInstructions", style=dense))


def test_one_users_instructions_are_never_another_users(chat, alice, bob, gateway, memory):
    chat.handle(alice, SetInstructions(action="setInstructions", about=ABOUT, style=STYLE))
    chat.handle(bob, GetInstructions(action="getInstructions"))
    chat.handle(bob, SetInstructions(action="setInstructions", about="I am Bob."))

    assert _last(gateway, BOB_CONNECTION, Instructions).about == "I am Bob."
    assert gateway.frames(BOB_CONNECTION, Instructions)[0].about == ""
    assert (memory.instructions(ALICE).about, memory.instructions(ALICE).style) == (ABOUT, STYLE)


# ---------------------------------------------------------------- projects


def test_a_project_is_created_listed_renamed_and_given_new_instructions(chat, alice, gateway):
    project_id = _project(chat, alice, gateway, name="  Spanish   practice ")
    chat.handle(alice, RenameProject(action="renameProject", project_id=project_id, name="Español"))
    chat.handle(alice, SetProjectInstructions(action="setProjectInstructions", project_id=project_id,
                                              instructions="Solo en español."))
    chat.handle(alice, ListProjects(action="listProjects"))

    created, renamed, instructed = [frame.project for frame in gateway.frames(CONNECTION, ProjectChanged)]
    assert (created.name, created.instructions) == ("Spanish practice", SPANISH)
    assert (renamed.name, renamed.instructions) == ("Español", SPANISH)
    (listed,) = _last(gateway, CONNECTION, Projects).projects
    assert listed == instructed and (listed.name, listed.instructions) == ("Español", "Solo en español.")


def test_a_project_name_of_only_spaces_and_instructions_over_the_limit_are_refused(chat, alice, gateway, memory,
                                                                                 settings):
    with pytest.raises(BadRequest, match="name"):
        chat.handle(alice, CreateProject(action="createProject", name="   "))
    with pytest.raises(TooLarge):
        chat.handle(alice, CreateProject(action="createProject", name="Long",
                                         instructions="y" * (settings.instructions_max_chars + 1)))

    assert memory.projects(ALICE, consistent=True) == []


def test_past_the_project_limit_a_new_one_is_refused(memory, poster, worker_lambda, settings, alice, gateway):
    limited = settings.model_copy(update={"max_projects": 2})
    chat = Chat(memory=memory, poster=poster, worker=WorkerInvoker(worker_lambda.client,
                                                                   function_name=settings.worker_function_name),
                settings=limited)
    _project(chat, alice, gateway, name="One")
    _project(chat, alice, gateway, name="Two")

    with pytest.raises(BadRequest, match="2 projects"):
        _project(chat, alice, gateway, name="Three")
    assert len(memory.projects(ALICE, consistent=True)) == 2


def test_a_new_conversation_starts_inside_a_project_and_the_list_shows_both(chat, alice, gateway):
    project_id = _project(chat, alice, gateway)
    inside = _conversation(chat, alice, gateway, project_id=project_id)
    outside = _conversation(chat, alice, gateway, text="Something else")
    chat.handle(alice, ListConversations(action="listConversations"))

    listed = _last(gateway, CONNECTION, Conversations)
    assert [p.project_id for p in listed.projects] == [project_id]
    assert {c.conversation_id: c.project_id for c in listed.conversations} == {
        inside.conversation_id: project_id, outside.conversation_id: None}


@pytest.mark.parametrize("send", [{"temporary": True}, {"conversation_id": "c0ffee01"}])
def test_only_a_new_lasting_conversation_can_start_in_a_project(chat, alice, gateway, send):
    project_id = _project(chat, alice, gateway)

    with pytest.raises(BadRequest, match="projectId"):
        chat.handle(alice, _send(project_id=project_id, **send))


def test_a_conversation_moves_into_a_project_and_out_again(chat, alice, gateway, memory):
    project_id = _project(chat, alice, gateway)
    ack = _conversation(chat, alice, gateway)
    move = MoveConversation(action="moveConversation", conversation_id=ack.conversation_id, project_id=project_id)
    chat.handle(alice, move)
    moved_in = _last(gateway, CONNECTION, ConversationChanged).conversation
    chat.handle(alice, move.model_copy(update={"project_id": None}))
    moved_out = _last(gateway, CONNECTION, ConversationChanged).conversation

    assert (moved_in.conversation_id, moved_in.project_id) == (ack.conversation_id, project_id)
    assert moved_out.project_id is None
    assert memory.conversation(ALICE, ack.conversation_id, consistent=True).get("projectId") is None


def test_a_temporary_chat_cannot_be_moved_into_a_project(chat, alice, gateway):
    project_id = _project(chat, alice, gateway)
    ack = _conversation(chat, alice, gateway, temporary=True)

    with pytest.raises(BadRequest, match="temporary"):
        chat.handle(alice, MoveConversation(action="moveConversation", conversation_id=ack.conversation_id,
                                            project_id=project_id))


def test_deleting_a_project_and_keeping_its_conversations_moves_them_out(chat, alice, gateway, memory, worker_lambda):
    project_id = _project(chat, alice, gateway)
    kept = [_conversation(chat, alice, gateway, project_id=project_id).conversation_id for _ in range(2)]
    jobs = len(worker_lambda.invocations)
    chat.handle(alice, DeleteProject(action="deleteProject", project_id=project_id, keep_conversations=True))

    assert _last(gateway, CONNECTION, ProjectDeleted) == ProjectDeleted(project_id=project_id,
                                                                        kept_conversations=True, conversations=2)
    assert memory.projects(ALICE, consistent=True) == []
    assert all(memory.conversation(ALICE, c, consistent=True).get("projectId") is None for c in kept)
    assert len(worker_lambda.invocations) == jobs  # nothing purged


def test_deleting_a_project_with_its_conversations_deletes_each_as_deleting_a_conversation_does(
        chat, alice, gateway, worker_lambda):
    project_id = _project(chat, alice, gateway)
    doomed = {_conversation(chat, alice, gateway, project_id=project_id).conversation_id for _ in range(2)}
    spared = _conversation(chat, alice, gateway, text="Not in the project").conversation_id
    chat.handle(alice, DeleteProject(action="deleteProject", project_id=project_id, keep_conversations=False))

    assert {frame.conversation_id for frame in gateway.frames(CONNECTION, Deleted)} == doomed
    assert _last(gateway, CONNECTION, ProjectDeleted).conversations == 2
    purges = {job.conversation_id for job in worker_lambda.jobs() if job.task == "purge"}
    assert purges == doomed  # the purge job also drops the memories learnt only there
    for conversation_id in doomed:
        with pytest.raises(NotFound):
            chat.handle(alice, GetHistory(action="getHistory", conversation_id=conversation_id))
    chat.handle(alice, GetHistory(action="getHistory", conversation_id=spared))


def test_a_project_deleted_with_its_conversations_takes_the_memories_learnt_only_there(
        chat, alice, gateway, memory, worker_lambda):
    project_id = _project(chat, alice, gateway)
    doomed = _conversation(chat, alice, gateway, project_id=project_id).conversation_id
    spared = _conversation(chat, alice, gateway, text="Elsewhere").conversation_id
    only_there = saved(Subject.HOME, "Porto", sources=(Source(doomed, "0" * 24),))
    also_elsewhere = saved(Subject.DIET, "vegetarian", sources=(Source(doomed, "0" * 24), Source(spared, "1" * 24)))
    for kept in (only_there, also_elsewhere):
        memory.put_memory(ALICE, kept)

    chat.handle(alice, DeleteProject(action="deleteProject", project_id=project_id, keep_conversations=False))
    for job in worker_lambda.jobs():
        if job.task == "purge":  # as the worker runs it
            purge(job, memory)

    (left,) = memory.recall_state(ALICE, limit=10, consistent=True).memories
    assert left.memory_id == also_elsewhere.memory_id and [s.conversation_id for s in left.sources] == [spared]


def test_a_conversation_whose_project_is_gone_is_listed_outside_any(chat, alice, gateway, memory):
    project_id = _project(chat, alice, gateway)
    ack = _conversation(chat, alice, gateway, project_id=project_id)
    memory.delete_project(ALICE, project_id)  # as if it went while the conversation was being started

    chat.handle(alice, ListConversations(action="listConversations"))

    listed = _last(gateway, CONNECTION, Conversations)
    assert listed.projects == [] and [(c.conversation_id, c.project_id) for c in listed.conversations] == [
        (ack.conversation_id, None)]


# ---------------------------------------------------------------- isolation: every action, another user


def test_another_user_can_never_read_change_or_delete_a_project(chat, alice, bob, gateway, memory):
    project_id = _project(chat, alice, gateway)
    before = memory.projects(ALICE, consistent=True)

    for frame in (RenameProject(action="renameProject", project_id=project_id, name="Mine now"),
                  SetProjectInstructions(action="setProjectInstructions", project_id=project_id,
                                         instructions="Answer in French."),
                  DeleteProject(action="deleteProject", project_id=project_id, keep_conversations=False),
                  DeleteProject(action="deleteProject", project_id=project_id, keep_conversations=True)):
        with pytest.raises(NotFound):
            chat.handle(bob, frame)
    chat.handle(bob, ListProjects(action="listProjects"))
    chat.handle(bob, ListConversations(action="listConversations"))

    assert _last(gateway, BOB_CONNECTION, Projects).projects == []
    assert _last(gateway, BOB_CONNECTION, Conversations).projects == []
    assert memory.projects(ALICE, consistent=True) == before


def test_another_user_can_never_start_or_move_a_conversation_into_a_project_nor_move_one_out(
        chat, alice, bob, gateway, memory):
    project_id = _project(chat, alice, gateway)
    alices = _conversation(chat, alice, gateway, project_id=project_id).conversation_id
    bobs = _conversation(chat, bob, gateway, text="Bob's own").conversation_id
    bobs_project = _project(chat, bob, gateway, name="Bob's")

    with pytest.raises(NotFound, match="project"):
        chat.handle(bob, _send(project_id=project_id))
    with pytest.raises(NotFound, match="project"):
        chat.handle(bob, MoveConversation(action="moveConversation", conversation_id=bobs, project_id=project_id))
    for target in (None, bobs_project):
        with pytest.raises(NotFound, match="conversation"):
            chat.handle(bob, MoveConversation(action="moveConversation", conversation_id=alices, project_id=target))

    assert memory.conversation(ALICE, alices, consistent=True)["projectId"] == project_id
    assert memory.conversation(BOB, bobs, consistent=True).get("projectId") is None
    # Bob's own project is his alone: Alice's list has only hers.
    assert [p.project_id for p in memory.projects(ALICE, consistent=True)] == [project_id]
    assert len(memory.list_conversations(BOB, cursor=None, limit=10).items) == 1  # the refused start stored nothing


# ---------------------------------------------------------------- what the prompt holds


def _remember(memory, user=ALICE, value="Porto"):
    memory.put_memory(user, saved(Subject.HOME, value, sources=(Source("c0ffee01", "0" * 24),)))


def test_the_prompt_holds_the_system_prompt_then_the_users_instructions_then_the_projects_then_memories(
        chat, alice, gateway, memory, worker_lambda, generation, endpoint, settings):
    chat.handle(alice, SetInstructions(action="setInstructions", about=ABOUT, style=STYLE))
    project_id = _project(chat, alice, gateway)
    _remember(memory)
    _conversation(chat, alice, gateway, project_id=project_id, text="Where do I live?")

    system = _answer(generation, endpoint, worker_lambda.jobs()[-1])

    parts = [settings.system_prompt, f"{ABOUT_HEADING}\n{ABOUT}", f"{STYLE_HEADING}\n{STYLE}",
             f"{PROJECT_HEADING}\n{SPANISH}", MEMORIES_HEADING]
    positions = [system.index(part) for part in parts]
    assert positions == sorted(positions) and positions[0] == 0


def test_a_conversation_outside_the_project_and_another_users_prompt_hold_none_of_its_instructions(
        chat, alice, bob, gateway, worker_lambda, generation, endpoint, settings):
    chat.handle(alice, SetInstructions(action="setInstructions", about=ABOUT, style=STYLE))
    _project(chat, alice, gateway)
    _conversation(chat, alice, gateway, text="Outside any project")
    outside = _answer(generation, endpoint, worker_lambda.jobs()[-1])
    chat.handle(bob, _send("Hello"))
    bobs = worker_lambda.jobs()[-1]

    assert ABOUT in outside and SPANISH not in outside
    # Bob's worker runs on Bob's connection: the fake endpoint still records his prompt.
    endpoint.streams(*token_parts(["Hi."]))
    generation.run(bobs)
    assert _system(endpoint) == settings.system_prompt


def test_an_answer_the_worker_reads_for_itself_holds_the_projects_instructions_too(
        chat, alice, gateway, memory, worker_lambda, generation, endpoint):
    project_id = _project(chat, alice, gateway)
    ack = _conversation(chat, alice, gateway, project_id=project_id)
    _answer(generation, endpoint, worker_lambda.jobs()[-1])
    reply = memory.history(ALICE, ack.conversation_id, before=None, limit=5).items[-1]

    chat.handle(alice, RegenerateAnswer(action="regenerateAnswer", conversation_id=ack.conversation_id,
                                        message_id=reply.message_id))
    regenerated = worker_lambda.jobs()[-1]

    assert regenerated.window is None  # read by the worker, from the conversation's project
    assert SPANISH in _answer(generation, endpoint, regenerated)


def test_a_conversation_moved_into_a_project_gets_its_instructions_from_the_next_answer(
        chat, alice, gateway, worker_lambda, generation, endpoint):
    project_id = _project(chat, alice, gateway)
    ack = _conversation(chat, alice, gateway)
    assert SPANISH not in _answer(generation, endpoint, worker_lambda.jobs()[-1])
    chat.handle(alice, MoveConversation(action="moveConversation", conversation_id=ack.conversation_id,
                                        project_id=project_id))

    _conversation(chat, alice, gateway, conversation_id=ack.conversation_id, text="¿Y ahora?")

    assert SPANISH in _answer(generation, endpoint, worker_lambda.jobs()[-1])


def test_a_temporary_chat_uses_the_instructions_and_no_memories(chat, alice, gateway, memory, worker_lambda,
                                                               generation, endpoint):
    chat.handle(alice, SetInstructions(action="setInstructions", about=ABOUT, style=STYLE))
    _remember(memory)
    _conversation(chat, alice, gateway, temporary=True, text="Where do I live?")

    system = _answer(generation, endpoint, worker_lambda.jobs()[-1])

    assert ABOUT in system and STYLE in system and MEMORIES_HEADING not in system
    assert (memory.instructions(ALICE).about, memory.instructions(ALICE).style) == (ABOUT, STYLE)


def test_instructions_stay_in_the_prompt_with_memory_switched_off(chat, alice, gateway, memory, worker_lambda,
                                                                 generation, endpoint):
    chat.handle(alice, SetInstructions(action="setInstructions", style=STYLE))
    _remember(memory)
    memory.set_memory_enabled(ALICE, False)
    _conversation(chat, alice, gateway, text="Where do I live?")

    system = _answer(generation, endpoint, worker_lambda.jobs()[-1])

    assert STYLE in system and MEMORIES_HEADING not in system
