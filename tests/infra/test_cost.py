"""The monthly cost the pre-flight prints: the model's hours on from the night schedule's cron expressions,
its hourly price from the AWS Price List API (asked with a real client, checked by botocore's Stubber)."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from memchat_infra import MemchatConfig
from memchat_infra.cost import HOURS_PER_MONTH, Cron, UnsupportedSchedule, estimate, hourly_price, hours_on_per_month

from .aws_fakes import product


@pytest.mark.parametrize(("off", "on", "hours"), [
    # Weekdays 07:00-20:00: 2027 has 261 weekdays, 13 h each, over 12 months.
    ("cron(0 20 ? * MON-FRI *)", "cron(0 7 ? * MON-FRI *)", 261 * 13 / 12),
    # Every night 22:00-06:00 off: 16 h a day.
    ("cron(0 22 * * ? *)", "cron(0 6 * * ? *)", 365 * 16 / 12),
    # Numbers for days (AWS: 1 is Sunday), a half hour, and the same off switch every day.
    ("cron(30 18 * * ? *)", "cron(0 8 ? * 2-6 *)", 261 * 10.5 / 12),
    (None, None, HOURS_PER_MONTH),
])
def test_hours_on_follow_the_schedule(off, on, hours):
    assert hours_on_per_month(off, on) == pytest.approx(hours)


def test_day_and_month_names_and_steps_are_read():
    cron = Cron.parse("cron(0/15 8-17/3 ? JUL-AUG SAT,SUN *)")
    assert cron.minutes == {0, 15, 30, 45} and cron.hours == {8, 11, 14, 17}
    assert cron.months == {7, 8} and cron.days_of_week == {7, 1} and cron.days_of_month is None


@pytest.mark.parametrize("expression", ["rate(1 day)", "at(2027-01-01T00:00:00)", "cron(0 20 L * ? *)",
                                        "cron(0 7 ? * 2#1 *)", "cron(0 7 * *)"])
def test_what_the_estimate_cannot_read_is_said_not_guessed(expression):
    with pytest.raises(UnsupportedSchedule):
        Cron.parse(expression)
    config = MemchatConfig(region="eu-west-1", endpoint_off_schedule=expression,
                           endpoint_on_schedule="cron(0 7 ? * MON-FRI *)")
    lines = estimate(config, _pricing_answering([product(2.0)])).lines()
    assert "around the clock (the schedule's hours are not estimated)" in lines[1]


def _pricing_answering(price_list: list[str], region: str = "eu-west-1", instance_type: str = "ml.g5.2xlarge"):
    client = boto3.Session(aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="example",
                           region_name="us-east-1").client("pricing")
    stub = Stubber(client)
    stub.add_response("get_products", {"PriceList": price_list, "FormatVersion": "aws_v1"}, {
        "ServiceCode": "AmazonSageMaker", "Filters": [
            {"Type": "TERM_MATCH", "Field": "productFamily", "Value": "ML Instance"},
            {"Type": "TERM_MATCH", "Field": "regionCode", "Value": region},
            {"Type": "TERM_MATCH", "Field": "instanceName", "Value": instance_type},
            {"Type": "TERM_MATCH", "Field": "platoinstancetype", "Value": "Hosting"},
        ]})
    stub.activate()
    return client


def test_the_price_is_the_on_demand_price_of_a_hosting_instance_in_the_region():
    assert hourly_price(_pricing_answering([product(1.624)]), "ml.g5.2xlarge", "eu-west-1") == 1.624
    # Two products matching: the estimate never understates.
    assert hourly_price(_pricing_answering([product(1.5), product(1.7)]), "ml.g5.2xlarge", "eu-west-1") == 1.7
    assert hourly_price(_pricing_answering([]), "ml.g5.2xlarge", "eu-west-1") is None


def test_a_fixed_fleet_left_on_has_one_figure():
    config = MemchatConfig(min_instances=2, instance_count=2, max_instances=2, endpoint_off_schedule=None,
                           endpoint_on_schedule=None, region="eu-west-1")
    lines = estimate(config, _pricing_answering([product(1.0)])).lines()
    assert lines[1] == ("  about $1,460 a month: 2 instance(s) around the clock (no night schedule: about 730 hours "
                        "a month)")
    assert not [line for line in lines if "up to" in line or "around the clock it would be" in line]
