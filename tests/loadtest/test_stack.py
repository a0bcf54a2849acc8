"""Load goes to this machine only, unless a URL is given on purpose."""

from __future__ import annotations

from loadtest.stack import is_loopback


def test_only_this_machine_is_a_target_without_a_given_url() -> None:
    assert is_loopback("ws://127.0.0.1:8765") and is_loopback("ws://localhost:8765") and is_loopback("ws://[::1]:1")
    assert not is_loopback("wss://abc.execute-api.eu-west-1.amazonaws.com/prod")
    assert not is_loopback("ws://10.0.0.5:8765")
