"""The local stack as a child process (`memchat dev` on free ports and a given data folder) and a
blocking WebSocket client that speaks the wire protocol: for the integration tests, benchmarks and
load tests."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import websocket

from memchat.frames import (
    Ack,
    Delta,
    Done,
    ErrorFrame,
    Resumed,
    SendMessage,
    ServerFrame,
    Waking,
    parse_server_frame,
)
from memchat_local.issuer import LocalIssuer
from memchat_local.stack import free_port

READY = "memchat ready: "
# How long a client waits for a whole answer before it fails: a deadline, not a measurement. The embedded
# model on a loaded 2-core machine (other suites running) took 90 s for a 48-token answer beside another.
ANSWER_SECONDS = 240


class LocalStack:
    """`memchat dev` as a child process, exactly as a developer runs it."""

    def __init__(self, data_dir: Path, *, mode: str = "llama", extra: tuple[str, ...] = (),
                 log_path: Path | None = None) -> None:
        self.data_dir = data_dir
        self.mode = mode
        self.extra = extra
        self.log_path = log_path  # where the stack's output is kept, besides `output`
        self.process: subprocess.Popen | None = None
        self.url = ""
        self.endpoint_port = 0
        self.dynamodb_port = 0
        self.output: list[str] = []

    @property
    def endpoint_url(self) -> str:
        """The model endpoint, for calling it directly (SageMaker Runtime's API)."""
        return f"http://127.0.0.1:{self.endpoint_port}"

    @property
    def dynamodb_url(self) -> str:
        """DynamoDB Local, for reading what the stack stored."""
        return f"http://127.0.0.1:{self.dynamodb_port}"

    def start(self, timeout: float = 180) -> LocalStack:
        self.endpoint_port = free_port()
        self.dynamodb_port = free_port()
        command = [
            sys.executable, "-m", "memchat_local.cli", "dev", "--port", str(free_port()),
            "--dynamodb-port", str(self.dynamodb_port), "--endpoint-port", str(self.endpoint_port),
            "--data-dir", str(self.data_dir), "--model-mode", self.mode, *self.extra,
        ]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
            env=os.environ.copy(),
        )
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, args=(lines,), daemon=True).start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            if line is None:
                break
            if line.startswith(READY):
                self.url = line.removeprefix(READY).strip()
                return self
        self.stop()
        raise RuntimeError("The stack did not start:\n" + "".join(self.output[-40:]))

    def _pump(self, lines: queue.Queue[str | None]) -> None:
        assert self.process and self.process.stdout
        log = self.log_path.open("a", encoding="utf-8") if self.log_path else None
        try:
            for line in self.process.stdout:
                self.output.append(line)
                if log:
                    log.write(line)
                    log.flush()
                lines.put(line)
        finally:
            if log:
                log.close()
            lines.put(None)

    def stop(self) -> int | None:
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.send_signal(signal.SIGINT)  # Ctrl-C, as a developer stops it
        try:
            return self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def token(self, user: str) -> str:
        return LocalIssuer(self.data_dir).token(user)

    def connect(self, user: str) -> Client:
        return Client(websocket.create_connection(f"{self.url}/?token={self.token(user)}", timeout=60))


@dataclass
class Answer:
    ack: Ack | None = None
    deltas: list[Delta] = field(default_factory=list)
    done: Done | None = None
    error: ErrorFrame | None = None
    first_delta_at: float | None = None  # time.perf_counter() when the first delta arrived
    waking: list[Waking] = field(default_factory=list)  # the model was asleep: what the client was told
    resumed: list[Resumed] = field(default_factory=list)  # catch-ups of an answer this client resumed
    first_waking_at: float | None = None  # time.perf_counter() when the first `waking` frame arrived

    @property
    def text(self) -> str:
        """A resumed answer's catch-ups come before its live deltas (those go on from the catch-up's seq)."""
        return "".join(frame.text for frame in self.resumed) + "".join(delta.text for delta in self.deltas)


class Client:
    """A blocking client: frames are read on demand, in order."""

    def __init__(self, socket: websocket.WebSocket) -> None:
        self.socket = socket

    def send(self, frame) -> None:
        self.socket.send(frame.to_wire() if hasattr(frame, "to_wire") else frame)

    def receive(self, timeout: float = 60) -> ServerFrame:
        self.socket.settimeout(timeout)
        return parse_server_frame(self.socket.recv())

    def request(self, frame, timeout: float = 30) -> ServerFrame:
        self.send(frame)
        return self.receive(timeout)

    def say(self, text: str, conversation_id: str | None = None, *, timeout: float = ANSWER_SECONDS) -> Answer:
        self.send(SendMessage(action="sendMessage", conversation_id=conversation_id,
                              client_message_id=uuid.uuid4(), text=text))
        return self.read_answer(timeout=timeout)

    def read_answer(self, *, timeout: float = ANSWER_SECONDS, until_first_delta: bool = False,
                    until_waking: bool = False) -> Answer:
        answer = Answer()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            frame = self.receive(max(0.1, deadline - time.monotonic()))
            match frame:
                case Ack():
                    answer.ack = frame
                case Waking():
                    if answer.first_waking_at is None:
                        answer.first_waking_at = time.perf_counter()
                    answer.waking.append(frame)
                    if until_waking:
                        return answer
                case Resumed():
                    answer.resumed.append(frame)
                case Delta():
                    if answer.first_delta_at is None:
                        answer.first_delta_at = time.perf_counter()
                    answer.deltas.append(frame)
                    if until_first_delta:
                        return answer
                case Done():
                    answer.done = frame
                    return answer
                case ErrorFrame():
                    answer.error = frame
                    return answer
        raise TimeoutError("no done frame")

    def close(self) -> None:
        self.socket.close()
