"""Search across conversations, as the conversation list's search field shows it: the query as typed, the
search it runs once the user pauses, its pages of results, and the empty, searching, no-result and error states.

No I/O here: `searchConversations` goes out through the chat's `Outbox`; `ChatState.receive` hands this object
the `searchResults` pages and the error that refuses a search. A result is opened by `ChatState.open_found`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import flet as ft

from memchat.frames import SEARCH_QUERY_MAX_CHARS, ErrorFrame, SearchConversations, SearchResult, SearchResults
from memchat_mobile.memories import Schedule, call_later
from memchat_mobile.message import Outbox

__all__ = ["OFFLINE", "SEARCH_DELAY", "Search", "marked"]

# Seconds without a keystroke before the query goes: one search for a word typed, not one per letter.
SEARCH_DELAY = 0.3
OFFLINE = "You are offline: the search runs when the connection is back."


def marked(result: SearchResult) -> list[tuple[str, bool]]:
    """The snippet in pieces, each with whether it is a matched word (the highlights' code-point offsets,
    which are Python's own string indices)."""
    pieces: list[tuple[str, bool]] = []
    at = 0
    for highlight in sorted(result.highlights, key=lambda h: h.start):
        start, end = max(highlight.start, at), min(highlight.end, len(result.snippet))
        if start >= end:
            continue
        if start > at:
            pieces.append((result.snippet[at:start], False))
        pieces.append((result.snippet[start:end], True))
        at = end
    if at < len(result.snippet):
        pieces.append((result.snippet[at:], False))
    return pieces


@ft.observable
@dataclass(eq=False)
class Search:
    """The search field's state. `query` is what the field holds; `searched` the query the shown results (or
    the error, or "no results") are for."""

    outbox: Outbox
    schedule: Schedule = call_later
    query: str = ""
    searched: str = ""
    results: list[SearchResult] = field(default_factory=list)
    cursor: str | None = None
    searching: bool = False  # a query is typed or on its way: its first page has not come
    loading_more: bool = False
    error: str | None = None
    online: bool = False
    revision: int = 0  # the app cleared the field: the screen draws it anew, empty

    def __post_init__(self) -> None:
        self._cancel: Callable[[], None] | None = None
        self._awaited: str | None = None  # the query whose page is on its way (another query's is dropped)

    @property
    def active(self) -> bool:
        """Something is typed: the results stand in for the conversation list."""
        return bool(self.query.strip())

    @property
    def has_more(self) -> bool:
        return self.cursor is not None

    @property
    def empty(self) -> str | None:
        """What the screen says when the search found nothing (None: it found something, or is not done)."""
        if not self.active or self.searching or self.error is not None or self.results:
            return None
        return f"No messages match \u201c{self.searched}\u201d"

    # ------------------------------------------------------------ what the screen calls

    def type(self, text: str) -> None:
        """The field changed: the search runs SEARCH_DELAY seconds after the last change; whatever the earlier
        query brings meanwhile is dropped."""
        self.query = text[:SEARCH_QUERY_MAX_CHARS]
        self._stop_timer()
        self._awaited = None
        if not self.active:
            self._reset()
            return
        self.searching, self.loading_more, self.error = True, False, None
        self._cancel = self.schedule(SEARCH_DELAY, self.run)

    def run(self) -> None:
        """Search for the field's text now (the pause passed, or Enter)."""
        self._stop_timer()
        query = " ".join(self.query.split())
        if not query:
            self._reset()
            return
        self.searched, self.results, self.cursor, self.loading_more = query, [], None, False
        if not self.online:
            self.searching, self.error, self._awaited = False, OFFLINE, None
            return
        self.searching, self.error, self._awaited = True, None, query
        self.outbox.send(SearchConversations(action="searchConversations", query=query))

    def load_more(self) -> None:
        if self.cursor is None or self.loading_more or self.searching or not self.online:
            return
        self.loading_more, self._awaited = True, self.searched
        self.outbox.send(SearchConversations(action="searchConversations", query=self.searched, cursor=self.cursor))

    def clear(self) -> None:
        """Empty the field: the conversation list comes back."""
        self._stop_timer()
        self.query = ""
        self.revision += 1
        self._reset()

    # ------------------------------------------------------------ frames and the connection

    def on_results(self, page: SearchResults) -> None:
        if page.query != self._awaited:
            return  # an earlier query's, or a page nobody waits for any more
        self.results = [*self.results, *page.results] if self.loading_more else list(page.results)
        self.cursor = page.cursor
        self.searching = self.loading_more = False
        self._awaited = None

    def on_refused(self, error: ErrorFrame) -> bool:
        """An error naming no message or conversation: the search's, if one is on its way (True: taken)."""
        if self._awaited is None:
            return False
        self.error, self.searching, self.loading_more, self._awaited = error.message, False, False, None
        return True

    def on_connected(self) -> None:
        self.online = True
        if self.active and self.error == OFFLINE:
            self.run()

    def on_disconnected(self) -> None:
        """A search on its way will not come back on this connection: said, and run again on the next."""
        self.online = False
        if self._awaited is not None:
            self.error, self.searching, self.loading_more, self._awaited = OFFLINE, False, False, None

    def _reset(self) -> None:
        self.searched, self.results, self.cursor, self.error = "", [], None, None
        self.searching = self.loading_more = False
        self._awaited = None

    def _stop_timer(self) -> None:
        cancel, self._cancel = self._cancel, None
        if cancel is not None:
            cancel()
