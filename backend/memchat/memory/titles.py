"""Conversation titles: the first words until the model names the conversation, or the user does."""

from __future__ import annotations

from botocore.exceptions import ClientError

from memchat.errors import NotFound
from memchat.frames import ConversationView
from memchat.memory.codec import conversation_pk, dump, load
from memchat.memory.reads import conversation_view
from memchat.memory.table import Table, error_code
from memchat.model import ChatMessage

MIN_WORDS, MAX_WORDS = 2, 6
TITLE_INSTRUCTIONS = (
    "Write a title of two to six words for the conversation that starts with the exchange below. "
    "Answer with the title only: no quotes, no final full stop."
)


def title_prompt(question: str, answer: str) -> list[ChatMessage]:
    question, answer = " ".join(question.split())[:600], " ".join(answer.split())[:600]
    return [ChatMessage("system", TITLE_INSTRUCTIONS), ChatMessage("user", f"User: {question}\nAssistant: {answer}")]


def clean_title(raw: str, *, fallback: str) -> str:
    """The model's title tidied (one line, no quotes or label), or the first words of the conversation
    when the model's answer is not 2 to 6 words."""
    line = next((line for line in raw.strip().splitlines() if line.strip()), "")
    line = line.strip().removeprefix("Title:").removeprefix("title:").strip(" \"'`*#.")
    words = line.split()
    if MIN_WORDS <= len(words) <= MAX_WORDS:
        return " ".join(words)
    first = fallback.split()[:MAX_WORDS]
    return " ".join(first).rstrip(".,;:!?") if first else fallback


class Titles(Table):
    def set_model_title(self, user_id: str, conversation_id: str, title: str) -> bool:
        """Name the conversation, unless the model or the user already did."""
        return self._call_if(
            "update_item",
            Key=dump({"pk": conversation_pk(user_id, conversation_id), "sk": "META"}),
            UpdateExpression="SET title = :title, titleSource = :model",
            ConditionExpression="attribute_exists(pk) AND attribute_not_exists(titleSource)",
            ExpressionAttributeValues=dump({":title": title, ":model": "model"}),
        )

    def rename_conversation(self, user_id: str, conversation_id: str, title: str) -> ConversationView:
        """The user's own title, kept for good; NotFound when there is no such conversation."""
        try:
            result = self._call(
                "update_item",
                Key=dump({"pk": conversation_pk(user_id, conversation_id), "sk": "META"}),
                UpdateExpression="SET title = :title, titleSource = :user",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues=dump({":title": title, ":user": "user"}),
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                raise NotFound("No such conversation.") from exc
            raise
        return conversation_view(load(result["Attributes"]))
