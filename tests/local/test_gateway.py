"""The local gateway's route selection, as API Gateway's `$request.body.action` with `$default` as fallback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from memchat_local.gateway import Gateway
from memchat_local.stack import gateway_config


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
