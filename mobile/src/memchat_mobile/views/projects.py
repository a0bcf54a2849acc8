"""Projects on the phone: their rows above the conversation list, a project's screen (its instructions, a new
chat inside it, its conversations), the dialogs that create, rename, edit and delete one, a conversation's menu
(pin, move into a project or out of it), and the mark on a chat that says which project it is in."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from memchat.frames import PROJECT_NAME_MAX_CHARS, ConversationView, ProjectView
from memchat_mobile.conversation import Thread
from memchat_mobile.projects import ProjectList
from memchat_mobile.state import ChatState
from memchat_mobile.views.buttons import hint
from memchat_mobile.views.conversations import ConversationTile, deletion_warning, shown_title
from memchat_mobile.views.dialog import use_confirm_dialog


def chats_in(chat: ChatState, project_id: str) -> list[ConversationView]:
    """A project's conversations as loaded, pinned first then newest first."""
    return [c for c in chat.listed if c.project_id == project_id]


def count_words(count: int) -> str:
    return "No chats yet" if not count else f"{count} chat{'' if count == 1 else 's'}"


def instructions_note(text: str, over: int, limit: int) -> str:
    """Under the instructions field: the count, or by how much the text is over (it is kept as typed)."""
    if over:
        return f"{len(text.strip())}/{limit}: {over} character{'' if over == 1 else 's'} too long, shorten it to save"
    return f"{len(text.strip())}/{limit}"


def _field(identifier: str, label: str, value: str, on_change: Callable[[str], None], **options) -> ft.Control:
    return ft.Semantics(identifier=identifier, content=ft.TextField(
        label=label, value=value, on_change=lambda e: on_change(e.control.value), border_radius=12,
        border_color=ft.Colors.OUTLINE, **options))


def use_project_editor(projects: ProjectList, project: ProjectView | None, *, shown: bool,
                       on_done: Callable[[], None]) -> None:
    """A hook: while `shown`, a dialog with a new project's (or `project`'s) name and instructions; the
    instructions are bounded, with a counter: over the limit the text stays and the note says by how much.
    (The limit is the server's, from the `instructions` frame its opener asks for.)"""
    start = lambda: {"name": project.name if project else "",  # noqa: E731
                     "instructions": project.instructions if project else ""}
    form = ft.use_ref(start).current
    typed_text, set_typed = ft.use_state(None)  # the instructions as typed (None: as the form began)
    instructions = form["instructions"] if typed_text is None else typed_text
    over = projects.over(instructions)

    def done() -> None:
        form.update(start())
        set_typed(None)
        on_done()

    def typed(text: str) -> None:
        form["instructions"] = text
        set_typed(text)

    def save() -> None:
        if projects.over(form["instructions"]):
            return  # the note says why; nothing is lost
        if project is None:
            if projects.create(form["name"], form["instructions"]):
                done()
            return
        if form["name"].strip() and form["name"].strip() != project.name:
            projects.rename(project.project_id, form["name"])
        projects.set_instructions(project.project_id, form["instructions"])
        done()

    note = instructions_note(instructions, over, projects.max_chars)
    ft.use_dialog(ft.AlertDialog(
        title=ft.Text("New project" if project is None else "Edit project"),
        content=ft.Column(tight=True, spacing=12, width=340, controls=[
            _field("project-name", "Name", form["name"], lambda text: form.update(name=text),
                   max_length=PROJECT_NAME_MAX_CHARS),
            _field("project-instructions", "Instructions for its chats", form["instructions"], typed,
                   multiline=True, min_lines=3, max_lines=6,
                   hint_text="For example: answer in Spanish and correct my mistakes."),
            ft.Semantics(identifier="project-instructions-count", content=ft.Text(
                note, size=12, color=ft.Colors.ERROR if over else ft.Colors.ON_SURFACE_VARIANT)),
        ]),
        actions=[
            ft.Semantics(identifier="cancel-project", content=ft.TextButton("Cancel", on_click=done)),
            ft.Semantics(identifier="confirm-project", content=ft.FilledButton(
                content=ft.Text("Create" if project is None else "Save", color=ft.Colors.ON_PRIMARY),
                on_click=save, disabled=bool(over))),
        ],
        on_dismiss=done,
        scrollable=True,
    ) if shown else None)


def opener(projects: ProjectList, project_id: str) -> Callable[[], None]:
    """A row's click handler (a lambda with a default argument would be handed Flet's event in it)."""
    return lambda: projects.open(project_id)


@ft.component
def ProjectsSection(chat: ChatState, projects: ProjectList) -> ft.Control:
    """The projects above the conversation list: a row each (its name and how many chats), and New project."""
    creating, set_creating = ft.use_state(False)
    use_project_editor(projects, None, shown=creating, on_done=lambda: set_creating(False))
    rows = [ft.Semantics(
        identifier=f"project-{index}",
        label=f"Project {project.name}, {count_words(len(chats_in(chat, project.project_id)))}",
        button=True, key=project.project_id,
        content=ft.ListTile(
            leading=ft.Icon(ft.Icons.FOLDER_OUTLINED, color=ft.Colors.PRIMARY),
            title=ft.Text(project.name, max_lines=1, overflow=ft.TextOverflow.ELLIPSIS, weight=ft.FontWeight.W_500),
            subtitle=ft.Text(count_words(len(chats_in(chat, project.project_id))), size=12,
                             color=ft.Colors.ON_SURFACE_VARIANT),
            trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT, color=ft.Colors.ON_SURFACE_VARIANT),
            on_click=opener(projects, project.project_id),
            shape=ft.RoundedRectangleBorder(radius=16)))
        for index, project in enumerate(projects.projects)]
    return ft.Column(spacing=2, tight=True, controls=[
        ft.Row(alignment=ft.MainAxisAlignment.SPACE_BETWEEN, controls=[
            ft.Container(padding=ft.Padding.only(left=16), content=ft.Text(
                "Projects", size=13, weight=ft.FontWeight.W_600, color=ft.Colors.PRIMARY)),
            ft.Semantics(identifier="new-project", button=True, content=ft.TextButton(
                "New project", icon=ft.Icons.CREATE_NEW_FOLDER_OUTLINED, disabled=projects.full,
                on_click=lambda: (chat.instructions.ensure_loaded(), set_creating(True)))),
        ]),
        *rows,
        ft.Container(padding=ft.Padding.only(left=16, top=8), content=ft.Text(
            "Chats", size=13, weight=ft.FontWeight.W_600, color=ft.Colors.PRIMARY)) if chat.conversations else
        ft.Container(height=0),
    ])


@ft.component
def ProjectPage(chat: ChatState, projects: ProjectList, project: ProjectView,
                on_more: Callable[[ConversationView], None]) -> ft.Control:
    """A project's screen: its instructions (tap to edit), a new chat inside it, and its conversations."""
    editing, set_editing = ft.use_state(False)
    use_project_editor(projects, project, shown=editing, on_done=lambda: set_editing(False))
    doomed, set_doomed = ft.use_state(None)

    def confirm() -> None:
        if doomed is not None:
            chat.delete(doomed.conversation_id)
        set_doomed(None)

    use_confirm_dialog(
        shown=doomed is not None, name="delete", title="Delete this conversation?", action="Delete",
        content=lambda: ft.Text(deletion_warning(shown_title(chat, doomed), chat.memory, doomed.conversation_id)[0]),
        on_confirm=confirm, on_cancel=lambda: set_doomed(None), destructive=True)
    conversations = chats_in(chat, project.project_id)
    return ft.ListView(expand=True, padding=ft.Padding.symmetric(horizontal=8, vertical=8), spacing=2, controls=[
        ft.Semantics(identifier="project-instructions-card", button=True,
                     label=f"Instructions: {project.instructions or 'none yet'}. Edit",
                     content=ft.Card(elevation=0, bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
                                     shape=ft.RoundedRectangleBorder(radius=20), content=ft.ListTile(
                                         title=ft.Text("Instructions", size=13, weight=ft.FontWeight.W_600,
                                                       color=ft.Colors.PRIMARY),
                                         subtitle=ft.Text(project.instructions or "None yet: tap to add some.",
                                                          max_lines=4, overflow=ft.TextOverflow.ELLIPSIS),
                                         trailing=ft.Icon(ft.Icons.EDIT_OUTLINED, color=ft.Colors.ON_SURFACE_VARIANT),
                                         on_click=lambda: (chat.instructions.ensure_loaded(),
                                                           set_editing(True))))),
        ft.Container(padding=ft.Padding.symmetric(horizontal=8, vertical=8), content=ft.Semantics(
            identifier="project-new-chat", button=True, content=ft.FilledButton(
                content=ft.Text(f"New chat in {project.name}", color=ft.Colors.ON_PRIMARY),
                icon=ft.Icons.EDIT_SQUARE,
                on_click=lambda: chat.new_chat(project_id=project.project_id)))),
        *[ConversationTile(index, conversation, shown_title(chat, conversation), chat.open_conversation,
                           set_doomed, on_more, prefix="project-", key=conversation.conversation_id)
          for index, conversation in enumerate(conversations)],
        *([] if conversations else [ft.Semantics(identifier="project-empty", content=ft.Container(
            padding=24, content=ft.Text("No chats in this project yet. Start one, or move one here from the list "
                                        "with its \u22ee menu.", color=ft.Colors.ON_SURFACE_VARIANT,
                                        text_align=ft.TextAlign.CENTER)))]),
    ])


@ft.component
def ProjectActions(chat: ChatState, projects: ProjectList, project: ProjectView) -> ft.Control:
    """The project screen's app bar actions: edit, and delete with the choice of keeping its conversations."""
    editing, set_editing = ft.use_state(False)
    deleting, set_deleting = ft.use_state(False)
    keep, set_keep = ft.use_state(True)
    use_project_editor(projects, project, shown=editing, on_done=lambda: set_editing(False))
    count = len(chats_in(chat, project.project_id))

    def confirm() -> None:
        set_deleting(False)
        projects.close()
        chat.delete_project(project.project_id, keep_conversations=keep)

    def choice(identifier: str, value: bool, title: str, said: str) -> ft.Control:
        return ft.Semantics(identifier=identifier, button=True, selected=keep is value, content=ft.ListTile(
            leading=ft.Icon(ft.Icons.RADIO_BUTTON_CHECKED if keep is value else ft.Icons.RADIO_BUTTON_UNCHECKED,
                            color=ft.Colors.PRIMARY),
            title=ft.Text(title, weight=ft.FontWeight.W_500), subtitle=ft.Text(said, size=12),
            on_click=lambda: set_keep(value), content_padding=ft.Padding.symmetric(horizontal=4)))

    use_confirm_dialog(
        shown=deleting, name="delete-project", title=f"Delete \u201c{project.name}\u201d?", action="Delete project",
        destructive=True, on_confirm=confirm, on_cancel=lambda: set_deleting(False),
        content=lambda: ft.Column(tight=True, spacing=4, width=340, controls=[
            ft.Text(f"The project and its instructions will be deleted. It has {count_words(count).lower()}."),
            choice("delete-project-keep", True, "Keep its chats",
                   "They stay in your list, outside any project."),
            choice("delete-project-all", False, "Delete its chats too",
                   "Their messages are deleted, and memchat forgets what it learnt only in them (answers in "
                   "other chats that used it show [forgotten]). This cannot be undone."),
        ]))
    return ft.Row(tight=True, spacing=0, controls=[
        ft.Semantics(identifier="edit-project", label="Edit project: name and instructions", button=True,
                     content=ft.IconButton(ft.Icons.EDIT_OUTLINED, tooltip=hint("Edit project"),
                                           on_click=lambda: (chat.instructions.ensure_loaded(),
                                                             set_editing(True)))),
        ft.Semantics(identifier="delete-project", label=f"Delete project {project.name}", button=True,
                     content=ft.IconButton(ft.Icons.DELETE_OUTLINE_ROUNDED, tooltip=hint("Delete project"),
                                           on_click=lambda: (set_keep(True), set_deleting(True)))),
    ])


@ft.component
def ConversationMenu(chat: ChatState, projects: ProjectList, conversation_id: str | None,
                     on_close: Callable[[], None]) -> ft.Control:
    """A conversation's menu, as a dialog: pin or unpin it, move it into a project or out of its own."""
    conversation = chat.find_conversation(conversation_id) if conversation_id else None

    def act(verb: Callable[[], object]) -> None:
        verb()
        on_close()

    def option(identifier: str, icon: ft.IconData, text: str, verb: Callable[[], object]) -> ft.Control:
        return ft.Semantics(identifier=identifier, button=True, content=ft.ListTile(
            leading=ft.Icon(icon, color=ft.Colors.PRIMARY), title=ft.Text(text),
            on_click=lambda: act(verb), content_padding=ft.Padding.symmetric(horizontal=4)))

    dialog = None
    if conversation is not None:
        cid, pinned = conversation.conversation_id, conversation.pinned
        moves = [option(f"move-to-{index}", ft.Icons.DRIVE_FILE_MOVE_OUTLINE, f"Move to {project.name}",
                        lambda p=project.project_id: chat.move(cid, p))
                 for index, project in enumerate(projects.projects)
                 if project.project_id != conversation.project_id and not conversation.temporary]
        if projects.find(conversation.project_id) is not None:
            moves.append(option("move-out", ft.Icons.DRIVE_FILE_MOVE_RTL_OUTLINED, "Move out of the project",
                                lambda: chat.move(cid, None)))
        dialog = ft.AlertDialog(
            title=ft.Text(shown_title(chat, conversation), max_lines=2, overflow=ft.TextOverflow.ELLIPSIS),
            content=ft.Column(tight=True, spacing=0, width=340, controls=[
                option("menu-pin", ft.Icons.PUSH_PIN_OUTLINED if pinned else ft.Icons.PUSH_PIN,
                       "Unpin" if pinned else "Pin to the top", lambda: chat.pin(cid, not pinned)),
                *moves,
            ]),
            actions=[ft.Semantics(identifier="cancel-menu", content=ft.TextButton("Close", on_click=on_close))],
            on_dismiss=on_close,
            scrollable=True,
        )
    ft.use_dialog(dialog)
    return ft.Container(height=0)


@ft.component
def ProjectMark(projects: ProjectList, thread: Thread) -> ft.Control:
    """Over the chat: the project it is in (its instructions shape the answers); nothing outside any."""
    project = projects.find(thread.project_id)
    if project is None:
        return ft.Container(height=0)
    return ft.Semantics(identifier="chat-project", label=f"In project {project.name}", content=ft.Container(
        padding=ft.Padding.symmetric(horizontal=16, vertical=6), bgcolor=ft.Colors.SECONDARY_CONTAINER,
        content=ft.Row(spacing=8, controls=[
            ft.Icon(ft.Icons.FOLDER_OUTLINED, size=16, color=ft.Colors.ON_SECONDARY_CONTAINER),
            ft.Text(f"In {project.name}: its instructions shape the answers", size=12, expand=True,
                    max_lines=1, overflow=ft.TextOverflow.ELLIPSIS, color=ft.Colors.ON_SECONDARY_CONTAINER),
        ])))
