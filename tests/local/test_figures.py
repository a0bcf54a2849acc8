"""The benches' shared percentiles: always a sample that was measured, the nearest rank."""

from __future__ import annotations

import pytest

from memchat_local.figures import percentile


@pytest.mark.parametrize(("q", "expected"), [(0.0, 1.0), (0.5, 11.0), (0.95, 20.0), (1.0, 21.0)])
def test_a_percentile_is_the_sample_at_the_nearest_rank(q, expected):
    samples = [float(n) for n in range(21, 0, -1)]  # any order
    assert percentile(samples, q) == expected


def test_a_percentile_is_never_between_two_samples():
    assert percentile([1.0, 2.0], 0.5) in (1.0, 2.0)
