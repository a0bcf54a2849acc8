"""The user's projects, as the list and the project screens show them: named groups of conversations whose
instructions go into every answer in them, after the user's own.

No I/O here: frames go out through the chat's `Outbox`; `ChatState.receive` hands this object the project
frames (and the projects that come with the conversation list's first page). Moving a conversation and
starting one inside a project are the list's and the open conversation's verbs (`listing.py`,
`conversation.py`), since they change those.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import flet as ft

from memchat.frames import (
    PROJECT_NAME_MAX_CHARS,
    CreateProject,
    DeleteProject,
    ListProjects,
    ProjectDeleted,
    ProjectView,
    RenameProject,
    SetProjectInstructions,
)
from memchat_mobile.instructions import DEFAULT_MAX_CHARS
from memchat_mobile.message import Outbox

__all__ = ["DEFAULT_PROJECT_LIMIT", "ProjectList"]

DEFAULT_PROJECT_LIMIT = 20  # until the server says (its `projects.limit`)


@ft.observable
@dataclass(eq=False)
class ProjectList:
    outbox: Outbox
    projects: list[ProjectView] = field(default_factory=list)  # most recently changed first
    limit: int = DEFAULT_PROJECT_LIMIT
    max_chars: int = DEFAULT_MAX_CHARS  # a project's instructions, as the user's own (YourInstructions)
    loaded: bool = False
    creating: bool = False  # a new project is on its way: its `project` frame adds it
    open_id: str | None = None  # the project whose screen is open (its conversations, instructions)

    def __post_init__(self) -> None:
        self._changing = False  # a change was sent that the server may refuse

    def refresh(self) -> None:
        self.outbox.send(ListProjects(action="listProjects"))

    def open(self, project_id: str) -> None:
        self.open_id = project_id

    def close(self) -> None:
        self.open_id = None

    @property
    def opened(self) -> ProjectView | None:
        """The project whose screen is open, while it exists."""
        return self.find(self.open_id) if self.open_id else None

    def over(self, instructions: str) -> int:
        """How many characters a project's instructions are over the limit (0: they fit): the screen keeps the
        text and says by how much."""
        return max(0, len(instructions.strip()) - self.max_chars)

    def find(self, project_id: str | None) -> ProjectView | None:
        return next((p for p in self.projects if p.project_id == project_id), None)

    @property
    def full(self) -> bool:
        return len(self.projects) >= self.limit

    def create(self, name: str, instructions: str = "") -> bool:
        """False, nothing sent, for a blank name, instructions over the limit, or no room for another."""
        name = " ".join(name.split())[:PROJECT_NAME_MAX_CHARS]
        if not name or len(instructions.strip()) > self.max_chars or self.full:
            return False
        self.outbox.send(CreateProject(action="createProject", name=name, instructions=instructions.strip()))
        self.creating = self._changing = True
        return True

    def rename(self, project_id: str, name: str) -> bool:
        name = " ".join(name.split())[:PROJECT_NAME_MAX_CHARS]
        known = self.find(project_id)
        if not name or known is None or known.name == name:
            return False
        self.outbox.send(RenameProject(action="renameProject", project_id=project_id, name=name))
        self._replace(known.model_copy(update={"name": name}))
        self._changing = True
        return True

    def set_instructions(self, project_id: str, instructions: str) -> bool:
        instructions = instructions.strip()
        known = self.find(project_id)
        if known is None or known.instructions == instructions or len(instructions) > self.max_chars:
            return False
        self.outbox.send(SetProjectInstructions(action="setProjectInstructions", project_id=project_id,
                                                instructions=instructions))
        self._replace(known.model_copy(update={"instructions": instructions}))
        self._changing = True
        return True

    def delete(self, project_id: str, *, keep_conversations: bool) -> None:
        """Delete a project; the screen asked whether to keep its conversations (the chat moves them out of it,
        or drops them from the list, at once: `ChatState.delete_project`)."""
        self.outbox.send(DeleteProject(action="deleteProject", project_id=project_id,
                                       keep_conversations=keep_conversations))
        self.projects = [p for p in self.projects if p.project_id != project_id]
        self._changing = True

    def on_projects(self, projects: list[ProjectView], limit: int | None = None) -> None:
        self.projects = list(projects)
        if limit is not None:
            self.limit = limit
        self.loaded = True

    def on_project(self, project: ProjectView) -> None:
        """A project as it now is: new (first in the list), renamed or given new instructions."""
        self.creating = self._changing = False
        if self.find(project.project_id) is None:
            self.projects = [project, *self.projects]
        else:
            self._replace(project)

    def on_deleted(self, frame: ProjectDeleted) -> None:
        self._changing = False
        self.projects = [p for p in self.projects if p.project_id != frame.project_id]

    def on_refused(self) -> None:
        """A change was refused (a name or instructions the server would not take): read back what it keeps."""
        if self._changing or self.creating:
            self.creating = self._changing = False
            self.refresh()

    def _replace(self, project: ProjectView) -> None:
        self.projects = [project if p.project_id == project.project_id else p for p in self.projects]
