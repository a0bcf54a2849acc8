"""Flet's web server (flet-web 1.0.5), mended where a reload froze the page for good.

When a browser reloads the app, the web server ends the old socket's send loop, which drops that
connection's send queue, and only then tells the session the socket is gone (`FletApp.handle`). An update
the session sends in between goes to the old connection: `FletApp.send_message` puts it on a queue that is
no longer there and raises AttributeError, inside the session's updates scheduler, which catches only
CancelledError and so ends for good. The reloaded page reattaches to the same session (its id is in the
page's storage) and is never updated again: a clean-clone run of the browser test saw an answer stay
"Writing..." with the words it had at the reload, and a page updated ten times a second froze in 12 of 30
reloads.

The mend is what Flet's own `send_data_channel_frame` already does: a connection whose socket has gone drops
what it is sent. Nothing is lost: the page that reattaches is sent the whole page. Flet is not patched
anywhere else, and where its web server is not installed (the phone's build, a desktop window) nothing is
changed.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

_GONE = "_FletApp__send_queue"  # FletApp's send queue (a private name): None once its socket has gone
_MISSING = object()


def mend() -> bool:
    """Mend Flet's web server, once; False where it is not installed."""
    try:
        from flet_web.fastapi.flet_app import FletApp
    except ImportError:
        return False
    if getattr(FletApp.send_message, "mended", False):
        return True
    send_message = FletApp.send_message

    def send_unless_gone(self: Any, message: Any) -> None:
        # A renamed attribute leaves Flet's own behaviour as it was: only a queue that is there and None is
        # a socket that has gone.
        if getattr(self, _GONE, _MISSING) is None:
            logger.debug("Dropped a %s for a page whose socket has gone", message.action)
            return
        send_message(self, message)

    send_unless_gone.mended = True  # type: ignore[attr-defined]
    FletApp.send_message = send_unless_gone
    return True
