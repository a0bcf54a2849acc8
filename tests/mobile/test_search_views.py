"""The search screens' and the found message's words (views/search.py, views/chat.py): what a result, the
"Used ..." line and the found bubble say."""

from __future__ import annotations

import flet as ft

from memchat.frames import Highlight, Role, SearchResult
from memchat_mobile.state import Message
from memchat_mobile.views.chat import FOUND_LABEL, bubble_key, found_key, used_summary
from memchat_mobile.views.search import MATCH, who
from memchat_mobile.views.theme import DARK, LIGHT, TEXT_ON
from tests.mobile.fakes import CONVERSATION, NOW, mid


def test_used_says_memories_and_earlier_conversations_apart() -> None:
    assert used_summary(2, 0) == "Used 2 memories"
    assert used_summary(0, 1) == "Used 1 earlier conversation"
    assert used_summary(1, 2) == "Used 1 memory and 2 earlier conversations"


def test_a_result_says_who_wrote_it_or_that_the_title_matched() -> None:
    found = SearchResult(conversation_id=CONVERSATION, conversation_title="Kitchen", message_id=mid(1),
                         role=Role.ASSISTANT, created_at=NOW, snippet="jam", highlights=[Highlight(start=0, end=3)])
    assert [who(found), who(found.model_copy(update={"role": Role.USER})),
            who(found.model_copy(update={"role": None, "message_id": None}))] == ["memchat", "You", "Title"]


def test_matched_words_are_drawn_in_a_colour_checked_for_contrast_in_both_themes() -> None:
    assert MATCH.color == ft.Colors.PRIMARY and MATCH.weight == ft.FontWeight.BOLD
    assert ("primary", "surface") in TEXT_ON and LIGHT["primary"] and DARK["primary"]


def test_the_found_bubble_is_the_target_its_list_scrolls_to() -> None:
    message = Message(role=Role.USER, text="quince", message_id=mid(2))
    assert found_key(message) == ft.ScrollKey(bubble_key(message, found=True))
    assert bubble_key(message, found=True) != bubble_key(message, found=False), "a new node when it is found"
    assert FOUND_LABEL.startswith("Found message")
