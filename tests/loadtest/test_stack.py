"""Load goes to this machine only, unless a URL is given on purpose."""

from __future__ import annotations

from pathlib import Path

import pytest

from loadtest.stack import CpuMeter, is_loopback
from tests.waiting import wait_until


def test_only_this_machine_is_a_target_without_a_given_url() -> None:
    assert is_loopback("ws://127.0.0.1:8765") and is_loopback("ws://localhost:8765") and is_loopback("ws://[::1]:1")
    assert not is_loopback("wss://abc.execute-api.eu-west-1.amazonaws.com/prod")
    assert not is_loopback("ws://10.0.0.5:8765")


@pytest.mark.skipif(not Path("/proc/stat").exists(), reason="the meter reads /proc; elsewhere it reports nothing")
def test_the_cpu_meter_tells_this_runs_share_from_the_rest_of_the_machine() -> None:
    meter = CpuMeter(interval=0.05).start()
    wait_until(lambda: meter.seconds > 0, "the meter took its first sample")  # not a time: a busy machine is slow
    figures = meter.stop()

    assert figures is not None
    assert set(figures) >= {"cpus", "machine_busy_pct", "this_run_pct", "others_pct", "parts_pct"}
    assert figures["others_pct"] >= 0 and figures["this_run_pct"] >= 0
