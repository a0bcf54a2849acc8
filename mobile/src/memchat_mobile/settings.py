"""The app's settings (server address, how the user signs in, theme) and their persistence across launches.

They live in the device's key-value store (Flet's SharedPreferences: Android SharedPreferences, iOS
NSUserDefaults, the browser's localStorage on the web) behind the small `Storage` protocol, one key each.
The secrets (the development token, Cognito's 30-day refresh token) go to a second Storage when the device has
one (Flet's SecureStorage: the Android Keystore, the iOS Keychain); a secret an older version left in the
plain store is moved there on the next launch.
"""

from __future__ import annotations

import logging
import os
from dataclasses import asdict, dataclass, fields, replace
from enum import StrEnum
from typing import Protocol
from urllib.parse import urlsplit

from memchat_mobile.errors import InvalidSetting

logger = logging.getLogger(__name__)

__all__ = ["DEFAULT_ADDRESS", "MemoryStorage", "Settings", "SignInMethod", "Storage", "Theme", "normalize_address"]

# `make dev`'s gateway; MEMCHAT_URL (as for `memchat chat`) points a fresh install somewhere else.
DEFAULT_ADDRESS = os.environ.get("MEMCHAT_URL", "ws://127.0.0.1:8765")
KEY_PREFIX = "memchat."
SECRETS = frozenset({"token", "refresh_token"})  # kept in the secure store when there is one


class SignInMethod(StrEnum):
    DEVELOPMENT = "development"  # a token from `memchat token USER`
    COGNITO = "cognito"  # user name and password against the stage's user pool


class Theme(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


@dataclass(frozen=True)
class Settings:
    address: str = DEFAULT_ADDRESS
    method: SignInMethod = SignInMethod.DEVELOPMENT
    token: str = ""  # the development token
    region: str = ""  # Cognito: the stage's region and app client id (stack outputs Region, UserPoolClientId)
    client_id: str = ""
    username: str = ""
    refresh_token: str = ""  # Cognito: kept so a launch needs no password
    theme: Theme = Theme.SYSTEM

    @property
    def signed_in(self) -> bool:
        return bool(self.token if self.method is SignInMethod.DEVELOPMENT else self.refresh_token)

    def signed_out(self) -> Settings:
        """Forget the secrets, keep where and how to sign in."""
        return replace(self, token="", refresh_token="")


class Storage(Protocol):
    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str) -> None: ...


class MemoryStorage:
    """A Storage in a dict: for tests, and for a run where the device store is unavailable."""

    def __init__(self, values: dict[str, str] | None = None) -> None:
        self.values = dict(values or {})

    async def get(self, key: str) -> str | None:
        return self.values.get(key)

    async def set(self, key: str, value: str) -> None:
        self.values[key] = value


async def load(storage: Storage, *, secrets: Storage | None = None) -> Settings:
    values = {}
    for item in fields(Settings):
        key = KEY_PREFIX + item.name
        stored = await storage.get(key)
        if secrets is not None and item.name in SECRETS:
            try:
                kept = await secrets.get(key)
            except Exception as error:  # noqa: BLE001 - a store that does not answer (a busy browser, a locked keyring)
                # must not end the app's start: that secret is not read this time, and nothing is moved or cleared.
                logger.warning("The secure store did not give a sign-in value: %s", type(error).__name__)
                if stored is not None:
                    values[item.name] = stored
                continue
            if stored:  # written in plain by an older version: move it to the secure store
                if not kept:
                    await secrets.set(key, stored)
                    kept = stored
                await storage.set(key, "")
            stored = kept
        if stored is not None:
            values[item.name] = stored
    try:
        method = SignInMethod(values.pop("method", SignInMethod.DEVELOPMENT))
        theme = Theme(values.pop("theme", Theme.SYSTEM))
    except ValueError:  # written by another version of the app: start from the defaults
        return Settings()
    return Settings(method=method, theme=theme, **values)


async def save(storage: Storage, settings: Settings, *, secrets: Storage | None = None) -> None:
    for name, value in asdict(settings).items():
        store = secrets if secrets is not None and name in SECRETS else storage
        await store.set(KEY_PREFIX + name, str(value))


def normalize_address(text: str) -> str:
    """The WebSocket URL for what the user typed: `127.0.0.1:8765` -> ws://..., https:// -> wss://."""
    text = text.strip().rstrip("/")
    if "://" not in text:
        text = "ws://" + text
    scheme, _, rest = text.partition("://")
    scheme = {"http": "ws", "https": "wss"}.get(scheme.lower(), scheme.lower())
    text = f"{scheme}://{rest}"
    parts = urlsplit(text)
    if parts.scheme not in ("ws", "wss") or not parts.hostname:
        raise InvalidSetting("The server address is a ws:// or wss:// URL, e.g. ws://127.0.0.1:8765.")
    return text
