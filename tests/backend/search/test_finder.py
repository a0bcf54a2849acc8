"""Searching: what is found, how it is ranked and paged, and that a user finds only their own words."""

from __future__ import annotations

import pytest

from memchat.errors import BadRequest
from memchat.frames import MessageStatus, Role
from memchat.memory.codec import to_datetime
from memchat.search.finder import PAGE_SIZE, Finder
from memchat.search.index import POSTINGS_PER_TERM, term_pk

from ..recorded import ALICE, BOB


def marked(result) -> list[str]:
    return [result.snippet[h.start : h.end] for h in result.highlights]


def test_a_word_of_the_users_message_is_found_with_where_and_when_it_was_said(finder, exchange, indexed, memory):
    turn = exchange(ALICE, "I need a recipe for banana bread", "Mash three ripe bananas with flour.")
    indexed()
    (result,) = [r for r in finder.search(ALICE, "recipe").results if r.message_id == turn.message_id]
    message = memory.message(ALICE, turn.conversation_id, turn.message_id)
    assert result.conversation_id == turn.conversation_id
    assert result.role is Role.USER
    assert result.created_at == to_datetime(message.created_ms)
    assert result.snippet == "I need a recipe for banana bread"
    assert marked(result) == ["recipe"]


def test_words_match_by_their_dictionary_form(finder, exchange, indexed):
    turn = exchange(ALICE, "I ran ten kilometres and my children cheered", "Well done!")
    indexed()
    results = finder.search(ALICE, "running child").results
    assert [r.message_id for r in results] == [turn.message_id]
    assert marked(results[0]) == ["ran", "children"]


def test_answers_and_titles_are_searched_too(finder, exchange, indexed, memory):
    turn = exchange(ALICE, "What should I pack?", "Take a waterproof jacket and sturdy boots.")
    memory.rename_conversation(ALICE, turn.conversation_id, "Packing for Iceland")
    indexed()
    (answer,) = finder.search(ALICE, "jacket").results
    assert (answer.message_id, answer.role) == (turn.reply_id, Role.ASSISTANT)
    (title,) = finder.search(ALICE, "iceland").results
    assert (title.message_id, title.role, title.conversation_title) == (None, None, "Packing for Iceland")
    assert marked(title) == ["Iceland"]


def test_a_quoted_phrase_matches_only_as_a_phrase(finder, exchange, indexed):
    phrase = exchange(ALICE, "My grandmother's banana bread was the best", "It sounds lovely.")
    exchange(ALICE, "The bread was stale, so I ate a banana", "Fair enough.")
    indexed()
    results = finder.search(ALICE, '"banana bread"').results
    assert [r.message_id for r in results] == [phrase.message_id]
    assert marked(results[0]) == ["banana bread"]


def test_the_more_relevant_text_ranks_first_and_the_newer_among_equals(finder, exchange, indexed):
    older = exchange(ALICE, "Tell me about volcanoes", "Sure.")
    newer = exchange(ALICE, "Tell me about volcanoes", "Sure.")
    both = exchange(ALICE, "Volcanoes and glaciers in Iceland", "Sure.")
    indexed()
    results = [r.message_id for r in finder.search(ALICE, "volcano glacier").results]
    assert results == [both.message_id, newer.message_id, older.message_id]


def test_an_answer_is_searchable_only_once_it_ended(finder, memory, indexed):
    import uuid

    turn = memory.store_user_message(ALICE, conversation_id=None, client_message_id=uuid.uuid4(), text="Hi",
                                     now_ms=1_732_000_000_000)
    memory.claim_reply(ALICE, turn.conversation_id, turn.reply_id, owner="w")
    memory.renew_lease(ALICE, turn.conversation_id, turn.reply_id, owner="w", text="Kangaroos hop", seq=1,
                       now_ms=1_732_000_000_500, lease_ms=30_000)
    indexed()
    assert finder.search(ALICE, "kangaroo").results == []
    memory.finish_reply(ALICE, turn.conversation_id, turn.reply_id, text="Kangaroos hop far.",
                        status=MessageStatus.COMPLETE, tokens=5)
    indexed()
    assert [r.message_id for r in finder.search(ALICE, "kangaroo").results] == [turn.reply_id]


def test_another_users_words_are_never_found(finder, exchange, indexed, index):
    exchange(BOB, "My secret password hint is aubergine", "Noted.")
    exchange(ALICE, "I like courgettes", "Noted.")
    indexed()
    assert finder.search(ALICE, "aubergine").results == []
    assert finder.search(ALICE, "secret password hint").results == []
    assert [r.snippet for r in finder.search(BOB, "aubergine").results] == ["My secret password hint is aubergine"]
    assert index.postings(ALICE, "aubergine") == []


def test_pages_follow_one_another_without_repeating_a_result(index, pool, exchange, indexed):
    finder = Finder(index, pool, page_size=3)
    turns = [exchange(ALICE, f"Walk number {n} through the forest", "Nice.") for n in range(7)]
    indexed()
    seen, cursor, pages = [], None, 0
    while True:
        page = finder.search(ALICE, "forest", cursor=cursor)
        seen += [r.message_id for r in page.results]
        pages += 1
        if page.cursor is None:
            break
        cursor = page.cursor
    assert pages == 3
    assert seen == [t.message_id for t in reversed(turns)]


def test_a_cursor_of_another_search_is_refused(finder, exchange, indexed):
    for n in range(PAGE_SIZE + 1):
        exchange(ALICE, f"Forest walk {n}", "Nice.")
    indexed()
    cursor = finder.search(ALICE, "forest").cursor
    assert cursor is not None
    with pytest.raises(BadRequest, match="cursor"):
        finder.search(ALICE, "walk", cursor=cursor)
    with pytest.raises(BadRequest, match="cursor"):
        finder.search(ALICE, "forest", cursor="not-a-cursor")


def test_a_search_of_only_common_words_says_what_is_missing(finder):
    with pytest.raises(BadRequest, match="no word to look for"):
        finder.search(ALICE, "what is the")


def test_a_search_reads_a_bounded_number_of_postings_whatever_the_history(index, finder, monkeypatch):
    for n in range(POSTINGS_PER_TERM + 20):  # postings as the stream writes them, without their messages
        index.apply(None, {"pk": f"U#{ALICE}#C#{n:032x}", "sk": f"M#{n:012x}00", "role": "user", "status": "sent",
                           "text": f"Day {n}: another note about the garden", "createdMs": 1_732_000_000_000 + n})
    read: list[int] = []
    original = index._call

    def counting(operation, **kwargs):
        response = original(operation, **kwargs)
        if operation == "query":
            assert kwargs["ExpressionAttributeValues"][":pk"]["S"] == term_pk(ALICE, "garden")
            read.append(len(response["Items"]))
        return response

    monkeypatch.setattr(index, "_call", counting)
    finder.search(ALICE, "garden")
    assert read == [POSTINGS_PER_TERM]  # one Query, at most the bound, of 120 texts with the word


def test_a_temporary_chat_is_searchable_by_its_owner_while_it_exists(finder, exchange, indexed, memory):
    turn = exchange(ALICE, "Draft a note about the flamingo", "Here it is.", temporary=True)
    indexed()
    assert [r.message_id for r in finder.search(ALICE, "flamingo").results] == [turn.message_id]
    assert finder.search(BOB, "flamingo").results == []
    memory.delete_conversation(ALICE, turn.conversation_id)
    assert finder.search(ALICE, "flamingo").results == []
