"""The phrasing bank's scores as text, dev and test side by side per subject, and the figures held to
the issue's targets on the test half (they join `make eval`'s pass/fail count)."""

from __future__ import annotations

from evaluation.bank import SPLITS, SUBJECTS
from evaluation.phrasing import ORACLE_SUBJECTS, ModelRun, OracleScore, PhrasingReport, Score
from evaluation.report import Figure, pct

WIDTH = 18


def _ratio(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}% ({part}/{whole})" if whole else "-"


def _row(label: str, cells: list[str]) -> str:
    return f"{label:<14}" + "".join(f"{c:<{WIDTH}}" for c in cells)


def _scores(title: str, scores: dict[str, Score], *, alone: dict[str, Score] | None = None) -> list[str]:
    lines = [title, _row("subject", [f"{s} {m}" for s in scores for m in ("precision", "recall")])]
    for subject in (*SUBJECTS, "all"):
        cells = []
        for score in scores.values():
            tally = score.total() if subject == "all" else score.tallies.get(subject)
            cells += [_ratio(tally.correct, tally.kept) if tally else "-",
                      _ratio(tally.found, tally.golds) if tally else "-"]
        lines.append(_row(subject, cells))
    if alone:
        lines.append(_row("model alone", [c for s in alone.values() for c in
                                          (_ratio(s.total().correct, s.total().kept),
                                           _ratio(s.total().found, s.total().golds))]))
    lines.append(_row("traps learnt", [c for s in scores.values() for c in (_ratio(s.traps_learnt, s.traps), "")]))
    lines.append(_row("never-stated", [c for s in scores.values() for c in (str(s.unstated), "")]))
    kinds = sorted({k for s in scores.values() for k in s.learnt_by_kind})
    if kinds:
        lines.append("  traps learnt by kind: " + "; ".join(
            f"{kind} " + " / ".join(str(s.learnt_by_kind.get(kind, 0)) for s in scores.values()) for kind in kinds))
    return lines


def _oracle(scores: dict[str, OracleScore]) -> list[str]:
    lines = ["(b) validation given oracle proposals: validate(gold proposal, message), kept / golds "
             "(notes are never the model's to propose)",
             _row("subject", [f"{s} kept" for s in scores])]
    for subject in ORACLE_SUBJECTS:
        lines.append(_row(subject, [_ratio(o.kept[subject], o.golds[subject]) for o in scores.values()]))
    lines.append(_row("all", [_ratio(sum(o.kept.values()), sum(o.golds.values())) for o in scores.values()]))
    lines.append(_row("traps learnt", [_ratio(o.traps_learnt, o.tempting) for o in scores.values()]))
    lines.append(_row("never-stated", [str(o.unstated) for o in scores.values()]))
    kinds = sorted({k for o in scores.values() for k in o.learnt_by_kind})
    if kinds:
        lines.append("  tempting proposals kept, by kind: " + "; ".join(
            f"{kind} " + " / ".join(str(o.learnt_by_kind.get(kind, 0)) for o in scores.values()) for kind in kinds))
    return lines


def _runs(runs: dict[str, ModelRun]) -> tuple[dict[str, Score], dict[str, Score]]:
    return {s: r.kept for s, r in runs.items()}, {s: r.alone for s, r in runs.items()}


def render(report: PhrasingReport, *, counts: dict[str, int], embedded_note: str = "") -> str:
    head = ", ".join(f"{split} {counts[split]} messages" for split in SPLITS if split in counts)
    lines = [f"Phrasing bank ({head}): per subject, dev and test side by side", ""]
    lines += _scores("(a) rules alone: the model-free floor (extraction.floor, or stated + remembered), "
                     "validated as the digest does", report.rules)
    lines += ["", *_oracle(report.oracle)]
    if report.scripted:
        kept, alone = _runs(report.scripted)
        lines += ["", *_scores("(c) scripted model end to end (proposes each gold but one in five, a trap's "
                               "tempting value one in two), through the digest's path", kept, alone=alone)]
    if report.embedded:
        kept, alone = _runs(report.embedded)
        lines += ["", *_scores(f"(d) embedded SmolLM2-135M end to end{embedded_note}", kept, alone=alone)]
    return "\n".join(lines)


def figures(report: PhrasingReport) -> list[Figure]:
    """The issue's targets on the test half (recall on the dev half too, end to end)."""
    out = []
    oracle = report.oracle["test"]
    kept, golds = sum(oracle.kept.values()), sum(oracle.golds.values())
    out.append(Figure("phrasing, test half: oracle proposals kept by validation", {"memchat": pct(kept, golds)},
                      ">= 98%", golds > 0 and kept / golds >= 0.98))
    out.append(Figure("phrasing, test half: traps learnt (oracle / rules alone)",
                      {"memchat": f"{oracle.traps_learnt} / {report.rules['test'].traps_learnt}"}, "0",
                      oracle.traps_learnt == 0 and report.rules["test"].traps_learnt == 0))
    out.append(Figure("phrasing, test half: never-stated values kept (oracle / rules alone)",
                      {"memchat": f"{oracle.unstated} / {report.rules['test'].unstated}"}, "0",
                      oracle.unstated == 0 and report.rules["test"].unstated == 0))
    if report.embedded:
        for split, floor in (("test", 0.85), ("dev", 0.90)):
            total = report.embedded[split].kept.total()
            out.append(Figure(f"phrasing, {split} half: embedded model end to end, recall",
                              {"memchat": pct(total.found, total.golds)}, f">= {floor:.0%}",
                              total.golds > 0 and total.found / total.golds >= floor))
        total = report.embedded["test"].kept.total()
        out.append(Figure("phrasing, test half: embedded model end to end, precision",
                          {"memchat": pct(total.correct, total.kept)}, ">= 98%",
                          total.kept > 0 and total.correct / total.kept >= 0.98))
    return out
