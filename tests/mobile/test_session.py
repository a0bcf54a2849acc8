"""Session and settings: signing in and out, and what is remembered across launches."""

from __future__ import annotations

import base64
import json

import pytest

from memchat_mobile.auth import CognitoCredentials, DevToken, is_local
from memchat_mobile.errors import ConnectionLost, HandshakeRefused, InvalidSetting
from memchat_mobile.session import Session
from memchat_mobile.settings import MemoryStorage, Settings, SignInMethod, Theme, load, normalize_address, save
from memchat_mobile.state import Link
from tests.mobile.fakes import FakeServer, until


def jwt(sub: str) -> str:
    payload = base64.urlsafe_b64encode(json.dumps({"sub": sub}).encode()).decode().rstrip("=")
    return f"header.{payload}.signature"


@pytest.mark.parametrize(("typed", "address"), [
    ("127.0.0.1:8765", "ws://127.0.0.1:8765"),
    (" ws://127.0.0.1:8765/ ", "ws://127.0.0.1:8765"),
    ("https://abc123.execute-api.eu-west-1.amazonaws.com/prod", "wss://abc123.execute-api.eu-west-1.amazonaws.com/prod"),
    ("WSS://chat.example.com", "wss://chat.example.com"),
])
def test_the_server_address_becomes_a_websocket_url(typed: str, address: str) -> None:
    assert normalize_address(typed) == address


def test_an_address_that_cannot_work_is_refused() -> None:
    with pytest.raises(InvalidSetting):
        normalize_address("ftp://files.example.com")


async def test_settings_survive_a_round_trip_through_storage() -> None:
    storage = MemoryStorage()
    settings = Settings(address="wss://x.example.com/prod", method=SignInMethod.COGNITO, region="eu-west-1",
                        client_id="abc", username="alice", refresh_token="r", theme=Theme.DARK)

    await save(storage, settings)

    assert await load(storage) == settings
    assert await load(MemoryStorage()) == Settings()


async def test_settings_written_by_another_version_fall_back_to_defaults() -> None:
    assert await load(MemoryStorage({"memchat.theme": "sepia"})) == Settings()


async def test_signing_in_with_a_development_token_saves_it_and_connects() -> None:
    server, storage = FakeServer(), MemoryStorage()
    session = Session(storage, connect=server.connect)

    await session.start()
    assert session.ready and session.chat is None
    await session.sign_in_development("127.0.0.1:9000", f"  {jwt('alice')}\n")
    await until(lambda: session.chat.link is Link.CONNECTED)

    url = f"ws://127.0.0.1:9000?token={jwt('alice')}"
    assert server.urls == [url, url], "a first socket checks the server, then the chat's own"
    assert server.sockets[0].closed
    assert session.user == "alice"
    assert (await load(storage)).token == jwt("alice")
    await session.close()


async def test_a_pasted_value_that_is_not_a_token_is_refused_before_connecting() -> None:
    server = FakeServer()
    session = Session(MemoryStorage(), connect=server.connect)

    await session.sign_in_development("127.0.0.1:9000", "hello")

    assert "not a token" in session.error
    assert session.chat is None and server.urls == []


@pytest.mark.parametrize(("refusal", "words"), [
    (ConnectionLost("Cannot reach the server at 127.0.0.1:9000."), "Check the address"),
    (HandshakeRefused(404), "not a memchat server"),
    (HandshakeRefused(401), "did not accept this sign-in"),
])
async def test_signing_in_to_a_server_that_does_not_work_says_what_is_wrong(refusal: Exception, words: str) -> None:
    server, storage = FakeServer(), MemoryStorage()
    server.refusals = [refusal]
    session = Session(storage, connect=server.connect)

    await session.sign_in_development("127.0.0.1:9000", jwt("alice"))

    assert words in session.error
    assert session.chat is None and not session.busy, "no endless spinner: back on the form, saying why"
    assert not (await load(storage)).signed_in


async def test_the_next_launch_is_signed_in_already() -> None:
    server, storage = FakeServer(), MemoryStorage()
    await save(storage, Settings(address="ws://127.0.0.1:9000", token=jwt("alice"), theme=Theme.DARK))

    session = Session(storage, connect=server.connect)
    await session.start()
    await until(lambda: server.urls)

    assert session.settings.theme is Theme.DARK
    assert session.chat is not None
    assert isinstance(session._credentials(session.settings), DevToken)
    await session.close()


async def test_signing_out_forgets_the_token_and_keeps_the_address() -> None:
    server, storage = FakeServer(), MemoryStorage()
    await save(storage, Settings(address="ws://127.0.0.1:9000", token=jwt("alice")))
    session = Session(storage, connect=server.connect)
    await session.start()

    await session.sign_out()

    stored = await load(storage)
    assert (stored.token, stored.address) == ("", "ws://127.0.0.1:9000")
    assert session.chat is None and not session.settings.signed_in


async def test_a_refused_token_returns_to_sign_in_saying_why() -> None:
    server, storage = FakeServer(), MemoryStorage()
    server.refusals = [HandshakeRefused(401)]
    await save(storage, Settings(token=jwt("alice")))
    session = Session(storage, connect=server.connect)

    await session.start()
    await until(lambda: session.chat is None and session.error)

    assert "sign in again" in session.error
    assert not (await load(storage)).signed_in


async def test_cognito_sign_in_keeps_the_refresh_token_not_the_password() -> None:
    server, storage = FakeServer(), MemoryStorage()

    def cognito(url: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        return 200, json.dumps({"AuthenticationResult": {"IdToken": jwt("alice"), "RefreshToken": "r1"}}).encode()

    session = Session(storage, connect=server.connect, post=cognito)
    await session.sign_in_cognito("wss://abc.example.com/prod", region="eu-west-1", client_id="client123",
                                  username="alice", password="secret")
    await until(lambda: len(server.urls) == 2)

    stored = await load(storage)
    assert (stored.method, stored.username, stored.refresh_token) == (SignInMethod.COGNITO, "alice", "r1")
    assert "secret" not in json.dumps(storage.values)
    assert server.urls == [f"wss://abc.example.com/prod?token={jwt('alice')}"] * 2
    assert isinstance(session._credentials(stored), CognitoCredentials)
    assert session.user == "alice"
    await session.close()


async def test_the_theme_choice_is_remembered() -> None:
    storage = MemoryStorage()
    session = Session(storage)

    await session.set_theme(Theme.LIGHT)

    assert (await load(storage)).theme is Theme.LIGHT


async def test_the_tokens_are_kept_in_the_secure_store_not_the_preferences() -> None:
    preferences, secure = MemoryStorage(), MemoryStorage()
    settings = Settings(address="wss://x.example.com/prod", method=SignInMethod.COGNITO, region="eu-west-1",
                        client_id="abc", username="alice", refresh_token="r-30-days")

    await save(preferences, settings, secrets=secure)

    assert "r-30-days" not in preferences.values.values()
    assert secure.values["memchat.refresh_token"] == "r-30-days"
    assert await load(preferences, secrets=secure) == settings


async def test_a_token_an_older_version_left_in_the_preferences_moves_to_the_secure_store() -> None:
    preferences, secure = MemoryStorage(), MemoryStorage()
    await save(preferences, Settings(method=SignInMethod.COGNITO, refresh_token="r-old", username="alice"))
    assert preferences.values["memchat.refresh_token"] == "r-old"

    loaded = await load(preferences, secrets=secure)

    assert loaded.refresh_token == "r-old" and loaded.signed_in, "still signed in after the update"
    assert preferences.values["memchat.refresh_token"] == "", "the plain copy is gone"
    assert secure.values["memchat.refresh_token"] == "r-old"
    assert (await load(preferences, secrets=secure)).refresh_token == "r-old"


class SlowStore(MemoryStorage):
    """A secure store that does not answer in time: the browser's, on a machine too busy (a loaded test run)."""

    async def get(self, key: str) -> str | None:
        raise TimeoutError


async def test_a_secure_store_that_does_not_answer_starts_the_app_signed_out_and_loses_nothing() -> None:
    # It used to end the app's start with the TimeoutError: the page stayed on Flet's spinner for good.
    preferences = MemoryStorage()
    await save(preferences, Settings(address="wss://x.example.com/prod", method=SignInMethod.COGNITO,
                                     refresh_token="r-old", username="alice", theme=Theme.DARK))
    secure = SlowStore({"memchat.token": "kept"})

    loaded = await load(preferences, secrets=secure)

    assert loaded.address == "wss://x.example.com/prod" and loaded.theme is Theme.DARK
    assert loaded.token == "" and loaded.refresh_token == "r-old", "a plain copy is still read"
    assert preferences.values["memchat.refresh_token"] == "r-old", "and kept until the store can take it"
    assert secure.values["memchat.token"] == "kept", "nothing in the store is touched"

    session = Session(MemoryStorage(), secrets=SlowStore(), connect=FakeServer().connect)
    await session.start()
    assert session.ready and not session.settings.signed_in, "the sign-in screen, not a spinner"


async def test_signing_in_and_out_writes_the_token_to_the_secure_store_only() -> None:
    server, preferences, secure = FakeServer(), MemoryStorage(), MemoryStorage()
    session = Session(preferences, secrets=secure, connect=server.connect)

    await session.sign_in_development("127.0.0.1:9000", jwt("alice"))
    assert secure.values["memchat.token"] == jwt("alice")
    assert jwt("alice") not in preferences.values.values()

    await session.sign_out()
    assert secure.values["memchat.token"] == "" and not (await load(preferences, secrets=secure)).signed_in


# ---------------------------------------------------------------- one tap on `make dev`


async def test_on_a_local_server_one_tap_signs_in_as_a_named_development_user() -> None:
    server, storage = FakeServer(), MemoryStorage()
    asked: list[tuple[str, dict]] = []

    def gateway(url: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        asked.append((url, json.loads(body)))
        return 200, json.dumps({"token": jwt("ada")}).encode()

    session = Session(storage, connect=server.connect, post=gateway)
    await session.sign_in_as("127.0.0.1:9000", " ada ")
    await until(lambda: session.chat is not None and session.chat.link is Link.CONNECTED)

    assert asked == [("http://127.0.0.1:9000/local/dev-token", {"user": "ada"})]
    assert session.user == "ada" and (await load(storage)).token == jwt("ada")
    assert (await load(storage)).method is SignInMethod.DEVELOPMENT, "the next launch signs in with that token"
    await session.close()


@pytest.mark.parametrize(("address", "status", "words"), [
    ("wss://abc.example.com/prod", None, "server on this device"),  # never asked over a network
    ("127.0.0.1:9000", 404, "memchat token YOUR_NAME"),  # a stack that does not offer it: paste a token
    ("127.0.0.1:9000", 400, "no spaces"),
])
async def test_one_tap_sign_in_says_why_it_cannot(address: str, status: int | None, words: str) -> None:
    server, asked = FakeServer(), []

    def gateway(url: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        asked.append(url)
        return status, b"{}"

    session = Session(MemoryStorage(), connect=server.connect, post=gateway)
    await session.sign_in_as(address, "ada")

    assert words in session.error and session.chat is None and server.urls == []
    assert bool(asked) == (status is not None)


@pytest.mark.parametrize(("address", "local"), [
    ("ws://127.0.0.1:8765", True), ("127.0.0.1:8765", True), ("ws://localhost:8765", True),
    ("ws://[::1]:8765", True), ("ws://192.168.1.5:8765", False), ("wss://abc.example.com/prod", False),
])
def test_one_tap_sign_in_is_offered_for_a_server_on_this_device_only(address: str, local: bool) -> None:
    assert is_local(address) is local
