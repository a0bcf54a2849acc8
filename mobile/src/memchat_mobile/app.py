"""The app's entry: a Session per page (one per browser tab on the web), rendered as a stack of views.

Views: sign-in; or the conversation list with, on top and in this order, the settings, the Memory screen, a
project's screen and the open conversation, each when it is open (the system back gesture and the app bar's
back arrow pop the top one).
"""

from __future__ import annotations

import asyncio
import logging

import flet as ft
import flet_secure_storage as fss

from memchat_mobile.session import Session
from memchat_mobile.settings import Storage
from memchat_mobile.state import ChatState, Thread
from memchat_mobile.views import theme
from memchat_mobile.views.account import SettingsPage, SignIn
from memchat_mobile.views.buttons import hint
from memchat_mobile.views.chat import ChatBody, RenameAction
from memchat_mobile.views.conversations import ConversationList
from memchat_mobile.views.download import DataCard, ShareAction
from memchat_mobile.views.instructions import InstructionsCard
from memchat_mobile.views.memory import MemoryPage
from memchat_mobile.views.projects import ConversationMenu, ProjectActions, ProjectMark, ProjectPage, ProjectsSection
from memchat_mobile.views.search import Searchable
from memchat_mobile.views.status import OfflineBanner, TitleWithStatus

__all__ = ["App", "PreferencesStorage", "SecureStore", "main", "secure_store"]

logger = logging.getLogger(__name__)
SECURE_PROBE_TIMEOUT = 5.0  # seconds for the device's secure store to answer at all before the app does without it
# Once it has answered, a busy device may take longer (a loaded browser took over 5 s to read a token): a read
# that still does not come is done without (settings.load), a write fails as any sign-in error does.
SECURE_TIMEOUT = 30.0


class PreferencesStorage:
    """Storage on the device's preferences (SharedPreferences, NSUserDefaults, the browser's localStorage)."""

    def __init__(self, preferences: ft.SharedPreferences) -> None:
        self._preferences = preferences

    async def get(self, key: str) -> str | None:
        value = await self._preferences.get(key)
        return None if value is None else str(value)

    async def set(self, key: str, value: str) -> None:
        await self._preferences.set(key, value)


class SecureStore:
    """Storage on the device's secure store (flet-secure-storage: the Android Keystore, the iOS Keychain,
    Windows Credential Manager, libsecret; on the web, AES-GCM in localStorage with a key the browser keeps
    beside it, which only hides the token from a casual look). An empty value removes the key."""

    def __init__(self, store: fss.SecureStorage) -> None:
        self._store = store

    async def get(self, key: str, *, timeout: float = SECURE_TIMEOUT) -> str | None:
        return await asyncio.wait_for(self._store.get(key), timeout)

    async def set(self, key: str, value: str) -> None:
        if value:
            await asyncio.wait_for(self._store.set(key, value), SECURE_TIMEOUT)
        else:
            await asyncio.wait_for(self._store.remove(key), SECURE_TIMEOUT)


async def secure_store() -> SecureStore | None:
    """The device's secure store, or None where it does not answer (a Linux desktop without a keyring): the
    tokens then stay in the preferences, as before."""
    store = SecureStore(fss.SecureStorage())
    try:
        await store.get("memchat.probe", timeout=SECURE_PROBE_TIMEOUT)
    except Exception:  # any platform error: a missing keyring, an old client without the service
        logger.warning("No secure storage on this device: the sign-in is kept in the preferences", exc_info=True)
        return None
    return store


def follow(value):
    """Re-render the calling component when `value` (an observable, or None) changes, and when it is replaced."""
    held, hold = ft.use_state(value)
    if held is not value:
        hold(value)
    return value


@ft.component
def ThreadTitle(chat: ChatState, thread: Thread) -> ft.Control:
    return TitleWithStatus(chat, thread.title)


@ft.component
def Notices(chat: ChatState) -> ft.Control:
    ft.use_dialog(
        ft.SnackBar(ft.Semantics(identifier="notice", content=ft.Text(chat.notice)),
                    on_dismiss=lambda: chat.dismiss_notice(), behavior=ft.SnackBarBehavior.FLOATING)
        if chat.notice
        else None
    )
    return ft.Container(height=0)


def padded(width: float | None) -> ft.Padding:
    side = max(0.0, ((width or 0) - theme.MAX_WIDTH) / 2)
    return ft.Padding.symmetric(horizontal=side)


@ft.component
def App(session: Session) -> list[ft.View]:
    chat: ChatState | None = follow(session.chat)
    thread: Thread | None = follow(chat.thread if chat is not None else None)
    follow(chat.projects if chat is not None else None)  # a project's screen opens and closes
    menu_for, set_menu_for = ft.use_state(None)  # the conversation whose menu (pin, move) is open
    page = ft.context.page
    width, set_width = ft.use_state(page.width)

    def apply_theme() -> None:
        page.theme_mode = theme.MODES[session.settings.theme]
        page.update()

    ft.use_effect(apply_theme, [session.settings.theme])
    clipboard = ft.use_ref(ft.Clipboard).current  # one clipboard service for the page

    async def copy(text: str) -> None:
        await clipboard.set(text)
        if session.chat is not None:
            session.chat.note_copied(text)

    brightness, set_brightness = ft.use_state(page.platform_brightness)
    dark = theme.is_dark(session.settings.theme, brightness)

    def popped(_event) -> None:
        if chat is not None and chat.showing_memories and chat.memories_on_top:
            chat.close_memories()
        elif chat is not None and chat.thread is not None:
            chat.close_conversation()
        elif chat is not None and chat.projects.open_id is not None:
            chat.projects.close()
        elif chat is not None and chat.showing_memories:
            chat.close_memories()
        elif session.showing_settings:
            session.close_settings()


    # The page's handlers are set once and call this render's functions: assigned on every render, they made
    # every render (one per streamed delta) send the page itself to the browser again.
    latest = ft.use_ref(dict)
    latest.current.update(popped=popped)

    def handle_page_events() -> None:
        page.on_resize = lambda e: set_width(e.width)
        page.on_platform_brightness_change = lambda e: set_brightness(page.platform_brightness)
        page.on_view_pop = lambda e: latest.current["popped"](e)
        page.update()

    ft.use_effect(handle_page_events, [])
    padding = padded(width)

    if not session.ready:
        return [ft.View(route="/", controls=[ft.Container(expand=True, alignment=ft.Alignment.CENTER,
                                                            content=ft.ProgressRing())])]
    if chat is None:
        return [ft.View(route="/", padding=padding, controls=[ft.SafeArea(expand=True, content=ft.Container(
            padding=ft.Padding.symmetric(horizontal=16), content=SignIn(session)))])]

    views = [
        ft.View(
            route="/",
            padding=padding,
            appbar=ft.AppBar(
                title=TitleWithStatus(chat, "memchat"),
                center_title=False,
                bgcolor=ft.Colors.SURFACE,
                actions=[
                    ft.Semantics(identifier="refresh-conversations", label="Refresh the conversation list",
                                 button=True, content=ft.IconButton(
                                     ft.Icons.REFRESH, tooltip=hint("Refresh the conversation list"),
                                     on_click=lambda: chat.refresh_conversations())),
                    ft.Semantics(identifier="memory-button", label="Memory: what memchat remembers", button=True,
                                 content=ft.IconButton(ft.Icons.PSYCHOLOGY_OUTLINED, tooltip=hint("Memory"),
                                                       on_click=lambda: chat.open_memories())),
                    ft.Semantics(identifier="settings-button", label="Settings", button=True,
                                 content=ft.IconButton(ft.Icons.SETTINGS_OUTLINED, tooltip=hint("Settings"),
                                                       on_click=lambda: session.open_settings())),
                ],
            ),
            floating_action_button=ft.Semantics(identifier="new-chat", button=True,  # its text names it
                                                content=ft.FloatingActionButton(
                icon=ft.Icons.EDIT_SQUARE, content="New chat", on_click=lambda: chat.new_chat())),
            controls=[Notices(chat), OfflineBanner(chat, on_retry=session.reconnect_now),
                      ConversationMenu(chat, chat.projects, menu_for, lambda: set_menu_for(None)),
                      Searchable(chat, chat.search, ConversationList(
                          chat, chat.memory, header=ProjectsSection(chat, chat.projects),
                          on_more=lambda c: set_menu_for(c.conversation_id)))],
            spacing=0,
        )
    ]
    if session.showing_settings:
        views.append(ft.View(
            route="/settings",
            padding=padding,
            appbar=ft.AppBar(title=ft.Text("Settings", size=18, weight=ft.FontWeight.W_600),
                             bgcolor=ft.Colors.SURFACE),
            controls=[ft.Container(expand=True, padding=16, content=SettingsPage(
                session, chat.memory, InstructionsCard(chat.instructions), DataCard(chat.data_export)))],
        ))
    memory_view = None
    if chat.showing_memories:
        memory_view = ft.View(
            route="/memory",
            padding=padding,
            appbar=ft.AppBar(
                title=ft.Semantics(identifier="memory-title", content=ft.Text(
                    "Memory", size=18, weight=ft.FontWeight.W_600)),
                bgcolor=ft.Colors.SURFACE,
                actions=[ft.Semantics(identifier="refresh-memories", label="Refresh the memories", button=True,
                                      content=ft.IconButton(ft.Icons.REFRESH, tooltip=hint("Refresh the memories"),
                                                            on_click=lambda: chat.memory.refresh()))],
            ),
            controls=[Notices(chat), OfflineBanner(chat, on_retry=session.reconnect_now),
                      MemoryPage(chat, chat.memory)],
            spacing=0,
        )
    if memory_view is not None and not chat.memories_on_top:
        views.append(memory_view)
    project = chat.projects.opened
    if project is not None:
        views.append(ft.View(
            route="/project",
            padding=padding,
            appbar=ft.AppBar(
                title=ft.Semantics(identifier="project-title", content=ft.Text(
                    project.name, size=18, weight=ft.FontWeight.W_600)),
                bgcolor=ft.Colors.SURFACE, actions=[ProjectActions(chat, chat.projects, project)]),
            controls=[Notices(chat), OfflineBanner(chat, on_retry=session.reconnect_now),
                      ProjectPage(chat, chat.projects, project, lambda c: set_menu_for(c.conversation_id))],
            spacing=0,
        ))
    if thread is not None:
        views.append(ft.View(
            route="/chat",
            padding=padding,
            appbar=ft.AppBar(title=ThreadTitle(chat, thread), center_title=False, bgcolor=ft.Colors.SURFACE,
                             actions=[ShareAction(thread, chat.sharing), RenameAction(chat, thread)]),
            controls=[Notices(chat), OfflineBanner(chat, on_retry=session.reconnect_now),
                      ProjectMark(chat.projects, thread), ChatBody(chat, thread, dark, copy)],
            spacing=0,
        ))
    if memory_view is not None and chat.memories_on_top:
        views.append(memory_view)
    return views


async def main(page: ft.Page, *, storage: Storage | None = None) -> None:
    page.title = "memchat"
    if page.web:
        # Emoji from the app's own files: the web build otherwise fetches Noto Color Emoji from a font server
        # (or, without a CDN, from a path the app server does not have) and draws empty boxes.
        page.fonts = {theme.EMOJI_FONT: theme.EMOJI_FONT_FILE}
    page.theme = theme.light(emoji=page.web)
    page.dark_theme = theme.dark(emoji=page.web)
    page.theme_mode = ft.ThemeMode.SYSTEM
    session = Session(storage or PreferencesStorage(ft.SharedPreferences()),
                      secrets=await secure_store() if storage is None else None)
    page.on_close = session.close  # the tab or the app went away: end its connection

    def lifecycle(event: ft.AppLifecycleStateChangeEvent) -> None:
        # Back in front (the tab shown again, the phone unlocked): reconnect now and read the list again.
        if event.state in (ft.AppLifecycleState.RESUME, ft.AppLifecycleState.SHOW):
            session.resume()

    def connectivity(event) -> None:
        if any(kind is not ft.ConnectivityType.NONE for kind in event.connectivity):
            session.reconnect_now()  # the network is back: no need to wait for the backoff

    page.on_app_lifecycle_state_change = lifecycle
    ft.Connectivity(on_change=connectivity)
    page.render_views(App, session)
    await session.start()
