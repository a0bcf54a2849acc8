"""The error tree's words: every failure a user sees says what happened and what to do."""

from __future__ import annotations

import pytest

from memchat.errors import AnswerNotStarted, ChatError, ErrorCode, ModelUnavailable, explain
from memchat.frames import MessageStatus, Role
from memchat.memory import StoredMessage

# What a user can do about a failure, one of which every message names.
WHAT_TO_DO = ("try again", "reload", "sign in", "send it again", "shorten", "wait")


def _every_error_class(base: type[ChatError] = ChatError):
    yield base
    for sub in base.__subclasses__():
        yield from _every_error_class(sub)


@pytest.mark.parametrize("kind", [k for k in _every_error_class() if k is not AnswerNotStarted],
                         ids=lambda k: k.__name__)
def test_every_errors_default_message_says_what_to_do(kind):
    message = kind.default_message.lower()
    assert any(action in message for action in WHAT_TO_DO), kind.default_message


@pytest.mark.parametrize("code", list(ErrorCode))
def test_a_stored_failure_without_a_message_is_explained_by_its_code(code):
    message = explain(code).lower()
    assert any(action in message for action in WHAT_TO_DO), message


def test_the_explanation_is_the_codes_own_error_message():
    assert explain(ErrorCode.MODEL_UNAVAILABLE) == ModelUnavailable.default_message
    assert explain(ErrorCode.INTERNAL) == ChatError.default_message


def test_history_explains_an_answer_that_failed_before_messages_were_kept():
    stored = StoredMessage("0" * 24, Role.ASSISTANT, "", MessageStatus.FAILED, 0, 0, error_code="internal")
    assert stored.view().error_message == ChatError.default_message
    assert StoredMessage("0" * 24, Role.ASSISTANT, "Hi", MessageStatus.COMPLETE, 0, 0).view().error_message is None
