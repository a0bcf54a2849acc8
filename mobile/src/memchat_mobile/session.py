"""Who is signed in, where: the settings, the sign-in form's progress, and the chat while signed in.

Signing in saves the settings and starts a ChatClient for a new ChatState; signing out (or the server
refusing the token) stops it and forgets the secrets, keeping the address and the sign-in method.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import replace

import flet as ft

from memchat_mobile import websocket
from memchat_mobile.auth import (
    Cognito,
    CognitoCredentials,
    Credentials,
    DevToken,
    Post,
    claims,
    https_post,
    local_token,
)
from memchat_mobile.client import ChatClient, Connect, probe
from memchat_mobile.errors import AppError
from memchat_mobile.settings import Settings, SignInMethod, Storage, Theme, load, normalize_address, save
from memchat_mobile.state import ChatState

__all__ = ["Session"]


@ft.observable
class Session:
    def __init__(self, storage: Storage, *, secrets: Storage | None = None, connect: Connect = websocket.connect,
                 post: Post = https_post) -> None:
        self.settings = Settings()
        self.ready = False  # the stored settings are loaded
        self.busy = False  # a sign-in is in progress
        self.error: str | None = None  # why the last sign-in failed, or why the user was signed out
        self.chat: ChatState | None = None
        self.showing_settings = False
        self._storage = storage
        self._secrets = secrets  # the device's secure store, for the tokens (None: the plain one)
        self._connect = connect
        self._post = post
        self._client: ChatClient | None = None
        self._task: asyncio.Task | None = None
        self._background: set[asyncio.Task] = set()

    @property
    def user(self) -> str:
        if self.settings.method is SignInMethod.COGNITO:
            return self.settings.username
        with contextlib.suppress(AppError):
            return str(claims(self.settings.token).get("sub", ""))
        return ""

    @property
    def client(self) -> ChatClient | None:
        return self._client

    async def start(self) -> None:
        """Load the stored settings; open the chat straight away when the user is still signed in."""
        self.settings = await load(self._storage, secrets=self._secrets)
        self.ready = True
        if self.settings.signed_in:
            self._open_chat(self._credentials(self.settings))

    async def sign_in_development(self, address: str, token: str) -> None:
        await self._sign_in(self._development, address, token.strip())

    async def sign_in_as(self, address: str, user: str) -> None:
        """One tap on `make dev`: sign in as a development user, the token asked of the local stack."""
        await self._sign_in(self._local_user, address, user.strip())

    async def sign_in_cognito(self, address: str, *, region: str, client_id: str, username: str,
                              password: str) -> None:
        await self._sign_in(self._cognito, address, region, client_id, username.strip(), password)

    async def _sign_in(self, how, address: str, *args: str) -> None:
        self.busy, self.error = True, None
        try:
            settings, credentials = await how(normalize_address(address), *args)
        except AppError as exc:
            self.error = exc.message
            return
        finally:
            self.busy = False
        await save(self._storage, settings, secrets=self._secrets)
        self.settings = settings
        self._open_chat(credentials)

    async def _development(self, address: str, token: str) -> tuple[Settings, Credentials]:
        claims(token)  # refuses what is not a JWT before the server has to
        await probe(address, token, connect=self._connect)
        return replace(self.settings, address=address, method=SignInMethod.DEVELOPMENT, token=token), DevToken(token)

    async def _local_user(self, address: str, user: str) -> tuple[Settings, Credentials]:
        return await self._development(address, await local_token(address, user, post=self._post))

    async def _cognito(self, address: str, region: str, client_id: str, username: str,
                       password: str) -> tuple[Settings, Credentials]:
        cognito = Cognito(region=region, client_id=client_id, post=self._post)
        tokens = await cognito.sign_in(username, password)
        await probe(address, tokens.id_token, connect=self._connect)
        settings = replace(self.settings, address=address, method=SignInMethod.COGNITO, region=cognito.region,
                           client_id=cognito.client_id, username=username, refresh_token=tokens.refresh_token)
        return settings, CognitoCredentials(cognito, refresh_token=tokens.refresh_token, id_token=tokens.id_token)

    async def sign_out(self, reason: str | None = None) -> None:
        await self._close_chat()
        self.settings = self.settings.signed_out()
        await save(self._storage, self.settings, secrets=self._secrets)
        self.showing_settings = False
        self.error = reason

    def expire(self, reason: str) -> None:
        """The server refused the token (the client calls this): back to the sign-in screen, saying why."""
        self._spawn(self.sign_out(reason))

    async def set_theme(self, theme: Theme) -> None:
        self.settings = replace(self.settings, theme=theme)
        await save(self._storage, self.settings, secrets=self._secrets)

    def reconnect_now(self) -> None:
        if self._client is not None:
            self._client.reconnect_now()

    def resume(self) -> None:
        """The app is in front again: reconnect at once if offline, else read the list again (another device
        may have started a conversation meanwhile)."""
        self.reconnect_now()
        if self.chat is not None:
            self.chat.resume()

    def open_settings(self) -> None:
        self.showing_settings = True

    def close_settings(self) -> None:
        self.showing_settings = False

    async def close(self) -> None:
        """The app is going away (the browser tab closed): end the connection."""
        await self._close_chat()

    def _credentials(self, settings: Settings) -> Credentials:
        if settings.method is SignInMethod.COGNITO:
            cognito = Cognito(region=settings.region, client_id=settings.client_id, post=self._post)
            return CognitoCredentials(cognito, refresh_token=settings.refresh_token)
        return DevToken(settings.token)

    def _open_chat(self, credentials: Credentials) -> None:
        client = ChatClient(address=self.settings.address, credentials=credentials, on_signed_out=self.expire,
                            connect=self._connect)
        self._client = client
        self.chat = ChatState(outbox=client)
        self._task = self._spawn(client.run(self.chat))

    async def _close_chat(self) -> None:
        client, task = self._client, self._task
        self._client = self._task = None
        self.chat = None
        if client is not None:
            await client.stop()
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _spawn(self, coroutine) -> asyncio.Task:
        # Tasks inherit the caller's context, which is how Flet knows the page an observable change is for.
        task = asyncio.ensure_future(coroutine)
        self._background.add(task)  # the loop keeps only weak references to tasks
        task.add_done_callback(self._background.discard)
        return task
