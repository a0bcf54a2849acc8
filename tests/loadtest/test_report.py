"""The report's figures come from the raw samples: overhead, delivery, turn growth and the targets."""

from __future__ import annotations

import json

import pytest

from loadtest.report import Scenario, checks, delivery, render, stage_figures, turn_figures, write_report
from loadtest.samples import Sample, SampleWriter


def chat_and_direct(stage: int, chat_ttft: list[float], direct_ttft: list[float], age: float = 10.0) -> list[Sample]:
    samples = [Sample(t=i, phase="ttft", ms=ms, stage=stage, stage_age=age) for i, ms in enumerate(chat_ttft)]
    samples += [Sample(t=i, phase="direct ttft", ms=ms, stage=stage, stage_age=age) for i, ms in enumerate(direct_ttft)]
    return samples


def test_overhead_is_chat_ttft_minus_direct_ttft_at_each_percentile_per_stage() -> None:
    samples = chat_and_direct(25, [160.0] * 99 + [260.0], [150.0] * 100)
    samples += chat_and_direct(200, [190.0] * 100, [152.0] * 100)
    low, high = stage_figures(samples)
    assert (low.users, high.users) == (25, 200)
    assert low.overhead["p50"] == pytest.approx(10)
    assert low.overhead["p99"] == pytest.approx(10 + 0.01 * 100)  # interpolated towards the 260 ms outlier
    assert high.overhead["p50"] == pytest.approx(38)


def test_samples_of_a_settling_stage_are_left_out() -> None:
    samples = chat_and_direct(50, [900.0], [150.0], age=1.0) + chat_and_direct(50, [170.0], [150.0], age=9.0)
    scenario = Scenario("s", {"warmup_seconds": 5}, samples)
    (stage,) = stage_figures(scenario.steady())
    assert stage.ttft.p50 == 170.0


def test_failures_are_counted_and_not_timed() -> None:
    refused = Sample(t=1, phase="error", ms=5.0, stage=10, stage_age=9, code="rate_limited")
    samples = [*chat_and_direct(10, [170.0], [150.0]), refused]
    (stage,) = stage_figures(samples)
    assert stage.failures == 1 and stage.ttft.count == 1


def test_delivery_compares_the_chat_streams_pace_with_the_models() -> None:
    samples = [Sample(t=0, phase="stream", ms=2100.0, tokens=121), Sample(t=0, phase="direct stream", ms=2000.0,
                                                                           tokens=121)]
    found = delivery(samples)
    assert found.delivered == pytest.approx(120 / 2.1)
    assert found.emitted == pytest.approx(60)
    assert found.ratio == pytest.approx(2000 / 2100)


def test_per_turn_backend_time_compares_the_same_turns_of_long_conversations() -> None:
    samples = []
    for turn in (1, 50):
        samples += [Sample(t=0, phase="ttft", ms=180.0 + (turn == 50) * 4, turn=turn) for _ in range(3)]
        samples += [Sample(t=0, phase="direct ttft", ms=150.0, turn=turn) for _ in range(3)]
        samples += [Sample(t=0, phase="ack", ms=20.0, turn=turn)]
    figures = turn_figures(samples, (1, 1), (50, 50))
    assert figures.backend_first == pytest.approx(30)
    assert figures.backend_last == pytest.approx(34)
    assert figures.growth == pytest.approx(34 / 30)


def test_targets_are_judged_at_the_highest_concurrency() -> None:
    samples = chat_and_direct(25, [200.0] * 10, [150.0] * 10) + chat_and_direct(200, [160.0] * 10, [150.0] * 10)
    scenario = Scenario("replay-steps", {"checks": ["overhead", "errors"], "warmup_seconds": 5}, samples)
    found = {c.target: c for c in checks(scenario)}
    assert found["backend overhead p50 at 200 users"].met
    assert found["backend overhead p99 at 200 users"].measured == "10.0 ms"
    assert found["errors (whole run)"].met


def test_the_llama_target_is_a_ratio_of_medians() -> None:
    scenario = Scenario("llama-4", {"checks": ["llama_ratio"]}, chat_and_direct(4, [1200.0] * 5, [1000.0] * 5))
    (check,) = checks(scenario)
    assert check.measured.startswith("1.200") and not check.met


def test_every_report_states_the_model_mode() -> None:
    meta = {"title": "t", "model_mode": "replay", "model": "replay", "checks": []}
    text = render("run-1", [Scenario("smoke", meta, chat_and_direct(3, [30.0], [20.0]))], None)
    assert "model mode: **replay**" in text


def test_a_run_folder_gets_a_summary_and_a_plot(tmp_path) -> None:
    folder = tmp_path / "run-1" / "steps"
    folder.mkdir(parents=True)
    writer = SampleWriter(folder / "samples.csv")
    for sample in chat_and_direct(25, [160.0, 170.0], [150.0, 151.0]) + chat_and_direct(50, [180.0], [150.0]):
        writer.write(sample)
    writer.close()
    (folder / "meta.json").write_text(json.dumps({"title": "steps", "model_mode": "replay", "checks": ["overhead"]}))
    summary = write_report(tmp_path / "run-1")
    assert "backend overhead p50 at 50 users" in summary.read_text()
    assert (tmp_path / "run-1" / "percentiles.png").stat().st_size > 0
