"""One TLS context per process for every HTTPS client we open.

Building a context loads the whole CA bundle (about 25 ms of CPU). httpx builds one per client
unless it is given one, and hosted mode opens a client per user, a link check per export and a
fetch per client metadata document; a context is safe to share between clients and threads.
"""

from __future__ import annotations

import functools
import os
import ssl

import certifi


@functools.cache
def shared_context() -> ssl.SSLContext:
    """The verifying context httpx would build by default (``SSL_CERT_FILE``/``SSL_CERT_DIR``
    honoured, else certifi's bundle), built once."""
    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    return ssl.create_default_context(cafile=certifi.where())
