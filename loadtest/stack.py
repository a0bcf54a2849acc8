"""The local stack for a load test: `memchat dev` started on free ports (or one already running), probed over HTTP."""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from memchat_local.harness import LocalStack
from memchat_local.stack import free_port

DEV_PORT = 8765
DEV_ENDPOINT_PORT = 8767


class StackError(RuntimeError):
    pass


def endpoint_stats(endpoint_url: str, timeout: float = 5.0) -> dict | None:
    """The local model endpoint's GET /stats (mode, model, its own TTFT); None when nothing answers."""
    try:
        with urllib.request.urlopen(f"{endpoint_url}/stats", timeout=timeout) as response:
            return json.loads(response.read())
    except (OSError, urllib.error.URLError, ValueError):
        return None


def is_loopback(url: str) -> bool:
    """Whether a URL's host is this machine: the only place load goes unless a URL is given on purpose."""
    host = urlsplit(url).hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.")


def listening(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


@dataclass
class LocalTarget:
    """Where a scenario sends its load: the gateway, the model endpoint beside it, and the token issuer's data."""

    url: str
    endpoint_url: str
    data_dir: Path
    started: bool  # by us, so stopped by us


@dataclass
class StackProcess:
    """`memchat dev` as a child process (the local stack's own harness), kept in a log and optionally
    in a throwaway data folder."""

    data_dir: Path
    mode: str
    options: list[str] = field(default_factory=list)  # further `memchat dev` options (--set, --replay-...)
    log_path: Path | None = None
    remove_data: bool = False  # a throwaway folder: removed once the stack has stopped
    stack: LocalStack | None = None

    def start(self, timeout: float = 240.0) -> LocalTarget:
        self.stack = LocalStack(self.data_dir, mode=self.mode, extra=tuple(self.options), log_path=self.log_path)
        try:
            self.stack.start(timeout)
        except RuntimeError as exc:
            raise StackError(f"memchat dev did not start: {exc}") from exc
        return LocalTarget(self.stack.url, self.stack.endpoint_url, self.data_dir, started=True)

    def stop(self) -> int | None:
        try:
            return self.stack.stop() if self.stack else None
        finally:
            if self.remove_data:
                shutil.rmtree(self.data_dir, ignore_errors=True)


def running_dev_stack(data_dir: Path) -> tuple[LocalTarget, dict] | None:
    """A `memchat dev` already running on the default ports, with its endpoint's /stats; None if there is none."""
    if not listening(DEV_PORT):
        return None
    endpoint_url = f"http://127.0.0.1:{DEV_ENDPOINT_PORT}"
    stats = endpoint_stats(endpoint_url)
    if stats is None:
        return None
    return LocalTarget(f"ws://127.0.0.1:{DEV_PORT}", endpoint_url, data_dir, started=False), stats


# What each process of a run is, by a piece of its command line.
PARTS = (
    ("memchat_local.endpoint", "model endpoint"),
    ("DynamoDBLocal.jar", "DynamoDB Local"),
    ("memchat_local.cli dev", "gateway and route handlers"),
    ("spawn_main", "generation workers"),  # the gateway's Lambda runtimes (memchat_local.runtime)
    ("-m locust", "Locust"),
    ("-m loadtest", "runner"),
)


class CpuMeter:
    """How busy the machine was during a run, and how much of that was this run (this process and its
    children: the stack, Locust) against everything else on the machine (others' work). Linux /proc only;
    elsewhere it reports nothing."""

    def __init__(self, interval: float = 2.0) -> None:
        self._interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._busy = 0.0  # CPU seconds, whole machine
        self._ours = 0.0  # CPU seconds, this process tree
        self._elapsed = 0.0
        self._ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        self._by_part: dict[str, float] = defaultdict(float)  # CPU seconds per part of this run
        self._labels: dict[int, str] = {}

    def start(self) -> CpuMeter:
        if Path("/proc/stat").exists():
            self._thread = threading.Thread(target=self._run, name="cpu-meter", daemon=True)
            self._thread.start()
        return self

    @property
    def seconds(self) -> float:
        """How long it has measured so far: 0 until its first sample (every `interval` s)."""
        return self._elapsed

    def stop(self) -> dict[str, float] | None:
        self._stop.set()
        if self._thread is None:
            return None
        self._thread.join()
        if self._elapsed <= 0:
            return None
        cpus = os.cpu_count() or 1
        busy, ours = self._busy / self._elapsed * 100, self._ours / self._elapsed * 100
        parts = {part: round(seconds / self._elapsed * 100, 1) for part, seconds in self._by_part.items()}
        return {"cpus": cpus, "machine_busy_pct": round(busy, 1), "this_run_pct": round(ours, 1),
                "others_pct": round(max(0.0, busy - ours), 1), "seconds": round(self._elapsed, 1),
                "parts_pct": dict(sorted(parts.items(), key=lambda item: -item[1]))}

    def _run(self) -> None:
        previous = (time.monotonic(), self._machine(), self._tree())
        while not self._stop.wait(self._interval):
            now = (time.monotonic(), self._machine(), self._tree())
            self._elapsed += now[0] - previous[0]
            self._busy += now[1] - previous[1]
            for pid, seconds in now[2].items():
                spent = seconds - previous[2].get(pid, seconds)
                self._ours += spent
                self._by_part[self._label(pid)] += spent
            previous = now

    def _label(self, pid: int) -> str:
        if pid not in self._labels:
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                command = ""
            self._labels[pid] = next((label for marker, label in PARTS if marker in command), "other")
        return self._labels[pid]

    def _machine(self) -> float:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        values = [int(v) for v in fields]
        idle = values[3] + (values[4] if len(values) > 4 else 0)
        return (sum(values[:8]) - idle) / self._ticks

    def _tree(self) -> dict[int, float]:
        """CPU seconds of this process and every descendant, by pid."""
        parents: dict[int, int] = {}
        times: dict[int, float] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
            times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / self._ticks
        ours = {os.getpid()}
        grew = True
        while grew:
            grew = False
            for pid, parent in parents.items():
                if parent in ours and pid not in ours:
                    ours.add(pid)
                    grew = True
        return {pid: times[pid] for pid in ours if pid in times}


def machine_load() -> dict[str, float | int]:
    one, five, fifteen = os.getloadavg()
    return {"load1": round(one, 2), "load5": round(five, 2), "load15": round(fifteen, 2), "cpus": os.cpu_count() or 0}


__all__ = ["LocalTarget", "StackError", "StackProcess", "endpoint_stats", "free_port", "is_loopback", "machine_load",
           "running_dev_stack"]
