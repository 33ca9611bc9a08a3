"""A request id per request: from a sane incoming X-Request-ID, else a new random one.

The id lands on `flask.g`, goes back in the response's X-Request-ID header, and is read
by the log (portal.audit.logging) so every line a request writes carries it.
"""

from __future__ import annotations

import re
import secrets

from flask import Flask, g, has_request_context, request

HEADER = "X-Request-ID"
# What a proxy or load balancer sends (UUIDs, hex, dotted ids); anything else — newlines,
# spaces, a 500-character string — is replaced rather than written into the log.
_SANE = re.compile(r"[A-Za-z0-9._-]{1,64}")


def _take_or_make() -> None:
    """Keep the incoming id when sane, else make one."""
    incoming = request.headers.get(HEADER, "")
    g.request_id = incoming if _SANE.fullmatch(incoming) else secrets.token_hex(16)


def _echo(response):
    """Send the request's id back, so a user's report can be matched with the log."""
    if "request_id" in g:
        response.headers[HEADER] = g.request_id
    return response


def current_request_id() -> str | None:
    """The id of the request being handled, or None outside a request."""
    if not has_request_context():
        return None
    return g.get("request_id")


def init_app(app: Flask) -> None:
    """Give every request an id first thing, and echo it on the response."""
    app.before_request_funcs.setdefault(None, []).insert(0, _take_or_make)
    app.after_request(_echo)
