"""The phrasing bank: everyday ways of stating each kind of memory, and traps that must teach nothing,
split by family into a dev half (`dev.py`, for tuning) and a test half (`test_half.py`, for `make eval` only)."""

from __future__ import annotations

import importlib

from evaluation.bank.family import SPLITS, SUBJECTS, TRAP, TRAP_KINDS, Example, Family, Gold, Split, key_words

__all__ = ["PER_FAMILY", "SPLITS", "SUBJECTS", "TRAP", "TRAP_KINDS", "Example", "Family", "Gold", "Split",
           "examples", "families", "key_words"]

PER_FAMILY = 3  # examples drawn from each family's value pools

_MODULES = {"dev": "evaluation.bank.dev", "test": "evaluation.bank.test_half"}


def families(split: Split) -> list[Family]:
    """The families of one half; the test half is imported only when asked for."""
    if split not in _MODULES:
        raise ValueError(f"no such split: {split!r} (one of {', '.join(SPLITS)})")
    return list(importlib.import_module(_MODULES[split]).FAMILIES)


def examples(split: Split, *, per_family: int = PER_FAMILY) -> list[Example]:
    """Every example of one half, in a fixed order: its families in order, each with its seeded values."""
    return [example for family in families(split) for example in family.examples(per_family)]
