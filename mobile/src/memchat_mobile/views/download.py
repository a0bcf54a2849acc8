"""Files handed to the user: Settings' "Download my data", and the open conversation's Share (as Markdown,
with the current answers only or with the alternatives). A `Download` (downloads.py) gathers the pages; once
it is ready the file goes to the user through Flet's own services: `FilePicker.save_file` with the bytes,
which the browser turns into a download (and a desktop into a save dialog), or on a phone `Share.share_files`,
the platform's share sheet (save to files, send, open in another app)."""

from __future__ import annotations

import logging
from datetime import date

import flet as ft

from memchat_mobile.downloads import Download, Phase
from memchat_mobile.state import Thread
from memchat_mobile.views.account import card
from memchat_mobile.views.buttons import hint

logger = logging.getLogger(__name__)
MIME = {".json": "application/json", ".md": "text/markdown"}
DATA_EXPLANATION = ("Everything memchat keeps about you, as one JSON file: your conversations with every "
                    "answer, your memories and where they came from, your instructions and settings.")
SHARE_EXPLANATION = ("A Markdown file of this conversation, to keep or send. With the alternatives, the "
                     "answers you replaced and the messages you edited are in it too, each marked.")


def use_handoff(download: Download) -> None:
    """Hand the download's file to the user once it is ready (a hook of the component that shows it)."""
    page = ft.context.page
    picker = ft.use_ref(ft.FilePicker).current
    sharer = ft.use_ref(ft.Share).current

    async def hand_off() -> None:
        if download.phase is not Phase.READY:
            return
        name = download.file_name
        try:
            if not page.web and page.platform.is_mobile():
                await sharer.share_files([ft.ShareFile.from_bytes(
                    download.document(), mime_type=MIME.get(name[name.rfind("."):]), name=name)])
            else:
                await picker.save_file(file_name=name, src_bytes=download.document())
        except Exception:  # any platform error: said, and the user can try again
            logger.warning("Handing over a file failed", exc_info=True)
            download.fail("The file could not be saved on this device. Try again.")
        else:
            download.saved()

    ft.use_effect(hand_off, [download.phase])


def status_line(download: Download, *, web: bool) -> str:
    """What the download is doing, in the user's words."""
    match download.phase:
        case Phase.FETCHING:
            parts = f"{download.received} part{'s' if download.received != 1 else ''} received"
            share = f", {download.characters * 100 // download.total}%" if download.total else ""
            return f"Preparing the file: {parts}{share}."
        case Phase.READY:
            return "Handing over the file..."
        case Phase.SAVED:
            return f"Downloaded {download.file_name}" if web else f"Shared {download.file_name}"
        case Phase.FAILED:
            return f"Not finished: {download.error}"
    return ""


def status(name: str, download: Download, *, web: bool, idle: str) -> ft.Control:
    """The download's state on a line of its own (`idle` until it starts)."""
    text = status_line(download, web=web) or idle
    failed, done = download.phase is Phase.FAILED, download.phase is Phase.SAVED
    icon = (ft.Icon(ft.Icons.ERROR_OUTLINE, size=18, color=ft.Colors.ERROR) if failed
            else ft.Icon(ft.Icons.CHECK_CIRCLE, size=18, color=ft.Colors.PRIMARY) if done
            else ft.ProgressRing(width=16, height=16, stroke_width=2) if download.busy
            else ft.Icon(ft.Icons.INFO_OUTLINE, size=18, color=ft.Colors.ON_SURFACE_VARIANT))
    # The text's own Semantics node, as a bubble's status has (one wrapped around the row never reached the
    # accessibility tree inside the dialog).
    return ft.Row(spacing=8, vertical_alignment=ft.CrossAxisAlignment.START, controls=[
        icon, ft.Semantics(identifier=f"{name}-status", label=text, expand=True, content=ft.Text(
            text, color=ft.Colors.ERROR if failed else None))])


@ft.component
def DataCard(download: Download) -> ft.Control:
    """Settings' "Download my data"."""
    use_handoff(download)
    web = ft.context.page.web
    again = download.phase in (Phase.SAVED, Phase.FAILED)

    def start() -> None:
        if download.phase is Phase.FAILED:
            download.retry()
        else:
            download.data(today=date.today())

    return card(
        "YOUR DATA",
        ft.Text(DATA_EXPLANATION, size=12, color=ft.Colors.ON_SURFACE_VARIANT),
        ft.Semantics(identifier="download-data", content=ft.OutlinedButton(
            "Try again" if download.phase is Phase.FAILED else "Download again" if again else "Download my data",
            icon=ft.Icons.REFRESH if download.phase is Phase.FAILED else ft.Icons.DOWNLOAD_OUTLINED,
            on_click=start, disabled=download.busy or download.phase is Phase.READY)),
        status("download-data", download, web=web, idle="The file is made when you ask for it."),
    )


@ft.component
def ShareAction(thread: Thread, download: Download) -> ft.Control:
    """The open conversation's Share button and its dialog: which version, then the file handed over
    (`download` is the chat's `sharing`, given so that its changes draw the dialog again)."""
    use_handoff(download)
    web = ft.context.page.web
    asking, set_asking = ft.use_state(False)

    def share(alternatives: bool) -> None:
        if thread.conversation_id is not None:
            download.dismiss()
            download.conversation(thread.conversation_id, thread.title, alternatives=alternatives)

    def close() -> None:
        download.dismiss()
        set_asking(False)

    def choice(name: str, text: str, icon: str, alternatives: bool) -> ft.Control:
        chosen = download.phase is not Phase.IDLE and download.alternatives == alternatives
        return ft.Semantics(identifier=name, content=(ft.FilledButton if chosen else ft.OutlinedButton)(
            text, icon=icon, on_click=lambda: share(alternatives), width=float("inf"), height=48,
            disabled=download.busy or download.phase is Phase.READY))

    ft.use_dialog(
        ft.AlertDialog(
            title=ft.Text("Share this conversation"),
            content=ft.Semantics(identifier="share-dialog", content=ft.Column(
                tight=True, spacing=12, width=320, controls=[
                    ft.Text(SHARE_EXPLANATION, size=13, color=ft.Colors.ON_SURFACE_VARIANT),
                    choice("share-current", "Current answers only", ft.Icons.ARTICLE_OUTLINED, False),
                    choice("share-alternatives", "With the alternatives", ft.Icons.ALT_ROUTE, True),
                    status("share", download, web=web, idle="Choose one to make the file."),
                ])),
            actions=[ft.Semantics(identifier="close-share", content=ft.TextButton(
                "Done" if download.phase is Phase.SAVED else "Close", on_click=close))],
            on_dismiss=close,
            scrollable=True,
        )
        if asking
        else None
    )
    return ft.Semantics(identifier="share-conversation", label=f"Share conversation {thread.title}", button=True,
                        content=ft.IconButton(ft.Icons.IOS_SHARE, tooltip=hint("Share conversation"),
                                              on_click=lambda: set_asking(True),
                                              disabled=thread.conversation_id is None))
