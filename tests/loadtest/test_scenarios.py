"""Every scenario `make loadtest` runs is bounded and raises the rate limit of the stack it starts."""

from __future__ import annotations

import pytest

from loadtest.scenarios import DEFAULT_LOCAL, DEFAULT_REMOTE, SCENARIOS
from loadtest.shapes import StepPlan


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_a_scenario_is_bounded_in_users_time_and_turns(name: str) -> None:
    scenario = SCENARIOS[name]
    assert scenario.plan.peak_users <= 500
    assert scenario.seconds <= 600
    assert 0 < scenario.max_turns <= 50_000


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_a_scenarios_stages_reach_locust_as_written(name: str) -> None:
    scenario = SCENARIOS[name]
    options = scenario.locust_options()
    if isinstance(scenario.plan, StepPlan):
        stages = options[options.index("--stages") + 1]
        assert StepPlan.parse(stages, spawn_rate=scenario.plan.spawn_rate) == scenario.plan


def test_local_scenarios_lift_the_rate_limit_and_pass_the_answer_length() -> None:
    for name in DEFAULT_LOCAL:
        options = " ".join(SCENARIOS[name].memchat_dev_options())
        assert "MEMCHAT_RATE_LIMIT_PER_MINUTE=" in options
        assert f"MEMCHAT_MAX_NEW_TOKENS={SCENARIOS[name].max_new_tokens}" in options


def test_the_deployed_scenario_needs_no_particular_model_and_stays_under_the_rate_limit() -> None:
    (name,) = DEFAULT_REMOTE
    scenario = SCENARIOS[name]
    assert scenario.mode == "any"
    low = float(scenario.think.split(":")[0])
    assert 60 / low <= 30  # at most 30 messages a minute per user, the stage's default limit
