"""End to end in a real browser: the Flet web app, headless Chromium, and the real local stack.

The test starts `memchat dev` (the embedded model, short answers) and the app as a web server without
CDN (FLET_WEB_NO_CDN=1: the renderer comes from flet-web's own files), then runs browser/chat.cjs under
node with playwright-core and Debian's chromium. Two conversations exist already (asked over the
protocol, as from another device); the script signs in, asks two questions and watches each answer
stream, reloads, opens a second tab, deletes a conversation, switches to the dark theme and saves
screenshots; this test checks what it saw, and what the server stored.

Needs `make mobile-install` (chromium, and playwright-core from mobile/package-lock.json).
MEMCHAT_SCREENSHOTS=docs/screenshots keeps the screenshots (`make mobile-screenshots`).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from memchat.frames import Conversations, GetHistory, History, ListConversations, MessageStatus, Role
from memchat_local.stack import free_port
from tests.integration.stack import LocalStack

pytestmark = [pytest.mark.integration, pytest.mark.model, pytest.mark.browser]

REPO = Path(__file__).resolve().parents[2]
PLAYWRIGHT_CORE = REPO / "mobile" / "node_modules" / "playwright-core"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
DRIVER = Path(__file__).parent / "browser" / "chat.cjs"
QUESTION = "What is a lighthouse for? Answer in three sentences."
FOLLOW_UP = "Who looks after one?"
EARLIER = ("Suggest a name for a grey cat.", "How do I boil an egg?")  # asked "on another device" first
USER = "e2e-browser"
DRIVER_TIMEOUT = 180  # seconds for the whole scenario (about 20 s here); a step has a minute at most
SCREENS = ("sign-in", "conversations", "streaming-answer", "answer", "delete-confirmation", "settings",
           "settings-dark", "conversations-dark", "answer-dark")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    local = LocalStack(tmp_path_factory.mktemp("browser-stack"), mode="llama",
                       extra=("--set", "MEMCHAT_MAX_NEW_TOKENS=64", "--set", "MEMCHAT_TEMPERATURE=0"))
    local.start()
    yield local
    local.stop()


@contextmanager
def served_app(log: Path) -> Iterator[str]:
    """The app served as a web app, as `make mobile` does on a machine without a display."""
    port = free_port()
    env = {**os.environ, "FLET_FORCE_WEB_SERVER": "1", "FLET_SERVER_IP": "127.0.0.1",
           "FLET_SERVER_PORT": str(port), "FLET_WEB_NO_CDN": "1"}
    env.pop("MEMCHAT_URL", None)  # the app's default address: the test types the stack's own
    with log.open("w") as out:
        app = subprocess.Popen([sys.executable, str(REPO / "mobile" / "src" / "main.py")], env=env,
                               stdout=out, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}/"
        try:
            for _ in range(600):
                if app.poll() is not None:
                    raise RuntimeError(f"the app exited with {app.returncode}:\n{log.read_text()[-2000:]}")
                try:
                    with urllib.request.urlopen(url, timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    time.sleep(0.1)
            else:
                raise RuntimeError("the app's web server did not answer")
            yield url
        finally:
            app.send_signal(signal.SIGTERM)
            try:
                app.wait(15)
            except subprocess.TimeoutExpired:
                app.kill()
                app.wait()


def screenshots_dir(tmp_path: Path) -> Path:
    kept = os.environ.get("MEMCHAT_SCREENSHOTS")
    return (REPO / kept) if kept else tmp_path / "screenshots"


class ScenarioHung(Exception):
    """The browser scenario went past DRIVER_TIMEOUT; the message holds the steps it began."""


def drive(app_url: str, stack: LocalStack, user: str, shots: Path, log: Path) -> dict:
    if not PLAYWRIGHT_CORE.is_dir() or not shutil.which("node") or not Path(CHROMIUM).exists():
        pytest.fail("The browser test needs node, chromium and mobile/node_modules: run `make mobile-install`.")
    env = {**os.environ, "APP_URL": app_url, "MEMCHAT_SERVER": stack.url, "MEMCHAT_TOKEN": stack.token(user),
           "QUESTION": QUESTION, "FOLLOW_UP": FOLLOW_UP, "SCREENSHOTS": str(shots),
           "PLAYWRIGHT_CORE": str(PLAYWRIGHT_CORE), "CHROMIUM": CHROMIUM}
    with log.open("w") as stderr:
        # A session of its own, so that a timeout ends chromium with node and no child holds the pipe.
        driver = subprocess.Popen(["node", str(DRIVER)], env=env, stdout=subprocess.PIPE, stderr=stderr,
                                  text=True, start_new_session=True)
        try:
            out, _ = driver.communicate(timeout=DRIVER_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(driver.pid, signal.SIGKILL)
            driver.wait()
            raise ScenarioHung(f"over {DRIVER_TIMEOUT} s; the steps it began:\n{log.read_text()[-4000:]}") from None
    assert driver.returncode == 0, f"the browser scenario failed:\n{log.read_text()[-4000:]}"
    return json.loads(out.strip().splitlines()[-1])


def run_scenario(stack: LocalStack, tmp_path: Path) -> tuple[str, dict]:
    """Two conversations asked "on another device", then the scenario in a fresh app and browser.

    A scenario that hangs (a browser that stops answering, seen once in CI and never reproduced) is
    run once more from scratch, as a new user, with a warning that carries the first run's steps; a
    scenario that fails its checks is never retried.
    """
    for attempt in (1, 2):
        user = f"{USER}-{attempt}"
        earlier = stack.connect(user)
        try:
            for question in EARLIER:
                assert earlier.say(question).done is not None
        finally:
            earlier.close()
        try:
            with served_app(tmp_path / f"app-{attempt}.log") as app_url:
                return user, drive(app_url, stack, user, screenshots_dir(tmp_path),
                                   tmp_path / f"browser-{attempt}.log")
        except ScenarioHung as hung:
            if attempt == 2:
                pytest.fail(f"the browser scenario hung twice: {hung}")
            warnings.warn(f"the browser scenario hung, running it again: {hung}", stacklevel=1)
    raise AssertionError("unreachable")


def answer_text(label: str) -> str:
    """The answer as its bubble reads it: 'memchat', the text, then its status."""
    lines = label.split("\n")
    assert lines[0] == "memchat", label
    return " ".join(" ".join(lines[1:]).split()).removesuffix(" complete")


def assert_streamed(turn: dict, question: str) -> str:
    assert question in turn["question"] and turn["question"].endswith("sent"), turn["question"]
    grew = [b for a, b in zip(turn["lengths"], turn["lengths"][1:], strict=False) if b > a]
    assert len(grew) >= 3, f"the answer should grow while it streams: {turn['lengths']}"
    assert turn["stop"], "a stop button shows while the answer streams"
    assert any("Writing" in status for status in turn["statuses"]), turn["statuses"]
    answer = answer_text(turn["answer"])
    assert len(answer) > 10, answer
    return answer


def stored_conversations(stack: LocalStack, user: str) -> tuple[Conversations, History]:
    client = stack.connect(user)
    try:
        listing = client.request(ListConversations(action="listConversations"))
        assert isinstance(listing, Conversations)
        history = client.request(GetHistory(action="getHistory",
                                            conversation_id=listing.conversations[0].conversation_id))
        assert isinstance(history, History)
        return listing, history
    finally:
        client.close()


@pytest.mark.timeout(2 * DRIVER_TIMEOUT + 120)
def test_sign_in_ask_watch_the_answers_stream_reload_and_find_the_history(stack: LocalStack,
                                                                          tmp_path: Path) -> None:
    user, seen = run_scenario(stack, tmp_path)

    assert "Connected" in seen["connection"]
    first = assert_streamed(seen["first"], QUESTION)
    assert_streamed(seen["second"], FOLLOW_UP)
    assert seen["afterReload"] == seen["conversation"]
    assert seen["newTab"] == seen["conversation"], "a new session reads the same conversation from the server"
    assert [QUESTION[:20] in seen["list"][0], EARLIER[1] in seen["list"][1], EARLIER[0] in seen["list"][2]] \
        == [True, True, True], f"newest first: {seen['list']}"
    assert EARLIER[0] not in " ".join(seen["afterDelete"]) and QUESTION[:20] in seen["afterDelete"][0]
    assert seen["user"] == user

    listing, history = stored_conversations(stack, user)
    assert [c.title for c in listing.conversations][1:] == [EARLIER[1]], "the deleted one is gone"
    assert [(m.role, m.status) for m in history.messages] == [
        (Role.USER, MessageStatus.SENT), (Role.ASSISTANT, MessageStatus.COMPLETE)] * 2
    assert [history.messages[0].text, history.messages[2].text] == [QUESTION, FOLLOW_UP]
    assert " ".join(history.messages[1].text.split()[:3]) in first, "the bubble shows what the server stored"

    shots = screenshots_dir(tmp_path)
    for name in SCREENS:
        assert (shots / f"{name}.png").stat().st_size > 10_000, name
