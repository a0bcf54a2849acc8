"""DynamoDB Local as `memchat dev` runs it: reachable on 127.0.0.1 and on no other address of this machine,
started without telemetry, in a process group of its own (the terminal's Ctrl-C reaches the stack alone)."""

from __future__ import annotations

import fcntl
import ipaddress
import os
import socket
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest

from memchat_local.dynamodb import DEFAULT_DIR, DynamoDBLocal, compiled_launcher
from tests.local.conftest import dynamodb_local

pytestmark = pytest.mark.integration

SIOCGIFADDR = 0x8915  # Linux: an interface's IPv4 address


def non_loopback_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback ones, one per interface that has one."""
    found = []
    for _, name in socket.if_nameindex():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                reply = fcntl.ioctl(probe.fileno(), SIOCGIFADDR, struct.pack("256s", name[:15].encode()))
            except OSError:  # no IPv4 address on this interface
                continue
        address = socket.inet_ntoa(reply[20:24])
        if not ipaddress.ip_address(address).is_loopback:
            found.append(address)
    return found


@pytest.fixture(scope="module")
def dynamodb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DynamoDBLocal]:
    with dynamodb_local(tmp_path_factory.mktemp("dynamodb")) as local:
        yield local


def test_it_answers_on_loopback(dynamodb: DynamoDBLocal):
    assert dynamodb.client().list_tables()["TableNames"] == []


def test_no_other_address_of_this_machine_reaches_it(dynamodb: DynamoDBLocal):
    addresses = non_loopback_addresses()
    if not addresses:
        pytest.skip("this machine has no address but loopback")
    for address in addresses:
        with socket.socket() as attempt, pytest.raises(ConnectionRefusedError):
            attempt.settimeout(5)
            attempt.connect((address, dynamodb.port))


def test_it_runs_without_telemetry_in_a_process_group_of_its_own(dynamodb: DynamoDBLocal):
    assert dynamodb.process is not None
    pid = dynamodb.process.pid
    environment = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    assert b"DDB_LOCAL_TELEMETRY=0" in environment
    assert os.getpgid(pid) == pid != os.getpgid(0)


def test_the_launcher_is_compiled_once_and_kept_beside_the_jar(dynamodb: DynamoDBLocal):
    jar = DEFAULT_DIR.resolve() / "DynamoDBLocal.jar"
    folder = compiled_launcher("java", jar)
    built = (folder / "MemchatDynamoDBLocal.class").stat().st_mtime_ns
    assert compiled_launcher("java", jar) == folder and folder.parent.parent == jar.parent
    assert (folder / "MemchatDynamoDBLocal.class").stat().st_mtime_ns == built
