"""The app's instructions and projects state (instructions.py, projects.py, and the list's and the open
conversation's verbs for them): what is sent for each verb and what each frame changes."""

from __future__ import annotations

from memchat.errors import ErrorCode
from memchat.frames import (
    ConversationChanged,
    Conversations,
    ConversationView,
    CreateProject,
    Deleted,
    DeleteProject,
    ErrorFrame,
    GetInstructions,
    Instructions,
    ListProjects,
    MoveConversation,
    ProjectChanged,
    ProjectDeleted,
    Projects,
    ProjectView,
    RenameProject,
    SendMessage,
    SetInstructions,
    SetProjectInstructions,
)
from memchat_mobile.state import ChatState
from tests.mobile.fakes import CONVERSATION, NOW, FakeOutbox, history

SPANISH = ProjectView(project_id="5a5a5a5a", name="Spanish practice", instructions="Answer in Spanish.",
                      created_at=NOW, updated_at=NOW)
WORK = ProjectView(project_id="7b7b7b7b", name="Work", instructions="", created_at=NOW, updated_at=NOW)


def _conversation(conversation_id: str, *, project: ProjectView | None = None,
                  temporary: bool = False) -> ConversationView:
    return ConversationView(conversation_id=conversation_id, title=conversation_id, message_count=2, created_at=NOW,
                            updated_at=NOW, temporary=temporary,
                            project_id=project.project_id if project else None)


def _listed(state: ChatState, *conversations: ConversationView) -> None:
    state.receive(Conversations(conversations=list(conversations), projects=[SPANISH, WORK]))


# ---------------------------------------------------------------- your instructions


def test_instructions_are_asked_once_and_shown_as_the_server_keeps_them(state: ChatState, outbox: FakeOutbox) -> None:
    state.instructions.ensure_loaded()
    state.instructions.ensure_loaded()
    assert outbox.of(GetInstructions) == [GetInstructions(action="getInstructions")]

    state.receive(Instructions(about="I am a nurse.", style="Be brief.", max_chars=250))

    mine = state.instructions
    assert (mine.about, mine.style, mine.max_chars, mine.loaded) == ("I am a nurse.", "Be brief.", 250, True)
    assert state.projects.max_chars == 250  # a project's instructions are bounded the same


def test_saving_sends_only_what_changed_and_shows_it_at_once(state: ChatState, outbox: FakeOutbox) -> None:
    state.receive(Instructions(about="I am a nurse.", style="", max_chars=300))

    assert state.instructions.save(about="I am a nurse.", style="  Be brief. ")
    assert outbox.last == SetInstructions(action="setInstructions", style="Be brief.")
    assert state.instructions.style == "Be brief." and state.instructions.saving
    assert not state.instructions.save(about="I am a nurse.", style="Be brief."), "nothing changed: nothing sent"


def test_a_text_over_the_limit_is_kept_said_by_how_much_and_not_sent(state: ChatState, outbox: FakeOutbox) -> None:
    state.receive(Instructions(about="", style="", max_chars=10))

    assert state.instructions.over("x" * 13) == 3
    assert not state.instructions.save(about="x" * 13)
    assert outbox.of(SetInstructions) == [] and state.instructions.about == ""


def test_a_refused_change_reads_back_what_the_server_keeps(state: ChatState, outbox: FakeOutbox) -> None:
    state.receive(Instructions(about="", style="", max_chars=300))
    state.instructions.save(style="日本語" * 90)

    state.receive(ErrorFrame(code=ErrorCode.TOO_LARGE, message="How it should answer is too long…"))

    assert outbox.last == GetInstructions(action="getInstructions") and not state.instructions.saving
    assert state.notice == "How it should answer is too long…"


# ---------------------------------------------------------------- projects


def test_the_lists_first_page_brings_the_projects_and_groups_the_conversations(state: ChatState) -> None:
    _listed(state, _conversation("a1a1a1a1", project=SPANISH), _conversation("b2b2b2b2"),
            _conversation("c3c3c3c3", project=SPANISH),
            _conversation("d4d4d4d4").model_copy(update={"project_id": "9d9d9d9d"}))  # a project since gone

    groups = [(project.name if project else None, [c.conversation_id for c in conversations])
              for project, conversations in state.grouped()]
    assert groups == [("Spanish practice", ["a1a1a1a1", "c3c3c3c3"]), ("Work", []),
                      (None, ["b2b2b2b2", "d4d4d4d4"])]


def test_a_project_is_created_then_shown_first(state: ChatState, outbox: FakeOutbox) -> None:
    _listed(state)

    assert state.projects.create("  Trip   to Kyoto ", "Plan with me.")
    assert outbox.last == CreateProject(action="createProject", name="Trip to Kyoto", instructions="Plan with me.")
    kyoto = SPANISH.model_copy(update={"project_id": "8c8c8c8c", "name": "Trip to Kyoto"})
    state.receive(ProjectChanged(project=kyoto))

    assert [p.name for p in state.projects.projects] == ["Trip to Kyoto", "Spanish practice", "Work"]
    assert not state.projects.creating


def test_no_project_is_asked_for_past_the_limit_or_with_a_blank_name(state: ChatState, outbox: FakeOutbox) -> None:
    state.receive(Projects(projects=[SPANISH, WORK], limit=2))

    assert not state.projects.create("Third") and not state.projects.create("   ")
    assert outbox.of(CreateProject) == []


def test_renaming_and_new_instructions_show_at_once(state: ChatState, outbox: FakeOutbox) -> None:
    _listed(state)

    assert state.projects.rename(SPANISH.project_id, "Español")
    assert state.projects.set_instructions(SPANISH.project_id, " Solo en español. ")

    assert outbox.frames[-2:] == [
        RenameProject(action="renameProject", project_id=SPANISH.project_id, name="Español"),
        SetProjectInstructions(action="setProjectInstructions", project_id=SPANISH.project_id,
                               instructions="Solo en español.")]
    shown = state.projects.find(SPANISH.project_id)
    assert (shown.name, shown.instructions) == ("Español", "Solo en español.")


def test_a_new_chat_inside_a_project_sends_its_first_message_there_and_cannot_be_temporary(
        state: ChatState, outbox: FakeOutbox) -> None:
    _listed(state)
    state.new_chat(project_id=SPANISH.project_id)
    state.set_temporary(True)

    state.send("Hola")

    (sent,) = outbox.of(SendMessage)
    assert (sent.project_id, sent.temporary, sent.conversation_id) == (SPANISH.project_id, False, None)


def test_a_message_in_an_existing_conversation_names_no_project(state: ChatState, outbox: FakeOutbox) -> None:
    _listed(state, _conversation(CONVERSATION, project=SPANISH))
    state.open_conversation(CONVERSATION)
    state.receive(history([]))

    state.send("¿Y ahora?")

    (sent,) = outbox.of(SendMessage)
    assert sent.project_id is None and state.thread.project_id == SPANISH.project_id


def test_a_conversation_moves_into_a_project_and_out_at_once(state: ChatState, outbox: FakeOutbox) -> None:
    _listed(state, _conversation(CONVERSATION))

    assert state.move(CONVERSATION, SPANISH.project_id)
    assert state.find_conversation(CONVERSATION).project_id == SPANISH.project_id
    state.receive(ConversationChanged(conversation=_conversation(CONVERSATION, project=SPANISH)))
    assert state.move(CONVERSATION, None)

    assert [f.project_id for f in outbox.of(MoveConversation)] == [SPANISH.project_id, None]
    assert state.find_conversation(CONVERSATION).project_id is None
    assert not state.move(CONVERSATION, None), "already outside: nothing sent"


def test_a_temporary_chat_is_never_moved_into_a_project(state: ChatState, outbox: FakeOutbox) -> None:
    _listed(state, _conversation(CONVERSATION, temporary=True))

    assert not state.move(CONVERSATION, SPANISH.project_id) and outbox.of(MoveConversation) == []


def test_a_refused_move_puts_the_conversation_back_and_keeps_it(state: ChatState, outbox: FakeOutbox) -> None:
    _listed(state, _conversation(CONVERSATION, project=WORK))
    state.move(CONVERSATION, SPANISH.project_id)

    state.receive(ErrorFrame(code=ErrorCode.NOT_FOUND, message="No such project.", conversation_id=CONVERSATION))

    assert state.find_conversation(CONVERSATION).project_id == WORK.project_id
    assert outbox.last == ListProjects(action="listProjects") and state.notice == "No such project."


def test_deleting_a_project_and_keeping_its_conversations_moves_them_out_at_once(state: ChatState,
                                                                                  outbox: FakeOutbox) -> None:
    _listed(state, _conversation("a1a1a1a1", project=SPANISH), _conversation("b2b2b2b2", project=WORK))

    state.delete_project(SPANISH.project_id, keep_conversations=True)

    assert outbox.last == DeleteProject(action="deleteProject", project_id=SPANISH.project_id,
                                        keep_conversations=True)
    assert [p.project_id for p in state.projects.projects] == [WORK.project_id]
    assert {c.conversation_id: c.project_id for c in state.conversations} == {
        "a1a1a1a1": None, "b2b2b2b2": WORK.project_id}
    state.receive(ProjectDeleted(project_id=SPANISH.project_id, kept_conversations=True, conversations=1))
    assert len(state.conversations) == 2


def test_deleting_a_project_with_its_conversations_drops_them_and_closes_the_open_one(state: ChatState,
                                                                                     outbox: FakeOutbox) -> None:
    _listed(state, _conversation(CONVERSATION, project=SPANISH), _conversation("b2b2b2b2"))
    state.open_conversation(CONVERSATION)

    state.delete_project(SPANISH.project_id, keep_conversations=False)
    state.receive(Deleted(conversation_id=CONVERSATION))
    state.receive(ProjectDeleted(project_id=SPANISH.project_id, kept_conversations=False, conversations=1))

    assert [c.conversation_id for c in state.conversations] == ["b2b2b2b2"] and state.thread is None


def test_a_project_deleted_elsewhere_leaves_a_new_chat_in_it_outside_any(state: ChatState) -> None:
    _listed(state)
    state.new_chat(project_id=SPANISH.project_id)

    state.receive(ProjectDeleted(project_id=SPANISH.project_id, kept_conversations=True, conversations=0))

    assert state.thread is not None and state.thread.project_id is None


# ---------------------------------------------------------------- a project's screen


def test_a_projects_screen_opens_on_it_and_closes_when_it_is_deleted(state: ChatState) -> None:
    _listed(state)
    state.projects.open(SPANISH.project_id)
    assert state.projects.opened == SPANISH

    state.receive(ProjectDeleted(project_id=SPANISH.project_id, kept_conversations=True, conversations=0))

    assert state.projects.opened is None  # deleted on another device: nothing left to show
    state.projects.open(WORK.project_id)
    state.projects.close()
    assert state.projects.opened is None


def test_instructions_over_the_limit_say_by_how_much_and_are_never_sent(state: ChatState,
                                                                         outbox: FakeOutbox) -> None:
    state.receive(Instructions(about="", style="", max_chars=20))
    _listed(state)
    text = "Answer in Spanish and correct me."

    assert state.projects.over(text) == len(text) - 20 and state.projects.over("  Be brief.  ") == 0
    assert not state.projects.create("Spanish", text)
    assert not state.projects.set_instructions(SPANISH.project_id, text)
    assert outbox.of(CreateProject) == [] and outbox.of(SetProjectInstructions) == []


def test_a_saved_change_says_saved_once_the_server_has_it_and_no_longer_once_edited(state: ChatState) -> None:
    state.receive(Instructions(about="", style="", max_chars=300))
    mine = state.instructions
    mine.save(about="I am a nurse.")
    assert mine.saving and not mine.saved

    state.receive(Instructions(about="I am a nurse.", style="", max_chars=300))
    assert mine.saved and not mine.saving

    mine.edited()
    assert not mine.saved


def test_a_refused_change_keeps_its_reason_for_the_screen(state: ChatState) -> None:
    state.receive(Instructions(about="", style="", max_chars=300))
    state.instructions.save(style="日本語" * 90)

    state.receive(ErrorFrame(code=ErrorCode.TOO_LARGE, message="How it should answer is too long."))
    state.receive(Instructions(about="", style="", max_chars=300))  # read back: what the server keeps

    assert state.instructions.error == "How it should answer is too long." and not state.instructions.saved
