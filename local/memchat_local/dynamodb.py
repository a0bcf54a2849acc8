"""AWS's own DynamoDB Local (DynamoDBLocal.jar, run with Java), with memchat's tables created in it.

DynamoDB Local has no option for the address it listens on, and its Jetty server takes every interface: the
user's chats would be served, without any authentication, to the whole network. A small launcher (Java,
compiled once with the JDK compiler module that Debian's JRE ships, and kept beside the jar) starts the same
server on 127.0.0.1 only. Its start is kept short: telemetry, which DynamoDB Local sets up even with
-disableTelemetry (a Cognito call before the server starts), is off through DDB_LOCAL_TELEMETRY=0, and the
JIT stops at its quick first tier, which halves the start's CPU time.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from botocore.config import Config

from memchat.clients import dynamodb_client
from memchat.settings import Settings
from memchat.tables import create_tables

# Where `make` unpacks the jar from the pinned npm package amplify-dynamodb-simulator (emulator/), in the
# repository that holds this (editable) package, so `memchat dev` works from any folder.
DEFAULT_DIR = Path(__file__).resolve().parents[2] / ".tools" / "dynamodb-local"
HOST = "127.0.0.1"

LAUNCHER_CLASS = "MemchatDynamoDBLocal"
LAUNCHER_SOURCE = """\
import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.lang.reflect.Field;
import java.util.Arrays;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** DynamoDB Local, listening on the address given first instead of on every interface. */
public class MemchatDynamoDBLocal {
    public static void main(String[] args) throws Exception {
        String[] options = Arrays.copyOfRange(args, 1, args.length);
        DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(options);
        Field server = DynamoDBProxyServer.class.getDeclaredField("server");
        server.setAccessible(true);
        for (Connector connector : ((Server) server.get(proxy)).getConnectors()) {
            ((ServerConnector) connector).setHost(args[0]);
        }
        proxy.start();
    }
}
"""
# The JVM's own start is most of the stack's: its quick first JIT tier is plenty for a local database.
JVM_OPTIONS = ("-Xmx512m", "-XX:TieredStopAtLevel=1")


class DynamoDBLocal:
    """One DynamoDB Local process persisting under `data_dir`, so chats survive restarts."""

    def __init__(self, *, jar_dir: Path, data_dir: Path, port: int, log_path: Path, in_memory: bool = False) -> None:
        self.jar_dir = jar_dir
        self.in_memory = in_memory  # benchmarks that seed a large history: nothing kept, writes not synced to disk
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
        launcher = await asyncio.to_thread(compiled_launcher, java, jar)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            java, *JVM_OPTIONS, f"-Djava.library.path={jar.parent / 'DynamoDBLocal_lib'}",
            "-cp", os.pathsep.join((str(jar), str(launcher))), LAUNCHER_CLASS, HOST,
            "-port", str(self.port), *(("-inMemory",) if self.in_memory else ("-dbPath", str(self.data_dir.resolve()))),
            "-sharedDb",
            # No telemetry: nothing leaves the machine (it would fail anyway, offline).
            "-disableTelemetry",
            stdout=log, stderr=log, stdin=asyncio.subprocess.DEVNULL, cwd=self.data_dir,
            env={**os.environ, "DDB_LOCAL_TELEMETRY": "0"},
            # Its own process group: a Ctrl-C in the terminal reaches the stack alone, which stops
            # DynamoDB Local last, after the answers in flight are saved.
            start_new_session=True,
        )
        log.close()
        await self._wait_ready()

    def client(self):
        """A client of this database, made as the handlers' is (memchat.clients)."""
        return dynamodb_client(
            Config(connect_timeout=1, read_timeout=10, retries={"total_max_attempts": 1}),
            endpoint_url=self.endpoint_url, region_name="us-east-1",
            aws_access_key_id="local", aws_secret_access_key="local",  # noqa: S106 - DynamoDB Local ignores them
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


def compiled_launcher(java: str, jar: Path) -> Path:
    """The folder holding the launcher's class, compiled on first use for this jar and kept beside it."""
    key = hashlib.sha256(LAUNCHER_SOURCE.encode() + str(jar.stat().st_size).encode()).hexdigest()[:16]
    folder = jar.parent / "memchat-launcher" / key
    if (folder / f"{LAUNCHER_CLASS}.class").exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=folder.parent))
    try:
        source = scratch / f"{LAUNCHER_CLASS}.java"
        source.write_text(LAUNCHER_SOURCE)
        # javac's own entry point, through `java`: a JRE with the jdk.compiler module needs no JDK.
        compiled = subprocess.run(
            [java, "-m", "jdk.compiler/com.sun.tools.javac.Main", "-nowarn", "-cp", str(jar),
             "-d", str(scratch), str(source)], capture_output=True, text=True, check=False)
        if compiled.returncode != 0:
            raise RuntimeError("Could not compile the launcher that keeps DynamoDB Local to 127.0.0.1 (it needs "
                               f"Java's jdk.compiler module, as in any JDK):\n{compiled.stderr.strip()}")
        source.unlink()
        try:
            scratch.rename(folder)  # atomic: a stack starting beside this one sees all of it or nothing
        except OSError:  # another stack compiled it first
            if not (folder / f"{LAUNCHER_CLASS}.class").exists():
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return folder


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
