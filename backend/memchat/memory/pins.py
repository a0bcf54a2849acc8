"""Pinned conversations: kept on top of the list, newest-updated first among themselves.

    U#{user}#C#{conv}   META   pinnedBy: the user's id, only while the conversation is pinned

The "pinned" index (pinnedBy, updatedKey) is sparse: it holds the pinned conversations alone, ordered by the
same updatedKey the list's "byUser" index is, which every new message moves. So the pins are one bounded
query (a user has at most `max_pins`), newest first, with no write beyond the pin itself, and the list's
other pages leave them out with a filter on the same attribute. The key is built from the caller's user id,
so no request can pin another user's conversation: it is not found, as a missing one is.
"""

from __future__ import annotations

from typing import Any

from memchat.errors import BadRequest, NotFound
from memchat.frames import ConversationView
from memchat.memory.codec import conversation_pk, dump, load
from memchat.memory.reads import conversation_view
from memchat.memory.table import Table
from memchat.tables import PINNED_INDEX

PINNED_BY = "pinnedBy"


class PinItems(Table):
    def pinned_conversations(self, user_id: str, *, limit: int) -> list[ConversationView]:
        """The user's pinned conversations, newest-updated first: every one, since the index holds pins alone and
        they are capped (`limit`, read as one page of twice that: a race past the cap still shows them all)."""
        page = self._call(
            "query",
            IndexName=PINNED_INDEX.name,
            KeyConditionExpression=f"{PINNED_BY} = :u",
            ExpressionAttributeValues=dump({":u": user_id}),
            ScanIndexForward=False,
            Limit=2 * limit,
        )
        return [conversation_view(load(item)) for item in page.get("Items", [])]

    def pin_conversation(self, user_id: str, conversation_id: str, *, pinned: bool, limit: int) -> ConversationView:
        """Pin or unpin a conversation of the user's; NotFound when it is not theirs, BadRequest when `limit`
        conversations are pinned already (counted first, from the index: two pins at the same moment may pass
        it by one, which no later pin does; the list still shows every pin, the first page a little longer)."""
        key = dump({"pk": conversation_pk(user_id, conversation_id), "sk": "META"})
        update: dict[str, Any]
        if pinned:
            count = self._call("query", IndexName=PINNED_INDEX.name, KeyConditionExpression=f"{PINNED_BY} = :u",
                               ExpressionAttributeValues=dump({":u": user_id}), Select="COUNT",
                               Limit=limit + 1)["Count"]
            update = {"UpdateExpression": f"SET {PINNED_BY} = :u", "ExpressionAttributeValues": dump({":u": user_id})}
            if count >= limit:
                # Pinning one already pinned changes nothing: it passes; any other is refused.
                update["ConditionExpression"] = f"attribute_exists(pk) AND {PINNED_BY} = :u"
                result = self._write_if("update_item", Key=key, ReturnValues="ALL_NEW", **update)
                if result is None:
                    if "Item" not in self._call("get_item", Key=key, ProjectionExpression="pk"):
                        raise NotFound("No such conversation.")  # never tell a stranger's id from a full list
                    raise BadRequest(f"You can pin {limit} conversations: unpin one to pin another.")
                return conversation_view(load(result["Attributes"]))
        else:
            update = {"UpdateExpression": f"REMOVE {PINNED_BY}"}
        result = self._write_if("update_item", Key=key, ConditionExpression="attribute_exists(pk)",
                                ReturnValues="ALL_NEW", **update)
        if result is None:
            raise NotFound("No such conversation.")
        return conversation_view(load(result["Attributes"]))
