"""The terminal client: what it sends for each command and what it prints of each frame, over a fake socket."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from memchat.frames import (
    DeleteMemory,
    Done,
    Highlight,
    ListMemories,
    Memories,
    MemoryDeleted,
    MemoryView,
    RecalledMemory,
    SearchConversations,
    SearchResult,
    SearchResults,
    Usage,
    parse_client_frame,
)
from memchat_local.terminal import Terminal

WHEN = datetime(2026, 12, 5, tzinfo=UTC)
GRAZ = MemoryView(memory_id="a" * 24, subject="home", text="Lives in: Graz", created_at=WHEN, updated_at=WHEN,
                  sources=[])
CHESS = MemoryView(memory_id="b" * 24, subject="preference", text="Likes: chess", created_at=WHEN, updated_at=WHEN,
                   sources=[])

FOUND = SearchResult(conversation_id="c" * 32, conversation_title="Baking", message_id="d" * 24, role="user",
                     created_at=WHEN, snippet="my banana bread recipe",
                     highlights=[Highlight(start=3, end=9), Highlight(start=10, end=15)])
TITLED = SearchResult(conversation_id="e" * 32, conversation_title="Bread in Vienna", created_at=WHEN,
                      snippet="Bread in Vienna", highlights=[Highlight(start=0, end=5)])
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
            case SearchConversations():
                self.terminal._show(SEARCH_PAGES[frame.cursor])


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
