"""The figures of one evaluation run, side by side for the three systems, and the targets they meet."""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from evaluation.harness import Harness, Turn, supported
from memchat.memory.consolidation import near_duplicate

SYSTEMS = ("window-only", "full history", "memchat")


@dataclass
class Figure:
    name: str
    values: dict[str, str]
    target: str = ""
    passed: bool | None = None  # None: reported, no target
    timed: bool = False  # a wall-clock figure: machines differ, so tests never assert it


def pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}% ({part:g}/{whole:g})" if whole else "n/a"


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def _probes(harness: Harness, system: str, scopes: tuple[str, ...]) -> list[Turn]:
    return [t for t in harness.results.turns if t.system == system and t.probe and t.probe.scope in scopes]


def _remembered(turn: Turn, system: str) -> str:
    return turn.full_history if system == "full history" else turn.remembered


def containment(harness: Harness, scopes: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    out = {}
    for system in SYSTEMS:
        turns = _probes(harness, "window-only" if system == "full history" else system, scopes)
        hits = sum(t.probe.gold.casefold() in _remembered(t, system).casefold() for t in turns if t.probe.gold)
        out[system] = (hits, sum(1 for t in turns if t.probe.gold))
    return out


def mentions(text: str, value: str) -> bool:
    """`value` as a whole word or phrase of `text` ("car" is not in "carpenter")."""
    return re.search(rf"(?<![^\W_]){re.escape(value)}(?![^\W_])", text, re.I) is not None


def leaks(harness: Harness, scopes: tuple[str, ...], where: Callable[[Turn, str], str]) -> dict[str, tuple[int, int]]:
    out = {}
    for system in SYSTEMS:
        turns = _probes(harness, "window-only" if system == "full history" else system, scopes)
        bad = sum(any(mentions(where(t, system), a) for a in t.probe.absent) for t in turns)
        out[system] = (bad, len(turns))
    return out


def figures(harness: Harness, *, cost: dict[int, dict[str, float]] | None = None) -> list[Figure]:
    results, out = harness.results, []

    def add(name: str, values: dict[str, str], target: str = "", passed: bool | None = None,
            timed: bool = False) -> None:
        out.append(Figure(name, values, target, passed, timed))

    for label, scopes, floor in (("containment within a conversation", ("within", "long"), 0.95),
                                 ("containment across conversations", ("across", "updated"), 0.90),
                                 ("fact from turn 1 at turn 200", ("long",), None)):
        counts = containment(harness, scopes)
        hits, total = counts["memchat"]
        add(label, {s: pct(*counts[s]) for s in SYSTEMS}, f">= {floor:.0%}" if floor else "",
            (total > 0 and hits / total >= floor) if floor else None)

    stale = leaks(harness, ("updated",), lambda t, s: t.memories_block if s == "memchat" else _remembered(t, s))
    add("stale values injected after an update", {s: pct(*stale[s]) for s in SYSTEMS}, "0", stale["memchat"][0] == 0)
    forgotten = leaks(harness, ("forgotten",), _remembered)
    add("deleted values in a later prompt", {s: pct(*forgotten[s]) for s in SYSTEMS}, "0",
        forgotten["memchat"][0] == 0)
    never = leaks(harness, ("never",), lambda t, s: t.memories_block if s == "memchat" else "")
    add("never-stated facts claimed in the memories block", {s: pct(*never[s]) for s in SYSTEMS}, "0",
        never["memchat"][0] == 0)

    total = duplicates = unstated = 0
    for user, persona in results.users.items():
        current, history = harness.memories_of(user)
        total += len(current)
        duplicates += sum(any(o is not m and o.subject is m.subject and near_duplicate(o.value, m.value)
                              for o in current) for m in current)
        values = [m.value for m in current] + [h["value"] for h in history]
        unstated += sum(not supported(v, results.user_texts[persona]) for v in values)
    add("duplicate memories", {"memchat": pct(duplicates, total)}, "<= 1%", total > 0 and duplicates / total <= 0.01)
    add("memories the user never stated", {"memchat": pct(unstated, total)}, "0", unstated == 0)
    # What an operator watches in production, for the same runs (no target: the counts describe them).
    counted = results.quality
    add("memory proposals: kept / proposed", {"memchat": f"{counted['kept']} / {counted['proposed']}"})
    add("memory proposals dropped, by reason", {"memchat": ", ".join(
        f"{name.removeprefix('dropped: ')} {n}" for name, n in sorted(counted.items()) if name.startswith("dropped"))
        or "none"})
    add("memories superseded", {"memchat": str(counted["superseded"])})

    memchat_users = set(results.users)
    leaked = window_leaked = 0
    for item in harness.scan():
        text = str(item)
        if any(c.casefold() in text.casefold() for c in results.canaries):
            owner = item["pk"]["S"].removeprefix("U#").split("#C#")[0]
            if owner in memchat_users:
                leaked += 1
            else:
                window_leaked += 1
    add("items holding a deleted value (table scan)", {"window-only": str(window_leaked), "memchat": str(leaked)},
        "0", leaked == 0)

    memchat = [t for t in results.turns if t.system == "memchat"]
    window = [t for t in results.turns if t.system == "window-only"]
    add("memory tokens per turn (memories + summary), mean",
        {"memchat": f"{statistics.fmean(t.memory_tokens for t in memchat):.0f}"})
    add("model calls on the answer path", {"memchat": str(sum(t.answer_model_calls for t in memchat))}, "0",
        sum(t.answer_model_calls for t in memchat) == 0)
    for q in (0.5, 0.95):
        add(f"backend time to first token p{int(q * 100)} (ms)",
            {"window-only": f"{percentile([t.ttft_ms for t in window], q):.2f}",
             "memchat": f"{percentile([t.ttft_ms for t in memchat], q):.2f}"})
    added = percentile([t.ttft_ms for t in memchat], 0.5) - percentile([t.ttft_ms for t in window], 0.5)
    add("time memory adds to the answer path, p50 (ms)", {"memchat": f"{added:+.2f}"}, "<= 5 ms", added <= 5.0,
        timed=True)
    digests = [t.digest_ms for t in memchat if t.digest_ms is not None]
    add("background time per turn p50 / p95 (ms)",
        {"memchat": f"{percentile(digests, 0.5):.1f} / {percentile(digests, 0.95):.1f}"})
    calls = harness.model.calls
    add("background model calls per turn",
        {"memchat": f"{(calls['title'] + calls['summary'] + calls['extract']) / max(1, len(memchat)):.2f}"})

    if cost:
        for key, label in (("dynamodb_calls", "DynamoDB calls"), ("read_units", "read units"),
                           ("prompt_tokens", "prompt tokens"), ("ttft_ms", "backend time to first token (ms)")):
            at = {turn: cost[turn][key] for turn in sorted(cost)}
            ratio = at[max(at)] / at[50] if at.get(50) else float("inf")
            add(f"per-turn {label} at turns {', '.join(map(str, at))}",
                {"memchat": " / ".join(f"{v:.1f}" for v in at.values()) + f"  (last/50: {ratio:.2f})"},
                "<= 1.10", ratio <= 1.10, timed=key == "ttft_ms")
    return out


def render(rows: list[Figure]) -> str:
    width = max(len(r.name) for r in rows)
    lines = [f"{'figure':<{width}}  " + "  ".join(f"{s:<22}" for s in SYSTEMS) + "  target   result"]
    for row in rows:
        cells = "  ".join(f"{row.values.get(s, '-'):<22}" for s in SYSTEMS)
        verdict = "" if row.passed is None else ("pass" if row.passed else "FAIL")
        lines.append(f"{row.name:<{width}}  {cells}  {row.target:<8} {verdict}")
    checked = [r for r in rows if r.passed is not None]
    passed = sum(1 for r in checked if r.passed)
    lines.append(f"{passed} passed, {len(checked) - passed} failed")
    return "\n".join(lines)
