"""Lambda entry points: thin adapters that parse the event, call the domain and map the result."""

from __future__ import annotations

import os


def snapshotting() -> bool:
    """True while Lambda initializes a SnapStart version (AWS_LAMBDA_INITIALIZATION_TYPE is "snap-start").

    A handler builds its clients on its first invocation; under SnapStart it builds them at init instead, so
    they are in the snapshot and a restored environment does not build them again. Building makes no network
    call (boto3 connects on the first request), so nothing in the snapshot holds a connection.
    """
    return os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") == "snap-start"
