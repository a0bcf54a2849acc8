"""When a plan happens: its date made absolute when it is learnt, and whether it has passed.

"Next March", said on 2026-12-05, is stored as 2027-03; "on April 12" as 2027-04-12. dateparser reads
the date; a few everyday phrasings it does not know ("next March", "over Christmas", "the week after
next") are put in words it does first. It is imported on first use: only the digest learns plans, and
the answer path never pays for the import.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

_MONTHS = ("january february march april may june july august september october november december").split()
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|" \
         r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
# The span of a value that names a date, with what dateparser is given for it.
_SPANS: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (re.compile(rf"\b(?:on |the )?(?:{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{_MONTH})\b"),
     None),
    (re.compile(r"\b(?:over|at|for) christmas\b"), "december 25"),
    (re.compile(r"\b(?:over|at|for) (?:the )?new year\b"), "january 1"),
    (re.compile(r"\bthe week after next\b"), "in 2 weeks"),
    (re.compile(rf"\b(?:next|this|on) {_DAY}\b"), None),
    (re.compile(r"\b(?:tomorrow|tonight|next week|next month|next year|in (?:a|one|two|three|four|\d+) "
                r"(?:days?|weeks?|months?))\b"), None),
)
_WITH_DAY = re.compile(rf"\d{{1,2}}|{_DAY}|tomorrow|tonight|week|days?\b|christmas|new year")


# A month alone is the next one of that name: this year's if it has not ended ("in December", said on
# December 5, is this December), else next year's ("next March" in December is March next year).
_MONTH_ALONE = re.compile(rf"\b(?:next|in|for|during|until|by|end of|start of|beginning of|this) ({_MONTH})\b")


def when(value: str, said_ms: int) -> str | None:
    """The plan's date as "YYYY-MM-DD", or "YYYY-MM" when only the month is said; None without a date."""
    text = value.casefold()
    for pattern, _ in _SPANS[:1]:  # a day of a month first: "in March, on the 12th" is a day
        if pattern.search(text):
            break
    else:
        alone = _MONTH_ALONE.search(text)
        if alone:
            said = datetime.fromtimestamp(said_ms / 1000, tz=UTC)
            month = next(i for i, name in enumerate(_MONTHS, 1) if name.startswith(alone.group(1)[:3]))
            return f"{said.year + (month < said.month):04d}-{month:02d}"
    for pattern, replacement in _SPANS:
        match = pattern.search(text)
        if match is None:
            continue
        phrase = match.expand(replacement) if replacement else match.group(0)
        found = _parse(phrase.removeprefix("on ").removeprefix("the "), said_ms)
        if found is not None:
            return found.isoformat() if _WITH_DAY.search(phrase) else found.strftime("%Y-%m")
    return None


def _parse(phrase: str, said_ms: int) -> date | None:
    said = datetime.fromtimestamp(said_ms / 1000, tz=UTC).replace(tzinfo=None)
    found = _dateparser().parse(phrase, languages=["en"], settings=_settings(said))
    return found.date() if found is not None else None


@cache
def _dateparser() -> Any:
    import dateparser  # on first use: 0.2 s of import, paid by the digest alone

    return dateparser


def _settings(said: datetime) -> dict[str, Any]:
    return {"RELATIVE_BASE": said, "PREFER_DATES_FROM": "future", "PREFER_DAY_OF_MONTH": "first"}


def label(when: str) -> str:
    """"2027-03" as "March 2027", "2027-04-12" as "12 April 2027"."""
    parts = [int(part) for part in when.split("-")]
    month = _MONTHS[parts[1] - 1].capitalize()
    return f"{parts[2]} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"


def passed(when: str, today: date) -> bool:
    """Whether the plan's day (or its whole month) is over by `today`."""
    parts = [int(part) for part in when.split("-")]
    if len(parts) == 3:
        return date(*parts) < today
    return (parts[0], parts[1]) < (today.year, today.month)
