"""A run's summary, from the raw samples only: figures per load stage, the latency targets, Markdown and a PNG.

Definitions (docs/loadtest.md explains them):

- backend overhead at percentile p = chat TTFT p minus direct TTFT p, measured side by side in one run;
- delivered tokens/s = (output tokens - 1) / (first text delta to done), per chat answer; the model's
  own pace is the same ratio over the baseline's stream (first token to the end); both are medians;
- per-turn backend time = chat TTFT minus direct TTFT (medians) at the same turns of equally long
  conversations.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from loadtest.samples import (
    ACK,
    ANSWER,
    ARRIVAL_LAG,
    CONNECT,
    DIRECT_ANSWER,
    DIRECT_STREAM,
    DIRECT_TTFT,
    GAP,
    STREAM,
    TTFT,
    Sample,
    Summary,
    read_samples,
)

PHASES = (CONNECT, ACK, TTFT, GAP, ANSWER, STREAM, DIRECT_TTFT, DIRECT_ANSWER, DIRECT_STREAM, ARRIVAL_LAG)
LLAMA_RATIO_MAX = 1.15
OVERHEAD_P50_MAX = 15.0
OVERHEAD_P99_MAX = 60.0
DELIVERY_MIN = 0.95
TURN_GROWTH_MAX = 1.10
TURN_BUCKET = 5  # turns 1-5 against the last five, besides turn 1 against the last turn


@dataclass(frozen=True)
class Scenario:
    name: str
    meta: dict
    samples: list[Sample]

    @property
    def warmup(self) -> float:
        return float(self.meta.get("warmup_seconds", 0.0))

    def steady(self) -> list[Sample]:
        """Samples that started once their load stage had settled (not after the plan ended, stage 0)."""
        return [s for s in self.samples if s.stage > 0 and s.stage_age >= self.warmup]


def load_run(run_dir: Path) -> list[Scenario]:
    scenarios = []
    for meta_path in sorted(run_dir.glob("*/meta.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        samples_path = meta_path.with_name("samples.csv")
        samples = read_samples(samples_path) if samples_path.exists() else []
        scenarios.append(Scenario(meta_path.parent.name, meta, samples))
    return scenarios


# ---------------------------------------------------------------- figures


def ok_values(samples: list[Sample], phase: str) -> list[float]:
    return [s.ms for s in samples if s.phase == phase and not s.failed]


def overhead(chat: Summary | None, direct: Summary | None) -> dict[str, float] | None:
    if chat is None or direct is None:
        return None
    return {"p50": chat.p50 - direct.p50, "p95": chat.p95 - direct.p95, "p99": chat.p99 - direct.p99}


@dataclass(frozen=True)
class Delivery:
    delivered: float  # tokens/s, median over chat answers
    emitted: float  # tokens/s, median over the baseline's streams
    answers: int

    @property
    def ratio(self) -> float:
        return self.delivered / self.emitted


def _rate(sample: Sample) -> float | None:
    if sample.failed or sample.tokens < 2 or sample.ms <= 0:
        return None
    return (sample.tokens - 1) / (sample.ms / 1000)


def delivery(samples: list[Sample]) -> Delivery | None:
    chat = [r for s in samples if s.phase == STREAM and (r := _rate(s)) is not None]
    direct = [r for s in samples if s.phase == DIRECT_STREAM and (r := _rate(s)) is not None]
    if not chat or not direct:
        return None
    return Delivery(median(chat), median(direct), len(chat))


@dataclass(frozen=True)
class StageFigures:
    users: int
    ttft: Summary | None
    direct_ttft: Summary | None
    ack: Summary | None
    gap: Summary | None
    answers: int
    failures: int
    turns_per_second: float
    delivery: Delivery | None

    @property
    def overhead(self) -> dict[str, float] | None:
        return overhead(self.ttft, self.direct_ttft)


def stage_figures(samples: list[Sample]) -> list[StageFigures]:
    by_stage: dict[int, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_stage[sample.stage].append(sample)
    figures = []
    for users in sorted(by_stage):
        group = by_stage[users]
        answers = [s for s in group if s.phase == ANSWER and not s.failed]
        span = (max(s.t for s in group) - min(s.t for s in group)) if len(group) > 1 else 0.0
        figures.append(StageFigures(
            users=users,
            ttft=Summary.of(ok_values(group, TTFT)),
            direct_ttft=Summary.of(ok_values(group, DIRECT_TTFT)),
            ack=Summary.of(ok_values(group, ACK)),
            gap=Summary.of(ok_values(group, GAP)),
            answers=len(answers),
            failures=sum(1 for s in group if s.failed),
            turns_per_second=len(answers) / span if span > 0 else 0.0,
            delivery=delivery(group),
        ))
    return figures


@dataclass(frozen=True)
class TurnFigures:
    first: tuple[int, int]  # the turn range compared, inclusive
    last: tuple[int, int]
    chat_first: float  # median chat TTFT, ms
    chat_last: float
    direct_first: float  # median direct TTFT, ms
    direct_last: float
    ack_first: float
    ack_last: float
    samples_first: int
    samples_last: int

    @property
    def backend_first(self) -> float:
        return self.chat_first - self.direct_first

    @property
    def backend_last(self) -> float:
        return self.chat_last - self.direct_last

    @property
    def growth(self) -> float:
        return self.backend_last / self.backend_first


def turn_figures(samples: list[Sample], first: tuple[int, int], last: tuple[int, int]) -> TurnFigures | None:
    def pick(phase: str, turns: tuple[int, int]) -> list[float]:
        return [s.ms for s in samples if s.phase == phase and not s.failed and turns[0] <= s.turn <= turns[1]]

    columns = {(phase, turns): pick(phase, turns) for phase in (TTFT, DIRECT_TTFT, ACK) for turns in (first, last)}
    if not all(columns.values()):
        return None
    return TurnFigures(
        first=first, last=last,
        chat_first=median(columns[TTFT, first]), chat_last=median(columns[TTFT, last]),
        direct_first=median(columns[DIRECT_TTFT, first]), direct_last=median(columns[DIRECT_TTFT, last]),
        ack_first=median(columns[ACK, first]), ack_last=median(columns[ACK, last]),
        samples_first=len(columns[TTFT, first]), samples_last=len(columns[TTFT, last]),
    )


def ttft_by_turn(samples: list[Sample]) -> dict[int, tuple[float, float | None]]:
    """Median chat TTFT and median direct TTFT at each turn number."""
    chat: dict[int, list[float]] = defaultdict(list)
    direct: dict[int, list[float]] = defaultdict(list)
    for s in samples:
        if s.failed:
            continue
        if s.phase == TTFT:
            chat[s.turn].append(s.ms)
        elif s.phase == DIRECT_TTFT:
            direct[s.turn].append(s.ms)
    return {turn: (median(chat[turn]), median(direct[turn]) if direct.get(turn) else None) for turn in sorted(chat)}


# ---------------------------------------------------------------- targets


@dataclass(frozen=True)
class Check:
    target: str
    scenario: str
    measured: str
    goal: str
    met: bool | None  # None: not measured


def checks(scenario: Scenario) -> list[Check]:
    wanted = scenario.meta.get("checks", [])
    steady = scenario.steady()
    stages = stage_figures(steady)
    top = stages[-1] if stages else None
    found: list[Check] = []
    name = scenario.name
    if "llama_ratio" in wanted:
        chat, direct = Summary.of(ok_values(steady, TTFT)), Summary.of(ok_values(steady, DIRECT_TTFT))
        if chat and direct:
            ratio = chat.p50 / direct.p50
            found.append(Check("chat TTFT p50 / direct TTFT p50", name,
                               f"{ratio:.3f} ({chat.p50:.0f} / {direct.p50:.0f} ms)", f"<= {LLAMA_RATIO_MAX}",
                               ratio <= LLAMA_RATIO_MAX))
    if "overhead" in wanted and top is not None:
        figures = top.overhead
        at = f"{top.users} users"
        if figures:
            found.append(Check(f"backend overhead p50 at {at}", name, f"{figures['p50']:.1f} ms",
                               f"< {OVERHEAD_P50_MAX:.0f} ms", figures["p50"] < OVERHEAD_P50_MAX))
            found.append(Check(f"backend overhead p99 at {at}", name, f"{figures['p99']:.1f} ms",
                               f"< {OVERHEAD_P99_MAX:.0f} ms", figures["p99"] < OVERHEAD_P99_MAX))
        if "delivery" in wanted and top.delivery:
            d = top.delivery
            found.append(Check(f"delivered / emitted tokens/s at {at}", name,
                               f"{d.ratio:.3f} ({d.delivered:.1f} / {d.emitted:.1f})", f">= {DELIVERY_MIN}",
                               d.ratio >= DELIVERY_MIN))
    if "errors" in wanted:
        failures = sum(1 for s in scenario.samples if s.failed)
        found.append(Check("errors (whole run)", name, str(failures), "0", failures == 0))
    if "turns" in wanted:
        turns = int(scenario.meta.get("conversation_turns") or 0)
        for first, last in (((1, 1), (turns, turns)),
                            ((1, TURN_BUCKET), (turns - TURN_BUCKET + 1, turns))):
            figures = turn_figures(scenario.samples, first, last)
            if figures is None:
                continue
            found.append(Check(
                f"per-turn backend time, turns {_range(last)} / turns {_range(first)}", name,
                f"{figures.growth:.3f} ({figures.backend_last:.1f} / {figures.backend_first:.1f} ms)",
                f"<= {TURN_GROWTH_MAX}", figures.growth <= TURN_GROWTH_MAX,
            ))
    return found


def _range(turns: tuple[int, int]) -> str:
    return str(turns[0]) if turns[0] == turns[1] else f"{turns[0]}-{turns[1]}"


# ---------------------------------------------------------------- Markdown


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _summary_row(label: str, summary: Summary | None, failures: int = 0) -> str:
    if summary is None:
        return f"| {label} | 0 | {failures} | | | | |"
    return (f"| {label} | {summary.count} | {failures} | {_ms(summary.p50)} | {_ms(summary.p95)} | "
            f"{_ms(summary.p99)} | {_ms(summary.max)} |")


def scenario_markdown(scenario: Scenario) -> list[str]:
    meta = scenario.meta
    lines = [f"## {scenario.name}: {meta.get('title', '')}", ""]
    if meta.get("skipped"):
        return [*lines, f"Skipped: {meta['skipped']}.", ""]
    load_before, load_after = meta.get("load_before") or {}, meta.get("load_after") or {}
    lines += [
        f"- model mode: **{meta.get('model_mode')}** (model `{meta.get('model')}`, read from the endpoint's /stats)",
        f"- target: {(meta.get('target') or {}).get('kind')} stack"
        + (f", data on {meta['data_root']}" if meta.get("data_root") else "")
        + (f"; `memchat dev {' '.join(meta['stack_options'])}`" if meta.get("stack_options") else ""),
        f"- load: {json.dumps(meta.get('plan'))}; think time {meta.get('think_seconds')} s; "
        f"{meta.get('direct_users')} baseline users (think {meta.get('direct_think_seconds')} s); "
        f"max new tokens {meta.get('max_new_tokens')}"
        + (f"; conversations of {meta['conversation_turns']} turns" if meta.get("conversation_turns") else ""),
        f"- machine load (1-min average, {load_before.get('cpus')} CPUs): {load_before.get('load1')} before, "
        f"{load_after.get('load1')} after; ran {meta.get('seconds')} s; "
        f"Locust exit code {meta.get('locust_exit_code')}",
        f"- figures leave out the first {scenario.warmup:g} s of each stage",
    ]
    cpu = meta.get("cpu")
    if cpu:
        lines.append(f"- CPU during the run: the machine {cpu['machine_busy_pct']:.0f}% of {cpu['cpus'] * 100}%, "
                     f"this run (stack and Locust) {cpu['this_run_pct']:.0f}%, other work on the machine "
                     f"{cpu['others_pct']:.0f}%")
        if cpu.get("parts_pct"):
            lines.append("- CPU of this run by part: " + ", ".join(
                f"{part} {pct:.0f}%" for part, pct in cpu["parts_pct"].items() if pct >= 0.5))
    if meta.get("notes"):
        lines.append(f"- {meta['notes']}")
    steady = scenario.steady()
    lines += ["", "| chat users | answers | answers/s | failures | ack p50 | chat TTFT p50 / p95 / p99 | "
                  "direct TTFT p50 / p95 / p99 | overhead p50 / p95 / p99 | gap p99 | delivered / emitted tok/s |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for stage in stage_figures(steady):
        o = stage.overhead
        t, d = stage.ttft, stage.direct_ttft
        lines.append(
            f"| {stage.users} | {stage.answers} | {stage.turns_per_second:.1f} | {stage.failures} | "
            f"{_ms(stage.ack.p50 if stage.ack else None)} | "
            + (f"{t.p50:.1f} / {t.p95:.1f} / {t.p99:.1f}" if t else "") + " | "
            + (f"{d.p50:.1f} / {d.p95:.1f} / {d.p99:.1f}" if d else "") + " | "
            + (f"{o['p50']:.1f} / {o['p95']:.1f} / {o['p99']:.1f}" if o else "") + " | "
            + f"{_ms(stage.gap.p99 if stage.gap else None)} | "
            + (f"{stage.delivery.delivered:.1f} / {stage.delivery.emitted:.1f}" if stage.delivery else "") + " |"
        )
    failures = Counter(s.phase for s in steady if s.failed)
    lines += ["", "Every phase, all stages together (ms, exact percentiles of the raw samples):", "",
              "| phase | count | failures | p50 | p95 | p99 | max |", "|---|---|---|---|---|---|---|"]
    for phase in PHASES:
        summary = Summary.of(ok_values(steady, phase))
        if summary is not None:
            lines.append(_summary_row(phase, summary, failures.get(phase, 0)))
    codes = Counter(s.code for s in scenario.samples if s.failed)
    lines += ["", "Errors by code (whole run): " + (", ".join(f"`{c}` {n}" for c, n in codes.most_common())
                                                     if codes else "none") + "."]
    if meta.get("conversation_turns"):
        lines += ["", "Median TTFT by turn (ms):", "", "| turn | chat | direct | chat - direct |", "|---|---|---|---|"]
        for turn, (chat, direct) in ttft_by_turn(scenario.samples).items():
            if turn <= TURN_BUCKET or turn % 10 == 0 or turn > meta["conversation_turns"] - TURN_BUCKET:
                diff = "" if direct is None else f"{chat - direct:.1f}"
                lines.append(f"| {turn} | {chat:.1f} | {_ms(direct)} | {diff} |")
    after = meta.get("endpoint_stats_after")
    if after:
        lines += ["", f"The endpoint's own TTFT (/stats, its last 1,000 requests, chat and baseline): "
                      f"p50 {after['ttft_ms'].get('p50')} ms, p95 {after['ttft_ms'].get('p95')} ms "
                      f"over {after.get('count')} requests since it started."]
    lines += ["", f"Files: [{scenario.name}/report.html]({scenario.name}/report.html) (Locust), "
                  f"[{scenario.name}/samples.csv]({scenario.name}/samples.csv) (raw samples), "
                  f"{scenario.name}/locust_stats.csv, {scenario.name}/meta.json.", ""]
    return lines


def render(run_name: str, scenarios: list[Scenario], plot_name: str | None) -> str:
    lines = [f"# memchat load test: run {run_name}", ""]
    versions = next((s.meta.get("versions") for s in scenarios if s.meta.get("versions")), {})
    if versions:
        lines += ["Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()) + ".", ""]
    found = [check for scenario in scenarios for check in checks(scenario)]
    if found:
        lines += ["## Targets", "", "| target | scenario | measured | goal | met |", "|---|---|---|---|---|"]
        for c in found:
            met = "n/a" if c.met is None else ("yes" if c.met else "**no**")
            lines.append(f"| {c.target} | {c.scenario} | {c.measured} | {c.goal} | {met} |")
        lines.append("")
    if plot_name:
        lines += [f"![percentiles against concurrency]({plot_name})", ""]
    for scenario in scenarios:
        lines += scenario_markdown(scenario)
    return "\n".join(lines)


# ---------------------------------------------------------------- the plot


def plot(scenarios: list[Scenario], path: Path) -> bool:
    """TTFT and overhead percentiles against concurrency, and TTFT by turn; False when there is nothing to draw.

    The concurrency panels show the replay-model scenarios only: the embedded model's TTFT is its queue,
    seconds long, and would flatten every other line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    staged = []
    for scenario in scenarios:
        if scenario.meta.get("conversation_turns") or scenario.meta.get("model_mode") == "llama":
            continue
        figures = [f for f in stage_figures(scenario.steady()) if f.ttft is not None]
        if figures:
            staged.append((scenario, figures))
    turned = [s for s in scenarios if s.meta.get("conversation_turns") and s.samples]
    panels = (2 if staged else 0) + (1 if turned else 0)
    if panels == 0:
        return False
    figure, axes = plt.subplots(1, panels, figsize=(6.5 * panels, 5), squeeze=False)
    column = 0
    if staged:
        ttft_axis, overhead_axis = axes[0][0], axes[0][1]
        for index, (scenario, figures) in enumerate(staged):
            color = f"C{index}"
            users = [f.users for f in figures]
            marker = "o" if len(figures) > 1 else "s"
            for key, style in (("p50", "-"), ("p99", ":")):
                ttft_axis.plot(users, [getattr(f.ttft, key) for f in figures], style, marker=marker, color=color,
                               label=f"{scenario.name} chat {key}")
                over = [max(1.0, f.overhead[key]) if f.overhead else None for f in figures]
                overhead_axis.plot(users, over, style, marker=marker, color=color, label=f"{scenario.name} {key}")
            direct = [f.direct_ttft.p50 if f.direct_ttft else None for f in figures]
            ttft_axis.plot(users, direct, "--", color=color, alpha=0.5, label=f"{scenario.name} direct p50")
        ttft_axis.set(title="Time to first token (replay model)", xlabel="concurrent chat users", ylabel="ms",
                      yscale="log")
        overhead_axis.axhline(OVERHEAD_P50_MAX, color="green", linestyle="-.", linewidth=1, label="p50 target")
        overhead_axis.axhline(OVERHEAD_P99_MAX, color="red", linestyle="-.", linewidth=1, label="p99 target")
        overhead_axis.set(title="Backend overhead: chat TTFT - direct TTFT", xlabel="concurrent chat users",
                          ylabel="ms", yscale="log")
        for axis in (ttft_axis, overhead_axis):
            axis.grid(alpha=0.3, which="both")
            axis.legend(fontsize=7)
        column = 2
    if turned:
        axis = axes[0][column]
        for scenario in turned:
            by_turn = ttft_by_turn(scenario.samples)
            turns = list(by_turn)
            axis.plot(turns, [chat for chat, _ in by_turn.values()], "-o", markersize=3,
                      label=f"{scenario.name} chat TTFT p50")
            axis.plot(turns, [direct for _, direct in by_turn.values()], "--", label=f"{scenario.name} direct p50")
        axis.set(title="TTFT by turn of a conversation", xlabel="turn", ylabel="ms")
        axis.grid(alpha=0.3)
        axis.legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return True


def write_report(run_dir: Path) -> Path:
    """Write summary.md (and percentiles.png) for a run folder; returns the summary's path."""
    scenarios = load_run(run_dir)
    plot_path = run_dir / "percentiles.png"
    drawn = plot(scenarios, plot_path)
    summary = run_dir / "summary.md"
    summary.write_text(render(run_dir.name, scenarios, plot_path.name if drawn else None), encoding="utf-8")
    return summary


__all__ = ["Check", "Delivery", "StageFigures", "TurnFigures", "checks", "delivery", "load_run", "overhead",
           "render", "stage_figures", "turn_figures", "write_report"]
