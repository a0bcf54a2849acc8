"""The wake, measured: `python -m memchat_local.wake` starts `memchat dev --wake-seconds N` (the embedded model,
`make dev`'s settings) and prints what a user who sends the first message of the morning receives, and when:
the ack, each `waking` frame with its estimate, the first token and the end. Then a second message, to the
model now awake, for comparison. Figures, not assertions: run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from pathlib import Path

from memchat.frames import Ack, Delta, Done, ErrorFrame, SendMessage, Waking
from memchat_local.harness import Client, LocalStack


def _turn(client: Client, text: str, conversation_id: str | None, timeout: float) -> tuple[list[str], str | None]:
    """Send one message and print each frame's arrival (seconds after sending); the timeline's lines and the
    conversation's id."""
    lines: list[str] = []
    sent = time.perf_counter()
    client.send(SendMessage(action="sendMessage", conversation_id=conversation_id, client_message_id=uuid.uuid4(),
                            text=text))
    first_token: float | None = None
    tokens = 0
    while True:
        frame = client.receive(timeout)
        at = time.perf_counter() - sent
        match frame:
            case Ack():
                conversation_id = frame.conversation_id
                lines.append(f"{at:7.2f} s  ack")
            case Waking():
                lines.append(f"{at:7.2f} s  waking: readyInSeconds {frame.ready_in_seconds}, "
                             f"waitedSeconds {frame.waited_seconds}")
            case Delta():
                tokens += 1
                if first_token is None:
                    first_token = at
                    lines.append(f"{at:7.2f} s  first token (time from the message to the first token)")
            case Done():
                lines.append(f"{at:7.2f} s  done ({frame.finish_reason}, {tokens} deltas)")
                return lines, conversation_id
            case ErrorFrame():
                lines.append(f"{at:7.2f} s  error {frame.code}: {frame.message}")
                return lines, conversation_id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m memchat_local.wake", description=__doc__.split("\n")[0])
    parser.add_argument("--wake-seconds", type=float, default=60.0, help="how long the endpoint takes to wake")
    parser.add_argument("--mode", choices=("llama", "replay"), default="llama")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="memchat-wake-") as data:
        stack = LocalStack(Path(data), mode=args.mode, extra=("--wake-seconds", str(args.wake_seconds)))
        stack.start()
        try:
            client = stack.connect("morning")
            timeout = args.wake_seconds + 900
            print(f"memchat dev --wake-seconds {args.wake_seconds:g} ({args.mode}; make dev's retry every 20 s, "
                  "sweep every 5 s)")
            print("first message of the morning, the model asleep:")
            lines, conversation = _turn(client, "Good morning! What should I cook tonight?", None, timeout)
            print("\n".join(lines))
            print("second message, the model awake:")
            lines, _ = _turn(client, "And for dessert?", conversation, timeout)
            print("\n".join(lines))
            client.close()
        finally:
            stack.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
