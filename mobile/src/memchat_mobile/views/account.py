"""Signing in (server address, then a local server's test user or token, or an account) and the settings screen."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from memchat_mobile.auth import is_local
from memchat_mobile.memories import MemoryList
from memchat_mobile.session import Session
from memchat_mobile.settings import SignInMethod, Theme
from memchat_mobile.views.conversations import delete_all_warning
from memchat_mobile.views.dialog import use_confirm_dialog

# Short enough for one line of a 390 px wide phone (a longer one was cut: "Paste what it p...").
TOKEN_HELP = "In a terminal: memchat token YOUR_NAME"  # noqa: S105 - a hint, no secret
# The sign-in methods in the user's words: "Development" and "Cognito" named the machinery.
METHOD_NAMES = {SignInMethod.DEVELOPMENT: "Local server", SignInMethod.COGNITO: "Account"}


def field(identifier: str, label: str, form: dict[str, str], name: str,
          on_value: Callable[[str], None] | None = None, **options) -> ft.Control:
    """An uncontrolled text field that keeps its latest value in `form` (read when the form is submitted: the
    click can arrive before a re-render, so a value captured at render time could be stale)."""

    def changed(event) -> None:
        form[name] = event.control.value
        if on_value is not None:
            on_value(form[name])

    return ft.Semantics(identifier=identifier, content=ft.TextField(
        label=label, value=form[name], on_change=changed, border_radius=12, helper_max_lines=2,
        border_color=ft.Colors.OUTLINE, **options))  # Flet's own default border is black, on dark too


def card(title: str, *controls: ft.Control) -> ft.Control:
    return ft.Card(
        elevation=0,
        bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
        shape=ft.RoundedRectangleBorder(radius=20),
        content=ft.Container(
            padding=20,
            content=ft.Column(spacing=14, tight=True, controls=[
                ft.Text(title, size=13, weight=ft.FontWeight.W_600, color=ft.Colors.PRIMARY), *controls]),
        ),
    )


@ft.component
def Logo(size: int = 76) -> ft.Control:
    """The app icon (src/assets/icon.png), rounded as a launcher shows it."""
    return ft.Container(
        width=size,
        height=size,
        border_radius=size * 0.28,
        clip_behavior=ft.ClipBehavior.ANTI_ALIAS,
        content=ft.Image(src="icon.png", width=size, height=size),
    )


@ft.component
def SignIn(session: Session) -> ft.Control:
    stored = session.settings
    method, set_method = ft.use_state(stored.method)
    form = ft.use_ref(lambda: {"address": stored.address, "token": "", "region": stored.region,
                               "client_id": stored.client_id, "username": stored.username, "password": "",
                               "name": ""}).current
    # A server on this device (make dev): one tap signs in as a test user. Re-rendered only when that flips.
    local, set_local = ft.use_state(lambda: is_local(form["address"]))

    def address_typed(address: str) -> None:
        if is_local(address) != local:
            set_local(is_local(address))

    async def submit() -> None:
        if method is SignInMethod.DEVELOPMENT:
            await session.sign_in_development(form["address"], form["token"])
        else:
            await session.sign_in_cognito(form["address"], region=form["region"], client_id=form["client_id"],
                                          username=form["username"], password=form["password"])

    async def sign_in_as() -> None:
        await session.sign_in_as(form["address"], form["name"])

    if method is SignInMethod.DEVELOPMENT and local:
        credentials = [
            field("signin-name", "Sign in as", form, "name", hint_text="Any name, such as ada",
                  helper="A test user of the server on this computer", on_submit=lambda: sign_in_as()),
            ft.Semantics(identifier="signin-as", content=ft.FilledButton(
                "Signing in..." if session.busy else "Sign in as this user", icon=ft.Icons.PERSON_OUTLINE,
                disabled=session.busy, on_click=sign_in_as, width=float("inf"), height=48)),
            ft.Text("Or use a token", size=12, weight=ft.FontWeight.W_600, color=ft.Colors.ON_SURFACE_VARIANT),
            field("signin-token", "Token", form, "token", password=True, can_reveal_password=True,
                  helper=TOKEN_HELP),
        ]
    elif method is SignInMethod.DEVELOPMENT:
        credentials = [
            field("signin-token", "Token", form, "token", password=True, can_reveal_password=True,
                  helper=TOKEN_HELP),
        ]
    else:
        credentials = [
            ft.Row(spacing=12, controls=[
                ft.Container(expand=2, content=field("signin-region", "Region", form, "region",
                                                     hint_text="eu-west-1")),
                ft.Container(expand=3, content=field("signin-client-id", "App client id", form,
                                                     "client_id")),
            ]),
            field("signin-username", "User name or email", form, "username",
                  autofill_hints=[ft.AutofillHint.USERNAME]),
            field("signin-password", "Password", form, "password", password=True, can_reveal_password=True,
                  on_submit=lambda: submit()),
        ]
    return ft.Column(
        scroll=ft.ScrollMode.AUTO,
        expand=True,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        spacing=20,
        controls=[
            ft.Container(height=16),
            ft.Column(tight=True, spacing=6, horizontal_alignment=ft.CrossAxisAlignment.CENTER, controls=[
                Logo(),
                ft.Container(height=6),
                ft.Text("memchat", size=30, weight=ft.FontWeight.W_700),
                ft.Text("The chat assistant that remembers.", color=ft.Colors.ON_SURFACE_VARIANT),
            ]),
            card(
                "SERVER",
                field("signin-address", "Server address", form, "address", on_value=address_typed,
                      hint_text="ws://127.0.0.1:8765", prefix_icon=ft.Icons.DNS_OUTLINED,
                      helper="ws://127.0.0.1:8765 for make dev, or the stage's WebSocketUrl output."),
            ),
            card(
                "SIGN IN",
                ft.Semantics(identifier="signin-method", content=ft.SegmentedButton(
                    selected=[method.value],
                    segments=[
                        ft.Segment(value=SignInMethod.DEVELOPMENT.value,
                                   label=ft.Text(METHOD_NAMES[SignInMethod.DEVELOPMENT]), icon=ft.Icons.COMPUTER),
                        ft.Segment(value=SignInMethod.COGNITO.value, label=ft.Text(METHOD_NAMES[SignInMethod.COGNITO]),
                                   icon=ft.Icons.CLOUD_OUTLINED),
                    ],
                    on_change=lambda e: set_method(SignInMethod(e.control.selected[0])),
                )),
                *credentials,
                *([ft.Semantics(identifier="signin-error", content=ft.Text(session.error, color=ft.Colors.ERROR))]
                  if session.error else []),
                ft.Semantics(identifier="signin-submit", content=(ft.OutlinedButton if local and method is
                                                                   SignInMethod.DEVELOPMENT else ft.FilledButton)(
                    "Signing in..." if session.busy else (
                        "Sign in with the token" if method is SignInMethod.DEVELOPMENT else "Sign in"),
                    icon=ft.Icons.LOGIN,
                    disabled=session.busy,
                    on_click=submit,
                    width=float("inf"),
                    height=48,
                )),
            ),
            ft.Container(height=12),
        ],
    )


@ft.component
def SettingsPage(session: Session, memory: MemoryList | None = None, *extra: ft.Control) -> ft.Control:
    """`memory` is the chat's memory list, given so that the Delete all dialog is drawn again when it arrives;
    `extra` are cards of their own modules (your instructions, your data), shown after Memory."""
    settings = session.settings
    how = "as a test user of a local server" if settings.method is SignInMethod.DEVELOPMENT else "with an account"
    confirming, set_confirming = ft.use_state(False)

    def delete_all() -> None:
        if session.chat is not None:
            session.chat.delete_all()
            session.chat.tell("Deleting every conversation.")
        set_confirming(False)

    use_confirm_dialog(
        shown=confirming, name="delete-all", title="Delete all conversations?", action="Delete all",
        content=lambda: ft.Text(delete_all_warning(memory) if memory is not None else ""),
        on_confirm=delete_all, on_cancel=lambda: set_confirming(False), destructive=True,
    )

    def ask_delete_all() -> None:
        if memory is not None:
            memory.ensure_loaded()  # the dialog says how many memories go
        set_confirming(True)

    async def choose(event) -> None:
        await session.set_theme(Theme(event.control.selected[0]))

    async def sign_out() -> None:
        await session.sign_out()

    return ft.Column(
        scroll=ft.ScrollMode.AUTO,
        expand=True,
        spacing=16,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        controls=[
            card(
                "ACCOUNT",
                ft.Row(spacing=14, controls=[
                    ft.CircleAvatar(content=ft.Text((session.user or "?")[:1].upper()), radius=22,
                                    bgcolor=ft.Colors.PRIMARY_CONTAINER, color=ft.Colors.ON_PRIMARY_CONTAINER),
                    ft.Column(tight=True, spacing=2, expand=True, controls=[
                        ft.Semantics(identifier="settings-user", content=ft.Text(
                            session.user or "Signed in", size=16, weight=ft.FontWeight.W_600)),
                        ft.Text(f"Signed in {how}", size=12, color=ft.Colors.ON_SURFACE_VARIANT),
                    ]),
                ]),
                ft.Semantics(identifier="sign-out", content=ft.OutlinedButton(
                    "Sign out", icon=ft.Icons.LOGOUT, on_click=sign_out)),
            ),
            card(
                "SERVER",
                ft.Row(spacing=12, controls=[
                    ft.Icon(ft.Icons.DNS_OUTLINED, color=ft.Colors.ON_SURFACE_VARIANT),
                    ft.Text(settings.address, selectable=True, expand=True),
                ]),
                ft.Text("To use another server, sign out and sign in there.", size=12,
                        color=ft.Colors.ON_SURFACE_VARIANT),
            ),
            card(
                "MEMORY",
                ft.Text("What memchat remembers about you, where it learnt it, and whether it may.", size=12,
                        color=ft.Colors.ON_SURFACE_VARIANT),
                ft.Semantics(identifier="settings-memory", content=ft.OutlinedButton(
                    "Manage memory", icon=ft.Icons.PSYCHOLOGY_OUTLINED,
                    on_click=lambda: session.chat.open_memories() if session.chat is not None else None)),
            ),
            *extra,
            card(
                "CONVERSATIONS",
                ft.Semantics(identifier="delete-all", button=True,  # named by its text
                             content=ft.OutlinedButton("Delete all conversations", icon=ft.Icons.DELETE_SWEEP_OUTLINED,
                                                       on_click=ask_delete_all)),
            ),
            card(
                "APPEARANCE",
                ft.Semantics(identifier="theme", content=ft.SegmentedButton(
                    selected=[settings.theme.value],
                    segments=[
                        ft.Segment(value=Theme.SYSTEM.value, label=ft.Text("System"), icon=ft.Icons.BRIGHTNESS_AUTO),
                        ft.Segment(value=Theme.LIGHT.value, label=ft.Text("Light"), icon=ft.Icons.LIGHT_MODE),
                        ft.Segment(value=Theme.DARK.value, label=ft.Text("Dark"), icon=ft.Icons.DARK_MODE),
                    ],
                    on_change=choose,
                )),
            ),
            ft.Container(height=24),  # the last card never touches the screen's bottom edge
        ],
    )
