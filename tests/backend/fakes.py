"""Fakes at the seams: real botocore clients whose HTTP exchange is answered by a `before-send` hook,
and a token issuer whose JWKS PyJWKClient fetches over HTTP from a loopback server.

botocore still serializes every request and parses every response and error, so the code under test sees
what it would see from AWS; only the bytes that would come back over the wire are made here. DynamoDB is
moto's; these answer the @connections API, the worker Lambda and the SageMaker endpoint.
"""

from __future__ import annotations

import io
import json
import threading
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

import jwt
import urllib3
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from cryptography.hazmat.primitives.asymmetric import rsa

from memchat.events import WORKER_JOB, WorkerJob
from memchat.frames import MAX_FRAME_BYTES, Frame, ServerFrame, parse_server_frame
from memchat_local.eventstream import CONTENT_TYPE
from tests.waiting import WAIT_SECONDS, wait_until


def aws_response(
    request: AWSPreparedRequest, status: int, body: bytes = b"", headers: dict | None = None
) -> AWSResponse:
    raw = urllib3.HTTPResponse(body=io.BytesIO(body), preload_content=False, headers=headers, status=status)
    return AWSResponse(request.url, status, headers or {}, raw)


def error_response(
    request: AWSPreparedRequest, status: int, code: str, message: str | None, **fields: Any
) -> AWSResponse:
    """An AWS JSON error as REST services send it: the code in x-amzn-ErrorType, the message in the body."""
    body = json.dumps({"message": message, **fields}).encode()
    headers = {"x-amzn-ErrorType": f"{code}:http://internal.amazon.com/coral/", "Content-Type": "application/json"}
    return aws_response(request, status, body, headers)


# ---------------------------------------------------------------- the @connections API


class ConnectionsApi:
    """API Gateway's @connections API for one stage: records the frames posted to each connection.

    A connection can go away (`disconnect`), after which posts are answered 410 GoneException as API Gateway
    does. Frames over the 32 KB frame limit are refused with 413. Thread-safe: deltas arrive from a
    background thread while the test thread reads.
    """

    def __init__(self, client: Any) -> None:
        self.client = client
        self._lock = threading.Condition()
        self._frames: dict[str, list[ServerFrame]] = defaultdict(list)
        self._sizes: dict[str, list[int]] = defaultdict(list)
        self._refused: dict[str, int] = defaultdict(int)
        self._failures: dict[str, tuple[int, int, str]] = {}  # connection -> (after frames, status, code)
        self.on_post: Callable[[str, ServerFrame], None] | None = None
        client.meta.events.register("before-send.apigatewaymanagementapi.PostToConnection", self._post)

    def _post(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        connection_id = unquote(urlsplit(request.url).path.rsplit("/", 1)[-1])
        data = bytes(request.body)
        frame = parse_server_frame(data)
        with self._lock:
            after, status, code = self._failures.get(connection_id, (None, 0, ""))
            if after is not None and len(self._frames[connection_id]) >= after:
                self._refused[connection_id] += 1
                self._lock.notify_all()
                return error_response(request, status, code, None if status == 410 else f"{code} from the test")
            if len(data) > MAX_FRAME_BYTES:
                return error_response(request, 413, "PayloadTooLargeException", "Message too long")
            self._frames[connection_id].append(frame)
            self._sizes[connection_id].append(len(data))
            self._lock.notify_all()
        if self.on_post is not None:
            self.on_post(connection_id, frame)
        return aws_response(request, 200)

    def disconnect(self, connection_id: str, *, after: int = 0) -> None:
        """The client goes away once `after` frames have been delivered to it: 410 GoneException."""
        self.fail(connection_id, after=after, status=410, code="GoneException")

    def fail(self, connection_id: str, *, after: int = 0, status: int, code: str) -> None:
        """Posts to the connection fail with this error once `after` frames have been delivered."""
        with self._lock:
            self._failures[connection_id] = (after, status, code)

    def frames(self, connection_id: str, kind: type[Frame] | None = None) -> list[Any]:
        with self._lock:
            frames = list(self._frames[connection_id])
        return [f for f in frames if kind is None or isinstance(f, kind)]

    def sizes(self, connection_id: str) -> list[int]:
        with self._lock:
            return list(self._sizes[connection_id])

    def refused(self, connection_id: str) -> int:
        """Posts answered with an error (410 once the client has gone)."""
        with self._lock:
            return self._refused[connection_id]

    def wait_for_frames(self, connection_id: str, count: int, kind: type[Frame] | None = None) -> list[Any]:
        wait_until(lambda: len(self.frames(connection_id, kind)) >= count,
                   f"{count} frame(s) reached {connection_id}", self._lock)
        return self.frames(connection_id, kind)

    def wait_for_refusal(self, connection_id: str) -> None:
        wait_until(lambda: self.refused(connection_id) > 0, f"a post to {connection_id} was refused", self._lock)


# ---------------------------------------------------------------- the worker Lambda


@dataclass(frozen=True)
class Invocation:
    function_name: str
    invocation_type: str
    payload: dict[str, Any]

    def job(self) -> WorkerJob:
        return WORKER_JOB.validate_python(self.payload)


class WorkerLambda:
    """Lambda's Invoke API for the worker: records invocations and accepts them (202), or fails them."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.invocations: list[Invocation] = []
        self._failure: tuple[int, str, str] | None = None
        client.meta.events.register("before-send.lambda.Invoke", self._invoke)

    def fail_with(self, status: int, code: str, message: str) -> None:
        self._failure = (status, code, message)

    def recover(self) -> None:
        self._failure = None

    def _invoke(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        path = unquote(urlsplit(request.url).path)  # /2015-03-31/functions/{FunctionName}/invocations
        invocation_type = request.headers.get("X-Amz-Invocation-Type", "RequestResponse")
        if isinstance(invocation_type, bytes):
            invocation_type = invocation_type.decode()
        self.invocations.append(Invocation(path.split("/")[3], invocation_type, json.loads(request.body)))
        if self._failure is not None:
            status, code, message = self._failure
            return error_response(request, status, code, message, Type="Service")
        return aws_response(request, 202 if invocation_type == "Event" else 200)

    def jobs(self) -> list[WorkerJob]:
        return [invocation.job() for invocation in self.invocations]


# ---------------------------------------------------------------- the SageMaker endpoint


HANG = "hang until the stream is closed"


class ScriptedBody:
    """The raw HTTP body of a response stream whose bytes arrive when the script says.

    Items: bytes (sent), a callable (called, e.g. to wait for something to happen elsewhere), an exception
    (raised, as a broken socket raises it) or HANG (block until `close()`, as a model that is still thinking).
    botocore's EventStream reads `stream()` and calls `close()`, as it does on urllib3's HTTPResponse.
    """

    def __init__(self, script: tuple[Any, ...]) -> None:
        self._script = script
        self._closed = threading.Event()

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def close(self) -> None:
        self._closed.set()

    def stream(self, amt: int | None = None, decode_content: bool | None = None) -> Iterator[bytes]:
        for item in self._script:
            if self.closed:
                return
            if isinstance(item, bytes):
                yield item
            elif isinstance(item, BaseException):
                raise item
            elif item == HANG:
                if not self._closed.wait(WAIT_SECONDS):
                    raise AssertionError("The model stream was never closed")
                return
            else:
                item()


class ModelEndpoint:
    """A SageMaker endpoint serving TGI: InvokeEndpointWithResponseStream answered from a queue of scripts.

    Records each request's decoded JSON payload and headers. Queue one response per expected call with
    `streams(...)` (a 200 event stream), `fails(...)` (an HTTP error) or `raises(...)` (a transport error).
    """

    def __init__(self, client: Any) -> None:
        self.client = client
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.urls: list[str] = []
        self.bodies: list[Any] = []
        self._responses: deque[Callable[[AWSPreparedRequest], AWSResponse]] = deque()
        client.meta.events.register(
            "before-send.sagemaker-runtime.InvokeEndpointWithResponseStream", self._invoke
        )

    def streams(self, *script: Any) -> None:
        def respond(request: AWSPreparedRequest) -> AWSResponse:
            if all(isinstance(item, bytes) for item in script):
                raw: Any = urllib3.HTTPResponse(body=io.BytesIO(b"".join(script)), preload_content=False,
                                                headers={"Content-Type": CONTENT_TYPE}, status=200)
            else:
                raw = ScriptedBody(script)
            self.bodies.append(raw)
            headers = {
                "Content-Type": CONTENT_TYPE,
                "X-Amzn-SageMaker-Content-Type": "text/event-stream",
                "X-Amzn-Invoked-Production-Variant": "AllTraffic",
            }
            return AWSResponse(request.url, 200, headers, raw)

        self._responses.append(respond)

    def fails(self, status: int, code: str, message: str, **fields: Any) -> None:
        def respond(request: AWSPreparedRequest) -> AWSResponse:
            body = json.dumps({"Message": message, **fields}).encode()
            return aws_response(request, status, body, {"x-amzn-ErrorType": code, "Content-Type": "application/json"})

        self._responses.append(respond)

    def raises(self, exc: Exception) -> None:
        def respond(request: AWSPreparedRequest) -> AWSResponse:
            raise exc

        self._responses.append(respond)

    def _invoke(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        self.urls.append(request.url)
        self.headers.append({k: v.decode() if isinstance(v, bytes) else v for k, v in request.headers.items()})
        self.requests.append(json.loads(request.body))
        if not self._responses:
            raise AssertionError("The endpoint was called more times than the test scripted")
        return self._responses.popleft()(request)


# ---------------------------------------------------------------- the token issuer (Cognito's role)


class Issuer:
    """Signs RS256 tokens like a Cognito user pool and serves its JWKS from a loopback HTTP server."""

    KEY_ID = "memchat-test-1"
    ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TeSt12345"

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # an impostor's
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update(kid=self.KEY_ID, use="sig", alg="RS256")
        body = json.dumps({"keys": [jwk]}).encode()

        class Jwks(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200 if self.path == "/.well-known/jwks.json" else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Jwks)
        self.jwks_url = f"http://127.0.0.1:{self._server.server_port}/.well-known/jwks.json"
        self._thread = threading.Thread(target=self._server.serve_forever, name="jwks", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def token(self, subject: str, *, key: Any = None, kid: str | None = KEY_ID, expires_in: int = 3600,
              **claims: Any) -> str:
        """A signed token for `subject`; a claim passed as None is left out."""
        now = int(time.time())
        body = {"sub": subject, "iss": self.ISSUER, "iat": now, "exp": now + expires_in, "token_use": "id",
                "jti": str(uuid.uuid4())} | claims
        headers = {"kid": kid} if kid else {}
        return jwt.encode({k: v for k, v in body.items() if v is not None}, key or self.key, algorithm="RS256",
                          headers=headers)
