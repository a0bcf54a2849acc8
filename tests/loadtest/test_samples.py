"""Exact percentiles from raw samples, and the samples file that keeps them."""

from __future__ import annotations

import statistics

import numpy as np
import pytest

from loadtest.samples import Sample, SampleWriter, Summary, percentile, read_samples

VALUES = [12.0, 3.5, 7.25, 99.0, 15.0, 15.0, 1.0, 42.0, 8.0, 60.5, 33.3]


@pytest.mark.parametrize("q", [1, 5, 25, 50, 75, 90, 95, 99])
def test_percentiles_match_numpys_linear_definition(q: float) -> None:
    assert percentile(VALUES, q) == pytest.approx(float(np.percentile(VALUES, q)))


def test_percentiles_match_the_inclusive_quantiles_of_the_standard_library() -> None:
    cuts = statistics.quantiles(VALUES, n=100, method="inclusive")
    assert [percentile(VALUES, q) for q in range(1, 100)] == pytest.approx(cuts)


def test_p0_is_the_minimum_and_p100_the_maximum() -> None:
    assert percentile(VALUES, 0) == min(VALUES)
    assert percentile(VALUES, 100) == max(VALUES)


def test_percentiles_are_not_rounded() -> None:
    assert percentile([10.123, 10.125], 50) == pytest.approx(10.124)


def test_one_sample_is_every_percentile() -> None:
    assert percentile([4.2], 50) == percentile([4.2], 99) == 4.2


def test_the_order_of_the_samples_does_not_matter() -> None:
    assert percentile(VALUES, 95) == percentile(sorted(VALUES), 95) == percentile(VALUES[::-1], 95)


def test_no_samples_or_a_percentage_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile(VALUES, 101)


def test_a_summary_holds_count_percentiles_max_and_mean() -> None:
    summary = Summary.of(VALUES)
    assert summary is not None
    assert summary.count == len(VALUES)
    assert summary.p50 == percentile(VALUES, 50)
    assert summary.p99 == percentile(VALUES, 99)
    assert summary.max == 99.0
    assert summary.mean == pytest.approx(sum(VALUES) / len(VALUES))


def test_a_summary_of_nothing_is_none() -> None:
    assert Summary.of([]) is None


def test_samples_survive_the_file_with_their_milliseconds(tmp_path) -> None:
    path = tmp_path / "samples.csv"
    writer = SampleWriter(path)
    written = [
        Sample(t=0.5, phase="ttft", ms=153.456, turn=1, stage=200, stage_age=9.25, user="u-1"),
        Sample(t=0.75, phase="error", ms=12.0, user="u-2", code="rate_limited"),
        Sample(t=1.0, phase="answer", ms=2150.5, tokens=121, turn=3, stage=200, stage_age=10.0, user="u-1"),
    ]
    for sample in written:
        writer.write(sample)
    writer.close()
    assert read_samples(path) == written
    assert [s.failed for s in read_samples(path)] == [False, True, False]
