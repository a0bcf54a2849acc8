"""Forgetting: a deleted memory leaves no copy behind.

Deleting a memory deletes it and its earlier values, and redacts what it said from every place memchat
copied it to: the summaries and titles of the user's conversations, the messages it was learnt from
(with their answers), and the answers of any conversation whose prompt recalled it; there the words
become "[forgotten]". The user's other words stay.

Where a memory's words may be is traced as it goes there, by the background digest: one small item per
memory and conversation, never read on the answer path (and beyond the sources a memory keeps):

    U#{user}  MEMREF#{memory id}#{conversation id}   it was learnt from, or recalled into, that conversation
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from memchat.errors import NotFound
from memchat.memory.codec import conversation_pk, dump, load, memory_sk, user_pk
from memchat.memory.extraction import Forget
from memchat.memory.memories import MemoryItems, SavedMemory, Source, history_memory_id
from memchat.memory.recall import STOPWORDS, terms
from memchat.tables import BY_USER_INDEX

REDACTED = "[forgotten]"
TRACE_PREFIX = "MEMREF#"
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def redact(text: str, values: Iterable[str]) -> str:
    """`text` with each value removed: the phrase, then each of its meaningful words, wherever whole."""
    for value in values:
        # Whole words only ("Ada" never eats into "Adams"); then every word left, as a phrase can occur
        # whole once and in pieces elsewhere. Short words count when they are no plain lower-case word ("UK").
        phrase = re.escape(" ".join(value.split())).replace(r"\ ", r"\s+")
        # A plural ending goes with the word ("cat" takes "cats"), never a longer word ("Ada" keeps "Adams").
        text = re.sub(rf"(?<![^\W_]){phrase}(?:e?s)?(?![^\W_])", REDACTED, text, flags=re.I)
        for word in {w for w in _WORD.findall(value)
                     if (len(w) > 2 or not w.islower()) and w.casefold() not in STOPWORDS}:
            text = re.sub(rf"(?<![^\W_]){re.escape(word)}(?:e?s)?(?![^\W_])", REDACTED, text, flags=re.I)
    return text


def mentions(text: str, values: Iterable[str]) -> bool:
    return redact(text, values) != text


class Forgetting(MemoryItems):
    def delete_memory(self, user_id: str, memory_id: str) -> SavedMemory:
        """Forget one memory everywhere, current or told as over; NotFound when there is none."""
        try:
            memory = self.get_memory(user_id, memory_id)
        except NotFound:
            memory = next((m for m in self.told_over(user_id) if m.memory_id == memory_id), None)
            if memory is None:
                raise
        self.forget_memories(user_id, [memory])
        return memory

    def clear_memories(self, user_id: str, *, now_ms: int | None = None) -> int:
        """Forget every memory everywhere; returns how many there were. Marked first, so a memory being
        learnt meanwhile from an earlier message is either read here and forgotten, or never written."""
        self.mark_cleared(user_id, now_ms if now_ms is not None else int(time.time() * 1000))
        state = self.recall_state(user_id, limit=10_000, consistent=True)
        self.forget_memories(user_id, state.memories, everything=True)
        return len(state.memories)

    def forget_conversation(self, user_id: str, conversation_id: str) -> int:
        """A deleted conversation takes the memories learnt from it alone with it; a memory the user also
        said elsewhere stays, without that source. Returns how many memories went."""
        state = self.recall_state(user_id, limit=10_000, consistent=True)
        alone = []
        for memory in state.memories:
            others = tuple(s for s in memory.sources if s.conversation_id != conversation_id)
            if not others:
                alone.append(memory)
            elif len(others) < len(memory.sources):
                self.put_memory(user_id, replace(memory, sources=others))
        if alone:
            self.forget_memories(user_id, alone)
        # Earlier values learnt from it alone go too, though the current value came from elsewhere.
        for item in self.memory_history(user_id):
            entries = item.get("sources") or ()
            if entries and all(entry.split("/", 1)[0] == conversation_id for entry in entries):
                self._call("delete_item", Key=dump({"pk": item["pk"], "sk": item["sk"]}))
        return len(alone)

    def trace(self, user_id: str, memory_ids: Iterable[str], conversation_id: str) -> None:
        """Note that these memories' words may be in this conversation (learnt from it, or recalled into
        one of its answers), so forgetting them redacts it. Idempotent."""
        for memory_id in dict.fromkeys(memory_ids):
            self._call("put_item", Item=dump({"pk": user_pk(user_id),
                                              "sk": f"{TRACE_PREFIX}{memory_id}#{conversation_id}"}))

    def _traces(self, user_id: str, memory_ids: set[str] | None) -> list[dict[str, Any]]:
        """The trace items of these memories (of every memory: None), as plain items."""
        prefixes = [TRACE_PREFIX] if memory_ids is None else [f"{TRACE_PREFIX}{m}#" for m in sorted(memory_ids)]
        return [load(item) for prefix in prefixes for item in self._query_all(
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues=dump({":pk": user_pk(user_id), ":prefix": prefix}),
            ConsistentRead=True,
        )]

    def forget_memories(self, user_id: str, memories: list[SavedMemory], *, everything: bool = False) -> None:
        history = self.memory_history(user_id)
        doomed = {m.memory_id for m in memories}
        # Earlier values of a forgotten memory go with it: walk the superseded chain back (and a value kept
        # as history under the memory's own id, as a fact the user told as over is, goes with it too).
        chain = [h for h in history if everything]
        grew = not everything
        while grew:
            grew = False
            for item in history:
                own = history_memory_id(item)
                if item not in chain and (item.get("supersededBy") in doomed or own in doomed):
                    chain.append(item)
                    doomed.add(history_memory_id(item))
                    grew = True
        values = [m.value for m in memories] + [item["value"] for item in chain]
        if not values:
            return
        # Copies first, then the memories: a failure part-way leaves the memory listed, so the user can
        # delete it again, and never a copy without its memory.
        traces = self._traces(user_id, None if everything else doomed)
        conversations = {s.conversation_id for m in memories for s in m.sources} | {
            Source.parse(entry).conversation_id for item in chain for entry in item.get("sources") or ()} | {
            item["sk"].rsplit("#", 1)[1] for item in traces}
        conversations.discard("")  # an import's source: no conversation holds its words
        self._redact_conversations(user_id, values, conversations)
        keys = [{"pk": user_pk(user_id), "sk": memory_sk(m.memory_id)} for m in memories]
        keys += [{"pk": item["pk"], "sk": item["sk"]} for item in (*chain, *traces)]
        for key in keys:
            self._call("delete_item", Key=dump(key))

    def _redact_conversations(self, user_id: str, values: list[str], source_conversations: set[str]) -> None:
        """Redact the values from every summary and title, and from the messages of the source conversations."""
        kwargs: dict[str, Any] = {
            "IndexName": BY_USER_INDEX.name,
            "KeyConditionExpression": "userId = :u",
            "ExpressionAttributeValues": dump({":u": user_id}),
        }
        for item in self._query_all(**kwargs):
            plain = load(item)
            changes = {name: redact(plain[name], values) for name in ("summary", "title")
                       if isinstance(plain.get(name), str) and mentions(plain[name], values)}
            if changes:
                self._update_plain(plain["pk"], plain["sk"], changes)
        for conversation_id in source_conversations:
            self._redact_messages(user_id, conversation_id, values)

    def _redact_messages(self, user_id: str, conversation_id: str, values: list[str]) -> None:
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :m)",
            "ExpressionAttributeValues": dump({":pk": conversation_pk(user_id, conversation_id), ":m": "M#"}),
            "ProjectionExpression": "pk, sk, #t",
            "ExpressionAttributeNames": {"#t": "text"},
            "ConsistentRead": True,
        }
        for item in self._query_all(**kwargs):
            plain = load(item)
            text = plain.get("text")
            if isinstance(text, str) and mentions(text, values):
                self._update_plain(plain["pk"], plain["sk"], {"text": redact(text, values)})

    def _update_plain(self, pk: str, sk: str, changes: dict[str, str]) -> None:
        names = {f"#a{i}": name for i, name in enumerate(changes)}
        values = {f":v{i}": value for i, value in enumerate(changes.values())}
        self._call_if(
            "update_item",
            Key=dump({"pk": pk, "sk": sk}),
            UpdateExpression="SET " + ", ".join(f"#a{i} = :v{i}" for i in range(len(changes))),
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=dump(values),
        )


def matching(memories: Iterable[SavedMemory], request: Forget) -> list[SavedMemory]:
    """The memories a "forget ..." names: all of them for "everything", else those sharing a meaningful
    word with the request, counting each subject's everyday words ("forget my address" -> Lives in)."""
    if request.everything:
        return list(memories)
    # A short lower-case word ("in") names nothing; a value named in the request wins over a whole subject
    # ("forget that I like jazz" forgets jazz, not every "Likes").
    wanted = {term for term in terms(request.query) if len(term) > 2 or not term.isalpha()}
    by_value = [m for m in memories if wanted & set(terms(m.value))]
    return by_value or [m for m in memories if wanted & set(terms(m.search_text))]
