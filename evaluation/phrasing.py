"""The phrasing bank's scores: what memchat keeps from each message, by subject and split, for the rules
alone, for validation given an oracle's proposals, and for a model end to end.

How a kept memory is judged (the same for every part):

- it is *correct* when the message states a gold of its subject whose key words (casefolded, without a
  plural s or possessive: `evaluation.bank.key_words`) are all among the kept value's words, or the key
  words of one of the gold's alternates are ("Work: maths teacher" is "I teach maths");
- a gold is *found* when some kept memory is correct for it; recall is found / golds, precision correct /
  kept, both per subject (a kept memory counts under its own subject);
- a trap is *learnt* when anything at all is kept from it;
- a kept value is *never stated* when one of its words is not in the message (`unstated_words`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from evaluation.bank import SPLITS, SUBJECTS, TRAP, Example, Gold, Split, examples, key_words
from memchat.memory import extraction
from memchat.memory.extraction import EXTRACTION_INSTRUCTIONS, EXTRACTION_SCHEMA, Proposal, parse_proposals
from memchat.memory.memories import Subject
from memchat.model import ChatMessage

# Words a good model may add when it states a fact in its own form: "I can't eat shellfish" is "no
# shellfish" or "shellfish-free", "I've got a scan for May 5" is "scan on May 5". Nothing else may be absent.
ALLOWED_WORDS = frozenset(
    "no not non free a an the on in at of to for from with and or my our is are it it's its".split())


def _said(word: str, said: set[str]) -> bool:
    """`word` or a form of it is in the message: the same word, or one is the other plus an ending and the
    shorter has 4 letters or more ("teach" / "teacher", "drive" / "driver"; never "vegan" / "vegetarian")."""
    if word in said:
        return True
    return len(word) >= 4 and any(len(s) >= 4 and (s.startswith(word) or word.startswith(s)) for s in said)


def unstated_words(value: str, text: str) -> list[str]:
    """The words of a kept value that the message never says."""
    said = set(key_words(text))
    return [w for w in key_words(value) if w not in ALLOWED_WORDS and not _said(w, said)]


def floor(text: str) -> list[Proposal]:
    """The model-free proposals, as the digest reads them."""
    return extraction.floor(text)


def kept(text: str, proposals: Iterable[Proposal]) -> list[Proposal]:
    """What the digest keeps from a message given the model's proposals: the floor's notes as they are (the
    user's own "remember that"), and its other proposals with the model's, validated against the message."""
    rules = floor(text)
    notes = [p for p in rules if p.subject is Subject.NOTE]
    others = [p for p in rules if p.subject is not Subject.NOTE]
    return [*notes, *extraction.validated(others, text, list(proposals))]


def correct(proposal: Proposal, golds: Iterable[Gold]) -> bool:
    return any(g.matched_by(proposal.subject.value, proposal.value) for g in golds)


@dataclass
class Tally:
    """One subject's counts in one split."""

    golds: int = 0
    found: int = 0
    kept: int = 0
    correct: int = 0
    unstated: int = 0

    @property
    def precision(self) -> float | None:
        return self.correct / self.kept if self.kept else None

    @property
    def recall(self) -> float | None:
        return self.found / self.golds if self.golds else None


@dataclass
class Score:
    """A system's score on one split: tallies by subject ("all" sums them) and the traps it learnt."""

    tallies: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    traps: int = 0
    traps_learnt: int = 0
    learnt_by_kind: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    learnt_families: list[str] = field(default_factory=list)
    unstated_values: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)  # kept but no gold of the message: what, from which family

    def add(self, example: Example, memories: list[Proposal]) -> None:
        for proposal in memories:
            tally = self.tallies[proposal.subject.value]
            tally.kept += 1
            if correct(proposal, example.golds):
                tally.correct += 1
            else:
                self.wrong.append(f"{example.family}: {proposal.subject.value}: {proposal.value}")
            if unstated_words(proposal.value, example.text):
                tally.unstated += 1
                self.unstated_values.append(f"{example.family}: {proposal.subject.value}: {proposal.value}")
        for gold in example.golds:
            self.tallies[gold.subject].golds += 1
            self.tallies[gold.subject].found += any(correct(p, [gold]) for p in memories)
        if example.is_trap:
            self.traps += 1
            if memories:
                self.traps_learnt += 1
                self.learnt_by_kind[example.kind] += 1
                self.learnt_families.append(example.family)

    def total(self) -> Tally:
        out = Tally()
        for tally in self.tallies.values():
            for name in ("golds", "found", "kept", "correct", "unstated"):
                setattr(out, name, getattr(out, name) + getattr(tally, name))
        return out

    @property
    def unstated(self) -> int:
        return len(self.unstated_values)


def score(examples: Iterable[Example], system: Callable[[Example], list[Proposal]]) -> Score:
    out = Score()
    for example in examples:
        out.add(example, system(example))
    return out


def rules_alone(example: Example) -> list[Proposal]:
    """Part (a): what is kept when the model proposes nothing (it is down, slow or useless)."""
    return kept(example.text, [])


# Notes are never the model's to propose (the schema leaves them out): validation given an oracle is
# measured on the other subjects.
ORACLE_SUBJECTS = tuple(s for s in SUBJECTS if s != Subject.NOTE.value)


@dataclass
class OracleScore:
    """Part (b): `validate` given the ideal proposal for each gold, and the tempting one for each trap."""

    kept: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    golds: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    dropped: list[str] = field(default_factory=list)
    tempting: int = 0
    traps_learnt: int = 0
    learnt_by_kind: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    learnt_families: list[str] = field(default_factory=list)
    unstated_values: list[str] = field(default_factory=list)

    def rate(self, subject: str | None = None) -> float | None:
        subjects = [subject] if subject else list(ORACLE_SUBJECTS)
        golds = sum(self.golds[s] for s in subjects)
        return sum(self.kept[s] for s in subjects) / golds if golds else None

    @property
    def unstated(self) -> int:
        return len(self.unstated_values)


def oracle(examples: Iterable[Example]) -> OracleScore:
    out = OracleScore()
    for example in examples:
        for gold in example.golds:
            if gold.subject not in ORACLE_SUBJECTS:
                continue
            out.golds[gold.subject] += 1
            if extraction.validate(Proposal(Subject(gold.subject), gold.value), example.text):
                out.kept[gold.subject] += 1
                if unstated_words(gold.value, example.text):
                    out.unstated_values.append(f"{example.family}: {gold.subject}: {gold.value}")
            else:
                out.dropped.append(f"{example.family}: {gold.subject}: {gold.value!r} from {example.text!r}")
        for temptation in example.tempting:
            out.tempting += 1
            if extraction.validate(Proposal(Subject(temptation.subject), temptation.value), example.text):
                out.traps_learnt += 1
                out.learnt_by_kind[example.kind] += 1
                out.learnt_families.append(f"{example.family}: {temptation.subject}: {temptation.value}")
    return out


class ModelRun:
    """Parts (c) and (d): a model at the digest's seam, asked what the digest asks, and what memchat keeps
    of its answer. `alone` scores the model's own proposals (before validation and the floor)."""

    def __init__(self, model: object) -> None:
        self.model = model
        self.alone = Score()
        self.kept = Score()

    def __call__(self, example: Example) -> list[Proposal]:
        completion = self.model.complete(  # type: ignore[attr-defined]
            [ChatMessage("system", EXTRACTION_INSTRUCTIONS), ChatMessage("user", example.text)],
            max_tokens=200, temperature=0.0, json_schema=EXTRACTION_SCHEMA)
        proposals = parse_proposals(completion.text)
        self.alone.add(example, proposals)
        memories = kept(example.text, proposals)
        self.kept.add(example, memories)
        return memories


def run_model(model: object, examples: Iterable[Example]) -> ModelRun:
    run = ModelRun(model)
    for example in examples:
        run(example)
    return run


def sample(examples: list[Example], limit: int) -> list[Example]:
    """Up to `limit` examples spread over the subjects and traps: each family's first example, taken
    round-robin across the subjects, so a small sample still has every subject."""
    firsts: dict[str, list[Example]] = defaultdict(list)
    seen: set[str] = set()
    for example in examples:
        if example.family not in seen:
            seen.add(example.family)
            firsts[example.subject].append(example)
    order = [*SUBJECTS, TRAP]
    out: list[Example] = []
    for index in range(max((len(v) for v in firsts.values()), default=0)):
        for subject in order:
            if index < len(firsts[subject]) and len(out) < limit:
                out.append(firsts[subject][index])
    return out


@dataclass
class PhrasingReport:
    """Every part's score, by split."""

    rules: dict[Split, Score]
    oracle: dict[Split, OracleScore]
    scripted: dict[Split, ModelRun] | None = None
    embedded: dict[Split, ModelRun] | None = None


def evaluate(*, seed: int, embedded: object | None = None, limit: int = 0) -> PhrasingReport:
    """Every part on both halves; the embedded model on `limit` messages in all, half from each half."""
    from evaluation.scripted import ScriptedModel

    banks = {split: examples(split) for split in SPLITS}
    report = PhrasingReport(
        rules={split: score(bank, rules_alone) for split, bank in banks.items()},
        oracle={split: oracle(bank) for split, bank in banks.items()},
        scripted={split: run_model(ScriptedModel(seed=seed, knows={e.text: e for e in bank}), bank)
                  for split, bank in banks.items()},
    )
    if embedded is not None and limit:
        report.embedded = {split: run_model(embedded, sample(bank, max(1, limit // len(banks))))
                           for split, bank in banks.items()}
    return report
