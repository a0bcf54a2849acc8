"""Load shapes are bounded in users, time and turns, and say what to run at any second."""

from __future__ import annotations

import pytest

from loadtest.shapes import MAX_SECONDS, MAX_USERS, ArrivalClock, Budget, PlanError, PoissonPlan, Stage, StepPlan


def test_a_step_plan_reads_users_and_seconds_per_stage() -> None:
    plan = StepPlan.parse("25x30, 50x30,200x60", spawn_rate=25)
    assert plan.stages == (Stage(25, 30.0), Stage(50, 30.0), Stage(200, 60.0))
    assert plan.total_seconds == 120
    assert plan.peak_users == 200


def test_a_step_plan_says_which_stage_runs_and_for_how_long_it_has() -> None:
    plan = StepPlan.parse("10x30,20x30")
    assert plan.at(0).users == 10
    first = plan.at(29.5)
    assert (first.index, first.users, first.age) == (0, 10, 29.5)
    second = plan.at(31)
    assert (second.index, second.users, second.age) == (1, 20, 1)


def test_a_step_plan_ends() -> None:
    assert StepPlan.parse("10x30,20x30").at(60) is None


@pytest.mark.parametrize("spec", ["", "10", "tenx30", "10x", "10x30,,20x5"])
def test_an_unreadable_stage_is_refused(spec: str) -> None:
    with pytest.raises(PlanError):
        StepPlan.parse(spec)


def test_users_are_bounded() -> None:
    with pytest.raises(PlanError):
        StepPlan.parse(f"{MAX_USERS + 1}x10")
    with pytest.raises(PlanError):
        PoissonPlan(rate=5, seconds=10, pool_users=MAX_USERS + 1)


def test_time_is_bounded_per_stage_and_in_all() -> None:
    with pytest.raises(PlanError):
        StepPlan.parse("10x0")
    with pytest.raises(PlanError):
        StepPlan.parse(f"10x{MAX_SECONDS / 2 + 1},10x{MAX_SECONDS / 2}")
    with pytest.raises(PlanError):
        PoissonPlan(rate=5, seconds=MAX_SECONDS, pool_users=10, drain_seconds=30)


def test_poisson_arrivals_are_the_same_for_the_same_seed_and_differ_for_another() -> None:
    plan = PoissonPlan(rate=20, seconds=30, pool_users=50, seed=7)
    assert plan.arrivals(10_000) == plan.arrivals(10_000)
    assert plan.arrivals(10_000) != PoissonPlan(rate=20, seconds=30, pool_users=50, seed=8).arrivals(10_000)


def test_poisson_arrivals_rise_within_the_arrival_window_at_about_the_rate() -> None:
    arrivals = PoissonPlan(rate=20, seconds=100, pool_users=50).arrivals(100_000)
    assert arrivals == sorted(arrivals)
    assert 0 < arrivals[0] and arrivals[-1] < 100
    assert 1800 < len(arrivals) < 2200  # 2,000 expected; the seed is fixed, so this never flakes


def test_poisson_arrivals_stop_at_the_turn_budget() -> None:
    assert len(PoissonPlan(rate=50, seconds=100, pool_users=10).arrivals(25)) == 25


def test_a_poisson_plan_keeps_its_pool_until_the_drain_ends() -> None:
    plan = PoissonPlan(rate=5, seconds=60, pool_users=30, drain_seconds=20)
    assert plan.at(70).users == 30
    assert plan.at(80) is None


def test_a_budget_gives_out_exactly_its_turns() -> None:
    budget = Budget(3)
    assert [budget.take() for _ in range(5)] == [True, True, True, False, False]
    assert budget.exhausted and budget.taken == 3


def test_a_budget_must_be_finite_and_positive() -> None:
    with pytest.raises(PlanError):
        Budget(0)
    with pytest.raises(PlanError):
        Budget(10**9)


def test_arrivals_are_claimed_once_each_in_order() -> None:
    clock = ArrivalClock([0.5, 1.0, 2.5])
    assert [clock.claim() for _ in range(4)] == [0.5, 1.0, 2.5, None]
    assert clock.claimed_all
