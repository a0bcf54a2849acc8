"""Memory's quality as operators watch it, without reading a memory: the metrics' names, one source for
the Lambdas that emit them and the stack's dashboard and alarm."""

from __future__ import annotations

from memchat.memory.extraction import Drop

PROPOSALS = "MemoryProposals"  # facts the rules and the model proposed, per digest
KEPT = "MemoryProposalsKept"  # of them, those the message supports
SUPERSEDED = "MemoriesSuperseded"  # current memories a new value replaced
ENDED = "MemoriesEnded"  # facts the user told as over ("I used to live in Oslo"), kept as history
# A memory the user deletes within a day of learning it was most likely junk: the proxy to watch after a
# model or prompt change.
DELETED_SOON = "MemoriesDeletedWithinADay"
SOON_MS = 24 * 60 * 60 * 1000


def drop_metric(reason: Drop) -> str:
    """The metric counting proposals dropped for `reason` ("MemoryDropsNotStated")."""
    return "MemoryDrops" + "".join(part.capitalize() for part in reason.value.split("_"))


DROPS = tuple(drop_metric(reason) for reason in Drop)
