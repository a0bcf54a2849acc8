"""The conversation list, one part of `state.ChatState`: its pages, read again on pull, resume and after a new
conversation's first answer (for the model's title); delete (one, or all page by page), rename, move into or out
of a project, the list grouped by project; and the titles as the screens show them.

`ConversationListing` is mixed into ChatState: it works on the chat's fields (`conversations`,
`conversations_cursor`, `conversations_loaded`, `refreshing`, `thread`, `outbox`, `projects`) and the private
ones ChatState.__post_init__ sets (`_more_conversations`, `_deleting_all`, `_first_messages`, `_moving`). The
list's frames (`conversations`, `conversation`, `deleted`, `projectDeleted`) come here through
ChatState.receive.
"""

from __future__ import annotations

from memchat.frames import (
    TITLE_MAX_CHARS,
    Conversations,
    ConversationView,
    DeleteConversation,
    ListConversations,
    MemoryView,
    MoveConversation,
    ProjectDeleted,
    ProjectView,
    RenameConversation,
)

__all__ = ["TITLE_CHECKS", "ConversationListing", "first_words", "shown_title"]

# The server replaces a new conversation's first words by a model-written title shortly after the first
# answer, in the background: the list is read again this many seconds after that answer's `done`.
TITLE_CHECKS = (3.0, 10.0)


def first_words(text: str, limit: int = 60) -> str:
    """A text's first line as a title: whole words, with an ellipsis when it goes on (never cut mid-word)."""
    line = " ".join(text.strip().splitlines()[0].split()) if text.strip() else ""
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0] if " " in line[: limit - 1] else line[: limit - 1]
    return cut.rstrip(" ,;:.-") + "\u2026"


def shown_title(title: str, first_message: str | None) -> str:
    """A title as the list shows it. When the model's title fails, the server names the conversation by the
    first words of its first message ("What is my name and where"): where this device knows that message, a
    title that stops part-way through it says so with an ellipsis."""
    if not first_message or title.endswith("\u2026"):
        return title
    words, said = title.split(), " ".join(first_message.split())
    cut = " ".join(words)
    if words and said.startswith(cut) and len(said) > len(cut) and said[len(cut)] in " ,;:":
        return cut + "\u2026"
    return title


class ConversationListing:
    """The list's verbs and frames (see the module's docstring for the fields they share)."""

    def delete(self, conversation_id: str) -> None:
        """Delete a conversation (the screen asked for confirmation); it leaves the list at once."""
        self.outbox.send(DeleteConversation(action="deleteConversation", conversation_id=conversation_id))
        self._forget(conversation_id)

    def delete_all(self) -> None:
        """Delete every conversation: each one loaded now, then whatever the next reads of the list bring
        (it comes in pages), a bounded number of rounds."""
        self._deleting_all = 20
        self._delete_listed()

    def _delete_listed(self) -> None:
        doomed = [c.conversation_id for c in self.conversations]
        for conversation_id in doomed:
            self.delete(conversation_id)
        self._deleting_all -= 1
        if doomed and self._deleting_all > 0:
            self.refresh_conversations()
        else:
            self._deleting_all = 0

    def rename(self, conversation_id: str, title: str) -> bool:
        """Give a conversation the user's own title; False (nothing sent) when it is blank or unchanged."""
        title = " ".join(title.split())[:TITLE_MAX_CHARS]
        known = self.find_conversation(conversation_id)
        if not title or (known is not None and known.title == title):
            return False
        self.outbox.send(RenameConversation(action="renameConversation", conversation_id=conversation_id,
                                            title=title))
        if known is not None:
            self._on_conversation_changed(known.model_copy(update={"title": title}))
        elif self.thread is not None and self.thread.conversation_id == conversation_id:
            self.thread.title = title
        return True

    def move(self, conversation_id: str, project_id: str | None) -> bool:
        """Move a conversation into a project, or out of its own (None); False, nothing sent, when it is
        already there or is a temporary chat (which no project keeps)."""
        known = self.find_conversation(conversation_id)
        thread = self.thread if self.thread and self.thread.conversation_id == conversation_id else None
        current = known.project_id if known else thread.project_id if thread else None
        temporary = known.temporary if known else bool(thread and thread.temporary)
        if current == project_id or (temporary and project_id is not None):
            return False
        self.outbox.send(MoveConversation(action="moveConversation", conversation_id=conversation_id,
                                          project_id=project_id))
        self._moving[conversation_id] = current
        self._set_project(conversation_id, project_id)
        return True

    def grouped(self) -> list[tuple[ProjectView | None, list[ConversationView]]]:
        """The list as the screen shows it: each project with its loaded conversations (an empty project
        too), then the conversations in none (a project that is gone counts as none), each group newest
        first."""
        groups: dict[str | None, list[ConversationView]] = {p.project_id: [] for p in self.projects.projects}
        groups[None] = []
        for conversation in self.conversations:
            groups[conversation.project_id if conversation.project_id in groups else None].append(conversation)
        return [(p, groups[p.project_id]) for p in self.projects.projects] + [(None, groups[None])]

    def delete_project(self, project_id: str, *, keep_conversations: bool) -> None:
        """Delete a project (the screen asked whether to keep its conversations): kept, they leave it at once;
        else they leave the list, as deleting each would."""
        self.projects.delete(project_id, keep_conversations=keep_conversations)
        self._on_project_deleted(ProjectDeleted(project_id=project_id, kept_conversations=keep_conversations,
                                                conversations=0))

    def display_title(self, conversation: ConversationView) -> str:
        """The conversation's title as the screens show it (see `shown_title`)."""
        return shown_title(conversation.title, self._first_messages.get(conversation.conversation_id))

    def find_conversation(self, conversation_id: str) -> ConversationView | None:
        return next((c for c in self.conversations if c.conversation_id == conversation_id), None)

    def source_of(self, memory: MemoryView) -> ConversationView | None:
        """The newest conversation in the list that a memory was learnt from."""
        return next((c for s in memory.sources if (c := self.find_conversation(s.conversation_id))), None)

    @property
    def all_conversations_loaded(self) -> bool:
        """Every page of the list is here: a conversation not in it does not exist."""
        return self.conversations_loaded and self.conversations_cursor is None

    def refresh_conversations(self) -> None:
        self._more_conversations = False
        self.refreshing = True
        self.outbox.send(ListConversations(action="listConversations"))

    def load_more_conversations(self) -> None:
        if self.conversations_cursor and not self._more_conversations:
            self._more_conversations = True
            self.outbox.send(ListConversations(action="listConversations", cursor=self.conversations_cursor))

    def _on_conversations(self, page: Conversations) -> None:
        if page.projects is not None:
            self.projects.on_projects(page.projects)
        known = {c.conversation_id for c in self.conversations}
        if self._more_conversations and not any(c.conversation_id in known for c in page.conversations):
            self.conversations.extend(page.conversations)
        else:
            self.conversations = list(page.conversations)
        self._more_conversations = False
        self.refreshing = False
        self.conversations_cursor = page.cursor
        self.conversations_loaded = True
        if self._deleting_all:
            self._delete_listed()
        thread = self.thread
        known = self.find_conversation(thread.conversation_id) if thread and thread.conversation_id else None
        if known is not None:
            thread.title, thread.temporary = self.display_title(known), known.temporary

    def _on_conversation_changed(self, conversation: ConversationView) -> None:
        self._moving.pop(conversation.conversation_id, None)
        self.conversations = [conversation if c.conversation_id == conversation.conversation_id else c
                              for c in self.conversations]
        if self.thread is not None and self.thread.conversation_id == conversation.conversation_id:
            self.thread.title = conversation.title
            self.thread.project_id = conversation.project_id

    def _on_move_refused(self, conversation_id: str) -> bool:
        """A move the server refused (the project is gone): the conversation is back where it was. False: no
        move of this conversation was waiting."""
        if conversation_id not in self._moving:
            return False
        self._set_project(conversation_id, self._moving.pop(conversation_id))
        self.projects.refresh()
        return True

    def _on_project_deleted(self, frame: ProjectDeleted) -> None:
        self.projects.on_deleted(frame)
        members = [c.conversation_id for c in self.conversations if c.project_id == frame.project_id]
        if self.thread is not None and self.thread.project_id == frame.project_id and (
                self.thread.conversation_id is None or self.thread.conversation_id not in members):
            members.append(self.thread.conversation_id or "")
        for conversation_id in members:
            if frame.kept_conversations:
                self._set_project(conversation_id, None)
            elif conversation_id:
                self._forget(conversation_id)
            elif self.thread is not None:  # a new chat not sent yet: it starts outside any project
                self.thread.project_id = None

    def _set_project(self, conversation_id: str, project_id: str | None) -> None:
        self.conversations = [c.model_copy(update={"project_id": project_id}) if c.conversation_id == conversation_id
                              else c for c in self.conversations]
        if self.thread is not None and (self.thread.conversation_id or "") == conversation_id:
            self.thread.project_id = project_id

    def _forget(self, conversation_id: str) -> None:
        self.conversations = [c for c in self.conversations if c.conversation_id != conversation_id]
        if self.thread is not None and self.thread.conversation_id == conversation_id:
            self.thread = None
            self.notice = "That conversation was deleted."
