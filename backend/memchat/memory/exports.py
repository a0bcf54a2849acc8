"""Export snapshots: the parts of one export document, written once when the export starts, read a page at
a time, and gone by TTL.

    U#{user}  EXPORT#{export}#{n}   part n of export {export}: its text, offset, the document's length
                                    and how many parts there are (TTL: an hour)
"""

from __future__ import annotations

from dataclasses import dataclass

from memchat.errors import BadRequest
from memchat.memory.codec import dump, load, user_pk
from memchat.memory.table import Table
from memchat.tables import TTL_ATTRIBUTE

EXPORT_PREFIX = "EXPORT#"
EXPORT_TTL_SECONDS = 3600
BATCH = 25  # BatchWriteItem's limit


@dataclass(frozen=True)
class ExportPart:
    part: str
    offset: int
    total: int
    count: int


class ExportItems(Table):
    def put_export(self, user_id: str, export_id: str, parts: list[ExportPart], *, now_ms: int,
                   first: int = 0) -> None:
        """Keep parts first, first+1, ... of an export (the first page is sent at once, never read back)."""
        expires = now_ms // 1000 + EXPORT_TTL_SECONDS
        requests = [{"PutRequest": {"Item": dump({
            "pk": user_pk(user_id), "sk": f"{EXPORT_PREFIX}{export_id}#{n:05d}", "part": p.part, "offset": p.offset,
            "total": p.total, "count": p.count, TTL_ATTRIBUTE: expires})}} for n, p in enumerate(parts, start=first)]
        for start in range(0, len(requests), BATCH):
            self._batch_write(requests[start : start + BATCH])

    def export_part(self, user_id: str, export_id: str, n: int) -> ExportPart:
        """Part n of the caller's own export (keyed by their user id: another user's cursor finds nothing)."""
        item = self._call("get_item", Key=dump({"pk": user_pk(user_id), "sk": f"{EXPORT_PREFIX}{export_id}#{n:05d}"}),
                          ConsistentRead=True).get("Item")
        if item is None:
            raise BadRequest("cursor: no such export, or it expired (an export is kept an hour); start it again "
                             "without a cursor.")
        plain = load(item)
        return ExportPart(plain["part"], int(plain["offset"]), int(plain["total"]), int(plain["count"]))
