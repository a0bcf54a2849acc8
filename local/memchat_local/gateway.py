"""The local WebSocket gateway: API Gateway's WebSocket API for memchat's routes, on one aiohttp server.

It does what API Gateway does around our Lambda code: runs the REQUEST authorizer on connect (token in
the query string), assigns connection ids, selects routes on `$request.body.action` with `$default` as
fallback, builds the same events (requestContext with connectionId, routeKey, eventType, requestId and
the authorizer context), invokes the handlers, and serves the `@connections` management API that
boto3's `apigatewaymanagementapi` client calls. It also answers Lambda's Invoke API, so the
asynchronous hand-off to the generation worker goes through the same boto3 call as in AWS. No library
emulates API Gateway's WebSocket side (moto has none), hence this module.

API Gateway's limits that matter are enforced, so local bugs are cloud bugs: 32 KB frames (one byte more
closes the connection with 1009), binary frames refused (closed with 1003), a 10-minute idle timeout and
2-hour connections.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ipaddress
import json
import logging
import secrets
import string
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web
from pydantic_core import from_json

from memchat_local.runtime import ACCOUNT_ID, REGION, Functions, Runtimes

logger = logging.getLogger("memchat.gateway")

MAX_FRAME_BYTES = 32 * 1024
IDLE_TIMEOUT_SECONDS = 10 * 60
MAX_CONNECTION_SECONDS = 2 * 3600


@dataclass(frozen=True)
class GatewayConfig:
    """Which Lambda handler serves what, as the CDK stack wires it in AWS."""

    functions: dict[str, str]  # function name -> "module:function"
    connect_function: str
    disconnect_function: str
    authorizer_function: str
    routes: dict[str, str]  # route key (an action, or $default) -> function name
    stage: str = "local"
    api_id: str = "memchatlocal"
    idle_timeout: float = IDLE_TIMEOUT_SECONDS
    max_connection_seconds: float = MAX_CONNECTION_SECONDS
    jwks: dict[str, Any] | None = None  # served at /.well-known/jwks.json (the local issuer's keys)
    # Mints a development user's token (the local issuer's), for the app's one-tap sign-in on `make dev`; set
    # only by a stack bound to a loopback address. None (the default): /local/dev-token answers 404.
    dev_tokens: Callable[[str], str] | None = None


@dataclass
class Connection:
    id: str
    socket: web.WebSocketResponse
    authorizer: dict[str, Any]
    source_ip: str
    user_agent: str
    connected_at: float = field(default_factory=time.time)
    last_active: float = field(default_factory=time.monotonic)
    close_task: asyncio.Task | None = None


def new_connection_id() -> str:
    """Ids shaped like API Gateway's (e.g. 'L0SM9cOFvHcCIhw='), '=' included to catch URL-encoding bugs."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(15)) + "="


def _request_time(now: float) -> str:
    return datetime.fromtimestamp(now, UTC).strftime("%d/%b/%Y:%H:%M:%S +0000")


class Gateway:
    """The gateway; `runtimes`, when given, run asynchronous invocations in processes of their own (as
    Lambda does); without it they run on this process's threads, where a debugger sees them."""

    def __init__(self, config: GatewayConfig, *, route_threads: int = 64, worker_threads: int = 512,
                 runtimes: Runtimes | None = None) -> None:
        self.config = config
        self.connections: dict[str, Connection] = {}
        self.functions = Functions(config.functions)
        self._runtimes = runtimes
        self._routes_pool = ThreadPoolExecutor(route_threads, thread_name_prefix="route")
        self._async_pool = ThreadPoolExecutor(worker_threads, thread_name_prefix="async-invoke")
        self._pending: set[asyncio.Future] = set()

    # ------------------------------------------------------------ wiring

    def app(self) -> web.Application:
        app = web.Application(client_max_size=256 * 1024)
        stage = self.config.stage
        app.router.add_get("/", self.websocket)
        app.router.add_post(f"/{stage}/@connections/{{connection_id}}", self.post_to_connection)
        app.router.add_get(f"/{stage}/@connections/{{connection_id}}", self.get_connection)
        app.router.add_delete(f"/{stage}/@connections/{{connection_id}}", self.delete_connection)
        app.router.add_post("/2015-03-31/functions/{function_name}/invocations", self.invoke)
        app.router.add_get("/.well-known/jwks.json", self.jwks)
        app.router.add_post("/local/dev-token", self.dev_token)
        app.on_shutdown.append(self._close_all)
        return app

    async def _call(self, function_name: str, event: dict[str, Any], pool: ThreadPoolExecutor | None = None) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(pool or self._routes_pool, self.functions.invoke, function_name, event)

    # ------------------------------------------------------------ events, shaped as API Gateway's

    def _context(self, connection: Connection, *, route_key: str, event_type: str) -> dict[str, Any]:
        now = time.time()
        context: dict[str, Any] = {
            "routeKey": route_key,
            "eventType": event_type,
            "extendedRequestId": base64.b64encode(secrets.token_bytes(12)).decode(),
            "requestTime": _request_time(now),
            "messageDirection": "IN",
            "stage": self.config.stage,
            "connectedAt": int(connection.connected_at * 1000),
            "requestTimeEpoch": int(now * 1000),
            "identity": {"sourceIp": connection.source_ip, "userAgent": connection.user_agent},
            "requestId": base64.b64encode(secrets.token_bytes(12)).decode(),
            "domainName": "localhost",
            "connectionId": connection.id,
            "apiId": self.config.api_id,
        }
        if connection.authorizer:
            context["authorizer"] = connection.authorizer
        return context

    def _method_arn(self, route_key: str) -> str:
        return f"arn:aws:execute-api:{REGION}:{ACCOUNT_ID}:{self.config.api_id}/{self.config.stage}/{route_key}"

    def select_route(self, body: str) -> str:
        """`$request.body.action`, or `$default` when the body is not JSON or names no known route.

        pydantic's JSON parser refuses deep nesting with a ValueError; `json.loads` would recurse and raise
        RecursionError on a frame nested ~1,000 deep, which any signed-in user can send.
        """
        try:
            action = from_json(body).get("action")
        except (ValueError, AttributeError):
            return "$default"
        return action if isinstance(action, str) and action in self.config.routes else "$default"

    # ------------------------------------------------------------ the WebSocket side

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        # aiohttp refuses a message of max_msg_size bytes or more; API Gateway takes 32 KB itself.
        socket = web.WebSocketResponse(max_msg_size=MAX_FRAME_BYTES + 1, autoping=True)
        if not socket.can_prepare(request).ok:
            return web.Response(status=426, text="Upgrade Required: this is a WebSocket API.")
        connection = Connection(
            id=new_connection_id(),
            socket=socket,
            authorizer={},
            source_ip=request.remote or "127.0.0.1",
            user_agent=request.headers.get("User-Agent", ""),
        )
        headers = dict(request.headers)
        query = dict(request.query)
        refusal = await self._authorize(connection, headers, query)
        if refusal is not None:
            return refusal
        connect_event = {
            "headers": headers,
            "multiValueHeaders": {key: request.headers.getall(key) for key in request.headers},
            "queryStringParameters": query or None,
            "multiValueQueryStringParameters": {key: request.query.getall(key) for key in request.query} or None,
            "requestContext": self._context(connection, route_key="$connect", event_type="CONNECT"),
            "isBase64Encoded": False,
        }
        try:
            result = await self._call(self.config.connect_function, connect_event)
        except Exception:
            logger.exception("$connect failed")
            return web.Response(status=500, text="Internal server error")
        status = int((result or {}).get("statusCode", 200))
        if not 200 <= status < 300:
            return web.Response(status=status)

        await socket.prepare(request)
        self.connections[connection.id] = connection
        connection.close_task = asyncio.create_task(self._enforce_timeouts(connection))
        close_code, reason = 1000, "Client closed"
        try:
            async for message in socket:
                connection.last_active = time.monotonic()
                if message.type == WSMsgType.TEXT:
                    self._spawn(self._route(connection, message.data))
                elif message.type == WSMsgType.BINARY:
                    # API Gateway takes no binary frames in: it disconnects the client with 1003.
                    close_code, reason = WSCloseCode.UNSUPPORTED_DATA, "Binary frames are not supported"
                    await socket.close(code=close_code, message=reason.encode())
                    break
                elif message.type == WSMsgType.ERROR:
                    close_code, reason = 1009, "Message too big"
                    break
        finally:
            self.connections.pop(connection.id, None)
            if connection.close_task:
                connection.close_task.cancel()
            if socket.close_code is not None:
                close_code = socket.close_code
            await self._disconnect(connection, close_code, reason)
        return socket

    async def _authorize(
        self, connection: Connection, headers: dict[str, str], query: dict[str, str]
    ) -> web.Response | None:
        event = {
            "type": "REQUEST",
            "methodArn": self._method_arn("$connect"),
            "headers": headers,
            "queryStringParameters": query,
            "requestContext": self._context(connection, route_key="$connect", event_type="CONNECT"),
        }
        # The identity source is route.request.querystring.token: without it API Gateway refuses at once.
        if not query.get("token"):
            return web.Response(status=401, text="Unauthorized")
        started = time.monotonic()
        try:
            policy = await self._call(self.config.authorizer_function, event)
        except Exception as exc:
            if str(exc) == "Unauthorized":
                return web.Response(status=401, text="Unauthorized")
            logger.exception("The authorizer failed")
            return web.Response(status=500, text="Internal server error")
        statements = policy.get("policyDocument", {}).get("Statement", [])
        if not statements or any(s.get("Effect") != "Allow" for s in statements):
            return web.Response(status=403, text="Forbidden")
        connection.authorizer = {
            **{key: str(value) for key, value in (policy.get("context") or {}).items()},
            "principalId": policy.get("principalId", ""),
            "integrationLatency": int((time.monotonic() - started) * 1000),
        }
        return None

    async def _route(self, connection: Connection, body: str) -> None:
        route_key = self.select_route(body)
        event = {
            "requestContext": {
                **self._context(connection, route_key=route_key, event_type="MESSAGE"),
                "messageId": base64.b64encode(secrets.token_bytes(9)).decode(),
            },
            "body": body,
            "isBase64Encoded": False,
        }
        try:
            await self._call(self.config.routes[route_key], event)
        except Exception:
            # API Gateway answers an integration failure with this frame; the connection stays open.
            logger.exception("Route %s failed", route_key)
            request_id = event["requestContext"]["requestId"]
            frame = {"message": "Internal server error", "connectionId": connection.id, "requestId": request_id}
            with contextlib.suppress(ConnectionResetError):
                await self._send(connection, json.dumps(frame))

    async def _disconnect(self, connection: Connection, status_code: int, reason: str) -> None:
        event = {
            "headers": {},
            "multiValueHeaders": {},
            "requestContext": {
                **self._context(connection, route_key="$disconnect", event_type="DISCONNECT"),
                "disconnectStatusCode": status_code,
                "disconnectReason": reason,
            },
            "isBase64Encoded": False,
        }
        try:
            await self._call(self.config.disconnect_function, event)
        except Exception:
            logger.exception("$disconnect failed")

    async def _enforce_timeouts(self, connection: Connection) -> None:
        deadline = time.monotonic() + self.config.max_connection_seconds
        while True:
            now = time.monotonic()
            idle_deadline = connection.last_active + self.config.idle_timeout
            wait = min(deadline, idle_deadline) - now
            if wait <= 0:
                reason = "Connection idle" if idle_deadline <= deadline else "Connection lifetime exceeded"
                await connection.socket.close(code=WSCloseCode.GOING_AWAY, message=reason.encode())
                return
            await asyncio.sleep(min(wait, 5.0))

    async def _send(self, connection: Connection, data: str | bytes) -> None:
        connection.last_active = time.monotonic()
        if isinstance(data, bytes):
            try:
                data = data.decode()
            except UnicodeDecodeError:
                await connection.socket.send_bytes(data)
                return
        await connection.socket.send_str(data)

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.ensure_future(coroutine)
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _close_all(self, app: web.Application) -> None:
        for connection in list(self.connections.values()):
            with contextlib.suppress(Exception):
                await connection.socket.close(code=WSCloseCode.GOING_AWAY, message=b"Server shutting down")

    # ------------------------------------------------------------ the @connections management API

    def _connection_or_gone(self, request: web.Request) -> Connection | web.Response:
        connection = self.connections.get(request.match_info["connection_id"])
        if connection is None or connection.socket.closed:
            return _aws_error(410, "GoneException", "")
        return connection

    async def post_to_connection(self, request: web.Request) -> web.Response:
        data = await request.read()
        if len(data) > MAX_FRAME_BYTES:
            return _aws_error(413, "PayloadTooLargeException", "Message too long")
        connection = self._connection_or_gone(request)
        if isinstance(connection, web.Response):
            return connection
        try:
            await self._send(connection, data)
        except ConnectionResetError:
            return _aws_error(410, "GoneException", "")
        return web.Response(status=200)

    async def get_connection(self, request: web.Request) -> web.Response:
        connection = self._connection_or_gone(request)
        if isinstance(connection, web.Response):
            return connection
        return web.json_response({
            "ConnectedAt": datetime.fromtimestamp(connection.connected_at, UTC).isoformat(),
            "Identity": {"SourceIp": connection.source_ip, "UserAgent": connection.user_agent},
            "LastActiveAt": datetime.fromtimestamp(
                time.time() - (time.monotonic() - connection.last_active), UTC
            ).isoformat(),
        })

    async def delete_connection(self, request: web.Request) -> web.Response:
        connection = self._connection_or_gone(request)
        if isinstance(connection, web.Response):
            return connection
        await connection.socket.close(code=WSCloseCode.GOING_AWAY, message=b"Closed by the backend")
        return web.Response(status=204)

    # ------------------------------------------------------------ Lambda's Invoke API (the hand-off)

    async def invoke(self, request: web.Request) -> web.Response:
        name = request.match_info["function_name"].rsplit(":", 1)[-1]
        if name not in self.functions:
            return _aws_error(404, "ResourceNotFoundException", f"Function not found: {name}")
        try:
            event = json.loads(await request.read() or b"{}")
        except ValueError:
            return _aws_error(400, "InvalidRequestContentException", "Could not parse request body into json")
        invocation_type = request.headers.get("X-Amz-Invocation-Type", "RequestResponse")
        if invocation_type == "Event":
            if self._runtimes is not None:
                self._runtimes.invoke(name, event)
            else:
                self._spawn(self._run_async(name, event))
            return web.Response(status=202)
        try:
            result = await self._call(name, event, self._async_pool)
        except Exception as exc:  # noqa: BLE001 - Lambda reports a function's failure in the response
            body = {"errorMessage": str(exc), "errorType": type(exc).__name__}
            return web.json_response(body, status=200, headers={"X-Amz-Function-Error": "Unhandled"})
        return web.json_response(result, status=200)

    async def _run_async(self, name: str, event: dict[str, Any]) -> None:
        try:
            await self._call(name, event, self._async_pool)
        except Exception:
            logger.exception("Asynchronous invoke of %s failed", name)

    async def jwks(self, request: web.Request) -> web.Response:
        if self.config.jwks is None:
            return web.Response(status=404)
        return web.json_response(self.config.jwks)

    async def dev_token(self, request: web.Request) -> web.Response:
        """`memchat token NAME` for the app: {"user": NAME} -> {"token": ...}. Only where the stack offers it,
        and only over loopback at both ends (the server's address and the caller's): never from the network."""
        local = (request.transport.get_extra_info("sockname") or ("",))[0] if request.transport else ""
        if self.config.dev_tokens is None or not (_loopback(local) and _loopback(request.remote or "")):
            return web.Response(status=404)
        try:
            user = (await request.json())["user"]
            token = self.config.dev_tokens(user if isinstance(user, str) else "")
        except (ValueError, KeyError, TypeError) as exc:
            return web.json_response({"message": str(exc) or "Send {\"user\": NAME}."}, status=400)
        return web.json_response({"token": token})

    def shutdown(self) -> None:
        self._routes_pool.shutdown(wait=False, cancel_futures=True)
        self._async_pool.shutdown(wait=False, cancel_futures=True)
        if self._runtimes is not None:
            self._runtimes.stop()


def _loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _aws_error(status: int, code: str, message: str) -> web.Response:
    """An error as AWS's REST-JSON services send it; botocore reads the code from the header."""
    return web.json_response({"message": message}, status=status, headers={"x-amzn-ErrorType": code})
