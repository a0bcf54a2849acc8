"""Consolidating validated proposals into the user's memories, without the model.

A proposal that says what a current memory says confirms it (one more source, newer); a new value of a
single-valued subject (name, home, diet, work) supersedes the current one, which becomes history; any
other proposal is a new memory. Past the user's limit the least recently confirmed memories go.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from memchat.memory.extraction import Proposal
from memchat.memory.memories import SINGLE_VALUED, SavedMemory, Source, Subject, memory_id_for
from memchat.memory.recall import terms
from memchat.memory.timing import when

NEAR_DUPLICATE_JACCARD = 0.6


def near_duplicate(a: str, b: str) -> bool:
    """Two values that say the same: one's words contain the other's, or they share most of them."""
    x, y = set(terms(a)), set(terms(b))
    if not x or not y:
        return a.casefold() == b.casefold()
    return x <= y or y <= x or len(x & y) / len(x | y) >= NEAR_DUPLICATE_JACCARD


def _said_after(memory: SavedMemory, source: Source) -> list[bool]:
    """For each of the memory's sources, whether it was said after `source`; none when `source`'s time is
    unknown (message ids begin with the time the message was stored: `codec.message_ms`)."""
    said = source.said_ms
    return [] if said is None else [(s.said_ms or 0) > said for s in memory.sources]


def said_later(memory: SavedMemory, source: Source) -> bool:
    """Whether the memory holds what was said after `source` was: a value from an earlier message never
    replaces it, whatever order the turns are read in (a stream delivers a failed batch again)."""
    return any(_said_after(memory, source))


def said_only_after(memory: SavedMemory, source: Source) -> bool:
    """Whether all the memory holds was said after `source` was: "forget where I live" never reaches a home
    stated in a later message, even one learnt before the request's turn was read."""
    after = _said_after(memory, source)
    return bool(after) and all(after)


@dataclass
class Plan:
    """The writes a turn's proposals need; empty when they add nothing (a redelivered turn)."""

    puts: list[SavedMemory] = field(default_factory=list)  # new memories and confirmed ones
    supersedes: list[tuple[SavedMemory, SavedMemory]] = field(default_factory=list)  # (old, new)
    evictions: list[SavedMemory] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.puts or self.supersedes or self.evictions)


def plan(current: list[SavedMemory], proposals: list[Proposal], *, source: Source, now_ms: int,
         limit: int) -> Plan:
    memories = {memory.memory_id: memory for memory in current}
    result = Plan()
    changed: dict[str, SavedMemory] = {}
    for proposal in proposals:
        same = next((m for m in memories.values() if m.subject is proposal.subject
                     and near_duplicate(m.value, proposal.value)), None)
        if same is not None and source in same.sources:
            continue  # this very message was learnt already: a redelivery
        # A restatement that says nothing new confirms; one that changes a detail ("code 4521" -> "code 1234",
        # "May 3" -> "May 5") replaces the near duplicate, which would otherwise stay stale.
        if same is not None and set(terms(proposal.value)) <= set(terms(same.value)):
            confirmed = same.with_source(source, now_ms)
            memories[same.memory_id] = changed[same.memory_id] = confirmed
            continue
        new = SavedMemory(memory_id_for(proposal.subject, proposal.value), proposal.subject, proposal.value,
                          created_ms=now_ms, updated_ms=now_ms, sources=(source,),
                          when=when(proposal.value, now_ms) if proposal.subject is Subject.PLAN else None)
        old = same or (next((m for m in memories.values() if m.subject is proposal.subject), None)
                       if proposal.subject in SINGLE_VALUED else None)
        if old is not None and said_later(old, source):
            continue  # an earlier message read after a later one (a redelivery): the later value stands
        if old is not None:
            result.supersedes.append((old, new))
            del memories[old.memory_id]
            changed.pop(old.memory_id, None)
        else:
            changed[new.memory_id] = new
        memories[new.memory_id] = new
    result.puts = list(changed.values())
    overflow = len(memories) - limit
    if overflow > 0:
        oldest = sorted(memories.values(), key=lambda m: m.updated_ms)[:overflow]
        result.evictions = oldest
        evicted = {m.memory_id for m in oldest}
        result.puts = [m for m in result.puts if m.memory_id not in evicted]
        result.supersedes = [(old, new) for old, new in result.supersedes if new.memory_id not in evicted]
    return result
