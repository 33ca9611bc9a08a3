"""gunicorn's access log without the secrets some URLs carry (scripts/serve uses it).

A link mailed to a resident (/status/link/<purpose>/<token>) grants access to their
request: the token never reaches the log. Query strings are left out as well.
"""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

_TOKEN = re.compile(r"(/status/link/[^/?#\s]+/)[^/?#\s\"]+")


def redact(text: str | None) -> str | None:
    """The text with every status-link token replaced by '…'."""
    return text if text is None else _TOKEN.sub(r"\1…", text)


class RedactingLogger(Logger):
    """gunicorn's logger, with status-link tokens taken out of the request and referrer."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):
            atoms[key] = redact(atoms.get(key))
        return atoms
