"""Memory in DynamoDB: conversations, one item per message, summaries and the user's memories.

Every key is built from the caller's user id (from the verified token), so a request can only ever
reach its own user's items (`codec.py` builds them; `tables.py` draws the layout). Costs stay flat as a
conversation grows: each read is a bounded query on one partition, newest first.

    budget.py       token counts and how the prompt's budget is shared
    codec.py        keys, item codecs, ids and cursors
    table.py        the calls, with DynamoDB's errors translated once
    turns.py        writing a turn and the answer's life
    reads.py        the prompt window, history, the conversation list
    leases.py       leases on answers in flight, who follows them, and the sweep's reads and writes
    waits.py        answers waiting for the model to wake, and the model's wake
    revisions.py    regenerating and continuing the last answer, and what edits supersede
    deletion.py     deleting and purging a conversation
    summary.py      the conversation's rolling summary
    titles.py       conversation titles
    memories.py     the user's memories: items, subjects, provenance, the on/off setting
    instructions.py the user's own instructions (never learnt from)
    projects.py     projects: named groups of conversations with their own instructions
    pins.py         conversations pinned to the top of the list
    recall.py       choosing the memories for a prompt (BM25 within a budget)
    extraction.py   what the model is asked to learn, and the check against the user's words
    spans.py        values found by their structure, candidates for that check (the floor's second half)
    consolidation.py  merging, superseding and evicting memories without the model
    forgetting.py   deleting memories and every copy of them
    connections.py  the connections table
    exports.py      export snapshots: the parts of an export document, kept an hour
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from memchat.memory.budget import MESSAGE_OVERHEAD_TOKENS, estimate_tokens, memory_budget, window_budget
from memchat.memory.codec import new_message_id, new_turn_ids
from memchat.memory.connections import Connections
from memchat.memory.deletion import Deletion
from memchat.memory.exports import ExportItems
from memchat.memory.forgetting import Forgetting
from memchat.memory.instructions import InstructionItems, UserInstructions
from memchat.memory.leases import Leases, StaleAnswer
from memchat.memory.memories import RecallState, SavedMemory, Subject
from memchat.memory.pins import PinItems
from memchat.memory.projects import Project, ProjectItems
from memchat.memory.reads import Page, Reads, StoredMessage
from memchat.memory.revisions import Exchange, Revisions
from memchat.memory.summary import Summaries, Summary
from memchat.memory.titles import Titles
from memchat.memory.turns import AnswerPoll, Turn, TurnWrites
from memchat.memory.waits import ModelWake, Wait, Waits

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

    from memchat.settings import Settings


class Memory(Revisions, TurnWrites, Leases, Waits, Reads, Deletion, Summaries, Titles, Forgetting, InstructionItems,
             ProjectItems, PinItems, ExportItems):
    """The chat table. Create one per process and share it; methods are safe to call from threads."""

    @classmethod
    def from_settings(cls, client: DynamoDBClient, settings: Settings) -> Memory:
        return cls(client, table_name=settings.table_name, rate_limit_per_minute=settings.rate_limit_per_minute)


__all__ = ["MESSAGE_OVERHEAD_TOKENS", "AnswerPoll", "Connections", "Exchange", "Memory", "ModelWake", "Page",
           "Project", "RecallState", "SavedMemory", "StaleAnswer", "StoredMessage", "Subject", "Summary", "Turn",
           "UserInstructions", "Wait", "estimate_tokens", "memory_budget", "new_message_id", "new_turn_ids",
           "window_budget"]
