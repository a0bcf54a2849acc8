"""Export and import through the whole local stack: the pages pass the gateway's frame limit and join into
the caller's document; an import previews, stores on confirm, and shows in the caller's memories alone."""

from __future__ import annotations

import json

import pytest

from memchat.export import ExportDocument
from memchat.frames import ExportData, ExportPage, ImportMemories, ImportPreview, ListMemories, Memories, SourceKind
from tests.integration.stack import Client, LocalStack

pytestmark = pytest.mark.integration


def export(client: Client) -> tuple[dict, int]:
    parts, cursor, pages = [], None, 0
    while True:
        page = client.request(ExportData(action="exportData", cursor=cursor))
        assert isinstance(page, ExportPage), page
        parts.append(page.part)
        pages += 1
        cursor = page.cursor
        if cursor is None:
            text = "".join(parts)
            ExportDocument.model_validate_json(text)
            return json.loads(text), pages


def test_a_users_data_comes_back_whole_in_pages_and_an_import_is_theirs_alone(hostile_stack: LocalStack) -> None:
    alice, bob = hostile_stack.connect("export-alice"), hostile_stack.connect("export-bob")
    long = "I keep notes about sourdough, rye and spelt; " * 60
    said = [alice.say(f"{n}: {long}") for n in range(12)]
    assert all(answer.done is not None for answer in said)

    lines = ["I live in Graz.", "My brother lives in Oslo."]
    preview = alice.request(ImportMemories(action="importMemories", lines=lines))
    assert isinstance(preview, ImportPreview) and not preview.stored
    assert [line.text for line in preview.kept] == ["Lives in: Graz"]
    memories = alice.request(ListMemories(action="listMemories"))
    assert isinstance(memories, Memories) and not any(m.text == "Lives in: Graz" for m in memories.memories)

    stored = alice.request(ImportMemories(action="importMemories", lines=lines, confirm=True))
    assert isinstance(stored, ImportPreview) and stored.stored
    memories = alice.request(ListMemories(action="listMemories"))
    assert isinstance(memories, Memories)
    graz = next(m for m in memories.memories if m.text == "Lives in: Graz")
    assert graz.sources[0].kind is SourceKind.IMPORT

    document, pages = export(alice)
    assert pages > 1  # over 32 KB of history, each page under the gateway's frame limit
    assert {c["conversation"]["conversationId"] for c in document["conversations"]} == {
        answer.ack.conversation_id for answer in said}
    assert any(m["text"] == "Lives in: Graz" for m in document["memories"])

    theirs, _ = export(bob)
    assert theirs["conversations"] == [] and theirs["memories"] == []
    alice.close()
    bob.close()
