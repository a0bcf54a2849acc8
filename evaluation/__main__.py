"""`make eval`: the memory evaluation: the phrasing bank's parts, then the three systems on DynamoDB Local.

    python -m evaluation [--seed N] [--personas N] [--split dev|test] [--long-turns N] [--cost-turns N]
                         [--embedded N]

Prints the phrasing bank's scores (dev and test side by side, per subject), then recall by meaning with
100 memories (dev and test, per subject) and its time, then the three systems' figures side by side, then
`N passed, N failed` against the targets; exits 1 on a failure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

# The handlers' CloudWatch metric lines and info logs mean nothing here (set before memchat is imported).
os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")

from evaluation import phrasing_table, recall, recall_time
from evaluation.bank import SPLITS, examples
from evaluation.dataset import FILLER, personas
from evaluation.phrasing import evaluate
from evaluation.report import figures, render
from evaluation.scripted import ScriptedModel

TABLE = "memchat-eval-chat"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation", description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--personas", type=int, default=12)
    parser.add_argument("--long-turns", type=int, default=200)
    parser.add_argument("--cost-turns", type=int, default=500)
    parser.add_argument("--split", choices=SPLITS, default="test",
                        help="the half of the phrasing bank the personas state their facts in")
    parser.add_argument("--embedded", type=int, default=40,
                        help="bank messages for the embedded model, half from each half (0: skip it)")
    args = parser.parse_args(argv)

    from evaluation.harness import Harness, run_cost
    from memchat.settings import Settings
    from memchat.tables import create_tables
    from memchat_local.dynamodb import DEFAULT_DIR, DynamoDBLocal

    with tempfile.TemporaryDirectory(prefix="memchat-eval-") as scratch:
        local = DynamoDBLocal(jar_dir=DEFAULT_DIR, data_dir=Path(scratch) / "db", port=_free_port(),
                              log_path=Path(scratch) / "dynamodb.log")
        loop = asyncio.new_event_loop()  # one loop for the process's life: it owns the child
        loop.run_until_complete(local.start())
        try:
            client = local.client()
            settings = Settings(table_name=TABLE, connections_table_name="memchat-eval-connections",
                                rate_limit_per_minute=100_000)
            create_tables(client, chat_table_name=TABLE, connections_table_name=settings.connections_table_name)
            model = ScriptedModel(seed=args.seed, knows={e.text: e for e in examples(args.split)})
            harness = Harness(client, model, table_name=TABLE, base=settings)
            started = time.perf_counter()
            data = personas(args.seed, args.personas, split=args.split, long_turns=args.long_turns)
            for persona in data:
                harness.run_persona(persona)
            print(f"{args.personas} personas, {len(harness.results.turns)} turns in "
                  f"{time.perf_counter() - started:.0f} s (DynamoDB Local, scripted model, seed {args.seed}, facts "
                  f"in the bank's {args.split} half)")
            cost = None
            if args.cost_turns > 50:
                cost = run_cost(harness, marks=(2, 50, args.cost_turns), texts=FILLER)
            rows = figures(harness, cost=cost)
        finally:
            loop.run_until_complete(local.stop())
            loop.close()
    if args.embedded:
        from evaluation.embedded import local_endpoint

        with local_endpoint() as embedded_model:
            report = evaluate(seed=args.seed, embedded=embedded_model, limit=args.embedded)
    else:
        report = evaluate(seed=args.seed)
    note = f" ({args.embedded // len(SPLITS)} messages per half, spread over the subjects and traps)"
    print(phrasing_table.render(report, counts={split: len(examples(split)) for split in SPLITS},
                                embedded_note=note))
    print()
    scores = {split: recall.evaluate(split, seed=args.seed) for split in SPLITS}
    timing = recall_time.measure(seed=args.seed)
    print(recall.render(scores))
    print(recall_time.render(timing))
    print()
    rows += phrasing_table.figures(report) + recall.figures(scores) + recall_time.figures(timing)
    print(render(rows))
    return 0 if all(r.passed is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
