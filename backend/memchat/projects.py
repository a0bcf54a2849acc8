"""The instructions and projects routes' domain: the user's own instructions, and projects (named groups of
conversations with instructions of their own), read and changed for the caller only."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from memchat.errors import BadRequest, NotFound, TooLarge
from memchat.frames import (
    ConversationChanged,
    CreateProject,
    DeleteProject,
    GetInstructions,
    Instructions,
    ListProjects,
    MoveConversation,
    ProjectChanged,
    ProjectDeleted,
    Projects,
    RenameProject,
    SetInstructions,
    SetProjectInstructions,
)
from memchat.memory import Memory, UserInstructions, estimate_tokens
from memchat.recollection import LONGEST_HEADING, instruction_block
from memchat.sender import Poster
from memchat.settings import Settings

if TYPE_CHECKING:
    from memchat.chat import Caller

ProjectFrame = (GetInstructions | SetInstructions | ListProjects | CreateProject | RenameProject
                | SetProjectInstructions | DeleteProject | MoveConversation)


def check_instructions(text: str, what: str, settings: Settings) -> str:
    """An instruction text as kept (trimmed), or TooLarge saying by how much it is over: each is at most
    `instructions_max_chars`, and at most a third of the instructions' share of the prompt, so the user's
    two and a project's always fit it together (docs/memory.md, "The budget")."""
    text = text.strip()
    limit = settings.instructions_max_chars
    if len(text) > limit:
        raise TooLarge(f"{what} is {len(text)} characters long; the limit is {limit}: shorten it by "
                       f"{len(text) - limit}.")
    # Counted as the prompt holds it, under the longest heading: three such blocks fill the share at most.
    cost, room = estimate_tokens(instruction_block(LONGEST_HEADING, text)), settings.instructions_budget_tokens // 3
    overhead = estimate_tokens(instruction_block(LONGEST_HEADING, ""))
    if text and cost > room:  # fewer characters in scripts that cost more tokens each
        about = len(text) * max(0, room - overhead) // (cost - overhead)
        raise TooLarge(f"{what} is too long for the assistant to read beside the rest: keep it under about "
                       f"{about} characters in this script.")
    return text


def project_name(name: str) -> str:
    name = " ".join(name.split())  # runs of whitespace become one space, as in titles
    if not name:
        raise BadRequest("name: a project needs a name that is not only spaces.")
    return name


class ProjectRoutes:
    def __init__(self, *, memory: Memory, poster: Poster, settings: Settings,
                 delete_conversation: Callable[[Caller, str], None],
                 clock: Callable[[], float] = time.time) -> None:
        self._memory = memory
        self._poster = poster
        self._settings = settings
        self._delete_conversation = delete_conversation  # the one deletion path (chat.Chat)
        self._clock = clock

    def handle(self, caller: Caller, frame: ProjectFrame) -> None:
        user, settings, now_ms = caller.user_id, self._settings, int(self._clock() * 1000)
        match frame:
            case GetInstructions():
                self._send_instructions(caller, self._memory.instructions(user, consistent=True))
            case SetInstructions():
                about = None if frame.about is None else check_instructions(frame.about, "What memchat should "
                                                                            "know about you", settings)
                style = None if frame.style is None else check_instructions(frame.style, "How it should answer",
                                                                            settings)
                self._send_instructions(caller, self._memory.set_instructions(user, about=about, style=style))
            case ListProjects():
                self.list_projects(caller)
            case CreateProject():
                project = self._memory.create_project(
                    user, name=project_name(frame.name), now_ms=now_ms, limit=settings.max_projects,
                    instructions=check_instructions(frame.instructions, "The project's instructions", settings))
                self._poster.send(caller.connection_id, ProjectChanged(project=project.view()))
            case RenameProject():
                project = self._memory.update_project(user, frame.project_id, now_ms=now_ms,
                                                      name=project_name(frame.name))
                self._poster.send(caller.connection_id, ProjectChanged(project=project.view()))
            case SetProjectInstructions():
                instructions = check_instructions(frame.instructions, "The project's instructions", settings)
                project = self._memory.update_project(user, frame.project_id, now_ms=now_ms,
                                                      instructions=instructions)
                self._poster.send(caller.connection_id, ProjectChanged(project=project.view()))
            case DeleteProject():
                self.delete_project(caller, frame)
            case MoveConversation():
                view = self._memory.move_conversation(user, frame.conversation_id, frame.project_id)
                self._poster.send(caller.connection_id, ConversationChanged(conversation=view))

    def list_projects(self, caller: Caller) -> None:
        projects = self._memory.projects(caller.user_id, consistent=True)
        self._poster.send(caller.connection_id, Projects(projects=[p.view() for p in projects],
                                                         limit=self._settings.max_projects))

    def delete_project(self, caller: Caller, frame: DeleteProject) -> None:
        """The project goes first, so no conversation joins it from now on; then its conversations move
        out, or are deleted one by one as deleteConversation deletes (each answered by `deleted`, its
        messages and the memories learnt only there purged in the background)."""
        user = caller.user_id
        self._memory.delete_project(user, frame.project_id)
        handled = 0
        for conversation_id in list(self._memory.project_conversations(user, frame.project_id)):
            if frame.keep_conversations:
                handled += self._memory.release_conversation(user, conversation_id, frame.project_id)
                continue
            try:
                self._delete_conversation(caller, conversation_id)
            except NotFound:  # deleted meanwhile (the list's index lags a write by a moment)
                continue
            handled += 1
        self._poster.send(caller.connection_id, ProjectDeleted(
            project_id=frame.project_id, kept_conversations=frame.keep_conversations, conversations=handled))

    def _send_instructions(self, caller: Caller, instructions: UserInstructions) -> None:
        self._poster.send(caller.connection_id, Instructions(
            about=instructions.about, style=instructions.style, max_chars=self._settings.instructions_max_chars))
