"""Search across conversations (search.py), and opening a result at its message (conversation.py): typing runs
a search once the user pauses, a new query drops the old one's results, pages follow the cursor, and a found
message is paged up to and marked."""

from __future__ import annotations

from memchat.errors import ErrorCode
from memchat.frames import (
    ErrorFrame,
    GetHistory,
    Highlight,
    RecalledExchange,
    Role,
    SearchConversations,
    SearchResult,
    SearchResults,
)
from memchat_mobile.conversation import FLASH_SECONDS, HISTORY_PAGE
from memchat_mobile.search import OFFLINE, SEARCH_DELAY, marked
from memchat_mobile.state import ChatState
from tests.mobile.chats import asked, open_with
from tests.mobile.fakes import CONVERSATION, NOW, FakeOutbox, Timers, done, history, mid, turns, view

OTHER = "beef00beef00beef"


def result(n: int, snippet: str = "the quince jam recipe", *, conversation_id: str = CONVERSATION,
           title: str = "Kitchen notes") -> SearchResult:
    return SearchResult(conversation_id=conversation_id, conversation_title=title, message_id=mid(n),
                        role=Role.USER, created_at=NOW, snippet=snippet, highlights=[Highlight(start=4, end=10)])


def searched(state: ChatState, outbox: FakeOutbox, timers: Timers, query: str) -> SearchConversations:
    state.search.type(query)
    timers.advance(SEARCH_DELAY)
    return outbox.of(SearchConversations)[-1]


# ---------------------------------------------------------------- the search field


def test_typing_searches_once_the_user_pauses(state: ChatState, outbox: FakeOutbox, timers: Timers) -> None:
    state.search.type("qu")
    state.search.type("quin")
    state.search.type("quince")
    assert not outbox.of(SearchConversations), "nothing goes while the user types"
    assert state.search.searching, "the field says it is searching at once"

    timers.advance(SEARCH_DELAY)

    [sent] = outbox.of(SearchConversations)
    assert (sent.query, sent.cursor) == ("quince", None)


def test_results_show_with_their_title_date_and_marked_words(state: ChatState, outbox: FakeOutbox,
                                                             timers: Timers) -> None:
    searched(state, outbox, timers, "quince")

    state.receive(SearchResults(query="quince", results=[result(2)], cursor=None))

    assert not state.search.searching and state.search.error is None
    [shown] = state.search.results
    assert (shown.conversation_title, shown.created_at, shown.message_id) == ("Kitchen notes", NOW, mid(2))
    assert marked(shown) == [("the ", False), ("quince", True), (" jam recipe", False)]


def test_a_new_query_drops_the_old_ones_results(state: ChatState, outbox: FakeOutbox, timers: Timers) -> None:
    searched(state, outbox, timers, "quince")
    state.search.type("marmalade")

    state.receive(SearchResults(query="quince", results=[result(2)]))
    assert state.search.results == [] and state.search.searching, "the old query's page is not shown"

    timers.advance(SEARCH_DELAY)
    state.receive(SearchResults(query="quince", results=[result(2)]))
    state.receive(SearchResults(query="marmalade", results=[result(4, "orange marmalade")]))

    assert [r.snippet for r in state.search.results] == ["orange marmalade"]
    assert state.search.searched == "marmalade"


def test_load_more_follows_the_cursor_and_adds_the_next_page(state: ChatState, outbox: FakeOutbox,
                                                            timers: Timers) -> None:
    searched(state, outbox, timers, "quince")
    state.receive(SearchResults(query="quince", results=[result(2)], cursor="page-2"))
    assert state.search.has_more

    state.search.load_more()
    state.search.load_more()  # a second tap while the page comes sends nothing more

    more = outbox.of(SearchConversations)
    assert [(f.query, f.cursor) for f in more] == [("quince", None), ("quince", "page-2")]
    state.receive(SearchResults(query="quince", results=[result(6, "quince paste")], cursor=None))
    assert [r.message_id for r in state.search.results] == [mid(2), mid(6)]
    assert not state.search.has_more and not state.search.loading_more


def test_an_empty_field_shows_the_list_again_and_sends_nothing(state: ChatState, outbox: FakeOutbox,
                                                              timers: Timers) -> None:
    searched(state, outbox, timers, "quince")
    state.receive(SearchResults(query="quince", results=[result(2)]))

    state.search.type("   ")
    timers.advance(SEARCH_DELAY)

    assert not state.search.active and state.search.results == [] and not state.search.searching
    assert len(outbox.of(SearchConversations)) == 1


def test_no_results_is_a_finished_state_naming_the_query(state: ChatState, outbox: FakeOutbox,
                                                         timers: Timers) -> None:
    searched(state, outbox, timers, "zebra")
    state.receive(SearchResults(query="zebra", results=[]))

    assert state.search.empty == "No messages match \u201czebra\u201d"


def test_a_refused_search_says_why_and_is_no_notice(state: ChatState, outbox: FakeOutbox, timers: Timers) -> None:
    searched(state, outbox, timers, "the")

    state.receive(ErrorFrame(code=ErrorCode.BAD_REQUEST, message="The search has no word to look for."))

    assert state.search.error == "The search has no word to look for." and not state.search.searching
    assert state.notice is None, "said in the search's place, not in a passing notice"


def test_a_bare_error_when_no_search_waits_is_not_the_searchs(state: ChatState) -> None:
    state.receive(ErrorFrame(code=ErrorCode.INTERNAL, message="Something failed."))

    assert state.search.error is None


def test_offline_a_search_waits_for_the_connection(state: ChatState, outbox: FakeOutbox, timers: Timers) -> None:
    state.on_disconnected("The connection dropped.")
    searched_before = len(outbox.of(SearchConversations))
    state.search.type("quince")
    timers.advance(SEARCH_DELAY)

    assert state.search.error == OFFLINE and len(outbox.of(SearchConversations)) == searched_before

    state.on_connecting()
    state.on_connected()
    assert outbox.of(SearchConversations)[-1].query == "quince" and state.search.searching


def test_a_search_cut_by_a_drop_runs_again_on_reconnect(state: ChatState, outbox: FakeOutbox,
                                                        timers: Timers) -> None:
    searched(state, outbox, timers, "quince")
    state.on_disconnected("The connection dropped.")
    assert state.search.error == OFFLINE and not state.search.searching

    state.on_connected()

    assert [f.query for f in outbox.of(SearchConversations)] == ["quince", "quince"]


# ---------------------------------------------------------------- a result opens at its message


def test_a_result_opens_its_conversation_and_pages_up_to_the_message(state: ChatState, outbox: FakeOutbox,
                                                                     timers: Timers) -> None:
    state.open_found(result(2))

    first = outbox.of(GetHistory)[-1]
    assert (first.conversation_id, first.before, first.limit) == (CONVERSATION, None, HISTORY_PAGE)
    assert state.thread.title == "Kitchen notes", "the result's title until the list says otherwise"
    state.receive(history(turns(40, 69), before=mid(40)))

    older = outbox.of(GetHistory)[-1]
    assert older.before == mid(40), "the message is not on the newest page: the page before it is read"
    assert state.thread.found is None
    state.receive(history(turns(10, 39), before=mid(10)))
    assert outbox.of(GetHistory)[-1].before == mid(10)
    state.receive(history(turns(0, 9)))

    assert state.thread.found == mid(2) and state.thread.flashing
    assert state.thread.find(mid(2)).text == "message 2"
    assert len(outbox.of(GetHistory)) == 3, "no page more than needed"

    timers.advance(FLASH_SECONDS)
    assert not state.thread.flashing and state.thread.found == mid(2), \
        "the highlight fades; the bubble still says it is the found message"


def test_a_result_on_the_newest_page_reads_no_older_page(state: ChatState, outbox: FakeOutbox) -> None:
    state.open_found(result(44))
    state.receive(history(turns(40, 69), before=mid(40)))

    assert state.thread.found == mid(44) and len(outbox.of(GetHistory)) == 1


def test_a_message_gone_since_says_so_once_every_page_is_read(state: ChatState, outbox: FakeOutbox) -> None:
    state.open_found(result(99))
    state.receive(history(turns(0, 9)))

    assert state.thread.found is None and state.notice == "That message is no longer in this conversation."


def test_a_title_match_opens_the_conversation_at_its_end(state: ChatState, outbox: FakeOutbox) -> None:
    title_only = result(2).model_copy(update={"message_id": None, "role": None})
    state.open_found(title_only)
    state.receive(history(turns(40, 69), before=mid(40)))

    assert state.thread.found is None and len(outbox.of(GetHistory)) == 1 and state.notice is None


def test_opening_a_result_clears_no_search(state: ChatState, outbox: FakeOutbox, timers: Timers) -> None:
    searched(state, outbox, timers, "quince")
    state.receive(SearchResults(query="quince", results=[result(2)]))

    state.open_found(state.search.results[0])
    state.close_conversation()

    assert state.search.query == "quince" and len(state.search.results) == 1, "back to the results"


# ---------------------------------------------------------------- earlier exchanges under an answer


def test_done_names_the_earlier_exchanges_an_answer_used(state: ChatState, outbox: FakeOutbox) -> None:
    _, answer = asked(state, outbox)
    frame = done(3).model_copy(update={"exchanges": [
        RecalledExchange(conversation_id=OTHER, message_id=mid(8), excerpt="What jam did you suggest?")]})

    state.receive(frame)

    assert [(e.conversation_id, e.message_id) for e in answer.exchanges] == [(OTHER, mid(8))]
    answer.text = "Quince jam."
    assert answer.shows_recalled, "'Used ...' shows under it, with no memory used"


def test_an_earlier_exchange_opens_its_conversation_at_that_message(state: ChatState, outbox: FakeOutbox) -> None:
    asked(state, outbox)
    exchange = RecalledExchange(conversation_id=OTHER, message_id=mid(8), excerpt="What jam did you suggest?")

    state.open_exchange(exchange)
    state.receive(history([view(6, "hello"), view(7, "hi"), view(8, "What jam did you suggest?")],
                          conversation_id=OTHER))

    assert state.thread.conversation_id == OTHER and state.thread.found == mid(8)


def test_a_reopened_conversation_shows_the_earlier_exchanges_its_answer_used(state: ChatState,
                                                                              outbox: FakeOutbox) -> None:
    exchange = RecalledExchange(conversation_id=OTHER, message_id=mid(8), excerpt="What jam did you suggest?")
    answer = view(1, "Quince jam, as before.").model_copy(update={"exchanges": [exchange]})

    open_with(state, outbox, [view(0, "Which jam was it?"), answer])

    reopened = state.thread.find(mid(1))
    assert reopened.exchanges == [exchange] and reopened.shows_recalled, "'Used ...' shows as it did live"
    state.open_exchange(reopened.exchanges[0])
    assert outbox.of(GetHistory)[-1].conversation_id == OTHER


def test_an_exchange_history_no_longer_names_leaves_the_answer(state: ChatState, outbox: FakeOutbox) -> None:
    _, answer = asked(state, outbox)
    state.receive(done(3).model_copy(update={"exchanges": [
        RecalledExchange(conversation_id=OTHER, message_id=mid(8), excerpt="What jam did you suggest?")]}))

    # Read again (a reconnect), after the earlier conversation was deleted: the server leaves its exchange out.
    state.receive(history([*turns(0, 1), view(2, "Tell me more"), view(3, "Quince jam.")]))

    assert answer.exchanges == [] and state.thread.find(mid(3)) is answer
    assert not answer.shows_recalled
