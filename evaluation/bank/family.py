"""A phrasing family: one way people state a fact (or a trap that states none), as a template whose slots
are filled from value pools, and the examples it yields with their gold memories."""

from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass, field
from typing import Literal

Split = Literal["dev", "test"]
SPLITS: tuple[Split, ...] = ("dev", "test")
SUBJECTS = ("name", "home", "diet", "work", "family", "preference", "project", "plan", "note")
TRAP = "trap"
TRAP_KINDS = ("other person", "hypothetical", "question", "negated", "past state", "reported speech",
              "assistant's name", "code block", "request", "pasted document")

# A pool entry is a value, or (value, key) when the fact is narrower than the words filled in:
# ("teach maths", "maths") fills "I {teach} at a school", and a kept "Work: maths teacher" is the fact.
Entry = str | tuple[str, str]
Pools = dict[str, list[Entry]]

_WORD = re.compile(r"[^\W_]+")


def key_words(text: str) -> tuple[str, ...]:
    """The words a gold key is matched by: casefolded, without a possessive 's or a plural s."""
    out = []
    for word in _WORD.findall(text.casefold().replace("'s ", " ").replace("’s ", " ")):
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.append(word)
    return tuple(out)


@dataclass(frozen=True)
class Gold:
    """A memory the message states: a kept memory of `subject` whose value holds every key word (see
    `key_words`) of `keys`, or of one of `alternates`, is this fact. `value` is what a good model would
    propose, in the user's words where it can."""

    subject: str
    value: str
    keys: tuple[str, ...]
    alternates: tuple[str, ...] = ()

    def matched_by(self, subject: str, value: str) -> bool:
        if subject != self.subject:
            return False
        have = set(key_words(value))
        return set(self.keys) <= have or any(set(key_words(a)) <= have for a in self.alternates if key_words(a))


@dataclass(frozen=True)
class Example:
    """One message of the bank. A positive states `golds`; a trap (subject "trap") must teach nothing,
    and `tempting` is what a naive model would propose for it."""

    family: str
    split: Split
    subject: str
    kind: str
    text: str
    golds: tuple[Gold, ...] = ()
    tempting: tuple[Gold, ...] = ()

    @property
    def is_trap(self) -> bool:
        return self.subject == TRAP


@dataclass(frozen=True)
class Family:
    """`golds` are value templates over the same slots as `template`; for a trap each is "subject: value"
    (what it tempts a model to propose). `alternates` are other acceptable values, also templates."""

    fid: str
    split: Split
    subject: str
    template: str
    golds: tuple[str, ...]
    kind: str = ""
    alternates: tuple[str, ...] = ()
    lower: bool = False  # the user writes in lower case
    pools: Pools = field(default_factory=dict, compare=False, repr=False)

    def slots(self) -> list[str]:
        return sorted({name for _, name, _, _ in string.Formatter().parse(self.template) if name})

    def examples(self, count: int) -> list[Example]:
        """Up to `count` distinct examples; the values follow from the family's id alone."""
        rng = random.Random(self.fid)
        out: dict[str, Example] = {}
        for _ in range(count * 4):
            if len(out) == count:
                break
            example = self._fill(rng)
            out.setdefault(example.text, example)
        return list(out.values())

    def _fill(self, rng: random.Random) -> Example:
        texts: dict[str, str] = {}
        keys: dict[str, str] = {}
        used: set[str] = set()
        for slot in self.slots():
            pool = self.pools[slot.rstrip("0123456789")]
            entry = rng.choice([e for e in pool if (e if isinstance(e, str) else e[0]) not in used])
            texts[slot], keys[slot] = (entry, entry) if isinstance(entry, str) else entry
            used.add(texts[slot])
        text = self.template.format_map(texts)
        if self.lower:
            text = text.lower()
        golds = tuple(self._gold(spec, texts, keys) for spec in self.golds)
        if self.subject == TRAP:
            return Example(self.fid, self.split, TRAP, self.kind, text, tempting=golds)
        return Example(self.fid, self.split, self.subject, self.subject, text, golds=golds)

    def _gold(self, spec: str, texts: dict[str, str], keys: dict[str, str]) -> Gold:
        subject = self.subject
        if subject == TRAP:
            subject, spec = (part.strip() for part in spec.split(":", 1))
        # "value|keys": the fact is the key part ("flying to {place} in {month}|{place}": the place).
        spec, _, keyspec = spec.partition("|")
        value = spec.format_map(texts)
        named = [name for _, name, _, _ in string.Formatter().parse(spec) if name]
        key = keyspec.format_map(keys) if keyspec else " ".join(keys[n] for n in named) if named else value
        alternates = tuple(a.format_map(texts) for a in self.alternates)
        if self.lower:
            value, alternates = value.lower(), tuple(a.lower() for a in alternates)
        return Gold(subject, value, key_words(key), alternates)


def families_of(split: Split, pools: Pools, rows: list[tuple[str, ...]]) -> list[Family]:
    """Families from compact rows: (subject or "trap:<kind>", id, template, gold, ...), where a gold
    starting with "~" is an alternate and a template starting with "lower:" is written in lower case."""
    out = []
    for subject, fid, template, *specs in rows:
        kind = ""
        if subject.startswith(TRAP):
            subject, kind = TRAP, subject.split(":", 1)[1]
        lower = template.startswith("lower:")
        out.append(Family(
            fid=f"{split}.{subject}.{fid}", split=split, subject=subject, kind=kind or subject,
            template=template.removeprefix("lower:"),
            golds=tuple(s for s in specs if not s.startswith("~")),
            alternates=tuple(s[1:] for s in specs if s.startswith("~")),
            lower=lower, pools=pools,
        ))
    return out
