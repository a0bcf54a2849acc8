"""Documents longer than a frame (the data export, a shared conversation): cut into parts whose frames each fit
under API Gateway's 32 KB, sent a page at a time, with a cursor naming the snapshot and the next part.

The first request builds the document and sends part 0; the other parts are kept as a snapshot (one item
each, memory/exports.py, gone after an hour), so each later page costs one read and the parts always join
into the document as it was when it was asked for.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import replace

from memchat.errors import BadRequest
from memchat.frames import MAX_FRAME_BYTES, Frame, wire_size
from memchat.memory.exports import ExportPart

PART_CHARS = 24_000  # a first cut; shortened until its frame fits (escapes and multi-byte text grow it)
_CURSOR = re.compile(r"^(?P<snapshot>[0-9]{13}[0-9a-f]{8})\.(?P<part>[0-9]{1,5})$")

# Builds the frame of one part: (part, offset, total, cursor) -> the frame sent.
PageFrame = Callable[[str, int, int, "str | None"], Frame]


def snapshot_id(now_ms: int) -> str:
    return f"{now_ms:013d}{secrets.token_hex(4)}"


def parts(text: str, snapshot: str, frame: PageFrame) -> list[ExportPart]:
    """`text` cut into parts whose frames, cursor included, each fit one frame."""
    cut: list[ExportPart] = []
    offset = 0
    while True:
        size = PART_CHARS
        while True:
            end = min(len(text), offset + size)
            over = wire_size(frame(text[offset:end], offset, len(text),
                                   cursor(snapshot, len(cut) + 1) if end < len(text) else None))
            if over <= MAX_FRAME_BYTES:
                break
            size = max(1, size * (MAX_FRAME_BYTES - 512) // over)
        cut.append(ExportPart(text[offset:end], offset, len(text), 0))
        offset = end
        if end >= len(text):
            return [replace(p, count=len(cut)) for p in cut]


def cursor(snapshot: str, n: int) -> str:
    return f"{snapshot}.{n}"


def read_cursor(value: str) -> tuple[str, int]:
    match = _CURSOR.match(value)
    if match is None:
        raise BadRequest("cursor: not one this document gave; start again without one.")
    return match["snapshot"], int(match["part"])


def page(part: ExportPart, snapshot: str, n: int, frame: PageFrame) -> Frame:
    return frame(part.part, part.offset, part.total, cursor(snapshot, n + 1) if n + 1 < part.count else None)
