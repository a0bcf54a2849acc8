"""A short headless run of the locustfile (through `python -m loadtest`, as `make loadtest` runs it) against a
replay-mode stack started here: every phase is recorded, nothing fails, and the report's files exist."""

from __future__ import annotations

import csv
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from loadtest.samples import (
    ACK,
    ANSWER,
    ARRIVAL_LAG,
    CONNECT,
    DIRECT_ANSWER,
    DIRECT_STREAM,
    DIRECT_TTFT,
    GAP,
    STREAM,
    TTFT,
    read_samples,
)
from loadtest.scenarios import SCENARIOS
from loadtest.stack import StackProcess

pytestmark = [
    pytest.mark.integration,
    # Checked without importing Locust: its import monkey-patches this whole test process with gevent.
    pytest.mark.skipif(importlib.util.find_spec("locust") is None,
                       reason="Locust is not installed: make loadtest-install (requirements/loadtest.in)"),
]

REPO = Path(__file__).resolve().parents[2]
PHASES = {CONNECT, ACK, TTFT, GAP, ANSWER, STREAM, DIRECT_TTFT, DIRECT_ANSWER, DIRECT_STREAM}
RUN = "smoke-run"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    scenario = SCENARIOS["smoke"]
    stack = StackProcess(tmp_path_factory.mktemp("loadtest-stack"), scenario.mode, scenario.memchat_dev_options())
    target = stack.start()
    results = tmp_path_factory.mktemp("loadtest-results")
    try:
        finished = subprocess.run(
            [sys.executable, "-m", "loadtest", "smoke", "smoke-open", "--url", target.url,
             "--data-dir", str(target.data_dir), "--endpoint-url", target.endpoint_url,
             "--results", str(results), "--run", RUN],
            cwd=REPO, capture_output=True, text=True, timeout=300,
        )
    finally:
        stack.stop()
    assert finished.returncode == 0, finished.stdout + finished.stderr
    return results / RUN


def test_every_phase_was_recorded(run_dir: Path) -> None:
    recorded = {sample.phase for sample in read_samples(run_dir / "smoke" / "samples.csv")}
    assert recorded >= PHASES


def test_the_open_loop_sent_its_arrivals_and_measured_their_lag(run_dir: Path) -> None:
    recorded = {sample.phase for sample in read_samples(run_dir / "smoke-open" / "samples.csv")}
    assert recorded >= {ARRIVAL_LAG, ACK, TTFT, ANSWER}


def test_no_request_failed(run_dir: Path) -> None:
    for scenario in ("smoke", "smoke-open"):
        failed = [sample for sample in read_samples(run_dir / scenario / "samples.csv") if sample.failed]
        assert failed == [], scenario


def test_locusts_own_statistics_saw_every_phase_and_no_failure(run_dir: Path) -> None:
    with (run_dir / "smoke" / "locust_stats.csv").open(newline="") as file:
        rows = {row["Name"]: row for row in csv.DictReader(file)}
    assert set(rows) >= PHASES
    assert rows["Aggregated"]["Failure Count"] == "0"


def test_the_report_files_exist(run_dir: Path) -> None:
    for name in ("summary.md", "percentiles.png", "smoke/report.html", "smoke/samples.csv", "smoke/meta.json"):
        assert (run_dir / name).stat().st_size > 0, name


def test_the_report_states_the_model_mode(run_dir: Path) -> None:
    assert "model mode: **replay**" in (run_dir / "summary.md").read_text()
