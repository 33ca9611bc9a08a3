"""What domain code needs to know about the running service, built once in create_app.

Domain functions take this object (or a subscriber closes over it) instead of reading
Flask's config, so they run the same from a view, a CLI command, a worker or a test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from portal.clock import utcnow

EXTENSION = "portal.service_facts"


@dataclass(frozen=True)
class ServiceFacts:
    """The public address, the phone numbers residents are given, and the clock."""

    public_base_url: str
    emergency_number: str
    desk_phone: str
    clock: Callable[[], datetime] = utcnow

    def public_url(self, path: str) -> str:
        """An absolute link into the portal, for emails and letters read outside it."""
        return self.public_base_url.rstrip("/") + path
