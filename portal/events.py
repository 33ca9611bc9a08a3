"""A small, explicit publish/subscribe registry for what follows a change in the domain.

Domain code publishes what happened (a request changed status, a decision was taken, a
plan moved weeks); what must follow — the resident's mail, letters, bookings given back —
subscribes to it. The publisher never imports its consumers.

Subscribers are wired once in `create_app` and travel with every database session the
app makes (`Session.info`). A plain session, as a script or a unit test opens it, runs
the domain rules with no side effects at all, and two apps in one process never share
subscribers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

INFO_KEY = "portal.subscribers"

Handler = Callable[[Session, Any], None]


class Subscribers:
    """Handlers per event type, called in the order they subscribed, in the publisher's
    transaction: what they write commits or rolls back with the change itself."""

    def __init__(self) -> None:
        self._handlers: dict[type, list[Handler]] = defaultdict(list)

    def subscribe(self, event_type: type, handler: Handler) -> None:
        """Call handler(session, event) for every published event of event_type."""
        self._handlers[event_type].append(handler)

    def handlers(self, event_type: type) -> list[Handler]:
        """The handlers of event_type, in order (for tests and the architecture docs)."""
        return list(self._handlers.get(event_type, ()))

    def publish(self, session: Session, event: object) -> None:
        """Hand event to each subscriber of its type."""
        for handler in self._handlers.get(type(event), ()):
            handler(session, event)


def attach(info: dict, subscribers: Subscribers) -> dict:
    """Return session info that carries subscribers (for a session factory's info=)."""
    return {**info, INFO_KEY: subscribers}


def publish(session: Session, event: object) -> None:
    """Publish event to the subscribers the session carries; a plain session has none."""
    subscribers = session.info.get(INFO_KEY)
    if subscribers is not None:
        subscribers.publish(session, event)
