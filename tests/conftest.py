"""Suite-wide hooks: the hardening suites' figures at the end of the run."""

from __future__ import annotations

import pytest
from hypothesis import settings

from tests import figures

# Hypothesis fails an example that runs past 200 ms by default: a timed assertion, which a loaded machine
# trips (beside three clean-clone runs, one example of validate() took 1.8 s and failed the memory tests).
# Speed is measured by the benchmarks; a property test asserts only its property.
settings.register_profile("memchat", deadline=None)
settings.load_profile("memchat")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    if not figures.FIGURES and not figures.MEASURES:
        return
    terminalreporter.section("hardening figures")
    for line in figures.lines():
        terminalreporter.write_line(line)
    cache = getattr(config, "cache", None)  # absent under -p no:cacheprovider
    if cache is not None:
        cache.set("memchat/hardening-figures", figures.as_dict())
