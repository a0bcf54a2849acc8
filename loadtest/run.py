"""The runner behind `make loadtest`: for each scenario a stack, a headless Locust run, then the run's report.

    python -m loadtest                                  every local scenario, each on its own fresh stack
    python -m loadtest replay-steps --reuse             use a `memchat dev` already running (if its mode fits)
    python -m loadtest --url wss://... --token-file F   a deployed stage (scenario `remote`)

Locust runs in a child process (it monkey-patches the whole interpreter with gevent); the report is
built here from the raw samples each Locust run writes.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from loadtest.client import ChatClient
from loadtest.report import write_report
from loadtest.scenarios import DEFAULT_LOCAL, DEFAULT_REMOTE, SCENARIOS, Scenario
from loadtest.stack import (
    CpuMeter,
    LocalTarget,
    StackError,
    StackProcess,
    endpoint_stats,
    is_loopback,
    machine_load,
    running_dev_stack,
)
from loadtest.tokens import LocalTokens

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
RESULTS = Path(__file__).with_name("results")
STOP_TIMEOUT = 30  # seconds Locust lets answers in flight finish when a run stops
PACKAGES = ("locust", "gevent", "websocket-client", "boto3", "matplotlib")


@dataclass(frozen=True)
class Target:
    """Where one scenario's load goes."""

    url: str
    endpoint_url: str | None
    data_dir: Path | None  # the local issuer's folder; None for a deployed stage
    kind: str  # "started" (a fresh local stack), "reused" (memchat dev already running), "given" (--url)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    remote = bool(args.url) and not is_loopback(args.url)
    names = args.scenarios or list(DEFAULT_REMOTE if remote else DEFAULT_LOCAL)
    unknown = [name for name in names if name not in SCENARIOS]
    if unknown:
        print(f"loadtest: unknown scenario {', '.join(unknown)}; known: {', '.join(SCENARIOS)}", file=sys.stderr)
        return 2
    if args.url and not remote and not args.data_dir and not args.token_file:
        print("loadtest: a local --url needs --data-dir (the stack's issuer) or --token-file", file=sys.stderr)
        return 2
    # A SIGTERM (a CI timeout, `kill`) ends the run as Ctrl-C does: Locust and the stack are stopped.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    run_name = args.run or datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    run_dir = args.results / run_name
    run_dir.mkdir(parents=True, exist_ok=True)
    failures = 0
    for name in names:
        scenario = SCENARIOS[name]
        print(f"loadtest: scenario {name}: {scenario.title}", flush=True)
        try:
            code = run_scenario(scenario, run_dir / name, args)
        except KeyboardInterrupt:
            print("loadtest: interrupted", file=sys.stderr)
            return 130
        failures += code != 0
    summary = write_report(run_dir)
    print(f"loadtest: report {summary}", flush=True)
    return 1 if failures else 0


def run_scenario(scenario: Scenario, out: Path, args: argparse.Namespace) -> int:
    out.mkdir(parents=True, exist_ok=True)
    stack: StackProcess | None = None
    meta: dict = {
        "scenario": scenario.name, "title": scenario.title, "notes": scenario.notes,
        "plan": _plan(scenario), "think_seconds": scenario.think,
        "direct_think_seconds": scenario.direct_think or scenario.think, "direct_users": scenario.direct_users,
        "max_new_tokens": scenario.max_new_tokens, "conversation_turns": scenario.conversation_turns,
        "warmup_seconds": scenario.warmup, "checks": list(scenario.checks), "versions": versions(),
    }
    try:
        target, stack = _target(scenario, out, args)
        meta["target"] = {"kind": target.kind, "local": target.data_dir is not None}
        if target.kind == "started":
            meta["stack_options"] = ["--model-mode", scenario.mode, "--model-server", args.model_server,
                                     *scenario.memchat_dev_options(),
                                     *(f"--set={setting}" for setting in args.settings)]
            meta["data_root"] = _filesystem(Path(args.data_root))
        stats_before = endpoint_stats(target.endpoint_url) if target.endpoint_url else None
        meta["model_mode"] = (stats_before or {}).get("mode") or ("deployed" if args.url else "unknown")
        meta["model"] = (stats_before or {}).get("model")
        if scenario.mode not in ("any", meta["model_mode"]):
            meta["skipped"] = f"the running stack's model is {meta['model_mode']}; this scenario needs {scenario.mode}"
            print(f"loadtest: {scenario.name} skipped: {meta['skipped']}", file=sys.stderr)
            return 0
        if target.data_dir is not None:
            warm_up(target)
        meta["endpoint_stats_before"] = stats_before
        meta["load_before"] = machine_load()
        meta["started"] = datetime.now(UTC).isoformat(timespec="seconds")
        started = time.monotonic()
        meter = CpuMeter().start()
        try:
            code = _locust(scenario, target, out, args)
        finally:
            meta["cpu"] = meter.stop()
        meta["seconds"] = round(time.monotonic() - started, 1)
        meta["locust_exit_code"] = code
        meta["load_after"] = machine_load()
        meta["endpoint_stats_after"] = endpoint_stats(target.endpoint_url) if target.endpoint_url else None
        return code
    finally:
        if stack is not None:
            stack.stop()
        (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def warm_up(target: Target) -> None:
    """One turn before the run, as a warm Lambda container would have had: the stack imports each handler
    and creates its clients on first use, and that cold start is not what the scenarios measure."""
    client = ChatClient(target.url, LocalTokens(target.data_dir).token(0, "loadtest-warm-up"))
    client.connect()
    try:
        result = client.turn("Hello! This is the load test warming up.", conversation_id=None)
        if result.error is not None:
            raise StackError(f"the warm-up turn failed: {result.error}")
    finally:
        client.close()


def _target(scenario: Scenario, out: Path, args: argparse.Namespace) -> tuple[Target, StackProcess | None]:
    if args.url:
        data_dir = Path(args.data_dir) if args.data_dir else None
        return Target(args.url, args.endpoint_url or None, data_dir, "given"), None
    if args.reuse:
        running = running_dev_stack(Path(args.data_dir or ".data"))
        if running is not None:
            local, stats = running
            if stats.get("mode") == scenario.mode:
                print(f"loadtest: using the memchat dev running at {local.url} ({stats.get('mode')})", flush=True)
                return Target(local.url, local.endpoint_url, local.data_dir, "reused"), None
    data_dir = Path(tempfile.mkdtemp(prefix=f"memchat-loadtest-{scenario.name}-", dir=args.data_root))
    options = [*scenario.memchat_dev_options(), "--model-server", args.model_server,
               *(f"--set={setting}" for setting in args.settings)]
    stack = StackProcess(data_dir, scenario.mode, options, log_path=out / "stack.log", remove_data=True)
    print(f"loadtest: starting memchat dev ({scenario.mode})", flush=True)
    local: LocalTarget = stack.start()
    return Target(local.url, local.endpoint_url, local.data_dir, "started"), stack


def _locust(scenario: Scenario, target: Target, out: Path, args: argparse.Namespace) -> int:
    command = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", target.url,
        "--only-summary", "--stop-timeout", str(STOP_TIMEOUT), "--exit-code-on-error", "0", "--loglevel", "WARNING",
        "--html", str(out / "report.html"), "--csv", str(out / "locust"), "--samples", str(out / "samples.csv"),
        "--run-id", f"lt-{out.parent.name}-{scenario.name}", *scenario.locust_options(),
    ]
    users = list(scenario.users)
    if args.endpoint_name and "DirectUser" not in users:  # a deployed stage's baseline, when asked for
        command += ["--direct-users", "1"]
        users.append("DirectUser")
    command += users
    command += ["--model-server", args.model_server]
    if target.endpoint_url:
        command += ["--endpoint-url", target.endpoint_url]
    if args.endpoint_name:
        command += ["--endpoint-name", args.endpoint_name]
    if target.data_dir is not None:
        command += ["--data-dir", str(target.data_dir)]
    if args.token_file:
        command += ["--token-file", args.token_file]
    if args.url and not is_loopback(args.url):
        command += ["--allow-remote"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path.cwd()), os.environ.get("PYTHONPATH", "")])}
    limit = scenario.seconds + STOP_TIMEOUT + 120  # a hard stop, whatever happens inside Locust
    with (out / "locust.log").open("w", encoding="utf-8") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
        try:
            return process.wait(limit)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            print(f"loadtest: {scenario.name}: Locust overran {limit:.0f} s and was stopped", file=sys.stderr)
            return 1
        except BaseException:  # interrupted: Locust goes with us
            process.kill()
            process.wait()
            raise


def _plan(scenario: Scenario) -> dict:
    plan = scenario.plan
    if hasattr(plan, "stages"):
        return {"shape": "steps", "stages": [[stage.users, stage.seconds] for stage in plan.stages],
                "spawn_rate": plan.spawn_rate, "max_turns": scenario.max_turns}
    return {"shape": "poisson", "rate": plan.rate, "seconds": plan.seconds, "pool_users": plan.pool_users,
            "seed": plan.seed, "max_turns": scenario.max_turns}


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in PACKAGES:
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            found[package] = "missing"
    return found


def _filesystem(path: Path) -> str:
    """'tmpfs' or 'disk': DynamoDB Local's write latency depends on it (it syncs each write to its file)."""
    try:
        with open("/proc/mounts", encoding="utf-8") as mounts:
            best = ("", "")
            resolved = str(path.resolve())
            for line in mounts:
                _, mount_point, kind, *_ = line.split()
                if resolved.startswith(mount_point) and len(mount_point) > len(best[0]):
                    best = (mount_point, kind)
        return "tmpfs" if best[1] == "tmpfs" else "disk"
    except OSError:
        return "unknown"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m loadtest", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenarios", nargs="*", help=f"default: {' '.join(DEFAULT_LOCAL)} (local), "
                                                     f"{' '.join(DEFAULT_REMOTE)} (--url)")
    parser.add_argument("--url", default=os.environ.get("WS_URL", ""), help="the WebSocket API (default: local stacks)")
    parser.add_argument("--token-file", default="", help="tokens for --url, one a line (or MEMCHAT_LOADTEST_TOKENS)")
    parser.add_argument("--endpoint-url", default="", help="with --url on loopback: the model endpoint beside it")
    parser.add_argument("--endpoint-name", default="", help="with --url: a SageMaker endpoint for the baseline")
    parser.add_argument("--data-dir", default="", help="the running stack's data folder (its token issuer)")
    parser.add_argument("--reuse", action="store_true", help="use a memchat dev already on the default ports")
    parser.add_argument("--model-server", choices=("tgi", "vllm"), default="tgi",
                        help="the model server a started stack's endpoint stands for (or a deployed stage runs): "
                        "its wire format, which the baseline's client reads as the backend does")
    parser.add_argument("--data-root", default=tempfile.gettempdir(),
                        help="where started stacks keep their data (a fresh folder each, removed afterwards)")
    parser.add_argument("--set", action="append", default=[], metavar="MEMCHAT_NAME=VALUE", dest="settings",
                        help="a backend setting for the stacks started here (a what-if run), repeatable")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--run", default="", help="the results folder's name (default: the time)")
    return parser


if __name__ == "__main__":
    sys.exit(main())
