"""What one streamed delta costs the app to show: CPU milliseconds per delta, in the app and in the browser.

A fake memchat server (aiohttp, this process) streams one 2,000-character Markdown answer as the real server
does (a piece every 50 ms, so about 200 deltas in 10 s); the app runs as the web server `make mobile` starts,
and headless Chromium (browser/render_cost.cjs) signs in, asks, and waits until the bubble shows the whole
answer. The CPU time of the app's process and of Chromium's processes is read from /proc when the first
delta goes out and again when the browser has shown the last one; divided by the number of deltas, that is
the rendering cost per delta. Also printed: how long after the last delta the answer was fully on screen.

    .venv/bin/python -m tests.mobile.render_cost          (make mobile-render-cost; needs make mobile-install)

Linux only (/proc). The figures move with the machine's load: compare runs made side by side.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from aiohttp import WSMsgType, web

from memchat.frames import (
    Ack,
    Conversations,
    ConversationView,
    Delta,
    Done,
    FinishReason,
    History,
    MessageStatus,
    MessageView,
    Pong,
    Role,
    Usage,
    parse_client_frame,
)
from tests.mobile.test_browser import CHROMIUM, PLAYWRIGHT_CORE, served_app

DRIVER = Path(__file__).parent / "browser" / "render_cost.cjs"
TICK = os.sysconf("SC_CLK_TCK")
CONVERSATION = "bec0bec0bec0bec0"
QUESTION = "Explain how a lighthouse works."


def answer_text(chars: int = 2000) -> str:
    """A Markdown answer with what answers have: paragraphs, a list, emphasis and a code block."""
    parts = [
        "A **lighthouse** 🌊 warns ships of danger and guides them into harbour ⚓.\n\n",
        "It works in three parts:\n\n- a *light* that can be seen from far away,\n- a lens that focuses it,\n"
        "- a rhythm of flashes that names the lighthouse.\n\n",
        "```python\ndef flashes(period: float, count: int) -> list[float]:\n"
        "    return [i * period for i in range(count)]\n```\n\n",
    ]
    filler = ("Keepers once trimmed the wicks and wound the clockwork every few hours; today most lights are "
              "automatic and watched from afar. ")
    text = "".join(parts)
    while len(text) < chars:
        text += filler
    return text[:chars]


def cpu_ms(pids: list[int]) -> float:
    """User plus system CPU time of these processes, in milliseconds (processes gone are skipped)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total * 1000 / TICK


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


@dataclass
class Measure:
    """CPU snapshots taken by the fake server at the first delta and when the browser reports the answer."""

    app_pid: int = 0
    browser_root: int = 0
    marks: dict[str, tuple[float, float, float]] = field(default_factory=dict)  # name -> (wall, app, browser)
    deltas: int = 0

    def mark(self, name: str) -> None:
        self.marks[name] = (time.monotonic(), cpu_ms([self.app_pid]), cpu_ms(descendants(self.browser_root)))


class FakeServer:
    """Enough of memchat's protocol for one turn: list, history, sendMessage answered by a timed stream."""

    def __init__(self, measure: Measure, text: str, *, chunk: int, interval: float) -> None:
        self.measure, self.text, self.chunk, self.interval = measure, text, chunk, interval
        self.stored: list[MessageView] = []

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/", self.socket)
        app.router.add_post("/shown", self.shown)
        app.router.add_post("/idle", self.idle)
        return app

    async def shown(self, _request: web.Request) -> web.Response:
        self.measure.mark("shown")
        return web.Response(text="ok")

    async def idle(self, _request: web.Request) -> web.Response:
        self.measure.mark("idle")
        return web.Response(text="ok")

    async def socket(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for message in ws:
            if message.type is not WSMsgType.TEXT:
                continue
            frame = parse_client_frame(message.data)
            match frame.action:
                case "ping":
                    await ws.send_str(Pong().to_wire())
                case "listConversations":
                    now = datetime.now(UTC)
                    listed = [ConversationView(conversation_id=CONVERSATION, title=QUESTION, message_count=2,
                                               created_at=now, updated_at=now)] if self.stored else []
                    await ws.send_str(Conversations(conversations=listed).to_wire())
                case "getHistory":
                    await ws.send_str(History(conversation_id=CONVERSATION, messages=self.stored).to_wire())
                case "sendMessage":
                    await self.answer(ws, frame)
        return ws

    async def answer(self, ws: web.WebSocketResponse, frame) -> None:
        question, reply = uuid.uuid4().hex[:16], uuid.uuid4().hex[:16]
        await ws.send_str(Ack(client_message_id=frame.client_message_id, conversation_id=CONVERSATION,
                              message_id=question, reply_id=reply).to_wire())
        pieces = [self.text[i:i + self.chunk] for i in range(0, len(self.text), self.chunk)]
        for seq, piece in enumerate(pieces):
            if seq == 0:
                self.measure.mark("first")
            await ws.send_str(Delta(conversation_id=CONVERSATION, message_id=reply, seq=seq, text=piece).to_wire())
            await asyncio.sleep(self.interval)
        self.measure.deltas = len(pieces)
        self.measure.mark("last")
        now = datetime.now(UTC)
        self.stored = [
            MessageView(message_id=question, role=Role.USER, text=frame.text, status=MessageStatus.SENT,
                        created_at=now),
            MessageView(message_id=reply, role=Role.ASSISTANT, text=self.text, status=MessageStatus.COMPLETE,
                        created_at=now, reply_to=question, finish_reason=FinishReason.STOP),
        ]
        await ws.send_str(Done(conversation_id=CONVERSATION, message_id=reply, finish_reason=FinishReason.STOP,
                               usage=Usage(prompt_tokens=10, completion_tokens=len(pieces))).to_wire())


def serve(server: FakeServer) -> tuple[str, callable]:
    """Run the fake server on its own thread; returns its ws:// URL and a function that stops it."""
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(server.app())
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = site._server.sockets[0].getsockname()[1]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    def stop() -> None:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)

    return f"ws://127.0.0.1:{port}", stop


def token() -> str:
    payload = base64.urlsafe_b64encode(json.dumps({"sub": "render-cost"}).encode()).decode().rstrip("=")
    return f"e30.{payload}.unsigned"


def run(*, chars: int, chunk: int, interval: float, keep: Path | None, main: Path | None = None) -> dict:
    if not PLAYWRIGHT_CORE.is_dir() or not shutil.which("node") or not Path(CHROMIUM).exists():
        sys.exit("needs node, chromium and mobile/node_modules: run `make mobile-install`")
    text = answer_text(chars)
    measure = Measure()
    server = FakeServer(measure, text, chunk=chunk, interval=interval)
    url, stop = serve(server)
    work = Path(tempfile.mkdtemp(prefix="render-cost-"))
    try:
        with served_app(work / "app.log", *([main] if main else [])) as app:
            measure.app_pid = app.pid
            env = {**os.environ, "APP_URL": app.url, "MEMCHAT_SERVER": url, "MEMCHAT_TOKEN": token(),
                   "QUESTION": QUESTION, "ANSWER_CHARS": str(len(text)),
                   "SHOWN_URL": url.replace("ws://", "http://") + "/shown",
                   "IDLE_MS": str(int(len(text) / chunk * interval * 1000)), "SCREENSHOT": str(keep or ""),
                   "SCENARIO_SECONDS": "540", "PLAYWRIGHT_CORE": str(PLAYWRIGHT_CORE), "CHROMIUM": CHROMIUM}
            driver = subprocess.Popen(["node", str(DRIVER)], env=env, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True, start_new_session=True)
            measure.browser_root = driver.pid
            out, err = driver.communicate(timeout=600)
            if driver.returncode != 0:
                sys.exit(f"the browser run failed:\n{err[-3000:]}")
    finally:
        stop()
    first, last, shown, idle = (measure.marks[name] for name in ("first", "last", "shown", "idle"))
    deltas = measure.deltas
    app_ms, browser_ms = shown[1] - first[1], shown[2] - first[2]
    # What the browser spends in the same time with nothing streaming (the page polled as during the stream).
    idle_ms = (idle[2] - shown[2]) * (shown[0] - first[0]) / (idle[0] - shown[0])
    return {
        "answer_chars": len(text), "deltas": deltas, "stream_s": round(last[0] - first[0], 2),
        "shown_after_last_delta_s": round(shown[0] - last[0], 2),
        "app_cpu_ms_per_delta": round(app_ms / deltas, 2), "browser_cpu_ms_per_delta": round(browser_ms / deltas, 2),
        "browser_idle_ms_per_delta": round(idle_ms / deltas, 2),
        "total_cpu_ms_per_delta": round((app_ms + browser_ms) / deltas, 2),
        "total_less_idle_ms_per_delta": round((app_ms + browser_ms - idle_ms) / deltas, 2),
        "browser": json.loads(out.strip().splitlines()[-1]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, default=2000)
    parser.add_argument("--chunk", type=int, default=10, help="characters per delta")
    parser.add_argument("--interval", type=float, default=0.05, help="seconds between deltas")
    parser.add_argument("--screenshot", type=Path, help="save the finished answer as this PNG")
    parser.add_argument("--app-main", type=Path, help="another checkout's mobile/src/main.py, to compare with")
    args = parser.parse_args()
    print(json.dumps(run(chars=args.chars, chunk=args.chunk, interval=args.interval, keep=args.screenshot,
                         main=args.app_main), indent=2))


if __name__ == "__main__":
    main()
