"""The user's own instructions: what memchat should know about them and how it should answer.

    U#{user}  MEMCFG    about, style: the user's words, beside the memory setting

They live on the user's settings item, which the answer path's memory Query reads anyway, so they cost no
read of their own; a turn that reads no memories (a temporary chat, long-term memory off) gets them with
one GetItem. They are not memories: the digest reads messages only, so nothing is ever learnt from them,
and "clear all" or memory switched off leaves them as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from memchat.memory.codec import SETTINGS_SK, dump, load, user_pk
from memchat.memory.table import Table


@dataclass(frozen=True)
class UserInstructions:
    about: str = ""  # What should memchat know about you?
    style: str = ""  # How should it answer?

    @classmethod
    def from_plain(cls, plain: dict[str, Any] | None) -> UserInstructions:
        plain = plain or {}
        return cls(about=plain.get("about", ""), style=plain.get("style", ""))


class InstructionItems(Table):
    def instructions(self, user_id: str, *, consistent: bool = False) -> UserInstructions:
        item = self._call("get_item", Key=dump({"pk": user_pk(user_id), "sk": SETTINGS_SK}),
                          ProjectionExpression="about, #style", ExpressionAttributeNames={"#style": "style"},
                          ConsistentRead=consistent).get("Item")
        return UserInstructions.from_plain(load(item) if item else None)

    def set_instructions(self, user_id: str, *, about: str | None, style: str | None) -> UserInstructions:
        """Write the texts given (None: left as it is); returns both as they now are."""
        given = {name: value for name, value in (("about", about), ("style", style)) if value is not None}
        if not given:
            return self.instructions(user_id, consistent=True)
        result = self._call(
            "update_item",
            Key=dump({"pk": user_pk(user_id), "sk": SETTINGS_SK}),
            UpdateExpression="SET " + ", ".join(f"#{name} = :{name}" for name in given),
            ExpressionAttributeNames={f"#{name}": name for name in given},
            # DynamoDB keeps empty strings in non-key attributes: a cleared text is stored as "".
            ExpressionAttributeValues=dump({f":{name}": value for name, value in given.items()}),
            ReturnValues="ALL_NEW",
        )
        return UserInstructions.from_plain(load(result["Attributes"]))
