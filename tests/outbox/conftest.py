"""Fixtures for the outbox: a real SMTP server (aiosmtpd) on a free local port."""

from __future__ import annotations

import socket
import threading
from collections import Counter
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from portal.outbox.transports import SmtpTransport


class RecordingHandler:
    """Accepts every message and keeps it; refuses recipients listed in `refuse`."""

    def __init__(self) -> None:
        self.received = []
        self.refuse: set[str] = set()
        self.arrived = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 <" + address + ">: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        self.arrived.set()
        return "250 Message accepted for delivery"

    def message_ids(self) -> Counter:
        """How often each Message-ID arrived."""
        return Counter(message["Message-ID"] for message in self.received)


class SmtpServer:
    """An SMTP server on a port chosen up front, so it can be 'down' before it starts."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.handler = RecordingHandler()
        self._controller: Controller | None = None

    def start(self) -> None:
        """Start listening on the port."""
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        """Stop listening, if started."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """An SMTP server that is down until the test calls start(); stopped afterwards."""
    server = SmtpServer(_free_port())
    yield server
    server.stop()


@pytest.fixture
def smtp_transport(smtp_server) -> SmtpTransport:
    """The portal's SMTP transport pointed at the test server."""
    return SmtpTransport("127.0.0.1", smtp_server.port, timeout=5.0)


@pytest.fixture
def make_mail_app(app, test_environ):
    """Build a portal whose outbox reads the given MAIL_*/SMTP_* variables.

    Depends on `app` so that the tables are emptied after the test.
    """
    from portal.app import create_app
    from portal.outbox import init_app

    built = []

    def make(**environ):
        mail_app = create_app({"environ": {**test_environ, **environ}})
        # Harmless once create_app calls it itself: it only stores the configuration.
        init_app(mail_app)
        built.append(mail_app)
        return mail_app

    yield make
    for mail_app in built:
        mail_app.extensions["portal.db.engine"].dispose()
