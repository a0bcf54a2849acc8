"""Load goes to this machine only, unless a URL is given on purpose."""

from __future__ import annotations

from loadtest.stack import is_loopback


def test_only_this_machine_is_a_target_without_a_given_url() -> None:
    assert is_loopback("ws://127.0.0.1:8765") and is_loopback("ws://localhost:8765") and is_loopback("ws://[::1]:1")
    assert not is_loopback("wss://abc.execute-api.eu-west-1.amazonaws.com/prod")
    assert not is_loopback("ws://10.0.0.5:8765")


def test_the_cpu_meter_tells_this_runs_share_from_the_rest_of_the_machine() -> None:
    import time

    from loadtest.stack import CpuMeter

    meter = CpuMeter(interval=0.05).start()
    time.sleep(0.3)
    figures = meter.stop()
    if figures is not None:  # None where there is no /proc
        assert set(figures) >= {"cpus", "machine_busy_pct", "this_run_pct", "others_pct", "parts_pct"}
        assert figures["others_pct"] >= 0 and figures["this_run_pct"] >= 0
