"""What the user sends and what comes back for it, one part of `state.ChatState`: send, retry, edit,
regenerate, continue and stop, and the frames that answer them (`ack`, `delta`, `done`, `error`, `resumed`,
`started`, `message`, `waking`), put together into the open conversation's bubbles.

`Outgoing` is mixed into ChatState. Its bookkeeping lives in ChatState.__post_init__: `_pending` (user messages
sent, not acked), `_live` (answers being written that the screen follows), `_resumed`, `_edits`,
`_stop_after_ack`, `_starting`; `_sync` derives from them what the composer shows (sending, answering).
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

from memchat.errors import ErrorCode
from memchat.frames import (
    Ack,
    ContinueAnswer,
    Delta,
    Done,
    EditMessage,
    ErrorFrame,
    FinishReason,
    GetHistory,
    ListConversations,
    ListMemories,
    MessageChanged,
    MessageStatus,
    RegenerateAnswer,
    ResumeAnswer,
    Resumed,
    Role,
    SendMessage,
    ServerFrame,
    Started,
    StopGeneration,
    Waking,
)
from memchat_mobile.conversation import HISTORY_PAGE, Thread
from memchat_mobile.link import Link
from memchat_mobile.listing import TITLE_CHECKS, first_words
from memchat_mobile.message import Message, Reassembly

__all__ = ["LEARN_CHECKS", "MAX_MESSAGE_CHARS", "TOO_LONG_TEXT", "Outgoing", "too_long"]

# The server learns from a message in the background after its answer (no frame says so): the memories are
# read again this many seconds after an answer's `done`, to say "Memory updated" under the answers that taught
# one. A few reads, spread: seconds on AWS, longer behind a busy local model.
LEARN_CHECKS = (8.0, 30.0, 90.0)

# The longest message the server takes (its MEMCHAT_MAX_MESSAGE_CHARS, documented in docs/protocol.md). The
# protocol does not carry it yet: this is the app's one copy, which the composer's counter reads through
# ChatState.max_message_chars; a refusal (too_large) still keeps the text, so a server with a lower limit loses
# nothing. The prompt budget (tokens) has no fixed number of characters: the server refuses and says so.
MAX_MESSAGE_CHARS = 4000
TOO_LONG_TEXT = ("Too long for memchat to read in one message. Shorten it or split it in two, then send it "
                 "again.")


# An answer this screen follows hears from the server every few seconds while it is written (its deltas, or the
# waking countdown). One silent this long is asked for again (resumeAnswer, which the server takes any number
# of times): one that ended is sent back whole, and one whose follow was lost on the way (a frame lost, a
# resume the server never registered) is followed from here on. An answer never stays "Writing..." for good.
ANSWER_SILENCE_SECONDS = 20.0


def too_long(over: int, limit: int) -> str:
    """What the composer says of a text past the limit: kept whole, for the user to shorten or split."""
    return (f"{over:,} character{'s' if over != 1 else ''} too long (the limit is {limit:,}). Shorten it or split "
            "it in two.")


class Outgoing:
    """Messages out, answers back (see the module's docstring)."""

    @property
    def can_send(self) -> bool:
        """Offline too: the message waits, kept, and goes when the connection is back."""
        thread = self.thread
        return thread is not None and not thread.sending and thread.answering is None

    def overflow(self, text: str) -> int:
        """How many characters `text` has past the longest message the server takes (0 when it fits)."""
        return max(0, len(text.strip()) - self.max_message_chars)

    def send(self, text: str) -> bool:
        """Send what the user typed; False (and nothing sent) when it is blank, too long (kept whole, to be
        shortened or split) or sending is not possible."""
        text = text.strip()
        thread = self.thread
        if thread is not None and text and thread.answering is not None:
            self.notice = "memchat is still answering: wait for the answer, or stop it first."
            return False
        if thread is not None and self.overflow(text):
            self.notice = too_long(self.overflow(text), self.max_message_chars)
            return False
        if not text or thread is None or not self.can_send:
            return False
        thread.draft.put("")
        message = Message(role=Role.USER, text=text, client_message_id=uuid.uuid4())
        if thread.conversation_id is None and not thread.messages:
            thread.title = first_words(text)
        thread.messages.append(message)
        self._send_message(message, thread)
        return True

    def retry(self, message: Message) -> None:
        """A message that was not sent goes again with the same clientMessageId (stored at most once); a
        failed or interrupted answer is answered again in place (regenerateAnswer)."""
        thread = self.thread
        if thread is None or message not in thread.messages:
            return
        if message.can_retry:
            message.error = message.error_code = None
            self._send_message(message, thread)
        elif message.role is Role.ASSISTANT:
            self.regenerate(message)
        self._sync()

    def regenerate(self, answer: Message) -> bool:
        """Answer the last message again; the earlier answer stays as an alternative."""
        thread = self.thread
        if thread is None or not self.can_regenerate(answer):
            return False
        answer.error = None
        self.outbox.send(RegenerateAnswer(action="regenerateAnswer", conversation_id=thread.conversation_id,
                                          message_id=answer.message_id))
        self._starting = answer
        return True

    def go_on(self, answer: Message) -> bool:
        """Continue an answer that was stopped or cut, where it ended."""
        thread = self.thread
        if thread is None or not self.can_continue(answer):
            return False
        self.outbox.send(ContinueAnswer(action="continueAnswer", conversation_id=thread.conversation_id,
                                        message_id=answer.message_id))
        self._starting = answer
        return True

    def edit(self, message: Message, text: str) -> bool:
        """Replace the last message with new text and have it answered; the earlier message and its answer
        stay as alternatives."""
        text = text.strip()
        thread = self.thread
        if thread is None or not text or text == message.text or not self.can_edit(message):
            return False
        if self.overflow(text):
            self.notice = too_long(self.overflow(text), self.max_message_chars)
            return False
        replaced = [message, *[m for m in thread.messages if m.reply_to == message.message_id and not m.superseded]]
        for old in replaced:
            old.superseded = True
        edited = Message(role=Role.USER, text=text, client_message_id=uuid.uuid4())
        thread.messages.append(edited)
        assert edited.client_message_id is not None
        self._edits[edited.client_message_id] = replaced
        self._pending[edited.client_message_id] = edited
        self._sync()
        self.outbox.send(EditMessage(action="editMessage", conversation_id=thread.conversation_id,
                                     message_id=message.message_id, client_message_id=edited.client_message_id,
                                     text=text))
        return True

    def edit_unsent(self, message: Message) -> None:
        """Take a message that was not sent back into the composer (replacing its draft) to change it."""
        thread = self.thread
        if thread is None or message not in thread.messages or not message.not_sent:
            return
        thread.messages.remove(message)
        thread.draft.put(message.text)
        self._sync()

    def stop(self) -> None:
        """Stop the answer streaming into the open conversation (or the one about to, once it is acked)."""
        thread = self.thread
        if thread is None:
            return
        answer = thread.answering
        if answer is not None and thread.conversation_id and answer.message_id:
            answer.stopping = True
            self.outbox.send(StopGeneration(action="stopGeneration", conversation_id=thread.conversation_id,
                                            message_id=answer.message_id))
            return
        self._stop_after_ack.update(m.client_message_id for m in thread.messages if m.sending and m.client_message_id)

    def _send_message(self, message: Message, thread: Thread) -> None:
        assert message.client_message_id is not None
        self._pending[message.client_message_id] = message
        self._sync()
        new = thread.conversation_id is None
        self.outbox.send(SendMessage(action="sendMessage", conversation_id=thread.conversation_id,
                                     client_message_id=message.client_message_id, text=message.text,
                                     temporary=new and thread.temporary,
                                     project_id=thread.project_id if new else None))

    def _on_ack(self, ack: Ack) -> None:
        message = self._pending.pop(ack.client_message_id, None)
        self._edits.pop(ack.client_message_id, None)
        if message is None:
            return  # the ack of a resent frame that was already acked
        thread = self.thread
        in_thread = thread is not None and message in thread.messages
        if in_thread and thread.conversation_id is None:
            thread.conversation_id = ack.conversation_id
            self._first_messages[ack.conversation_id] = message.text
            self._untitled.add(ack.conversation_id)
            self.refresh_conversations()
        stored = thread.find(ack.message_id) if in_thread else None
        if in_thread and stored is not None and stored is not message:
            # A history page brought the stored copy first (a resend after a reconnect): keep that one.
            thread.messages.remove(message)
            answer = thread.find(ack.reply_id)
        else:
            message.message_id = ack.message_id
            message.status = MessageStatus.SENT
            message.created_at = message.created_at or datetime.now(UTC)
            answer = Message(role=Role.ASSISTANT, status=MessageStatus.PENDING, message_id=ack.reply_id,
                             reply_to=ack.message_id, created_at=datetime.now(UTC))
            if in_thread:
                thread.messages.insert(thread.messages.index(message) + 1, answer)
        if answer is not None and answer.in_progress:
            self._live[ack.reply_id] = answer
            if ack.client_message_id in self._stop_after_ack:
                self._stop_after_ack.discard(ack.client_message_id)
                answer.stopping = True
                self.outbox.send(StopGeneration(action="stopGeneration", conversation_id=ack.conversation_id,
                                                message_id=ack.reply_id))

    def _on_delta(self, delta: Delta) -> None:
        answer = self._live.get(delta.message_id)
        if answer is None:
            return
        text = answer._pieces.push(delta.seq, delta.text)
        if text:
            answer.text += text
        answer.waking_until = None
        if answer.status is MessageStatus.PENDING:
            answer.status = MessageStatus.STREAMING

    def _on_done(self, done: Done) -> None:
        if done.conversation_id in self._untitled:
            self._untitled.discard(done.conversation_id)
            for delay in TITLE_CHECKS:
                self.outbox.send_later(delay, ListConversations(action="listConversations"))
        answer = self._live.pop(done.message_id, None)
        if answer is None:
            return
        answer.waking_until = None
        if done.memories:
            answer.recalled = [m.memory_id for m in done.memories]
            answer.recalled_texts = {m.memory_id: m.text for m in done.memories}
            self.memory.on_recalled(answer.recalled)
        if done.exchanges:
            answer.exchanges = list(done.exchanges)
        answer.finish_reason = done.finish_reason
        answer.status = MessageStatus.STOPPED if done.finish_reason is FinishReason.STOPPED else MessageStatus.COMPLETE
        answer.stopping = False
        thread = self.thread
        if thread is not None and answer in thread.messages and not thread.temporary and \
                self.memory.enabled is not False:
            for delay in LEARN_CHECKS:  # what its message taught, once the background digest has read it
                self.outbox.send_later(delay, ListMemories(action="listMemories"))
        if not answer._pieces.complete and thread is not None and thread.conversation_id == done.conversation_id:
            # A delta never came: the stored answer is whole, so read it back.
            self.outbox.send(GetHistory(action="getHistory", conversation_id=done.conversation_id,
                                        limit=HISTORY_PAGE))
        self.refresh_conversations()  # the list is ordered by activity

    def _on_error(self, error: ErrorFrame) -> None:
        if error.client_message_id is not None and error.client_message_id in self._pending:
            message = self._pending.pop(error.client_message_id)
            message.error, message.error_code = error.message, error.code
            if error.code is ErrorCode.TOO_LARGE and "limit is" not in error.message:
                message.error = TOO_LONG_TEXT  # the prompt budget, in words a user understands
            self._stop_after_ack.discard(error.client_message_id)
            for old in self._edits.pop(error.client_message_id, []):
                old.superseded = False  # the edit was refused: the earlier message is current again
            return
        if error.message_id is not None and error.message_id in self._live:
            answer = self._live.pop(error.message_id)
            answer.waking_until = None
            if error.code is ErrorCode.NOT_FOUND:
                # Nothing to resume (the server lost it): what this screen has is all there is.
                answer.status = MessageStatus.INTERRUPTED
            else:
                answer.status = MessageStatus.FAILED
                answer.error, answer.error_code = error.message, error.code
            answer.stopping = False
            thread = self.thread
            if thread is not None and thread.conversation_id is not None and answer in thread.messages:
                # History says how it ended (interrupted with its saved text, or failed): read it back.
                self.outbox.send(GetHistory(action="getHistory", conversation_id=thread.conversation_id,
                                            limit=HISTORY_PAGE))
            return
        if error.code is ErrorCode.NOT_FOUND and error.conversation_id and error.message_id is None:
            self._forget(error.conversation_id)
        if self.thread is not None and self.thread.loading_older:
            self.thread.loading_older = False
        self.notice = error.message

    def _resume(self, answer: Message) -> None:
        """Follow an answer being written on this socket, from the deltas this screen has (resumeAnswer)."""
        thread = self.thread
        if (self.link is not Link.CONNECTED or answer.message_id is None or answer.message_id in self._resumed
                or thread is None or thread.conversation_id is None):
            return
        self._resumed.add(answer.message_id)
        self.outbox.send(ResumeAnswer(action="resumeAnswer", conversation_id=thread.conversation_id,
                                      message_id=answer.message_id, seq=answer._pieces.next_seq))

    def _heard(self, frame: ServerFrame) -> None:
        """Note that an answer this screen follows heard from the server (any frame about it)."""
        message_id = getattr(frame, "message_id", None)
        if message_id is not None and message_id in self._live:
            self._heard_from[message_id] = self._heard_from.get(message_id, 0) + 1

    def _watch_silence(self) -> None:
        """While answers are followed, look at them every ANSWER_SILENCE_SECONDS (one check at a time)."""
        if not self._live or self._silence_watch:
            return
        self._silence_watch = True
        heard = {message_id: self._heard_from.get(message_id, 0) for message_id in self._live}
        self.schedule(ANSWER_SILENCE_SECONDS, lambda: self._on_silence(heard))

    def _on_silence(self, heard: dict[str, int]) -> None:
        """Ask again for the followed answers of the open conversation that heard nothing since the last look."""
        self._silence_watch = False
        thread = self.thread
        for message_id, answer in list(self._live.items()):
            if heard.get(message_id) != self._heard_from.get(message_id, 0):
                continue  # new since the last look, or heard from
            if thread is not None and answer in thread.messages and self.link is Link.CONNECTED:
                self._resumed.discard(message_id)
                self._resume(answer)
        self._heard_from = {k: v for k, v in self._heard_from.items() if k in self._live}
        self._watch_silence()

    def _on_resumed(self, frame: Resumed) -> None:
        answer = self._live.get(frame.message_id)
        if answer is None:
            return
        text = answer._pieces.resume(frame.from_seq, frame.seq, frame.text)
        if text:
            answer.text += text
            answer.waking_until = None
        if text is not None and answer.status is MessageStatus.PENDING and answer.text:
            answer.status = MessageStatus.STREAMING

    def _on_waking(self, frame: Waking) -> None:
        """The model was asleep and wakes for this answer: the bubble counts down the server's estimate, and
        the answer streams into it as soon as it comes (on this socket, which sent it or resumed it)."""
        answer = self._live.get(frame.message_id)
        if answer is None or answer.text:
            return
        answer.waking_until = time.monotonic() + frame.ready_in_seconds

    def _on_message(self, frame: MessageChanged) -> None:
        """An answer's current state (it ended while this screen was away): replace the local copy."""
        self._live.pop(frame.message.message_id, None)
        thread = self.thread
        if thread is None or thread.conversation_id != frame.conversation_id:
            return
        known = thread.find(frame.message.message_id)
        if known is not None:
            known.update_from(frame.message)

    def _on_started(self, frame: Started) -> None:
        """regenerateAnswer's new answer (the old one becomes an alternative), or continueAnswer's answer
        going on: its text kept, its deltas counted from 0 again."""
        self._starting = None
        thread = self.thread
        if thread is None or thread.conversation_id != frame.conversation_id:
            return
        answer = thread.find(frame.message_id)
        if answer is None:
            answer = Message(role=Role.ASSISTANT, status=MessageStatus.PENDING, message_id=frame.message_id,
                             reply_to=frame.reply_to, created_at=datetime.now(UTC))
            old = thread.find(frame.replaces) if frame.replaces else None
            if old is not None:
                old.superseded = True
                thread.messages.insert(thread.messages.index(old) + 1, answer)
            else:
                thread.messages.append(answer)
        else:
            answer.status = MessageStatus.PENDING if not answer.text else MessageStatus.STREAMING
            answer.error = answer.error_code = answer.finish_reason = None
            answer._pieces = Reassembly()
        self._resumed.add(frame.message_id)  # this socket started it: its deltas come here
        self._live[frame.message_id] = answer

    def _sync(self) -> None:
        """Derived fields the composer shows: is a message of the open thread awaiting its ack, which answer
        streams into it."""
        self._watch_silence()
        thread = self.thread
        if thread is None:
            return
        thread.sending = any(m.client_message_id in self._pending for m in thread.messages if m.client_message_id)
        thread.answering = next(
            (m for m in reversed(thread.messages) if m.message_id in self._live and m.role is Role.ASSISTANT), None
        )
