"""The `memchat` command: `dev` runs the local stack, `token USER` prints a token, `chat` chats."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path

from memchat_local.issuer import LocalIssuer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="memchat", description="memchat's local stack and terminal client.")
    commands = parser.add_subparsers(dest="command", required=True)

    dev = commands.add_parser("dev", help="run the whole stack locally until Ctrl-C")
    dev.add_argument("--host", default="127.0.0.1")
    dev.add_argument("--port", type=int, default=8765, help="the WebSocket gateway's port")
    dev.add_argument("--dynamodb-port", type=int, default=8766)
    dev.add_argument("--endpoint-port", type=int, default=8767)
    dev.add_argument("--data-dir", type=Path, default=Path(".data"), help="where chats and keys persist")
    dev.add_argument("--dynamodb-dir", type=Path, default=None, help="the unpacked DynamoDB Local")
    dev.add_argument("--model", type=Path, default=None, help="a GGUF file (default: the embedded SmolLM2)")
    dev.add_argument("--model-mode", choices=("llama", "replay"), default="llama",
                     help="replay: the load-test mode, generated text at a set pace instead of the model")
    dev.add_argument("--model-server", choices=("tgi", "vllm"), default="tgi",
                     help="the model container to stand for: its wire format and errors, read by the backend as in AWS")
    dev.add_argument("--replay-ttft-ms", type=float, default=150.0)
    dev.add_argument("--replay-tokens-per-second", type=float, default=60.0)
    dev.add_argument("--idle-timeout", type=float, default=600.0, help="seconds (API Gateway: 600)")
    dev.add_argument("--sweep-interval", type=float, default=5.0, metavar="SECONDS",
                     help="how often answers whose worker is gone are ended (AWS: every minute)")
    dev.add_argument("--wake-seconds", type=float, default=0.0, metavar="N",
                     help="start the model scaled to zero, as the night schedule leaves it: answers wait while it "
                          "wakes, N seconds after the backend's scale-out call (0: always up)")
    dev.add_argument("--worker-processes", type=int, default=2, metavar="N",
                     help="processes running the generation worker, as Lambda runs it apart (0: in the gateway)")
    dev.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                     help="override a backend setting, e.g. --set MEMCHAT_RATE_LIMIT_PER_MINUTE=1000")

    token = commands.add_parser("token", help="print a token for a development user")
    token.add_argument("user")
    token.add_argument("--data-dir", type=Path, default=Path(".data"))

    chat = commands.add_parser("chat", help="chat in the terminal")
    chat.add_argument("--url", default=os.environ.get("MEMCHAT_URL", "ws://127.0.0.1:8765"))
    chat.add_argument("--user", default=os.environ.get("USER") or "developer")
    chat.add_argument("--token", default=None, help="a JWT (default: minted by the local issuer)")
    chat.add_argument("--data-dir", type=Path, default=Path(".data"))

    args = parser.parse_args(argv)
    if args.command == "token":
        try:
            print(LocalIssuer(args.data_dir).token(args.user))
        except ValueError as exc:
            parser.error(str(exc))
        return 0
    if args.command == "chat":
        from memchat_local.terminal import Terminal

        token_value = args.token or LocalIssuer(args.data_dir).token(args.user)
        return Terminal(args.url, token_value).run()
    return _dev(args)


def _dev(args: argparse.Namespace) -> int:
    from memchat_local.dynamodb import DEFAULT_DIR
    from memchat_local.stack import StackOptions, run

    overrides = {}
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep or not name.startswith(("MEMCHAT_", "POWERTOOLS_")):
            print(f"memchat: --set takes MEMCHAT_NAME=VALUE, not {item!r}", file=sys.stderr)
            return 2
        overrides[name] = value
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    options = StackOptions(
        host=args.host, port=args.port, dynamodb_port=args.dynamodb_port, endpoint_port=args.endpoint_port,
        data_dir=args.data_dir, dynamodb_dir=args.dynamodb_dir or DEFAULT_DIR, model_mode=args.model_mode,
        model_server=args.model_server,
        model_path=args.model, replay_ttft_ms=args.replay_ttft_ms,
        replay_tokens_per_second=args.replay_tokens_per_second, idle_timeout=args.idle_timeout,
        worker_processes=args.worker_processes, settings=overrides, sweep_interval=args.sweep_interval,
        wake_seconds=args.wake_seconds,
    )
    try:
        asyncio.run(run(options))
    except RuntimeError as exc:
        print(f"memchat: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
