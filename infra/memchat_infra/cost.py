"""What the model's GPU will cost a month: its hours on (from the night schedule) times its hourly price (from
the AWS Price List API), printed by the pre-flight before anything is deployed.

Only the GPU instances matter: Lambda, API Gateway, DynamoDB on demand and Cognito Essentials cost next to
nothing at low traffic. Prices are per region and change; the Price List API answers with the current
on-demand price of a SageMaker hosting instance (productFamily "ML Instance", platoinstancetype "Hosting").
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from memchat_infra.config import MemchatConfig

# AWS prices a month as 730 hours (8,760 a year / 12).
HOURS_PER_MONTH = 730
PRICING_SERVICE_CODE = "AmazonSageMaker"
# The Price List API is served from a few regions only; us-east-1 answers for every region.
PRICING_REGION = "us-east-1"
PRICING_PAGE = "https://aws.amazon.com/sagemaker/pricing/"
# A whole non-leap year starting on a Friday: every weekday and month length occurs in it.
REFERENCE_YEAR = 2027

_CRON = re.compile(r"cron\((.+)\)")
_DAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
_MONTHS = {name.upper(): number for number, name in enumerate(calendar.month_abbr) if name}


class UnsupportedSchedule(ValueError):
    """A schedule expression this estimate does not read (rate(), at(), or L, W and # in a cron)."""


def _value(text: str, names: dict[str, int]) -> int:
    return names[text.upper()] if text.upper() in names else int(text)


def _field(text: str, low: int, high: int, names: dict[str, int] | None = None) -> set[int]:
    """The values one cron field matches: *, ?, numbers or names, ranges a-b, lists and steps /n."""
    names = names or {}
    if re.search(r"[LW#]", re.sub("|".join(names) or "^$", "", text.upper())):
        raise UnsupportedSchedule(f"cron field {text!r}")
    values: set[int] = set()
    for part in text.split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if base in ("*", "?"):
            start, end = low, high
        elif "-" in base:
            first, last = base.split("-")
            start, end = _value(first, names), _value(last, names)
        else:
            start = _value(base, names)
            end = high if step_text else start
        values.update(range(start, end + 1, step))
    return values


@dataclass(frozen=True)
class Cron:
    """An Application Auto Scaling cron expression: minutes hours day-of-month month day-of-week year."""

    minutes: set[int]
    hours: set[int]
    days_of_month: set[int] | None  # None: "?" (the day of week decides)
    months: set[int]
    days_of_week: set[int] | None  # 1 (Sunday) to 7 (Saturday); None: "?"

    @classmethod
    def parse(cls, expression: str) -> Cron:
        match = _CRON.fullmatch(expression.strip())
        if not match:
            raise UnsupportedSchedule(expression)
        fields = match.group(1).split()
        if len(fields) != 6:
            raise UnsupportedSchedule(expression)
        minutes, hours, day_of_month, month, day_of_week, _year = fields
        return cls(
            minutes=_field(minutes, 0, 59),
            hours=_field(hours, 0, 23),
            days_of_month=None if day_of_month == "?" else _field(day_of_month, 1, 31),
            months=_field(month, 1, 12, _MONTHS),
            days_of_week=None if day_of_week == "?" else _field(day_of_week, 1, 7, _DAYS),
        )

    def _on_day(self, day: datetime) -> bool:
        if day.month not in self.months:
            return False
        weekday = (day.weekday() + 1) % 7 + 1  # Python's Monday is 0; AWS's Sunday is 1
        by_month = self.days_of_month is None or day.day in self.days_of_month
        by_week = self.days_of_week is None or weekday in self.days_of_week
        return by_month and by_week

    def times(self, year: int) -> Iterator[datetime]:
        day = datetime(year, 1, 1)
        while day.year == year:
            if self._on_day(day):
                for hour in sorted(self.hours):
                    for minute in sorted(self.minutes):
                        yield day.replace(hour=hour, minute=minute)
            day += timedelta(days=1)


def hours_on_per_month(off: str | None, on: str | None) -> float:
    """The model's hours on in an average month, with the night schedule's two actions (None: always on).

    Time zones shift both actions alike, so they do not change the count (daylight saving aside).
    """
    if off is None or on is None:
        return float(HOURS_PER_MONTH)
    switches = sorted([(time, True) for time in Cron.parse(on).times(REFERENCE_YEAR)]
                      + [(time, False) for time in Cron.parse(off).times(REFERENCE_YEAR)])
    if not switches:
        return float(HOURS_PER_MONTH)
    start, end = datetime(REFERENCE_YEAR, 1, 1), datetime(REFERENCE_YEAR + 1, 1, 1)
    # The year repeats: on its first day the model is as the year's last switch left it.
    is_on, since, seconds_on = switches[-1][1], start, 0.0
    for time, switch_on in switches:
        if is_on:
            seconds_on += (time - since).total_seconds()
        is_on, since = switch_on, time
    if is_on:
        seconds_on += (end - since).total_seconds()
    return seconds_on / 3600 / 12


def hourly_price(pricing: Any, instance_type: str, region: str) -> float | None:
    """The on-demand price of a SageMaker hosting instance, in USD an hour; None when the list has none."""
    filters = [{"Type": "TERM_MATCH", "Field": field, "Value": value} for field, value in (
        ("productFamily", "ML Instance"), ("regionCode", region), ("instanceName", instance_type),
        ("platoinstancetype", "Hosting"))]
    prices = []
    for page in pricing.get_paginator("get_products").paginate(ServiceCode=PRICING_SERVICE_CODE, Filters=filters):
        for item in page["PriceList"]:
            for term in json.loads(item)["terms"].get("OnDemand", {}).values():
                for dimension in term["priceDimensions"].values():
                    usd = float(dimension["pricePerUnit"].get("USD", 0))
                    if usd > 0:
                        prices.append(usd)
    # Never understate a cost warning.
    return max(prices) if prices else None


@dataclass(frozen=True)
class Estimate:
    """The model's GPU cost a month: min_instances through the hours on, and the most autoscaling may use."""

    config: MemchatConfig
    hours_on: float | None  # None: a schedule this estimate cannot read
    price: float | None  # USD an hour; None: the Price List API did not answer

    def lines(self) -> list[str]:
        config, unit = self.config, f"{self.config.instance_type}"
        if self.hours_on is None:
            hours, when = float(HOURS_PER_MONTH), "around the clock (the schedule's hours are not estimated)"
        elif config.scheduled:
            hours = self.hours_on
            when = (f"for the {hours:,.0f} hours a month the night schedule keeps it on (on "
                    f"{config.endpoint_on_schedule}, off {config.endpoint_off_schedule}, {config.schedule_time_zone})")
        else:
            hours, when = float(HOURS_PER_MONTH), "around the clock (no night schedule: about 730 hours a month)"
        low, high = config.min_instances * hours, config.max_instances * hours
        if self.price is None:
            return [f"estimated cost of the model: {low:,.0f} to {high:,.0f} {unit} instance-hours a month, {when}; "
                    f"the AWS Price List API gave no price for it in {config.region}: see {PRICING_PAGE}"]
        lines = [f"estimated cost of the model: {unit} at ${self.price:,.3f} an hour in {config.region} (AWS Price "
                 f"List API)",
                 f"  about ${low * self.price:,.0f} a month: {config.min_instances} instance(s) {when}"]
        if config.max_instances > config.min_instances:
            lines.append(f"  up to ${high * self.price:,.0f} if autoscaling keeps {config.max_instances} instances on "
                         "through all of those hours")
        if config.scheduled and self.hours_on is not None:
            lines.append(f"  around the clock it would be ${config.min_instances * HOURS_PER_MONTH * self.price:,.0f}"
                         " a month")
        lines.append("  Lambda, API Gateway, DynamoDB and Cognito cost next to nothing at low traffic")
        return lines


def estimate(config: MemchatConfig, pricing: Any) -> Estimate:
    """The estimate for a deployment; a price the Price List API cannot give is left out, never guessed."""
    try:
        hours_on: float | None = hours_on_per_month(config.endpoint_off_schedule, config.endpoint_on_schedule)
    except UnsupportedSchedule:
        hours_on = None
    try:
        price = hourly_price(pricing, config.instance_type, config.region)
    except pricing.exceptions.ClientError:
        price = None
    return Estimate(config=config, hours_on=hours_on, price=price)
