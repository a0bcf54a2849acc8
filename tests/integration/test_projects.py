"""Instructions and projects through the whole local stack (DynamoDB Local, the local gateway, the embedded
model): the model's own prompt count proves what the prompt held, and another user reaches none of it."""

from __future__ import annotations

import uuid

import pytest

from memchat.frames import (
    Conversations,
    CreateProject,
    Deleted,
    DeleteProject,
    ErrorFrame,
    Instructions,
    ListConversations,
    ProjectChanged,
    ProjectDeleted,
    RenameProject,
    SendMessage,
    SetInstructions,
)
from tests.integration.stack import Client, LocalStack

pytestmark = pytest.mark.integration

ABOUT = "I am a night-shift nurse in Porto who keeps bees on weekends and studies Spanish on the tram."
STYLE = "Answer in two short sentences, with no lists, and never use exclamation marks."
PROJECT = "This is Spanish practice: answer in Spanish and correct each mistake I make, one by one."


def _prompt_tokens(client: Client, text: str, **send) -> int:
    client.send(SendMessage(action="sendMessage", client_message_id=uuid.uuid4(), text=text, **send))
    answer = client.read_answer()
    assert answer.done is not None, answer.error
    return answer.done.usage.prompt_tokens


def test_the_model_reads_the_users_and_the_projects_instructions_and_only_its_users(stack: LocalStack) -> None:
    plain, instructed = stack.connect("proj-plain"), stack.connect("proj-ines")
    baseline = _prompt_tokens(plain, "Hola")

    set_ = instructed.request(SetInstructions(action="setInstructions", about=ABOUT, style=STYLE))
    assert isinstance(set_, Instructions) and (set_.about, set_.style) == (ABOUT, STYLE)
    own = _prompt_tokens(instructed, "Hola")
    created = instructed.request(CreateProject(action="createProject", name="Spanish", instructions=PROJECT))
    assert isinstance(created, ProjectChanged)
    project_id = created.project.project_id
    in_project = _prompt_tokens(instructed, "Hola", project_id=project_id)
    after = _prompt_tokens(plain, "Hola")

    # The model's tokenizer counted each text in (each is more than 15 of its tokens).
    assert baseline + 15 < own < in_project - 15
    assert after == baseline  # another user's prompt holds none of it

    refused = plain.request(RenameProject(action="renameProject", project_id=project_id, name="Mine"))
    assert isinstance(refused, ErrorFrame) and refused.code == "not_found"
    listed = instructed.request(ListConversations(action="listConversations"))
    assert isinstance(listed, Conversations) and [p.project_id for p in listed.projects] == [project_id]
    inside = [c.conversation_id for c in listed.conversations if c.project_id == project_id]
    assert len(inside) == 1

    instructed.send(DeleteProject(action="deleteProject", project_id=project_id, keep_conversations=False))
    deleted, gone = instructed.receive(), instructed.receive()
    assert isinstance(deleted, Deleted) and deleted.conversation_id == inside[0]
    assert isinstance(gone, ProjectDeleted) and gone.conversations == 1
    relisted = instructed.request(ListConversations(action="listConversations"))
    assert relisted.projects == [] and inside[0] not in {c.conversation_id for c in relisted.conversations}
    plain.close()
    instructed.close()
