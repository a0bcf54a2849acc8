"""Abuse through the real gateway: tokens that must not open a connection, and one user acting on another's
conversation, answer and memories. Every bad token is refused (401 or 403) and no action of user B on user
A's data succeeds or shows B anything of A's."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable
from urllib.parse import quote

import jwt
import pytest
import websocket
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from memchat.frames import CLIENT_ACTIONS, ErrorFrame, GetHistory, History, ListConversations
from memchat_local.issuer import AUDIENCE, ISSUER, KEY_ID, LocalIssuer
from tests import figures
from tests.hostile import FIELDS
from tests.integration.stack import Client, LocalStack

pytestmark = pytest.mark.integration

REFUSED = (401, 403)  # API Gateway: the authorizer raised Unauthorized, or its policy denied


# ---------------------------------------------------------------- tokens


def _b64(data: bytes | dict) -> str:
    raw = json.dumps(data).encode() if isinstance(data, dict) else data
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _claims(**changes) -> dict:
    now = int(time.time())
    claims = {"sub": "mallory", "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 3600, "token_use": "id"}
    claims.update(changes)
    return {name: value for name, value in claims.items() if value is not None}


def _bad_tokens(issuer_key: rsa.RSAPrivateKey) -> dict[str, str]:
    """Each token wrong in exactly one way (apart from the malformed ones)."""
    now = int(time.time())
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = issuer_key.public_key().public_bytes(serialization.Encoding.PEM,
                                                      serialization.PublicFormat.SubjectPublicKeyInfo)

    def signed(claims: dict, key=issuer_key, algorithm: str = "RS256", **headers) -> str:
        return jwt.encode(claims, key, algorithm=algorithm, headers={"kid": KEY_ID, **headers})

    valid = signed(_claims())
    header, payload, signature = valid.split(".")
    tampered = ".".join([header, _b64(_claims(sub="alice-victim")), signature])
    return {
        "expired an hour ago": signed(_claims(iat=now - 7200, exp=now - 3600)),
        "expired past the leeway": signed(_claims(iat=now - 3600, exp=now - 60)),
        "not valid for an hour (nbf)": signed(_claims(nbf=now + 3600)),
        "issued in the future (iat)": signed(_claims(iat=now + 3600, exp=now + 7200)),
        "forged: another key, the issuer's kid": signed(_claims(), key=other_key),
        "alg none, unsigned": ".".join([_b64({"alg": "none", "typ": "JWT", "kid": KEY_ID}), _b64(_claims()), ""]),
        "alg none, a valid token's signature": ".".join([_b64({"alg": "none", "kid": KEY_ID}), payload, signature]),
        "alg None (capitalised)": ".".join([_b64({"alg": "None", "kid": KEY_ID}), _b64(_claims()), ""]),
        "wrong issuer": signed(_claims(iss="https://evil.example/issuer")),
        "no issuer": signed(_claims(iss=None)),
        "wrong audience": signed(_claims(aud="another-app")),
        "wrong audience among several": signed(_claims(aud=["another-app", "a-third-app"])),
        "no audience": signed(_claims(aud=None)),
        "wrong key: HS256 with the public key as secret": _hs256(_claims(), public_pem),
        "wrong key: HS256 with a guessed secret": _hs256(_claims(), b"secret"),
        "wrong algorithm: RS512 with the right key": signed(_claims(), algorithm="RS512"),
        "wrong algorithm: PS256 with the right key": signed(_claims(), algorithm="PS256"),
        "unknown kid": signed(_claims(), kid="memchat-local-2"),
        "unknown kid, path-like": signed(_claims(), kid="../../../etc/passwd"),
        "no kid": jwt.encode(_claims(), issuer_key, algorithm="RS256"),
        "jku pointing elsewhere, forged": signed(_claims(), key=other_key, jku="http://127.0.0.1:9/jwks.json"),
        "tampered payload": tampered,
        "no subject": signed(_claims(sub=None)),
        "subject with a key separator": signed(_claims(sub="bob#U#alice")),
        "no expiry": signed(_claims(exp=None)),
        "access token, not id token": signed(_claims(token_use="access")),
        "no token_use": signed(_claims(token_use=None)),
        "garbage": "not-a-jwt",
        "three dots": "...",
        "bearer prefix": "Bearer " + valid,
        "truncated signature": valid[:-10],
        "two tokens joined": valid + "." + valid,
    }


def _hs256(claims: dict, secret: bytes) -> str:
    """HS256 over the RSA public key's PEM: PyJWT refuses to sign with it, so the token is made by hand."""
    head = _b64({"alg": "HS256", "typ": "JWT", "kid": KEY_ID})
    body = _b64(claims)
    signature = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(signature)}"


def _connect_status(stack: LocalStack, token: str) -> int:
    try:
        websocket.create_connection(f"{stack.url}/?token={quote(token, safe='')}", timeout=30).close()
    except websocket.WebSocketBadStatusException as exc:
        return exc.status_code
    return 101


def test_no_bad_token_opens_a_connection(hostile_stack: LocalStack) -> None:
    tokens = _bad_tokens(LocalIssuer(hostile_stack.data_dir)._key)
    statuses = {name: _connect_status(hostile_stack, token) for name, token in tokens.items()}
    for status in statuses.values():
        figures.count("abuse: bad tokens, by answer", "accepted" if status == 101 else f"refused {status}")
    assert {name: status for name, status in statuses.items() if status not in REFUSED} == {}
    assert _connect_status(hostile_stack, hostile_stack.token("mallory")) == 101  # the control


def test_a_connection_without_a_token_is_refused(hostile_stack: LocalStack) -> None:
    for url in (hostile_stack.url + "/", hostile_stack.url + "/?token="):
        with pytest.raises(websocket.WebSocketBadStatusException) as raised:
            websocket.create_connection(url, timeout=30)
        figures.count("abuse: bad tokens, by answer", f"refused {raised.value.status_code}")
        assert raised.value.status_code in REFUSED


# ---------------------------------------------------------------- user B on user A's data


def _outcome(frame) -> str:
    return f"error:{frame.code}" if isinstance(frame, ErrorFrame) else frame.type


def _answer_of(client: Client, frame: dict) -> object:
    """The frame that answers `frame` (an answer's deltas skipped), or None when none comes within
    SILENCE seconds (a stop that succeeds is answered only by the stopped answer's `done`)."""
    client.send(json.dumps(frame))
    deadline = time.monotonic() + SILENCE
    while (left := deadline - time.monotonic()) > 0:
        try:
            received = client.receive(left)
        except websocket.WebSocketTimeoutException:
            return None
        if received.type not in ("delta", "done"):
            return received
    return None


SILENCE = 10.0


def test_no_action_of_one_user_succeeds_on_or_leaks_another_users_data(hostile_stack: LocalStack) -> None:
    secret = f"my secret is {uuid.uuid4().hex}"
    alice = hostile_stack.connect("alice-victim")
    first = alice.say(f"Remember: {secret}. What is it?")
    assert first.done is not None, first.error
    conversation, message, reply = first.ack.conversation_id, first.ack.message_id, first.ack.reply_id
    before = alice.request(GetHistory(action="getHistory", conversation_id=conversation))
    assert isinstance(before, History)
    answer_text = first.text
    (title,) = [c.title for c in alice.request(ListConversations(action="listConversations")).conversations
                if c.conversation_id == conversation]
    client_message_id = str(first.ack.client_message_id)

    # What user B may send naming A's ids: every field of every action filled with A's values.
    values: dict[str, Callable[[], object]] = {
        "conversationId": lambda: conversation, "messageId": lambda: reply, "before": lambda: message,
        "memoryId": lambda: message, "clientMessageId": lambda: client_message_id, "text": lambda: "Show me it.",
        "title": lambda: "renamed by bob", "enabled": lambda: False, "limit": lambda: 50, "seq": lambda: 0,
    }
    attempts: list[dict] = []
    for action in CLIENT_ACTIONS:
        fields = _fields_of(action)
        frame = {"action": action, **{name: values[name]() for name in fields if name in values}}
        attempts.append(frame)
        if action in ("stopGeneration", "editMessage", "resumeAnswer"):
            attempts.append({**frame, "messageId": message})
        if action == "sendMessage":
            attempts.append({k: v for k, v in frame.items() if k != "conversationId"})  # A's clientMessageId only

    bob = hostile_stack.connect("bob-attacker")
    leaks, successes = [], []
    for frame in attempts:
        answer = _answer_of(bob, frame)
        outcome = "no answer" if answer is None else _outcome(answer)
        figures.count("abuse: user B's actions on user A's data, by outcome", outcome)
        wire = "" if answer is None else answer.to_wire()
        known_to_b = json.dumps(frame)  # an error frame may echo the ids B itself sent
        if any(text and text in wire for text in (secret, answer_text.strip(), title)) or (
                conversation in wire and conversation not in known_to_b):
            leaks.append((frame["action"], wire[:300]))
        if _succeeded_on_a(frame, outcome, answer, conversation):
            successes.append((frame, outcome))
    figures.count("abuse: user B's actions on user A's data", "attempts", len(attempts))
    figures.count("abuse: user B's actions on user A's data", "succeeded", len(successes))
    figures.count("abuse: user B's actions on user A's data", "leaked", len(leaks))

    assert successes == [] and leaks == []
    after = alice.request(GetHistory(action="getHistory", conversation_id=conversation))
    assert isinstance(after, History) and after.messages == before.messages  # A's conversation untouched
    listed = alice.request(ListConversations(action="listConversations"))
    assert conversation in [c.conversation_id for c in listed.conversations]
    alice.close()
    bob.close()


def _fields_of(action: str) -> list[str]:
    return [spec.name for spec in FIELDS[action]]


def _succeeded_on_a(frame: dict, outcome: str, answer, conversation: str) -> bool:
    """Whether B's frame did something to, or read something of, A's data."""
    if frame.get("conversationId") == conversation or "messageId" in frame or "memoryId" in frame:
        return not outcome.startswith("error:")  # anything naming A's ids must be refused
    if frame["action"] == "sendMessage":  # A's clientMessageId: B's own new conversation, never A's
        return outcome == "ack" and answer.conversation_id == conversation
    return False  # B's own lists, settings and ping: leaks are checked on what came back


def test_another_user_cannot_stop_an_answer_while_it_streams(slow_stack: LocalStack) -> None:
    alice = slow_stack.connect("alice-streaming")
    alice.send(json.dumps({"action": "sendMessage", "clientMessageId": str(uuid.uuid4()), "text": "A long story."}))
    answer = alice.read_answer(timeout=60, until_first_delta=True)
    assert answer.ack is not None and answer.deltas, answer.error

    bob = slow_stack.connect("bob-stopper")
    refusal = _answer_of(bob, {"action": "stopGeneration", "conversationId": answer.ack.conversation_id,
                               "messageId": answer.ack.reply_id})
    figures.count("abuse: user B's actions on user A's data", "attempts")
    figures.count("abuse: user B's actions on user A's data, by outcome",
                  "no answer" if refusal is None else _outcome(refusal))

    rest = alice.read_answer(timeout=120)
    assert refusal is not None and _outcome(refusal) == "error:not_found"
    assert rest.done is not None and rest.done.finish_reason != "stopped"
    alice.close()
    bob.close()
