"""The local gateway's route selection, as API Gateway's `$request.body.action` with `$default` as fallback."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TypeVar
from unittest import mock

import jwt
import pytest
from aiohttp.test_utils import TestClient, TestServer, make_mocked_request

from memchat_local.gateway import Gateway
from memchat_local.issuer import LocalIssuer
from memchat_local.stack import gateway_config

T = TypeVar("T")


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    gateway = Gateway(gateway_config(jwks={"keys": []}, idle_timeout=60, max_connection_seconds=60),
                      route_threads=1, worker_threads=1)
    yield gateway
    gateway.shutdown()


@pytest.mark.parametrize(("body", "route"), [
    ('{"action":"ping"}', "ping"),
    ('{"action":"sendMessage","text":"hi"}', "sendMessage"),
    ('{"action":"shout"}', "$default"),
    ('{"action":7}', "$default"),
    ("[1, 2]", "$default"),
    ("not json", "$default"),
    ("", "$default"),
])
def test_a_frame_is_routed_on_its_action(gateway: Gateway, body: str, route: str) -> None:
    assert gateway.select_route(body) == route


@pytest.mark.parametrize("body", ["[" * 1000 + "]" * 1000, '{"a":' * 1000 + "0" + "}" * 1000,
                                  '{"action":"ping","x":' + "[" * 5000 + "]" * 5000 + "}"])
def test_a_frame_nested_thousands_deep_goes_to_default_without_recursing(gateway: Gateway, body: str) -> None:
    assert gateway.select_route(body) == "$default"  # the chat function answers it bad_request


# ---------------------------------------------------------------- the app's one-tap sign-in on `make dev`


def served(gateway: Gateway, request: Callable[[TestClient], Awaitable[T]]) -> T:
    """Run `request` against the gateway served on 127.0.0.1 (a free port)."""
    async def run() -> T:
        async with TestClient(TestServer(gateway.app(), host="127.0.0.1")) as client:
            return await request(client)
    return asyncio.run(run())


def local_gateway(tmp_path: Path, *, offered: bool = True) -> Gateway:
    issuer = LocalIssuer(tmp_path)
    config = gateway_config(jwks=issuer.jwks(), idle_timeout=60, max_connection_seconds=60)
    return Gateway(replace(config, dev_tokens=issuer.token if offered else None), route_threads=1, worker_threads=1)


def test_a_local_stack_hands_a_development_user_s_token_to_a_caller_on_this_machine(tmp_path: Path) -> None:
    gateway = local_gateway(tmp_path)

    async def ask(client: TestClient) -> tuple[int, dict]:
        response = await client.post("/local/dev-token", json={"user": "ada"})
        return response.status, await response.json()

    try:
        status, body = served(gateway, ask)
    finally:
        gateway.shutdown()
    assert status == 200
    assert jwt.decode(body["token"], options={"verify_signature": False})["sub"] == "ada"


def test_no_token_unless_the_stack_offers_them(tmp_path: Path) -> None:
    gateway = local_gateway(tmp_path, offered=False)

    async def ask(client: TestClient) -> int:
        return (await client.post("/local/dev-token", json={"user": "ada"})).status

    try:
        assert served(gateway, ask) == 404
    finally:
        gateway.shutdown()


@pytest.mark.parametrize(("server", "caller", "status"), [
    (("192.168.1.5", 8765), ("192.168.1.9", 50000), 404),  # a stack bound to every address, asked from the LAN
    (("127.0.0.1", 8765), ("192.168.1.9", 50000), 404),  # a caller elsewhere (a proxy's forward, say)
    (("::1", 8765, 0, 0), ("::1", 50000, 0, 0), 400),  # this machine: past the gate (the body is empty)
])
def test_no_token_for_a_request_that_does_not_stay_on_this_machine(tmp_path: Path, server, caller,
                                                                   status: int) -> None:
    gateway = local_gateway(tmp_path)
    transport = mock.Mock()
    transport.get_extra_info.side_effect = lambda name, default=None: {"sockname": server,
                                                                       "peername": caller}.get(name, default)
    request = make_mocked_request("POST", "/local/dev-token", transport=transport)

    try:
        response = asyncio.run(gateway.dev_token(request))
    finally:
        gateway.shutdown()
    assert response.status == status


@pytest.mark.parametrize("body", [{"user": "no spaces allowed"}, {"name": "ada"}, {"user": 7}])
def test_a_name_the_issuer_refuses_is_a_bad_request(tmp_path: Path, body: dict) -> None:
    gateway = local_gateway(tmp_path)

    async def ask(client: TestClient) -> int:
        return (await client.post("/local/dev-token", json=body)).status

    try:
        assert served(gateway, ask) == 400
    finally:
        gateway.shutdown()
