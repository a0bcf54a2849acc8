"""Files the user takes away (downloads.py): "Download my data" and a shared conversation, gathered page by
page, ready once the last part is in, failed with the reason and retried from the start."""

from __future__ import annotations

from datetime import date

from memchat.errors import ErrorCode
from memchat.frames import ErrorFrame, ExportData, ExportPage, ShareConversation, SharePage
from memchat_mobile.downloads import LOST, Phase, conversation_file_name, data_file_name
from memchat_mobile.state import ChatState
from memchat_mobile.views.download import status_line
from tests.mobile.fakes import CONVERSATION, FakeOutbox

DOCUMENT = '{"format":"memchat-export","conversations":[]}'
MARKDOWN = "# Trip to Graz\n\n**You** · 2026-12-06 09:30 UTC\n\nWhere should I stay?\n"


def _share_page(start: int, end: int, cursor: str | None = None) -> SharePage:
    return SharePage(conversation_id=CONVERSATION, part=MARKDOWN[start:end], offset=start, total=len(MARKDOWN),
                     cursor=cursor)


def test_my_data_is_asked_for_page_by_page_and_joined_into_the_document(state: ChatState,
                                                                         outbox: FakeOutbox) -> None:
    download = state.data_export
    download.data(today=date(2026, 12, 6))
    assert outbox.last == ExportData(action="exportData") and download.phase is Phase.FETCHING

    state.receive(ExportPage(part=DOCUMENT[:20], offset=0, total=len(DOCUMENT), cursor="e.1"))
    assert outbox.last == ExportData(action="exportData", cursor="e.1")
    assert (download.received, download.phase) == (1, Phase.FETCHING)
    assert status_line(download, web=True) == f"Preparing the file: 1 part received, {2000 // len(DOCUMENT)}%."

    state.receive(ExportPage(part=DOCUMENT[20:], offset=20, total=len(DOCUMENT)))
    assert download.phase is Phase.READY and download.document() == DOCUMENT.encode()
    assert download.file_name == "memchat-data-2026-12-06.json"

    download.saved()
    assert download.phase is Phase.SAVED
    assert status_line(download, web=True) == "Downloaded memchat-data-2026-12-06.json"


def test_a_conversation_is_shared_with_the_version_asked_for_and_named_after_its_title(
        state: ChatState, outbox: FakeOutbox) -> None:
    sharing = state.sharing
    sharing.conversation(CONVERSATION, "Trip to Graz", alternatives=True)
    asked = ShareConversation(action="shareConversation", conversation_id=CONVERSATION, alternatives=True)
    assert outbox.last == asked

    state.receive(_share_page(0, 30, cursor="s.1"))
    assert outbox.last == asked.model_copy(update={"cursor": "s.1"})
    state.receive(_share_page(30, len(MARKDOWN)))

    assert sharing.phase is Phase.READY and sharing.text() == MARKDOWN
    assert sharing.file_name == "Trip to Graz (with alternatives).md"
    assert state.data_export.phase is Phase.IDLE, "the export is not touched"


def test_a_shared_conversation_is_named_after_the_title_its_document_carries(state: ChatState) -> None:
    # The title on screen when Share was tapped (the first words) was replaced by the model's before the
    # document was written: the file and its heading say the same title.
    state.sharing.conversation(CONVERSATION, "Where should I stay in Graz this", alternatives=False)
    state.receive(_share_page(0, len(MARKDOWN)))

    assert state.sharing.file_name == "Trip to Graz.md"


def test_a_page_of_another_conversation_or_out_of_order_is_not_joined(state: ChatState) -> None:
    sharing = state.sharing
    sharing.conversation(CONVERSATION, "Trip", alternatives=False)

    state.receive(SharePage(conversation_id="0f0f0f0f", part="other", offset=0, total=5))
    state.receive(_share_page(30, len(MARKDOWN)))

    assert (sharing.received, sharing.phase) == (0, Phase.FETCHING)


def test_a_refused_share_says_why_keeps_no_half_file_and_can_be_tried_again(state: ChatState,
                                                                            outbox: FakeOutbox) -> None:
    sharing = state.sharing
    sharing.conversation(CONVERSATION, "Trip", alternatives=False)
    state.receive(_share_page(0, 30, cursor="s.1"))

    state.receive(ErrorFrame(code=ErrorCode.NOT_FOUND, message="No such conversation.",
                             conversation_id=CONVERSATION))

    assert (sharing.phase, sharing.error) == (Phase.FAILED, "No such conversation.")
    assert status_line(sharing, web=True) == "Not finished: No such conversation."
    sharing.retry()
    assert outbox.last == ShareConversation(action="shareConversation", conversation_id=CONVERSATION)
    assert (sharing.phase, sharing.received, sharing.error) == (Phase.FETCHING, 0, None)


def test_an_error_about_a_message_is_not_taken_for_the_downloads(state: ChatState) -> None:
    state.sharing.conversation(CONVERSATION, "Trip", alternatives=False)
    state.data_export.data(today=date(2026, 12, 6))

    state.receive(ErrorFrame(code=ErrorCode.MODEL_ERROR, message="The assistant failed.",
                             conversation_id=CONVERSATION, message_id="1a2b3c4d"))

    assert state.sharing.phase is Phase.FETCHING and state.data_export.phase is Phase.FETCHING


def test_a_refused_export_fails_with_the_reason(state: ChatState) -> None:
    state.data_export.data(today=date(2026, 12, 6))

    state.receive(ErrorFrame(code=ErrorCode.BAD_REQUEST, message="cursor: no such export, or it expired."))

    assert (state.data_export.phase, state.data_export.error) == (Phase.FAILED,
                                                                   "cursor: no such export, or it expired.")


def test_a_lost_connection_fails_a_download_under_way(state: ChatState) -> None:
    state.data_export.data(today=date(2026, 12, 6))

    state.on_disconnected("The network is gone.")

    assert (state.data_export.phase, state.data_export.error) == (Phase.FAILED, LOST)
    assert state.sharing.phase is Phase.IDLE


def test_a_download_under_way_is_not_started_twice(state: ChatState, outbox: FakeOutbox) -> None:
    state.data_export.data(today=date(2026, 12, 6))
    state.data_export.data(today=date(2026, 12, 6))
    assert outbox.of(ExportData) == [ExportData(action="exportData")]


def test_file_names_keep_the_title_readable_and_short() -> None:
    assert data_file_name(date(2026, 1, 2)) == "memchat-data-2026-01-02.json"
    assert conversation_file_name("What's a good name for a grey cat?", alternatives=False) == (
        "What's a good name for a grey cat.md")
    assert conversation_file_name("../../etc/passwd", alternatives=False) == "etc passwd.md"
    assert conversation_file_name("???", alternatives=False) == "Conversation.md"
    assert len(conversation_file_name("word " * 40, alternatives=True)) <= 60 + len(" (with alternatives).md")
