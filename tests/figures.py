"""The figures the hardening suites report (frames fuzzed by outcome, tokens tried, cross-user attempts; the
soak's times and memory), printed at the end of the pytest run and kept in pytest's cache under
memchat/hardening-figures."""

from __future__ import annotations

from collections import Counter, defaultdict

FIGURES: defaultdict[str, Counter[str]] = defaultdict(Counter)
# Figures that are not counts (a percentile, a memory size), shown as given and never summed.
MEASURES: defaultdict[str, dict[str, str]] = defaultdict(dict)


def count(suite: str, what: str, n: int = 1) -> None:
    FIGURES[suite][what] += n


def measure(suite: str, what: str, value: str) -> None:
    MEASURES[suite][what] = value


def lines() -> list[str]:
    report = []
    for suite, counter in sorted(FIGURES.items()):
        report.append(f"{suite}: {sum(counter.values())} in total")
        report += [f"    {what}: {n}" for what, n in sorted(counter.items())]
    for suite, measures in sorted(MEASURES.items()):
        report.append(f"{suite}:")
        report += [f"    {what}: {value}" for what, value in measures.items()]
    return report


def as_dict() -> dict[str, dict[str, int | str]]:
    return {**{suite: dict(counter) for suite, counter in FIGURES.items()},
            **{suite: dict(measures) for suite, measures in MEASURES.items()}}
