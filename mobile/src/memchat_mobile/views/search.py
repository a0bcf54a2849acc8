"""The search field on the conversation list, and its results in the list's place while something is typed:
each with its conversation's title, its date and a snippet with the matched words marked; Load more; the
searching, no-result and error states."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from memchat.frames import Role, SearchResult
from memchat_mobile.search import Search, marked
from memchat_mobile.state import ChatState
from memchat_mobile.views.buttons import hint
from memchat_mobile.views.conversations import when

PROMPT = "Search your conversations"
# A matched word: bold, in the primary colour (AA on the surface in both themes: theme.TEXT_ON).
MATCH = ft.TextStyle(weight=ft.FontWeight.BOLD, color=ft.Colors.PRIMARY)


def who(result: SearchResult) -> str:
    if result.role is Role.USER:
        return "You"
    if result.role is Role.ASSISTANT:
        return "memchat"
    return "Title"


@ft.component
def SearchField(search: Search) -> ft.Control:
    """The field. Its text is the browser's own while the user types: drawn again with the state's text, a
    render between a keystroke and its change event would put the older text back (as views/chat.Composer
    explains); Clear gives it a new key, which draws it empty."""
    held = ft.use_ref(ft.Ref)
    field = held.current.current
    shown = ft.use_ref(None)
    value = field.value if field is not None and shown.current == search.revision else search.query
    shown.current = search.revision
    field_control = ft.Semantics(identifier="search-field", label=PROMPT, expand=True, content=ft.TextField(
        ref=held.current,
        key=f"search-{search.revision}",
        value=value,
        hint_text=PROMPT,
        prefix_icon=ft.Icons.SEARCH_ROUNDED,
        filled=True,
        dense=True,
        border_radius=24,
        border_color=ft.Colors.OUTLINE,  # its edge shows where it is: the fill alone is 1.5:1 on dark
        content_padding=ft.Padding.symmetric(horizontal=16, vertical=10),
        on_change=lambda e: search.type(e.control.value or ""),
        on_submit=lambda e: search.run(),
    ))
    # Beside the field, not inside it: on the page's surface, where it reads as well as the app bar's buttons.
    clear = ft.Semantics(identifier="search-clear", label="Clear the search", button=True, content=ft.IconButton(
        ft.Icons.CLOSE_ROUNDED, icon_color=ft.Colors.ON_SURFACE_VARIANT, tooltip=hint("Clear the search"),
        on_click=lambda: search.clear()))
    return ft.Container(
        padding=ft.Padding.only(left=12, right=4 if search.active else 12, top=4, bottom=4),
        content=ft.Row(spacing=4, controls=[field_control, *([clear] if search.active else [])]),
    )


@ft.component
def ResultTile(index: int, result: SearchResult, on_open: Callable[[SearchResult], None]) -> ft.Control:
    snippet = ft.Text(
        spans=[ft.TextSpan(text, style=MATCH if hit else None) for text, hit in marked(result)],
        size=14, color=ft.Colors.ON_SURFACE_VARIANT, max_lines=3, overflow=ft.TextOverflow.ELLIPSIS)
    return ft.Semantics(
        key=f"{result.conversation_id}-{result.message_id}-{index}",
        identifier=f"search-result-{index}",
        button=True,
        content=ft.ListTile(
            title=ft.Row(spacing=8, controls=[
                ft.Text(result.conversation_title or "Untitled", max_lines=1, overflow=ft.TextOverflow.ELLIPSIS,
                        weight=ft.FontWeight.W_600, expand=True),
                ft.Text(when(result.created_at), size=12, color=ft.Colors.ON_SURFACE_VARIANT),
            ]),
            subtitle=ft.Column(tight=True, spacing=2, controls=[
                ft.Text(who(result), size=12, weight=ft.FontWeight.W_500, color=ft.Colors.ON_SURFACE_VARIANT),
                snippet,
            ]),
            on_click=lambda: on_open(result),
            shape=ft.RoundedRectangleBorder(radius=16),
        ),
    )


def notice(identifier: str, icon: ft.IconData, title: str, said: str, color: str) -> ft.Control:
    """A finished state in the results' place: an icon, a line, and what to do."""
    return ft.Semantics(identifier=identifier, content=ft.Container(
        padding=32, alignment=ft.Alignment.TOP_CENTER,
        content=ft.Column(tight=True, spacing=10, horizontal_alignment=ft.CrossAxisAlignment.CENTER, controls=[
            ft.Icon(icon, size=44, color=color),
            ft.Text(title, size=18, weight=ft.FontWeight.W_600, text_align=ft.TextAlign.CENTER),
            ft.Text(said, text_align=ft.TextAlign.CENTER, color=ft.Colors.ON_SURFACE_VARIANT),
        ])))


@ft.component
def SearchResults(chat: ChatState, search: Search) -> ft.Control:
    bar = (ft.Semantics(identifier="search-searching", label="Searching", content=ft.ProgressBar(height=2))
           if search.searching or search.loading_more else ft.Container(height=2))
    if search.error is not None:
        body: ft.Control = notice("search-error", ft.Icons.ERROR_OUTLINE_ROUNDED, "The search did not run",
                                  search.error, ft.Colors.ERROR)
    elif search.empty is not None:
        body = notice("search-empty", ft.Icons.SEARCH_OFF_ROUNDED, search.empty,
                      "Try another word, or fewer words. Words match in any form (\u201cran\u201d finds "
                      "\u201crun\u201d); put a phrase in quotes.", ft.Colors.PRIMARY)
    elif search.searching and not search.results:
        body = ft.Semantics(identifier="search-waiting", content=ft.Container(
            padding=32, alignment=ft.Alignment.TOP_CENTER,
            content=ft.Text("Searching\u2026", color=ft.Colors.ON_SURFACE_VARIANT)))
    else:
        more: list[ft.Control] = []
        if search.has_more:
            more.append(ft.Semantics(identifier="search-more", content=ft.Container(
                alignment=ft.Alignment.CENTER, padding=8,
                content=ft.ProgressRing(width=18, height=18, stroke_width=2) if search.loading_more
                else ft.TextButton("Load more", icon=ft.Icons.EXPAND_MORE_ROUNDED,
                                   on_click=lambda: search.load_more()))))
        body = ft.ListView(
            expand=True,
            padding=ft.Padding.symmetric(horizontal=8, vertical=4),
            spacing=2,
            controls=[*[ResultTile(index, result, chat.open_found, key=f"{result.message_id}-{index}")
                        for index, result in enumerate(search.results)], *more],
        )
    return ft.Column(expand=True, spacing=0, controls=[bar, body])


@ft.component
def Searchable(chat: ChatState, search: Search, listing: ft.Control) -> ft.Control:
    """The search field above the conversation list (`listing`), whose place the results take while
    something is typed."""
    return ft.Column(expand=True, spacing=0, horizontal_alignment=ft.CrossAxisAlignment.STRETCH, controls=[
        SearchField(search),
        SearchResults(chat, search) if search.active else ft.Container(expand=True, content=listing),
    ])
