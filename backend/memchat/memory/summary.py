"""The conversation's rolling summary: what fell out of the recent window, condensed by the model.

Stored on the conversation's item with the id of the last message it covers. The window at answer time
holds only messages after that id, so nothing is both summarised and repeated. The digest folds the
oldest unsummarised messages once they pass half the window's budget, down to a quarter, so the window
always has room for them before they would fall out of it; never the last exchange, which can still be
regenerated, continued, retried or edited (a replaced message is in no summary).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from memchat.frames import MessageStatus, Role
from memchat.memory.budget import estimate_tokens
from memchat.memory.codec import conversation_pk, dump, message_sk
from memchat.memory.reads import StoredMessage
from memchat.memory.table import Table
from memchat.model import ChatMessage

ENDED = frozenset({MessageStatus.SENT, MessageStatus.COMPLETE, MessageStatus.STOPPED, MessageStatus.INTERRUPTED,
                   MessageStatus.FAILED})


@dataclass(frozen=True)
class Summary:
    text: str
    through: str | None  # the last message id it covers; None: no summary yet

    @classmethod
    def of(cls, conversation: dict[str, Any]) -> Summary:
        return cls(conversation.get("summary", ""), conversation.get("summaryThrough"))

    @property
    def tokens(self) -> int:
        return estimate_tokens(self.text) if self.text else 0


def to_fold(unsummarised: Sequence[StoredMessage], *, window_budget: int) -> list[StoredMessage]:
    """The oldest messages to fold into the summary now: none until the unsummarised ones pass half the
    window's budget, then enough to bring them down to a quarter. Only ended messages are folded, and
    never the conversation's last exchange (its user message and what follows it): that one can still
    be regenerated, continued, retried or edited, and each must find its message in the window, and a
    replaced message must never have been summarised."""
    total = sum(m.tokens for m in unsummarised)
    if total <= window_budget // 2:
        return []
    last_user = max((i for i, m in enumerate(unsummarised) if m.role is Role.USER), default=len(unsummarised))
    fold: list[StoredMessage] = []
    folded = 0
    for message in unsummarised[:last_user]:
        if total <= window_budget // 4 or message.status not in ENDED:
            break
        # One model call folds at most a window's worth, so its prompt fits the model: a long backlog
        # (a conversation older than summaries) is folded over several turns.
        if fold and folded + message.tokens > window_budget:
            break
        fold.append(message)
        folded += message.tokens
        total -= message.tokens
    return fold


SUMMARY_INSTRUCTIONS = (
    "You keep a running summary of a conversation between a user and an assistant. Rewrite the summary so "
    "that it also covers the new messages. Keep every fact the user gave about themselves, their questions, "
    "requests and decisions, and the assistant's main answers; leave out greetings and small talk. Write "
    "plain sentences in the third person, at most {words} words. Answer with the summary only."
)


def summary_prompt(previous: str, messages: Sequence[StoredMessage], *, max_tokens: int) -> list[ChatMessage]:
    lines = [f"{'User' if m.role is Role.USER else 'Assistant'}: {' '.join(m.text.split())}"
             for m in messages if m.text]
    body = f"Summary so far:\n{previous or '(none)'}\n\nNew messages:\n" + "\n".join(lines)
    return [ChatMessage("system", SUMMARY_INSTRUCTIONS.format(words=max(20, max_tokens // 2))),
            ChatMessage("user", body)]


def bounded(text: str, max_tokens: int) -> str:
    """The summary cut to its bound, at the last sentence end that fits (else at a word)."""
    text = " ".join(text.split())
    if estimate_tokens(text) <= max_tokens:
        return text
    cut = text
    while cut and estimate_tokens(cut) > max_tokens:
        cut = cut[: int(len(cut) * 0.9)]
    end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    return cut[: end + 1] if end > 0 else cut.rsplit(" ", 1)[0]


class Summaries(Table):
    def unsummarised(self, user_id: str, conversation_id: str, *, after: str | None,
                     page_size: int = 100) -> list[StoredMessage]:
        """The conversation's messages after the summary's last one, oldest first (a bounded tail)."""
        start = message_sk(after) if after else "M#"
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :start AND :end",
            "ExpressionAttributeValues": dump(
                {":pk": conversation_pk(user_id, conversation_id), ":start": start, ":end": "M$"}),
            "ConsistentRead": True,
            "Limit": page_size,
        }
        messages = [StoredMessage.from_item(item) for item in self._query_all(**kwargs)]
        # Replaced messages are no part of the conversation's story (the window skips them too).
        return [m for m in messages if (after is None or m.message_id > after) and m.in_prompt]

    def save_summary(self, user_id: str, conversation_id: str, *, text: str, through: str,
                     previous_through: str | None, previous_text: str | None = None) -> bool:
        """Store a new summary unless another run stored one first, or the one it was folded from was
        changed meanwhile (`previous_text`: a memory forgotten mid-fold must not come back); False: nothing
        written."""
        condition = "attribute_exists(pk) AND " + (
            "summaryThrough = :previous" if previous_through else "attribute_not_exists(summaryThrough)")
        values: dict[str, Any] = {":text": text, ":through": through}
        if previous_through:
            values[":previous"] = previous_through
            if previous_text is not None:
                condition += " AND summary = :previous_text"
                values[":previous_text"] = previous_text
        return self._call_if(
            "update_item",
            Key=dump({"pk": conversation_pk(user_id, conversation_id), "sk": "META"}),
            UpdateExpression="SET summary = :text, summaryThrough = :through",
            ConditionExpression=condition,
            ExpressionAttributeValues=dump(values),
        )
