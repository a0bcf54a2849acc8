"""Hostile client frames for the fuzz suites: hypothesis strategies, each frame with the outcomes the protocol
promises for it (docs/protocol.md: an ill-formed or ill-typed frame gets `bad_request`, a message over the
limit `too_large`; API Gateway closes the connection on a binary frame (1003) and on one over 32 KB (1009)).

A case starts from a valid frame of one action and applies at most one fault, so its expected outcome is
known: a frame with two faults could be refused for either. Text a refused frame carries holds a canary,
a unique marker that must never be found in storage afterwards.
"""

from __future__ import annotations

import itertools
import json
import string
import typing
import uuid
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from memchat.errors import ErrorCode
from memchat.frames import CLIENT_ACTIONS, MAX_FRAME_BYTES, ClientFrame, ServerFrame

MAX_MESSAGE_CHARS = 4000  # the settings' default, which both suites run with
MAX_CURSOR_CHARS = 2048
DEEP = 1000  # how deep the nested frames of the adversarial run went

# Outcomes: an error frame's code, another frame's type, or a close of the connection by the gateway.
BAD_REQUEST = "error:bad_request"
TOO_LARGE = "error:too_large"
NOT_FOUND = "error:not_found"
RATE_LIMITED = "error:rate_limited"
CLOSE_UNSUPPORTED = "close:1003"
CLOSE_TOO_BIG = "close:1009"

# Item 5 of the hardening issue: strict wire types are frames.py's, pending when this suite was written.
STRICT_TYPES_PENDING = "strict wire types pending in frames.py"

_canaries = itertools.count()


def canary() -> str:
    return f"canary{next(_canaries):06d}q"


@dataclass(frozen=True)
class Case:
    """One frame to send and what may come back."""

    body: str | bytes  # bytes: a binary WebSocket frame
    expect: frozenset[str]
    kind: str  # which fault, for the figures
    action: str | None = None
    canary: str | None = None
    strict_pending: bool = False  # refused only once frames.py's wire types are strict

    @property
    def refused(self) -> bool:
        """Nothing in `expect` stores anything: every outcome is an error or a close."""
        return all(outcome.startswith(("error:", "close:")) for outcome in self.expect)

    @property
    def size(self) -> int:
        return len(self.body if isinstance(self.body, bytes) else self.body.encode("utf-8", "surrogatepass"))


def _dumps(frame: Any) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


# ---------------------------------------------------------------- field values

hex_ids = st.text(alphabet="0123456789abcdef", min_size=8, max_size=64)
# Fresh for every frame: a clientMessageId seen before makes a frame a retry, answered as the first was.
uuids = st.builds(lambda: str(uuid.uuid4()))
exotic_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200
).filter(lambda text: text.strip())
exotic_samples = st.sampled_from([
    "héllo wörld", "你好，世界", "👋🏽🧑‍🚀🏳️‍🌈", "مرحبا بالعالم", "\u202etxet desrever\u202c", "zero\u200bwidth\ufeff",
    "nul\x00byte", "tab\tand\nnewline", "\U0001d573\U0001d58a\U0001d587", "ｆｕｌｌｗｉｄｔｈ", "e\u0301\u0301\u0301",
])
good_text = st.one_of(exotic_text, exotic_samples)

bad_ids = st.one_of(
    st.text(alphabet="0123456789abcdef", min_size=0, max_size=7),  # too short
    st.text(alphabet="0123456789abcdef", min_size=65, max_size=80),  # too long
    hex_ids.map(str.upper).filter(lambda text: any(c in "ABCDEF" for c in text)),
    hex_ids.map(lambda text: text[:4] + "#" + text[4:]),  # a key separator
    hex_ids.map(lambda text: text + "\n"),
    st.text(min_size=1, max_size=40).filter(lambda text: not set(text) <= set("0123456789abcdef")),
)
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                         st.text(max_size=20))
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)


def _repeated(size: int, alphabet: str | None = None) -> st.SearchStrategy[str]:
    """Text of exactly `size` characters, drawn as a short seed repeated: hypothesis draws long text slowly."""
    seed = st.text(alphabet=alphabet, min_size=1, max_size=8) if alphabet else st.text(min_size=1, max_size=8)
    return seed.map(lambda text: (text * size)[:size])


def nested(depth: int, opening: str = "[") -> str:
    closing = {"[": "]", '{"a":': "}"}[opening]
    return opening * depth + "0" + closing * depth


def _non_string(value: Any) -> bool:
    return not isinstance(value, str)


def _non_int(value: Any) -> bool:
    return not (isinstance(value, int) and not isinstance(value, bool)) and not (
        isinstance(value, float) and value.is_integer())


# ---------------------------------------------------------------- the actions and their fields

@dataclass(frozen=True)
class FieldSpec:
    name: str
    required: bool
    valid: st.SearchStrategy[Any]
    invalid: st.SearchStrategy[Any]  # each value alone makes the frame bad_request
    derived: bool = False  # from the model's annotation, not written here


def _hand_written() -> dict[str, list[FieldSpec]]:
    """The fields of the original actions, with invalid values chosen by hand."""
    ids_invalid = st.one_of(bad_ids, json_values.filter(_non_string))
    return {
        "sendMessage": [
            FieldSpec("clientMessageId", True, uuids,
                      st.one_of(st.text(max_size=40).filter(lambda t: not _is_uuid(t)),
                                json_values.filter(lambda v: _non_string(v) and v is not None))),
            FieldSpec("conversationId", False, hex_ids, st.one_of(bad_ids, json_values.filter(
                lambda v: _non_string(v) and v is not None))),
            FieldSpec("text", True, good_text, json_values.filter(_non_string)),
        ],
        "getHistory": [
            FieldSpec("conversationId", True, hex_ids, ids_invalid),
            FieldSpec("before", False, hex_ids, st.one_of(bad_ids, json_values.filter(
                lambda v: _non_string(v) and v is not None))),
            FieldSpec("limit", False, st.integers(1, 100), st.one_of(
                st.integers(max_value=0), st.integers(min_value=101),
                st.text(alphabet=string.ascii_letters, max_size=5),
                st.floats(allow_nan=False).filter(lambda f: not f.is_integer()),
                st.lists(st.integers(), max_size=2))),
        ],
        "listConversations": [
            FieldSpec("cursor", False, st.nothing(), st.one_of(
                json_values.filter(lambda v: _non_string(v) and v is not None),
                _repeated(MAX_CURSOR_CHARS + 1))),
        ],
        "deleteConversation": [FieldSpec("conversationId", True, hex_ids, ids_invalid)],
        "stopGeneration": [
            FieldSpec("conversationId", True, hex_ids, ids_invalid),
            FieldSpec("messageId", True, hex_ids, ids_invalid),
        ],
        "ping": [],
    }


def _models() -> dict[str, type[BaseModel]]:
    return {model.model_fields["action"].annotation.__args__[0]: model
            for model in typing.get_args(typing.get_args(ClientFrame)[0])}


ID_PATTERN = r"^[0-9a-f]{8,64}$"


def _derived(field: FieldInfo) -> tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]:
    """Valid and invalid values of a field from its annotation: for actions added after the hand-written
    specs, so every action of the protocol is fuzzed whatever it grows."""
    annotation = field.annotation
    optional = type(None) in typing.get_args(annotation)
    if optional:
        annotation = next(arg for arg in typing.get_args(annotation) if arg is not type(None))
    metadata = list(field.metadata)
    if typing.get_origin(annotation) is typing.Annotated:
        annotation, *extra = typing.get_args(annotation)
        metadata += extra
    pattern = next((m.pattern for m in metadata if getattr(m, "pattern", None)), None)
    min_length = next((m.min_length for m in metadata if getattr(m, "min_length", None) is not None), 0)
    max_length = next((m.max_length for m in metadata if getattr(m, "max_length", None) is not None), None)
    wrong = json_values.filter(lambda v: v is not None or not optional)
    if annotation is bool:
        return st.booleans(), wrong.filter(lambda v: not isinstance(v, bool))
    if annotation is uuid.UUID:
        return uuids, wrong.filter(lambda v: not (isinstance(v, str) and _is_uuid(v)))
    if annotation is str and pattern == ID_PATTERN:
        return hex_ids, st.one_of(bad_ids, wrong.filter(_non_string))
    if annotation is str:
        top = max_length or 200
        valid = good_text.map(lambda text: (text * (1 + min_length))[: min(top, 200)])
        invalid = [wrong.filter(_non_string)]
        if max_length is not None:
            invalid.append(_repeated(max_length + 1))
        if min_length:
            invalid.append(st.just(""))
        return valid, st.one_of(*invalid)
    return st.nothing(), st.sampled_from([{"not": "this"}, [[]]])  # a type this suite does not know yet


def _fields() -> dict[str, list[FieldSpec]]:
    hand = _hand_written()
    fields: dict[str, list[FieldSpec]] = {}
    for action, model in _models().items():
        specs = {spec.name: spec for spec in hand.get(action, [])}
        for name, info in model.model_fields.items():
            alias = info.alias or name
            if name == "action" or alias in specs:
                continue
            valid, invalid = _derived(info)
            specs[alias] = FieldSpec(alias, info.is_required(), valid, invalid, derived=True)
        fields[action] = list(specs.values())
    return fields


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


FIELDS = _fields()
assert set(FIELDS) == set(CLIENT_ACTIONS), "every action of the protocol is fuzzed"
ALIASES = {action: {alias for spec in specs for alias in (spec.name, _snake(spec.name))} | {"action"}
           for action, specs in FIELDS.items()}


# What a well-formed frame of each action may get back: the ids in a fuzzed frame name nothing stored,
# so a read of them is not_found; the message of a well-formed sendMessage is acked (or, when long,
# may be too long for the model's window).
VALID_OUTCOMES = {
    "sendMessage": frozenset({"ack"}),
    "sendMessage+conversation": frozenset({NOT_FOUND}),
    "getHistory": frozenset({NOT_FOUND}),
    "listConversations": frozenset({"conversations"}),
    "deleteConversation": frozenset({"deleted", NOT_FOUND}),
    "stopGeneration": frozenset({NOT_FOUND}),
    "ping": frozenset({"pong"}),
}


@st.composite
def _valid_frame(draw: st.DrawFn, action: str) -> dict[str, Any]:
    frame: dict[str, Any] = {"action": action}
    for spec in FIELDS[action]:
        if spec.name == "conversationId" and action == "sendMessage":
            continue  # a new conversation: the only way a fuzzed message is stored and acked
        # An optional field this suite learnt from the model may change what the frame means: left out of
        # the actions whose outcomes are written down here.
        optional_ok = not spec.valid.is_empty and not (spec.derived and action in VALID_OUTCOMES)
        if spec.required or (optional_ok and draw(st.booleans())):
            frame[spec.name] = draw(spec.valid)
    return frame


# An action added after VALID_OUTCOMES was written may answer with any frame, or any error but `internal`.
ANY_DOCUMENTED = frozenset(
    {f"error:{code.value}" for code in ErrorCode if code is not ErrorCode.INTERNAL}
    | {typing.get_args(model.model_fields["type"].annotation)[0]
       for model in typing.get_args(typing.get_args(ServerFrame)[0])}
)


def _valid_outcome(frame: dict[str, Any]) -> frozenset[str]:
    action = frame["action"]
    if action == "sendMessage" and "conversationId" in frame:
        return VALID_OUTCOMES["sendMessage+conversation"]
    return VALID_OUTCOMES.get(action, ANY_DOCUMENTED)


@st.composite
def action_cases(draw: st.DrawFn) -> Case:
    """A frame of one action with at most one fault in one field."""
    action = draw(st.sampled_from(CLIENT_ACTIONS))
    frame = draw(_valid_frame(action))
    specs = FIELDS[action]
    faults = ["valid", "extra_field", "duplicate_action_case"]
    if specs:
        faults += ["wrong_value", "deep_field"]
    if any(spec.required for spec in specs):
        faults.append("missing_field")
    if action == "sendMessage":
        faults += ["blank_text", "text_at_limit", "text_over_limit", "lone_surrogate", "conversation_given"]
    if action == "getHistory":
        faults += ["limit_bounds", "limit_loose_type"]
    if action == "listConversations":
        faults += ["cursor_at_limit", "cursor_empty"]
    fault = draw(st.sampled_from(faults))
    mark = canary()
    expect = frozenset({BAD_REQUEST})
    strict_pending = False
    body: str | None = None
    match fault:
        case "valid":
            expect = _valid_outcome(frame)
        case "conversation_given":
            frame["conversationId"] = draw(hex_ids)
            expect = _valid_outcome(frame)
        case "extra_field":
            name = draw(st.text(min_size=1, max_size=12).filter(lambda n: n not in ALIASES[action]))
            frame[name] = draw(json_values)
        case "duplicate_action_case":
            frame["Action"] = frame.pop("action")  # JSON is case-sensitive: no action at all
        case "wrong_value":
            spec = draw(st.sampled_from(specs))
            frame[spec.name] = draw(spec.invalid)
            if spec.name == "text":  # the canary would make an invalid text (an empty one) valid
                body = _dumps(frame)
        case "deep_field":
            spec = draw(st.sampled_from(specs))
            frame[spec.name] = "__DEEP__"
            body = _dumps(frame).replace('"__DEEP__"', nested(DEEP, draw(st.sampled_from(["[", '{"a":']))))
        case "missing_field":
            spec = draw(st.sampled_from([spec for spec in specs if spec.required]))
            frame.pop(spec.name, None)
        case "blank_text":
            frame["text"] = draw(st.sampled_from(["", " ", "\n\t ", "\u3000"]))
        case "text_at_limit":
            size = draw(st.sampled_from([MAX_MESSAGE_CHARS - 1, MAX_MESSAGE_CHARS]))
            frame["text"] = (mark + " " + "x" * size)[:size]
            expect = frozenset({"ack", TOO_LARGE})  # fits the limit; the model's window may still refuse it
        case "text_over_limit":
            size = draw(st.sampled_from([MAX_MESSAGE_CHARS + 1, MAX_MESSAGE_CHARS + 2, 3 * MAX_MESSAGE_CHARS]))
            frame["text"] = (mark + " " + "y" * size)[:size]
            expect = frozenset({TOO_LARGE})
        case "lone_surrogate":
            frame["text"] = mark + " ??"
            body = _dumps(frame).replace("??", draw(st.sampled_from(["\\ud800", "\\udfff", "a\\udc00b"])))
        case "limit_bounds":
            frame["limit"] = draw(st.sampled_from([0, 1, 100, 101, -1, 2**63]))
            expect = _valid_outcome(frame) if 1 <= frame["limit"] <= 100 else frozenset({BAD_REQUEST})
        case "limit_loose_type":
            frame["limit"] = draw(st.sampled_from([True, False, "10", "1", 10.0]))
            strict_pending = True
        case "cursor_at_limit":
            frame["cursor"] = draw(_repeated(MAX_CURSOR_CHARS, string.ascii_letters + string.digits + "+/="))
            expect = frozenset({"conversations", BAD_REQUEST})  # a cursor the server never issued
        case "cursor_empty":
            frame["cursor"] = ""
            strict_pending = True
    if body is None:
        if "text" in frame and isinstance(frame["text"], str) and fault not in ("valid", "conversation_given",
                                                                                "text_at_limit", "blank_text",
                                                                                "text_over_limit"):
            frame["text"] = mark + " " + frame["text"]
        body = _dumps(frame)
    return Case(body, expect, fault, action, mark if mark in body else None, strict_pending)


@st.composite
def shapeless_cases(draw: st.DrawFn) -> Case:
    """Frames that are not an object with a known action at all."""
    kind = draw(st.sampled_from(["not_json", "truncated", "non_object", "empty", "unknown_action",
                                 "action_wrong_type", "deep_frame", "deep_action"]))
    match kind:
        case "not_json":
            body = draw(st.text(min_size=1, max_size=300).filter(_not_json))
        case "truncated":
            whole = _dumps(draw(_valid_frame(draw(st.sampled_from(CLIENT_ACTIONS)))))
            body = whole[: draw(st.integers(1, len(whole) - 1))]
        case "non_object":
            body = _dumps(draw(json_values.filter(lambda v: not isinstance(v, dict))))
        case "empty":
            body = draw(st.sampled_from(["", " ", "{}", "[]", "null", '""']))
        case "unknown_action":
            action = draw(st.text(max_size=30).filter(lambda a: a not in CLIENT_ACTIONS))
            rest = draw(st.dictionaries(st.text(max_size=8).filter(lambda k: k != "action"), json_values, max_size=3))
            body = _dumps({"action": action, **rest})
        case "action_wrong_type":
            body = _dumps({"action": draw(json_values.filter(_non_string))})
        case "deep_frame":
            body = nested(draw(st.integers(DEEP - 1, DEEP + 1)), draw(st.sampled_from(["[", '{"a":'])))
        case _:  # deep_action: a known action, its frame nested far below
            body = '{"action":"ping","x":' + nested(DEEP) + "}"
    return Case(body, frozenset({BAD_REQUEST}), kind)


def _not_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return True
    return False


def handler_cases() -> st.SearchStrategy[Case]:
    """Frames the chat function can receive: API Gateway delivers text frames of up to 32 KB."""
    return st.one_of(action_cases(), action_cases(), shapeless_cases()).filter(lambda c: c.size <= MAX_FRAME_BYTES)


@st.composite
def gateway_only_cases(draw: st.DrawFn) -> Case:
    """What only a gateway sees: binary frames and the frame size limit, one byte either side."""
    kind = draw(st.sampled_from(["binary", "binary_json", "size_limit"]))
    match kind:
        case "binary":
            return Case(draw(st.binary(min_size=1, max_size=512)), frozenset({CLOSE_UNSUPPORTED}), kind)
        case "binary_json":
            return Case(b'{"action":"ping"}', frozenset({CLOSE_UNSUPPORTED}), kind)
        case _:
            size = draw(st.sampled_from([MAX_FRAME_BYTES - 1, MAX_FRAME_BYTES, MAX_FRAME_BYTES + 1]))
            mark = canary()
            prefix = '{"action":"sendMessage","clientMessageId":"' + str(uuid.uuid4()) + '","text":"' + mark
            body = prefix + "z" * (size - len(prefix) - 2) + '"}'
            assert len(body.encode()) == size
            expect = frozenset({TOO_LARGE}) if size <= MAX_FRAME_BYTES else frozenset({CLOSE_TOO_BIG})
            return Case(body, expect, f"size_{size - MAX_FRAME_BYTES:+d}", "sendMessage", mark)


def gateway_cases() -> st.SearchStrategy[Case]:
    return st.one_of(handler_cases(), gateway_only_cases())
