"""Suite-wide hooks: the hardening suites' figures at the end of the run."""

from __future__ import annotations

import pytest

from tests import figures


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    if not figures.FIGURES and not figures.MEASURES:
        return
    terminalreporter.section("hardening figures")
    for line in figures.lines():
        terminalreporter.write_line(line)
    cache = getattr(config, "cache", None)  # absent under -p no:cacheprovider
    if cache is not None:
        cache.set("memchat/hardening-figures", figures.as_dict())
