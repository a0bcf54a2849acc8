"""AWS's own DynamoDB Local (DynamoDBLocal.jar, run with Java), with memchat's tables created in it."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import boto3
from botocore.config import Config

from memchat.settings import Settings
from memchat.tables import create_tables

# Where `make` unpacks the jar from the pinned npm package amplify-dynamodb-simulator (emulator/), in the
# repository that holds this (editable) package, so `memchat dev` works from any folder.
DEFAULT_DIR = Path(__file__).resolve().parents[2] / ".tools" / "dynamodb-local"


class DynamoDBLocal:
    """One DynamoDB Local process persisting under `data_dir`, so chats survive restarts."""

    def __init__(self, *, jar_dir: Path, data_dir: Path, port: int, log_path: Path) -> None:
        self.jar_dir = jar_dir
        self.data_dir = data_dir
        self.port = port
        self.log_path = log_path
        self.process: asyncio.subprocess.Process | None = None

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        java = shutil.which("java")
        if java is None:
            raise RuntimeError("Java is missing: run `make dev` (it installs default-jre-headless).")
        jar = self.jar_dir.resolve() / "DynamoDBLocal.jar"
        if not jar.exists():
            raise RuntimeError(f"DynamoDB Local is missing at {jar}: run `make dev` (it unpacks it).")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            java, "-Xmx512m", f"-Djava.library.path={jar.parent / 'DynamoDBLocal_lib'}", "-jar", str(jar),
            "-port", str(self.port), "-dbPath", str(self.data_dir.resolve()), "-sharedDb",
            # No telemetry: nothing leaves the machine (it would fail anyway, offline).
            "-disableTelemetry",
            stdout=log, stderr=log, stdin=asyncio.subprocess.DEVNULL, cwd=self.data_dir,
        )
        log.close()
        await self._wait_ready()

    def client(self):
        return boto3.client(
            "dynamodb", endpoint_url=self.endpoint_url, region_name="us-east-1",
            aws_access_key_id="local", aws_secret_access_key="local",  # noqa: S106 - DynamoDB Local ignores them
            config=Config(connect_timeout=1, read_timeout=10, retries={"max_attempts": 1}),
        )

    async def _wait_ready(self, timeout: float = 60.0) -> None:
        client = self.client()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if self.process and self.process.returncode is not None:
                raise RuntimeError(f"DynamoDB Local exited; see {self.log_path}")
            try:
                await asyncio.to_thread(client.list_tables)
                return
            except Exception:
                if loop.time() > deadline:
                    raise
                await asyncio.sleep(0.2)

    def create_tables(self, settings: Settings) -> None:
        create_tables(self.client(), chat_table_name=settings.table_name,
                      connections_table_name=settings.connections_table_name)

    async def stop(self) -> None:
        await stop_process(self.process)


async def stop_process(process: asyncio.subprocess.Process | None, *, grace: float = 5.0) -> None:
    """Terminate a child and wait for it; kill it if it lingers."""
    if process is None or process.returncode is not None:
        return
    process.terminate()
    try:
        await asyncio.wait_for(process.wait(), grace)
    except TimeoutError:
        process.kill()
        await process.wait()
