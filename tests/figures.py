"""The figures the hardening suites report (frames fuzzed by outcome, tokens tried, cross-user attempts),
printed at the end of the pytest run and kept in pytest's cache under memchat/hardening-figures."""

from __future__ import annotations

from collections import Counter, defaultdict

FIGURES: defaultdict[str, Counter[str]] = defaultdict(Counter)


def count(suite: str, what: str, n: int = 1) -> None:
    FIGURES[suite][what] += n


def lines() -> list[str]:
    report = []
    for suite, counter in sorted(FIGURES.items()):
        report.append(f"{suite}: {sum(counter.values())} in total")
        report += [f"    {what}: {n}" for what, n in sorted(counter.items())]
    return report


def as_dict() -> dict[str, dict[str, int]]:
    return {suite: dict(counter) for suite, counter in FIGURES.items()}
