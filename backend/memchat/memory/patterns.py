"""The rules' regular expressions, compiled once each and kept: `re`'s own functions with a cache of their own.

The rules read every message with some 370 patterns, most written inline (`re.search(rf"...", text)`). CPython's `re`
keeps the patterns those functions compile in one cache per process, 512 of them, shared with every library in the
process (botocore, pydantic, the HTTP stack...); once the process's working set passes it, each call compiles its
pattern again. The rules alone fit, but not beside everything else a worker runs: the soak's worker environments,
digesting every turn, fell seven times behind (time to first token p50 1.0 s -> 6.9 s) when the rules' patterns grew
by a few. No library offers this, and `re._MAXCACHE` is private: so these functions keep the rules' compiled patterns
here, as many as the rules have. A pattern is never made of a message's words (test_extraction.py holds the rules to
one set of patterns however many messages they read), so the cache's bound is only a guard.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

Pattern = str | re.Pattern[str]
_BOUND = 4096  # several times the rules' patterns: a guard, never reached by rules that are right


@lru_cache(maxsize=_BOUND)
def _compiled(pattern: str, flags: int) -> re.Pattern[str]:
    return re.compile(pattern, flags)


def compiled(pattern: Pattern, flags: int = 0) -> re.Pattern[str]:
    """`pattern` compiled with `flags`, from this module's cache."""
    return pattern if isinstance(pattern, re.Pattern) else _compiled(pattern, flags)


def search(pattern: Pattern, string: str, flags: int = 0) -> re.Match[str] | None:
    return compiled(pattern, flags).search(string)


def match(pattern: Pattern, string: str, flags: int = 0) -> re.Match[str] | None:
    return compiled(pattern, flags).match(string)


def fullmatch(pattern: Pattern, string: str, flags: int = 0) -> re.Match[str] | None:
    return compiled(pattern, flags).fullmatch(string)


def finditer(pattern: Pattern, string: str, flags: int = 0) -> Iterator[re.Match[str]]:
    return compiled(pattern, flags).finditer(string)


def findall(pattern: Pattern, string: str, flags: int = 0) -> list:
    return compiled(pattern, flags).findall(string)


def sub(pattern: Pattern, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0,
        flags: int = 0) -> str:
    return compiled(pattern, flags).sub(repl, string, count)


def subn(pattern: Pattern, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0,
         flags: int = 0) -> tuple[str, int]:
    return compiled(pattern, flags).subn(repl, string, count)


def split(pattern: Pattern, string: str, maxsplit: int = 0, flags: int = 0) -> list:
    return compiled(pattern, flags).split(string, maxsplit)
