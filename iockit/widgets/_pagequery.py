"""The query string of the page a Voila kernel serves, read without importing Voila.

``voila.utils.get_query_string`` is what Voila documents, but importing ``voila`` imports its Jupyter
server extension, Jupyter Server and jsonschema's format checkers: about 6 s of CPU in every kernel on a
2-core laptop (most of a page's first opening). This speaks the same small protocol Voila 0.5 uses: a
preheated kernel (``VOILA_PREHEAT=True``) opens ``/voila/query/<kernel id>`` on its server and waits for
one message, the page request's CGI-style variables (``QUERY_STRING`` among them); any other kernel
already has them in its environment.
"""

from __future__ import annotations

import json
import os

OPEN_TIMEOUT_SECONDS = 5


def request_url() -> str:
    """The websocket address where Voila hands this preheated kernel its page's request."""
    env = os.environ.get
    base = env("VOILA_WS_BASE_URL", env("VOILA_SERVER_URL", "/"))
    return (f'{env("VOILA_WS_PROTOCOL", "ws")}://{env("VOILA_APP_IP", "127.0.0.1")}:{env("VOILA_APP_PORT", "8866")}'
            f'{base}voila/query/{env("VOILA_KERNEL_ID", "")}')


def get_query_string() -> str:
    """``QUERY_STRING`` of the page; a preheated kernel first waits for the page to be requested."""
    if os.environ.get("VOILA_PREHEAT", "False") == "True":
        from websockets.sync.client import connect

        with connect(request_url(), open_timeout=OPEN_TIMEOUT_SECONDS, max_size=None) as ws:
            info = json.loads(ws.recv())
        os.environ.update({str(k): str(v) for k, v in info.items()})
    return os.environ.get("QUERY_STRING", "")
