"""Signing in: a development token for `make dev`, or Cognito's USER_PASSWORD_AUTH for a deployed stage.

Cognito is called through its plain JSON API over HTTPS (no boto3 on a phone): `InitiateAuth` with the
user's password gives an ID token (what the WebSocket authorizer checks) and a refresh token, which the
app keeps so it can get a new ID token without asking for the password again.
"""

from __future__ import annotations

import asyncio
import base64
import ipaddress
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from memchat_mobile.errors import SignInFailed
from memchat_mobile.websocket import tls_context

__all__ = ["Cognito", "CognitoCredentials", "CognitoTokens", "Credentials", "DevToken", "claims", "local_token"]

# A token this close to its expiry is refreshed before connecting with it.
EXPIRY_MARGIN_SECONDS = 60


class Credentials(Protocol):
    async def token(self) -> str:
        """A token to connect with (refreshed first when it is about to expire)."""
        ...

    async def refresh(self) -> bool:
        """Get a new token after the server refused the current one; False when that is not possible."""
        ...


def claims(token: str) -> dict[str, Any]:
    """A JWT's claims, unverified (the server verifies it): for showing who is signed in, and its expiry."""
    try:
        payload = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError) as exc:
        raise SignInFailed("That is not a token: paste what \"memchat token YOUR_NAME\" printed.") from exc


def expired(token: str, *, now: float | None = None) -> bool:
    exp = claims(token).get("exp")
    return isinstance(exp, int | float) and exp - EXPIRY_MARGIN_SECONDS <= (now or time.time())


@dataclass(frozen=True)
class DevToken:
    """A token minted by the local stack's issuer (`memchat token USER`); it cannot be refreshed."""

    value: str

    async def token(self) -> str:
        return self.value

    async def refresh(self) -> bool:
        return False


@dataclass(frozen=True)
class CognitoTokens:
    id_token: str
    refresh_token: str


Post = Callable[[str, dict[str, str], bytes], tuple[int, bytes]]


def is_local(address: str) -> bool:
    """A server on this device (`make dev`'s 127.0.0.1): where one-tap sign-in as a development user is offered."""
    host = (urlsplit(address if "://" in address else "ws://" + address.strip()).hostname or "").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def local_token(address: str, user: str, *, post: Post) -> str:
    """A development user's token from the local stack's gateway (what `memchat token USER` prints): it hands
    them out on this device only, so a token never crosses a network."""
    if not is_local(address):
        raise SignInFailed("One-tap sign-in is for a server on this device (make dev's ws://127.0.0.1:8765).")
    if not user:
        raise SignInFailed("Type a name to sign in as: any name, such as ada.")
    parts = urlsplit(address)
    url = f"{'https' if parts.scheme == 'wss' else 'http'}://{parts.netloc}/local/dev-token"
    try:
        status, body = await asyncio.to_thread(post, url, {"Content-Type": "application/json"},
                                               json.dumps({"user": user}).encode())
    except OSError as exc:
        raise SignInFailed(f"Cannot reach the server at {parts.netloc}: is make dev running?",
                           refused=False) from exc
    if status == 404:
        raise SignInFailed("This server does not sign in development users. In a terminal, run "
                           "memchat token YOUR_NAME and paste what it prints under Use a token.")
    if status == 400:
        raise SignInFailed("A name is letters, digits or . _ @ : + - (no spaces).")
    try:
        token = json.loads(body)["token"]
    except (ValueError, KeyError, TypeError) as exc:
        raise SignInFailed(f"The server answered {status} without a token.", refused=False) from exc
    return str(token)


def https_post(url: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
    """POST and return (status, body) for any HTTP answer; OSError when there is none."""
    # https only, but for the local stack's /local/dev-token on this device (auth.local_token)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=20, context=tls_context()) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class Cognito:
    """Cognito user pools' InitiateAuth, for an app client without a secret (a public mobile client)."""

    def __init__(self, *, region: str, client_id: str, post: Post = https_post) -> None:
        if not region.strip() or not client_id.strip():
            raise SignInFailed("Set the Cognito region and app client id in the settings.")
        self.region = region.strip()
        self.client_id = client_id.strip()
        self._post = post

    async def sign_in(self, username: str, password: str) -> CognitoTokens:
        result = await self._initiate("USER_PASSWORD_AUTH", {"USERNAME": username, "PASSWORD": password})
        return CognitoTokens(result["IdToken"], result["RefreshToken"])

    async def refresh(self, refresh_token: str) -> str:
        """A new ID token from the refresh token (Cognito does not rotate it by default)."""
        result = await self._initiate("REFRESH_TOKEN_AUTH", {"REFRESH_TOKEN": refresh_token})
        return result["IdToken"]

    async def _initiate(self, flow: str, parameters: dict[str, str]) -> dict[str, Any]:
        url = f"https://cognito-idp.{self.region}.amazonaws.com/"
        headers = {"Content-Type": "application/x-amz-json-1.1",
                   "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth"}
        body = json.dumps({"AuthFlow": flow, "ClientId": self.client_id, "AuthParameters": parameters}).encode()
        try:
            status, raw = await asyncio.to_thread(self._post, url, headers, body)
        except OSError as exc:
            raise SignInFailed(f"Cannot reach Cognito in {self.region}: {exc}", refused=False) from exc
        try:
            answer = json.loads(raw or b"{}")
        except ValueError as exc:
            raise SignInFailed(f"Cognito answered HTTP {status} with something that is not JSON.",
                               refused=False) from exc
        if status != 200:
            kind = str(answer.get("__type", "")).rsplit("#", 1)[-1]
            raise SignInFailed(answer.get("message") or f"Cognito refused the sign-in ({kind or status}).",
                               refused=400 <= status < 500)
        if "AuthenticationResult" not in answer:
            challenge = answer.get("ChallengeName", "a challenge")
            raise SignInFailed(f"Cognito asks for {challenge}, which this app does not support yet: "
                               "finish it in the hosted UI or with the AWS CLI, then sign in here.")
        return answer["AuthenticationResult"]


class CognitoCredentials:
    """A Cognito session: the current ID token, renewed with the refresh token when it expires."""

    def __init__(self, cognito: Cognito, *, refresh_token: str, id_token: str | None = None) -> None:
        self._cognito = cognito
        self._refresh_token = refresh_token
        self._id_token = id_token

    async def token(self) -> str:
        """The ID token, renewed first when it is missing or about to expire (SignInFailed if that fails)."""
        if self._id_token is None or expired(self._id_token):
            self._id_token = await self._cognito.refresh(self._refresh_token)
        return self._id_token

    async def refresh(self) -> bool:
        self._id_token = None  # the next token() asks Cognito for a new one
        return True
