"""The terminal chat client (`memchat chat`): the wire protocol by hand, for newcomers and debugging."""

from __future__ import annotations

import sys
import threading
import uuid

import websocket
from pydantic import ValidationError

from memchat.frames import (
    Ack,
    Conversations,
    ConversationView,
    DeleteConversation,
    Deleted,
    DeleteMemory,
    Delta,
    Done,
    ErrorFrame,
    GetHistory,
    History,
    ListConversations,
    ListMemories,
    Memories,
    MemoryDeleted,
    MemoryView,
    Ping,
    Pong,
    SearchConversations,
    SearchResult,
    SearchResults,
    SendMessage,
    StopGeneration,
    parse_server_frame,
)

HELP = """Type a message and press Enter. Commands:
  /new          start a new conversation      /list        list your conversations
  /open N       continue conversation N       /history     show this conversation
  /delete N     delete conversation N         /memories    what memchat remembers about you
  /forget N     forget memory N (and every copy of it)     /quit   leave (Ctrl-C stops an answer)
  /search WORDS find words in your conversations ("quotes" for a phrase)   /more   the next results"""
PING_SECONDS = 300  # well under API Gateway's 10-minute idle timeout


class Terminal:
    def __init__(self, url: str, token: str) -> None:
        self._url = f"{url}/?token={token}" if "?" not in url else f"{url}&token={token}"
        self._socket: websocket.WebSocket | None = None
        self._conversation: str | None = None
        self._answer: str | None = None
        self._settled = threading.Event()
        self._listed: list[ConversationView] = []
        self._memories: list[MemoryView] = []
        self._search: tuple[str, str | None] | None = None  # the last query and its next page's cursor
        self._found = 0
        self._closed = threading.Event()

    def run(self) -> int:
        try:
            self._socket = websocket.create_connection(self._url, timeout=10)
        except (OSError, websocket.WebSocketException) as exc:
            print(f"memchat: cannot connect to {self._url.split('?')[0]}: {exc}. Is `make dev` running?",
                  file=sys.stderr)
            return 1
        self._socket.settimeout(None)
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._keepalive, daemon=True).start()
        print("Connected to memchat.", HELP, sep="\n")
        try:
            while not self._closed.is_set():
                try:
                    line = input("\nyou> ").strip()
                except EOFError:
                    break
                if line and not self._command(line):
                    break
        finally:
            self._socket.close()
        return 0

    def _command(self, line: str) -> bool:
        """Run one input line; False to quit."""
        word, _, argument = line.partition(" ")
        if word == "/quit":
            return False
        if word == "/help":
            print(HELP)
        elif word == "/new":
            self._conversation = None
            print("(new conversation)")
        elif word == "/list":
            self._request(ListConversations(action="listConversations"))
        elif word in ("/open", "/delete"):
            chosen = self._pick(argument)
            if chosen is None:
                return True
            if word == "/open":
                self._conversation = chosen.conversation_id
                self._request(GetHistory(action="getHistory", conversation_id=chosen.conversation_id, limit=10))
            else:
                self._request(DeleteConversation(action="deleteConversation", conversation_id=chosen.conversation_id))
                if self._conversation == chosen.conversation_id:
                    self._conversation = None
        elif word == "/memories":
            self._request(ListMemories(action="listMemories"))
        elif word == "/forget":
            if not argument.isdigit() or not 1 <= int(argument) <= len(self._memories):
                print("Say which one by its number in /memories.")
                return True
            chosen = self._memories[int(argument) - 1]
            self._request(DeleteMemory(action="deleteMemory", memory_id=chosen.memory_id))
        elif word == "/search":
            if not argument.strip():
                print("Say what to look for: /search WORDS.")
                return True
            self._found = 0
            self._request(SearchConversations(action="searchConversations", query=argument.strip()))
        elif word == "/more":
            if self._search is None or self._search[1] is None:
                print("(no more results: /search WORDS first)")
                return True
            query, cursor = self._search
            self._request(SearchConversations(action="searchConversations", query=query, cursor=cursor))
        elif word == "/history":
            if self._conversation:
                self._request(GetHistory(action="getHistory", conversation_id=self._conversation, limit=20))
            else:
                print("(no conversation yet: say something)")
        elif word.startswith("/"):
            print(f"Unknown command {word}.\n{HELP}")
        else:
            self._say(line)
        return True

    def _pick(self, argument: str) -> ConversationView | None:
        if not argument.isdigit() or not 1 <= int(argument) <= len(self._listed):
            print("Say which one by its number in /list.")
            return None
        return self._listed[int(argument) - 1]

    def _say(self, text: str) -> None:
        frame = SendMessage(action="sendMessage", conversation_id=self._conversation, client_message_id=uuid.uuid4(),
                            text=text)
        print("memchat> ", end="", flush=True)
        try:
            self._request(frame)
        except KeyboardInterrupt:
            if self._conversation and self._answer:
                self._send(StopGeneration(action="stopGeneration", conversation_id=self._conversation,
                                          message_id=self._answer))
                self._settled.wait(10)

    def _request(self, frame) -> None:
        self._settled.clear()
        self._send(frame)
        while not self._settled.wait(0.2):
            if self._closed.is_set():
                return

    def _send(self, frame) -> None:
        assert self._socket is not None
        self._socket.send(frame.to_wire())

    def _keepalive(self) -> None:
        while not self._closed.wait(PING_SECONDS):
            try:
                self._send(Ping(action="ping"))
            except (OSError, websocket.WebSocketException):
                return

    def _read(self) -> None:
        assert self._socket is not None
        try:
            while True:
                raw = self._socket.recv()
                if not raw:
                    break
                try:
                    self._show(parse_server_frame(raw))
                except ValidationError:
                    print(f"\n(unreadable frame: {raw[:200]!r})")
                    self._settled.set()
        except (OSError, websocket.WebSocketException):
            pass
        print("\n(disconnected)")
        self._closed.set()
        self._settled.set()

    def _show(self, frame) -> None:
        match frame:
            case Ack():
                self._conversation = frame.conversation_id
                self._answer = frame.reply_id
            case Delta():
                print(frame.text, end="", flush=True)
            case Done():
                usage = frame.usage
                note = "" if frame.finish_reason == "stop" else f" [{frame.finish_reason}]"
                print(f"{note}\n({usage.prompt_tokens} prompt + {usage.completion_tokens} answer tokens)")
                if frame.memories:  # as the app's "Used N memories": why the assistant knows what it knows
                    used = "; ".join(memory.text for memory in frame.memories)
                    print(f"(used {len(frame.memories)} {'memory' if len(frame.memories) == 1 else 'memories'}: "
                          f"{used})")
                self._answer = None
                self._settled.set()
            case ErrorFrame():
                print(f"\n! {frame.code}: {frame.message}")
                self._settled.set()
            case Conversations():
                self._listed = frame.conversations
                if not frame.conversations:
                    print("(no conversations yet)")
                for number, conversation in enumerate(frame.conversations, 1):
                    print(f"{number:>3}. {conversation.title}  ({conversation.message_count} messages, "
                          f"{conversation.updated_at:%Y-%m-%d %H:%M})")
                self._settled.set()
            case History():
                for message in frame.messages:
                    print(f"{'you' if message.role == 'user' else 'memchat'}> {message.text}")
                self._settled.set()
            case Deleted():
                print("(deleted)")
                self._settled.set()
            case Memories():
                self._memories = frame.memories
                state = "" if frame.enabled else " (memory is off: nothing new is learnt or used)"
                if not frame.memories:
                    print(f"(memchat remembers nothing about you yet){state}")
                elif state:
                    print(state.strip())
                for number, memory in enumerate(frame.memories, 1):
                    print(f"{number:>3}. {memory.text}  (learnt {memory.created_at:%Y-%m-%d})")
                self._settled.set()
            case MemoryDeleted():
                self._memories = [m for m in self._memories if m.memory_id != frame.memory_id]
                print("(forgotten, with every copy of it)")
                self._settled.set()
            case SearchResults():
                self._search = (frame.query, frame.cursor)
                if not frame.results and not self._found:
                    print("(nothing found)")
                for result in frame.results:
                    self._found += 1
                    print(f"{self._found:>3}. {result.conversation_title}  ({result.created_at:%Y-%m-%d %H:%M}, "
                          f"{'title' if result.role is None else 'you' if result.role == 'user' else 'memchat'})\n"
                          f"     {marked(result)}")
                if frame.cursor:
                    print("(/more for the next results)")
                self._settled.set()
            case Pong():
                pass


def marked(result: SearchResult) -> str:
    """The snippet with each matched word between asterisks, as plain text shows emphasis."""
    text, end = [], 0
    for highlight in result.highlights:
        text += [result.snippet[end : highlight.start], "*", result.snippet[highlight.start : highlight.end], "*"]
        end = highlight.end
    return "".join([*text, result.snippet[end:]])
