"""Tokens for the load test's users: minted by the local issuer, or read from a file or the environment.

Against a deployed stage the tokens are Cognito ID tokens obtained beforehand (docs/loadtest.md shows
how); each Locust user takes the next one, so N tokens spread the load over N users' rate limits.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

TOKENS_ENV = "MEMCHAT_LOADTEST_TOKENS"


class TokenSource(Protocol):
    def token(self, index: int, user_id: str) -> str: ...


class LocalTokens:
    """The local stack's issuer (its key lives in the stack's data folder): any user id, signed here."""

    def __init__(self, data_dir: Path) -> None:
        from memchat_local.issuer import LocalIssuer

        self._issuer = LocalIssuer(data_dir)

    def token(self, index: int, user_id: str) -> str:
        return self._issuer.token(user_id)


class TokenList:
    """Tokens given up front; user `index` takes token `index` modulo how many there are."""

    def __init__(self, tokens: list[str]) -> None:
        if not tokens:
            raise ValueError("no tokens given")
        self._tokens = tokens

    @classmethod
    def parse(cls, text: str) -> TokenList:
        """One or more tokens a line (or separated by spaces); lines starting with '#' are comments."""
        lines = (line.strip() for line in text.splitlines())
        return cls([token for line in lines if line and not line.startswith("#") for token in line.split()])

    @classmethod
    def from_file(cls, path: Path) -> TokenList:
        return cls.parse(path.read_text(encoding="utf-8"))

    @classmethod
    def from_environment(cls) -> TokenList | None:
        text = os.environ.get(TOKENS_ENV, "")
        return cls.parse(text) if text.strip() else None

    def __len__(self) -> int:
        return len(self._tokens)

    def token(self, index: int, user_id: str) -> str:
        return self._tokens[index % len(self._tokens)]


__all__ = ["TOKENS_ENV", "LocalTokens", "TokenList", "TokenSource"]
