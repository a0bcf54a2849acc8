"""The evaluation's own measures: a value counts as present only as a whole word or phrase."""

from evaluation.report import mentions, pct, percentile


def test_a_value_inside_a_longer_word_is_not_mentioned():
    assert not mentions("Work: carpenter", "car")
    assert mentions("Likes: my red car.", "car")
    assert mentions("my locker code is QXZ4821", "qxz4821")


def test_percentages_and_percentiles_read_plainly():
    assert pct(1, 4) == "25.0% (1/4)" and pct(0, 0) == "n/a"
    assert percentile([5.0, 1.0, 3.0], 0.5) == 3.0
