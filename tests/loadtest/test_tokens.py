"""Tokens for a deployed stage: read from a file or the environment, one per user in turn."""

from __future__ import annotations

from loadtest.tokens import TOKENS_ENV, TokenList


def test_tokens_are_read_one_a_line_skipping_comments_and_blank_lines() -> None:
    tokens = TokenList.parse("# from Cognito\neyJ.a.1\n\n  eyJ.b.2  \n")
    assert [tokens.token(i, "") for i in range(2)] == ["eyJ.a.1", "eyJ.b.2"]


def test_users_beyond_the_tokens_take_them_again_in_turn() -> None:
    tokens = TokenList.parse("t1 t2 t3")
    assert [tokens.token(i, "") for i in range(5)] == ["t1", "t2", "t3", "t1", "t2"]


def test_tokens_can_come_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv(TOKENS_ENV, "t1\nt2")
    listed = TokenList.from_environment()
    assert listed is not None and len(listed) == 2
    monkeypatch.delenv(TOKENS_ENV)
    assert TokenList.from_environment() is None

