"""The terminal chat client (`memchat chat`): the wire protocol by hand, for newcomers and debugging."""

from __future__ import annotations

import sys
import threading
import uuid
from pathlib import Path

import websocket
from pydantic import ValidationError

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
    Delta,
    Done,
    ErrorFrame,
    ExportData,
    ExportPage,
    GetHistory,
    GetInstructions,
    History,
    ImportMemories,
    ImportPreview,
    Instructions,
    ListConversations,
    ListMemories,
    ListProjects,
    Memories,
    MemoryDeleted,
    MemoryView,
    MoveConversation,
    PinConversation,
    Ping,
    Pong,
    ProjectChanged,
    ProjectDeleted,
    Projects,
    ProjectView,
    RenameProject,
    SearchConversations,
    SearchResult,
    SearchResults,
    SendMessage,
    SetInstructions,
    SetProjectInstructions,
    ShareConversation,
    SharePage,
    SourceKind,
    StopGeneration,
    Waking,
    parse_server_frame,
)

HELP = """Type a message and press Enter. Commands:
  /new [P]      start a new conversation (in project P)    /list   list your conversations
  /open N       continue conversation N       /history     show this conversation
  /delete N     delete conversation N         /memories    what memchat remembers about you
  /forget N     forget memory N (and every copy of it)
  /instructions                show your instructions; '-' as TEXT clears one:
  /instructions about TEXT     what memchat should know about you
  /instructions style TEXT     how it should answer
  /projects                    list your projects       /project new NAME    make one
  /project rename P NAME       /project instructions P TEXT
  /project delete P keep|all   keep its conversations (moved out), or delete them with it
  /move N P|out                move conversation N into project P, or out of its project
  /pin N        pin conversation N to the top of /list          /unpin N   unpin it
  /search WORDS find words in your conversations ("quotes" for a phrase)   /more   the next results
  /export FILE  write everything memchat keeps about you to FILE (one JSON document)
  /share FILE [--alternatives]  write this conversation to FILE as Markdown (with the replaced answers)
  /import FILE  bring memories from FILE, one fact a line ("I live in Graz."): shown first, then y/n
  /quit         leave (Ctrl-C stops an answer)"""
INSTRUCTION_FIELDS = {"about": "What should memchat know about you?", "style": "How should it answer?"}
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
        self._projects: list[ProjectView] = []
        self._new_in: str | None = None  # the project the next new conversation starts in
        self._deleting_project = False
        self._search: tuple[str, str | None] | None = None  # the last query and its next page's cursor
        self._found = 0
        self._export: tuple[Path, list[str]] | None = None  # the file being exported to, and its parts so far
        self._share: tuple[Path, list[str], ShareConversation] | None = None  # the same, for /share
        self._preview: ImportPreview | None = None
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
            project = self._project_numbered(argument) if argument else None
            if argument and project is None:
                return True
            self._conversation, self._new_in = None, project.project_id if project else None
            print(f"(new conversation{f' in {project.name}' if project else ''})")
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
        elif word == "/instructions":
            self._instructions(argument)
        elif word == "/projects":
            self._request(ListProjects(action="listProjects"))
        elif word == "/project":
            self._project(argument)
        elif word == "/move":
            number, _, target = argument.partition(" ")
            chosen = self._pick(number)
            project = None if chosen is None or target == "out" else self._project_numbered(target)
            if chosen is not None and (target == "out" or project is not None):
                self._request(MoveConversation(action="moveConversation", conversation_id=chosen.conversation_id,
                                               project_id=project.project_id if project else None))
        elif word in ("/pin", "/unpin"):
            chosen = self._pick(argument)
            if chosen is not None:
                self._request(PinConversation(action="pinConversation", conversation_id=chosen.conversation_id,
                                              pinned=word == "/pin"))
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
        elif word == "/export":
            if not argument.strip():
                print("Say where to write it: /export FILE.")
                return True
            self._export = (Path(argument.strip()).expanduser(), [])
            self._request(ExportData(action="exportData"))
        elif word == "/share":
            self._share_conversation(argument.split())
        elif word == "/import":
            self._import(argument.strip())
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

    def _instructions(self, argument: str) -> None:
        field, _, text = argument.partition(" ")
        if not field:
            self._request(GetInstructions(action="getInstructions"))
        elif field in INSTRUCTION_FIELDS and text.strip():
            value = "" if text.strip() == "-" else text.strip()
            self._request(SetInstructions(action="setInstructions", **{field: value}))
        else:
            print("Say /instructions about TEXT or /instructions style TEXT ('-' clears it).")

    def _import(self, argument: str) -> None:
        """Show what the file's lines would keep; store them only if the user says y."""
        if not argument:
            print("Say which file: /import FILE (one fact a line).")
            return
        try:
            lines = Path(argument).expanduser().read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            print(f"Cannot read {argument}: {exc}.")
            return
        if not any(line.strip() for line in lines):
            print(f"{argument} has no lines to import.")
            return
        self._preview = None
        self._request(ImportMemories(action="importMemories", lines=lines))
        preview = self._preview
        if preview is None or not preview.kept:
            return
        answer = input(f"Store these {len(preview.kept)} memories? [y/n] ").strip().casefold()
        if answer in ("y", "yes"):
            self._request(ImportMemories(action="importMemories", lines=lines, confirm=True))
        else:
            print("(nothing stored)")

    def _project(self, argument: str) -> None:
        verb, _, rest = argument.partition(" ")
        if verb == "new" and rest.strip():
            self._request(CreateProject(action="createProject", name=rest.strip()))
            return
        number, _, text = rest.partition(" ")
        if verb not in ("rename", "instructions", "delete") or (verb != "instructions" and not text.strip()):
            print("Say /project new NAME, /project rename P NAME, /project instructions P TEXT or "
                  "/project delete P keep|all.")
            return
        project = self._project_numbered(number)
        if project is None:
            return
        if verb == "rename":
            self._request(RenameProject(action="renameProject", project_id=project.project_id, name=text.strip()))
        elif verb == "instructions":
            self._request(SetProjectInstructions(action="setProjectInstructions", project_id=project.project_id,
                                                 instructions=text.strip()))
        elif text.strip() in ("keep", "all"):
            self._deleting_project = True  # its conversations' `deleted` frames come first
            self._request(DeleteProject(action="deleteProject", project_id=project.project_id,
                                        keep_conversations=text.strip() == "keep"))
        else:
            print("Say keep (its conversations move out) or all (they are deleted with it).")

    def _project_numbered(self, argument: str) -> ProjectView | None:
        if not argument.isdigit() or not 1 <= int(argument) <= len(self._projects):
            print("Say which project by its number in /projects.")
            return None
        return self._projects[int(argument) - 1]

    def _pick(self, argument: str) -> ConversationView | None:
        if not argument.isdigit() or not 1 <= int(argument) <= len(self._listed):
            print("Say which one by its number in /list.")
            return None
        return self._listed[int(argument) - 1]

    def _say(self, text: str) -> None:
        frame = SendMessage(action="sendMessage", conversation_id=self._conversation, client_message_id=uuid.uuid4(),
                            text=text, project_id=None if self._conversation else self._new_in)
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
                self._conversation, self._new_in = frame.conversation_id, None
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
                self._deleting_project = False
                self._export = None
                self._share = None
                self._settled.set()
            case Conversations():
                self._listed = frame.conversations
                if frame.projects is not None:
                    self._projects = frame.projects
                names = {project.project_id: project.name for project in self._projects}
                if not frame.conversations:
                    print("(no conversations yet)")
                for number, conversation in enumerate(frame.conversations, 1):
                    where = f"[{names[conversation.project_id]}] " if conversation.project_id in names else ""
                    where = f"(pinned) {where}" if conversation.pinned else where
                    print(f"{number:>3}. {where}{conversation.title}  ({conversation.message_count} messages, "
                          f"{conversation.updated_at:%Y-%m-%d %H:%M})")
                self._settled.set()
            case Instructions():
                for field, question in INSTRUCTION_FIELDS.items():
                    print(f"{question}\n  {getattr(frame, field) or '(nothing yet)'}")
                print(f"(each at most {frame.max_chars} characters)")
                self._settled.set()
            case Projects():
                self._projects = frame.projects
                if not frame.projects:
                    print("(no projects yet: /project new NAME)")
                for number, project in enumerate(frame.projects, 1):
                    print(f"{number:>3}. {project.name}" + (f": {project.instructions}" if project.instructions
                                                            else ""))
                self._settled.set()
            case ProjectChanged():
                known = [p for p in self._projects if p.project_id != frame.project.project_id]
                self._projects = [frame.project, *known]
                print(f"(project 1 in /projects: {frame.project.name})")
                self._settled.set()
            case ProjectDeleted():
                self._projects = [p for p in self._projects if p.project_id != frame.project_id]
                what = "moved out" if frame.kept_conversations else "deleted"
                print(f"(project deleted; {frame.conversations} conversations {what})")
                self._deleting_project = False
                self._settled.set()
            case ConversationChanged():
                names = {project.project_id: project.name for project in self._projects}
                where = names.get(frame.conversation.project_id or "", "no project")
                pinned = ", pinned" if frame.conversation.pinned else ""
                print(f"({frame.conversation.title}: {where}{pinned})")
                self._settled.set()
            case History():
                for message in frame.messages:
                    print(f"{'you' if message.role == 'user' else 'memchat'}> {message.text}")
                self._settled.set()
            case Deleted():
                print("(deleted)")
                if not self._deleting_project:
                    self._settled.set()
            case Memories():
                # The facts told as over come after, numbered on: /forget N reaches them too.
                self._memories = [*frame.memories, *frame.past]
                state = "" if frame.enabled else " (memory is off: nothing new is learnt or used)"
                if not frame.memories:
                    print(f"(memchat remembers nothing about you yet){state}")
                elif state:
                    print(state.strip())
                for number, memory in enumerate(self._memories, 1):
                    if number == len(frame.memories) + 1:
                        print("In the past (kept as history, never used in answers):")
                    how = "imported" if memory.sources and memory.sources[0].kind is SourceKind.IMPORT else "learnt"
                    when = f"told as over {memory.ended_at:%Y-%m-%d}" if memory.ended_at else (
                        f"{how} {memory.created_at:%Y-%m-%d}")
                    print(f"{number:>3}. {memory.text}  ({when})")
                self._settled.set()
            case MemoryDeleted():
                self._memories = [m for m in self._memories if m.memory_id != frame.memory_id]
                print("(forgotten, with every copy of it)")
                self._settled.set()
            case Waking():
                # The model was asleep (scaled to zero): the answer streams here once it is up.
                minutes = max(1, -(-frame.ready_in_seconds // 60))
                print(f"(waking the assistant, about {minutes} min: the answer follows here)\nmemchat> ", end="",
                      flush=True)
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
            case ExportPage():
                self._export_page(frame)
            case SharePage():
                self._share_page(frame)
            case ImportPreview():
                self._preview = frame
                for line in frame.kept:
                    print(f"  line {line.line}: {line.text}")
                for line in frame.dropped:
                    print(f"  line {line.line}: not kept ({line.reason})")
                if frame.stored:
                    print(f"(stored {len(frame.kept)} memories, from this import)")
                elif not frame.kept:
                    print("(no line states a fact about you that memchat can keep)")
                self._settled.set()
            case Pong():
                pass

    def _export_page(self, frame: ExportPage) -> None:
        """Gather the parts in order and ask for the next; the last one writes the document."""
        if self._export is None:
            return
        path, parts = self._export
        parts.append(frame.part)
        if frame.cursor is not None:
            self._send(ExportData(action="exportData", cursor=frame.cursor))
            return
        self._export = None
        self._write(path, parts, "your data")

    def _share_conversation(self, words: list[str]) -> None:
        alternatives = "--alternatives" in words
        paths = [word for word in words if word != "--alternatives"]
        if len(paths) != 1:
            print("Say where to write it: /share FILE [--alternatives].")
            return
        if self._conversation is None:
            print("(no conversation yet: /open N first)")
            return
        asked = ShareConversation(action="shareConversation", conversation_id=self._conversation,
                                  alternatives=alternatives)
        self._share = (Path(paths[0]).expanduser(), [], asked)
        self._request(asked)

    def _share_page(self, frame: SharePage) -> None:
        """As `_export_page`: gather the parts, ask for the next, and write the Markdown after the last."""
        if self._share is None:
            return
        path, parts, asked = self._share
        parts.append(frame.part)
        if frame.cursor is not None:
            self._send(asked.model_copy(update={"cursor": frame.cursor}))
            return
        self._share = None
        self._write(path, parts, "the conversation")

    def _write(self, path: Path, parts: list[str], what: str) -> None:
        text = "".join(parts)
        try:
            path.write_text(text, encoding="utf-8")
            print(f"(wrote {what} to {path}: {len(text)} characters)")
        except OSError as exc:
            print(f"Cannot write {path}: {exc}.")
        self._settled.set()


def marked(result: SearchResult) -> str:
    """The snippet with each matched word between asterisks, as plain text shows emphasis."""
    text, end = [], 0
    for highlight in result.highlights:
        text += [result.snippet[end : highlight.start], "*", result.snippet[highlight.start : highlight.end], "*"]
        end = highlight.end
    return "".join([*text, result.snippet[end:]])
