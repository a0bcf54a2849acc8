"""The terminal client: what it sends for each command and what it prints of each frame, over a fake socket."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from memchat.frames import (
    Ack,
    ConversationChanged,
    Conversations,
    ConversationView,
    CreateProject,
    DeleteConversation,
    Deleted,
    DeleteMemory,
    DeleteProject,
    Done,
    ErrorFrame,
    ExportData,
    ExportPage,
    GetInstructions,
    Highlight,
    ImportLine,
    ImportMemories,
    ImportPreview,
    Instructions,
    ListConversations,
    ListMemories,
    ListProjects,
    Memories,
    MemoryDeleted,
    MemorySource,
    MemoryView,
    MoveConversation,
    PinConversation,
    ProjectChanged,
    ProjectDeleted,
    Projects,
    ProjectView,
    RecalledMemory,
    SearchConversations,
    SearchResult,
    SearchResults,
    SendMessage,
    SetInstructions,
    ShareConversation,
    SharePage,
    SourceKind,
    Usage,
    Waking,
    parse_client_frame,
)
from memchat_local.terminal import Terminal

WHEN = datetime(2026, 12, 5, tzinfo=UTC)
GRAZ = MemoryView(memory_id="a" * 24, subject="home", text="Lives in: Graz", created_at=WHEN, updated_at=WHEN,
                  sources=[])
CHESS = MemoryView(memory_id="b" * 24, subject="preference", text="Likes: chess", created_at=WHEN, updated_at=WHEN,
                   sources=[])
SPANISH = ProjectView(project_id="e" * 16, name="Spanish practice", instructions="Answer in Spanish.", created_at=WHEN,
                      updated_at=WHEN)
TRIP = ConversationView(conversation_id="c" * 24, title="Trip to Kyoto", message_count=2, created_at=WHEN,
                        updated_at=WHEN, project_id=SPANISH.project_id)

FOUND = SearchResult(conversation_id="c" * 32, conversation_title="Baking", message_id="d" * 24, role="user",
                     created_at=WHEN, snippet="my banana bread recipe",
                     highlights=[Highlight(start=3, end=9), Highlight(start=10, end=15)])
TITLED = SearchResult(conversation_id="e" * 32, conversation_title="Bread in Vienna", created_at=WHEN,
                      snippet="Bread in Vienna", highlights=[Highlight(start=0, end=5)])
DOCUMENT = json.dumps({"format": "memchat-export", "conversations": [{"title": "Trip to Kyoto"}]})
EXPORT_PAGES = {None: ExportPage(part=DOCUMENT[:20], offset=0, total=len(DOCUMENT), cursor="p2"),
                "p2": ExportPage(part=DOCUMENT[20:40], offset=20, total=len(DOCUMENT), cursor="p3"),
                "p3": ExportPage(part=DOCUMENT[40:], offset=40, total=len(DOCUMENT))}
MARKDOWN = "# Trip to Kyoto\n\n**You** · 2026-12-05 00:00 UTC\n\nWhere to stay?\n"
SHARE_PAGES = {None: SharePage(conversation_id=TRIP.conversation_id, part=MARKDOWN[:30], offset=0,
                               total=len(MARKDOWN), cursor="s2"),
               "s2": SharePage(conversation_id=TRIP.conversation_id, part=MARKDOWN[30:], offset=30,
                               total=len(MARKDOWN))}
SEARCH_PAGES = {None: SearchResults(query="banana bread", results=[FOUND], cursor="next"),
                "next": SearchResults(query="banana bread", results=[TITLED])}


class FakeSocket:
    """The server's side of the seam: each client frame is recorded and answered at once."""

    def __init__(self, terminal: Terminal) -> None:
        self.terminal = terminal
        self.sent: list[object] = []

    def send(self, raw: str) -> None:
        frame = parse_client_frame(raw)
        self.sent.append(frame)
        match frame:
            case ListMemories():
                self.terminal._show(Memories(enabled=True, memories=[GRAZ, CHESS], limit=200))
            case DeleteMemory():
                self.terminal._show(MemoryDeleted(memory_id=frame.memory_id))
            case GetInstructions():
                self.terminal._show(Instructions(about="I am a nurse.", style="", max_chars=300))
            case SetInstructions():
                self.terminal._show(Instructions(about=frame.about or "", style=frame.style or "", max_chars=300))
            case ListProjects():
                self.terminal._show(Projects(projects=[SPANISH], limit=20))
            case CreateProject():
                self.terminal._show(ProjectChanged(project=SPANISH.model_copy(update={"name": frame.name})))
            case ListConversations():
                self.terminal._show(Conversations(conversations=[TRIP], projects=[SPANISH]))
            case MoveConversation():
                self.terminal._show(ConversationChanged(conversation=TRIP.model_copy(
                    update={"project_id": frame.project_id})))
            case PinConversation():
                self.terminal._show(ConversationChanged(conversation=TRIP.model_copy(
                    update={"pinned": frame.pinned})))
            case DeleteProject():
                if not frame.keep_conversations:
                    self.terminal._show(Deleted(conversation_id=TRIP.conversation_id))
                self.terminal._show(ProjectDeleted(project_id=frame.project_id,
                                                   kept_conversations=frame.keep_conversations, conversations=1))
            case SendMessage():
                self.terminal._show(Ack(client_message_id=frame.client_message_id, conversation_id="f" * 24,
                                        message_id="1" * 24, reply_id="2" * 24))
                self.terminal._show(Done(conversation_id="f" * 24, message_id="2" * 24, finish_reason="stop",
                                         usage=Usage(prompt_tokens=5, completion_tokens=1)))
            case SearchConversations():
                self.terminal._show(SEARCH_PAGES[frame.cursor])
            case ExportData():
                self.terminal._show(EXPORT_PAGES[frame.cursor])
            case ShareConversation():
                self.terminal._show(SHARE_PAGES[frame.cursor])
            case ImportMemories():
                self.terminal._show(ImportPreview(kept=[ImportLine(line=1, subject="home", text="Lives in: Graz")],
                                                  dropped=[ImportLine(line=2, reason="unread")],
                                                  stored=frame.confirm))


@pytest.fixture
def terminal() -> tuple[Terminal, FakeSocket]:
    client = Terminal("ws://127.0.0.1:1", "token")
    socket = FakeSocket(client)
    client._socket = socket  # type: ignore[assignment]
    return client, socket


def test_memories_lists_what_memchat_remembers_numbered(terminal, capsys):
    client, socket = terminal
    client._command("/memories")
    out = capsys.readouterr().out
    assert socket.sent == [ListMemories(action="listMemories")]
    assert "  1. Lives in: Graz  (learnt 2026-12-05)" in out and "  2. Likes: chess" in out


def test_memories_lists_the_facts_told_as_over_after_numbered_on_and_forget_reaches_them(terminal, capsys):
    client, socket = terminal
    oslo = GRAZ.model_copy(update={"memory_id": "c" * 24, "text": "Lives in (past, until 2019): Oslo",
                                   "ended_at": WHEN})
    client._show(Memories(enabled=True, memories=[GRAZ, CHESS], past=[oslo], limit=200))
    client._command("/forget 3")

    out = capsys.readouterr().out
    assert out.index("  2. Likes: chess") < out.index("In the past") < out.index(
        "  3. Lives in (past, until 2019): Oslo  (told as over 2026-12-05)")
    assert socket.sent[-1] == DeleteMemory(action="deleteMemory", memory_id=oslo.memory_id)


def test_forget_n_deletes_the_memory_listed_as_n(terminal, capsys):
    client, socket = terminal
    client._command("/memories")
    client._command("/forget 2")
    assert socket.sent[-1] == DeleteMemory(action="deleteMemory", memory_id=CHESS.memory_id)
    assert "(forgotten, with every copy of it)" in capsys.readouterr().out


@pytest.mark.parametrize("argument", ["", "0", "3", "two"])
def test_forget_without_a_listed_number_says_how_and_sends_nothing(terminal, capsys, argument):
    client, socket = terminal
    client._command("/memories")
    sent = len(socket.sent)
    client._command(f"/forget {argument}".strip())
    assert len(socket.sent) == sent
    assert "Say which one by its number in /memories." in capsys.readouterr().out


def test_an_answer_says_which_memories_it_used(terminal, capsys):
    client, _ = terminal
    client._show(Done(conversation_id="c" * 24, message_id="d" * 24, finish_reason="stop",
                      usage=Usage(prompt_tokens=50, completion_tokens=9),
                      memories=[RecalledMemory(memory_id=GRAZ.memory_id, text=GRAZ.text)]))
    assert "(used 1 memory: Lives in: Graz)" in capsys.readouterr().out


def test_an_answer_that_used_none_says_nothing_of_memory(terminal, capsys):
    client, _ = terminal
    client._show(Done(conversation_id="c" * 24, message_id="d" * 24, finish_reason="stop",
                      usage=Usage(prompt_tokens=50, completion_tokens=9)))
    assert "used" not in capsys.readouterr().out


def test_memory_switched_off_is_said(terminal, capsys):
    client, _ = terminal
    client._show(Memories(enabled=False, memories=[], limit=200))
    assert "memory is off" in capsys.readouterr().out


@pytest.mark.parametrize(("seconds", "minutes"), [(300, 5), (61, 2), (59, 1), (0, 1)])
def test_a_waking_model_is_said_with_its_estimate_in_whole_minutes(terminal, capsys, seconds, minutes):
    client, _ = terminal
    client._show(Waking(conversation_id="c" * 24, message_id="d" * 24, ready_in_seconds=seconds, waited_seconds=0))
    assert f"(waking the assistant, about {minutes} min: the answer follows here)" in capsys.readouterr().out
    assert not client._settled.is_set()  # the answer is still to come
# ---------------------------------------------------------------- instructions and projects


def test_instructions_shows_both_questions_and_what_is_set(terminal, capsys):
    client, socket = terminal
    client._command("/instructions")
    out = capsys.readouterr().out
    assert socket.sent == [GetInstructions(action="getInstructions")]
    assert "What should memchat know about you?\n  I am a nurse." in out
    assert "How should it answer?\n  (nothing yet)" in out and "at most 300 characters" in out


@pytest.mark.parametrize(("line", "sent"), [
    ("/instructions about I live in Porto.", {"about": "I live in Porto."}),
    ("/instructions style   Be brief. ", {"style": "Be brief."}),
    ("/instructions style -", {"style": ""}),
])
def test_each_instruction_is_set_on_its_own(terminal, line, sent):
    client, socket = terminal
    client._command(line)
    assert socket.sent == [SetInstructions(action="setInstructions", **sent)]


@pytest.mark.parametrize("line", ["/instructions about", "/instructions mood Happy"])
def test_an_instruction_without_text_or_field_says_how_and_sends_nothing(terminal, capsys, line):
    client, socket = terminal
    client._command(line)
    assert socket.sent == [] and "/instructions about TEXT" in capsys.readouterr().out


def test_the_list_names_each_conversations_project(terminal, capsys):
    client, _ = terminal
    client._command("/list")
    assert "  1. [Spanish practice] Trip to Kyoto" in capsys.readouterr().out


def test_a_new_conversation_starts_in_the_project_numbered_and_the_next_one_does_not(terminal):
    client, socket = terminal
    client._command("/projects")
    client._command("/new 1")
    client._say("Hola")
    client._command("/new")
    client._say("Hello")
    first, second = [frame for frame in socket.sent if isinstance(frame, SendMessage)]
    assert (first.project_id, second.project_id) == (SPANISH.project_id, None)


def test_a_project_is_made_and_a_conversation_moved_in_and_out(terminal, capsys):
    client, socket = terminal
    client._command("/project new Spanish practice")
    client._command("/list")
    client._command("/move 1 1")
    client._command("/move 1 out")
    assert socket.sent[0] == CreateProject(action="createProject", name="Spanish practice")
    moves = [frame.project_id for frame in socket.sent if isinstance(frame, MoveConversation)]
    assert moves == [SPANISH.project_id, None]
    assert "(Trip to Kyoto: no project)" in capsys.readouterr().out


def test_pin_and_unpin_send_the_listed_conversation_and_print_its_state(terminal, capsys):
    client, socket = terminal
    client._command("/list")
    client._command("/pin 1")
    client._command("/unpin 1")
    client._command("/pin 2")  # not listed: nothing sent
    pins = [(f.conversation_id, f.pinned) for f in socket.sent if isinstance(f, PinConversation)]
    assert pins == [(TRIP.conversation_id, True), (TRIP.conversation_id, False)]
    printed = capsys.readouterr().out
    assert "(Trip to Kyoto: Spanish practice, pinned)" in printed
    assert "Say which one by its number in /list." in printed


def test_the_list_marks_a_pinned_conversation(terminal, capsys):
    client, _ = terminal
    client._show(Conversations(conversations=[TRIP.model_copy(update={"pinned": True})], projects=[SPANISH]))
    assert "1. (pinned) [Spanish practice] Trip to Kyoto" in capsys.readouterr().out


@pytest.mark.parametrize(("choice", "keep"), [("keep", True), ("all", False)])
def test_deleting_a_project_carries_the_users_choice(terminal, capsys, choice, keep):
    client, socket = terminal
    client._command("/projects")
    client._command(f"/project delete 1 {choice}")
    assert socket.sent[-1] == DeleteProject(action="deleteProject", project_id=SPANISH.project_id,
                                            keep_conversations=keep)
    assert f"1 conversations {'moved out' if keep else 'deleted'}" in capsys.readouterr().out
    assert not any(isinstance(frame, DeleteConversation) for frame in socket.sent)


def test_deleting_a_project_without_a_choice_asks_for_one(terminal, capsys):
    client, socket = terminal
    client._command("/projects")
    client._command("/project delete 1")
    assert socket.sent == [ListProjects(action="listProjects")]
    assert "keep|all" in capsys.readouterr().out
def test_search_sends_the_words_and_prints_numbered_results_with_the_matches_marked(terminal, capsys):
    client, socket = terminal
    client._command('/search banana bread')
    out = capsys.readouterr().out
    assert socket.sent == [SearchConversations(action="searchConversations", query="banana bread")]
    assert "  1. Baking  (2026-12-05 00:00, you)\n     my *banana* *bread* recipe" in out
    assert "/more" in out


def test_more_asks_for_the_next_page_and_numbers_on(terminal, capsys):
    client, socket = terminal
    client._command("/search banana bread")
    client._command("/more")
    out = capsys.readouterr().out
    assert socket.sent[-1] == SearchConversations(action="searchConversations", query="banana bread", cursor="next")
    assert "  2. Bread in Vienna  (2026-12-05 00:00, title)\n     *Bread* in Vienna" in out
    client._command("/more")
    assert "(no more results" in capsys.readouterr().out
    assert len(socket.sent) == 2


def test_search_without_words_says_how_and_sends_nothing(terminal, capsys):
    client, socket = terminal
    client._command("/search   ")
    assert socket.sent == [] and "/search WORDS" in capsys.readouterr().out


# ---------------------------------------------------------------- /export and /import


def test_export_asks_for_every_page_and_writes_the_joined_document(terminal, capsys, tmp_path):
    client, socket = terminal
    target = tmp_path / "mine.json"
    client._command(f"/export {target}")
    assert socket.sent == [ExportData(action="exportData"), ExportData(action="exportData", cursor="p2"),
                           ExportData(action="exportData", cursor="p3")]
    assert json.loads(target.read_text()) == json.loads(DOCUMENT)
    assert f"wrote your data to {target}" in capsys.readouterr().out


def test_an_export_refused_part_way_writes_no_file(terminal, capsys, tmp_path):
    client, _ = terminal
    target = tmp_path / "mine.json"
    client._export = (target, [])
    client._show(ErrorFrame(code="bad_request",
                            message="Your data changed during the export: start it again (without a cursor)."))
    client._show(EXPORT_PAGES["p3"])
    assert not target.exists() and "changed during the export" in capsys.readouterr().out


def test_export_without_a_file_says_how_and_sends_nothing(terminal, capsys):
    client, socket = terminal
    client._command("/export ")
    assert socket.sent == [] and "/export FILE" in capsys.readouterr().out


@pytest.mark.parametrize(("answer", "confirmed"), [("y", True), ("n", False)])
def test_import_shows_the_preview_and_stores_only_on_yes(terminal, capsys, tmp_path, monkeypatch, answer,
                                                         confirmed):
    client, socket = terminal
    facts = tmp_path / "facts.txt"
    facts.write_text("I live in Graz.\nMy sister lives in Leeds.\n")
    monkeypatch.setattr("builtins.input", lambda prompt: answer)
    client._command(f"/import {facts}")
    lines = ["I live in Graz.", "My sister lives in Leeds."]
    assert socket.sent == [ImportMemories(action="importMemories", lines=lines),
                           *([ImportMemories(action="importMemories", lines=lines, confirm=True)] if confirmed else [])]
    out = capsys.readouterr().out
    assert "line 1: Lives in: Graz" in out and "line 2: not kept (unread)" in out
    assert ("stored 1 memories" in out) is confirmed and ("nothing stored" in out) is not confirmed


def test_import_of_a_missing_file_says_so_and_sends_nothing(terminal, capsys, tmp_path):
    client, socket = terminal
    client._command(f"/import {tmp_path / 'nope.txt'}")
    assert socket.sent == [] and "Cannot read" in capsys.readouterr().out


def test_an_imported_memory_is_listed_as_imported(terminal, capsys):
    client, _ = terminal
    imported = GRAZ.model_copy(update={"sources": [MemorySource(kind=SourceKind.IMPORT, imported_at=WHEN)]})
    client._show(Memories(enabled=True, memories=[imported, CHESS], limit=200))
    out = capsys.readouterr().out
    assert "1. Lives in: Graz  (imported 2026-12-05)" in out and "2. Likes: chess  (learnt 2026-12-05)" in out


# ---------------------------------------------------------------- /share


def test_share_asks_for_every_page_of_the_open_conversation_and_writes_the_markdown(terminal, capsys, tmp_path):
    client, socket = terminal
    client._conversation = TRIP.conversation_id
    target = tmp_path / "trip.md"

    client._command(f"/share {target} --alternatives")

    first = ShareConversation(action="shareConversation", conversation_id=TRIP.conversation_id, alternatives=True)
    assert socket.sent == [first, first.model_copy(update={"cursor": "s2"})]
    assert target.read_text(encoding="utf-8") == MARKDOWN
    assert f"wrote the conversation to {target}" in capsys.readouterr().out


def test_share_without_alternatives_asks_for_the_current_answers_only(terminal, tmp_path):
    client, socket = terminal
    client._conversation = TRIP.conversation_id
    client._command(f"/share {tmp_path / 'trip.md'}")
    assert socket.sent[0].alternatives is False


def test_share_without_an_open_conversation_or_a_file_says_how_and_sends_nothing(terminal, capsys, tmp_path):
    client, socket = terminal
    client._command(f"/share {tmp_path / 'trip.md'}")
    client._conversation = TRIP.conversation_id
    client._command("/share --alternatives")
    out = capsys.readouterr().out
    assert socket.sent == [] and "/open N first" in out and "/share FILE [--alternatives]" in out


def test_a_share_refused_part_way_writes_no_file(terminal, capsys, tmp_path):
    client, _ = terminal
    target = tmp_path / "trip.md"
    client._share = (target, [], ShareConversation(action="shareConversation", conversation_id=TRIP.conversation_id))
    client._show(ErrorFrame(code="not_found", message="No such conversation."))
    client._show(SHARE_PAGES["s2"])
    assert not target.exists() and "No such conversation" in capsys.readouterr().out
