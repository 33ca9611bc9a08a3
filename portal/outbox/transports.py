"""Ways to deliver an outbox message: an SMTP server, or a directory of .eml files."""

from __future__ import annotations

import os
import re
import smtplib
import ssl
import tempfile
from datetime import UTC
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Protocol

from portal.outbox.models import OutboxMessage

DEFAULT_SENDER = "Opnameloket <noreply@opnameloket.example>"


class Transport(Protocol):
    """Delivers one message, or raises; the worker decides about retries."""

    def send(self, message: OutboxMessage) -> None:
        """Deliver message or raise an exception saying why not."""


def build_email(
    message: OutboxMessage, sender: str, *, cte: str = "quoted-printable"
) -> EmailMessage:
    """Return the RFC 5322 email for an outbox message, the same on every attempt."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    # The time the message was queued, not sent: a resend must be the same message.
    email["Date"] = format_datetime(message.created_at.replace(tzinfo=UTC))
    email["Message-ID"] = message.message_id
    # RFC 3834: asks out-of-office responders not to answer an automatic message.
    email["Auto-Submitted"] = "auto-generated"
    # Quoted-printable (the default) keeps the UTF-8 body 7-bit clean for any relay.
    email.set_content(message.body_text, charset="utf-8", cte=cte)
    # After set_content, which replaces every Content-* header.
    email["Content-Language"] = message.language
    return email


class SmtpTransport:
    """Sends through an SMTP server, one connection per message, with a socket timeout."""

    def __init__(
        self,
        host: str,
        port: int,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        sender: str = DEFAULT_SENDER,
        timeout: float = 30.0,
    ) -> None:
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.starttls = starttls
        self.sender = sender
        self.timeout = timeout

    def send(self, message: OutboxMessage) -> None:
        """Deliver message to the SMTP server; raise OSError or SMTPException on failure."""
        email = build_email(message, self.sender)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(email)

    def __repr__(self) -> str:
        return f"<SmtpTransport {self.host}:{self.port} starttls={self.starttls}>"


class DirectoryTransport:
    """Writes each message as a .eml file, for development where no mail server runs."""

    def __init__(self, path: str | os.PathLike, sender: str = DEFAULT_SENDER) -> None:
        self.path = Path(path)
        self.sender = sender

    def send(self, message: OutboxMessage) -> None:
        """Write message to <path>/<id>-<part of Message-ID>.eml; a resend replaces it."""
        self.path.mkdir(parents=True, exist_ok=True)
        # 8bit: a developer can read the file as it is; no relay sees it.
        data = build_email(message, self.sender, cte="8bit").as_bytes()
        # The id sorts the files; the Message-ID part keeps them apart across database resets.
        unique = re.sub(r"[^0-9A-Za-z]", "", message.message_id.split("@")[0])[:12]
        target = self.path / f"{message.id:08d}-{unique}.eml"
        # Written aside and renamed, so a reader never sees half a message.
        with tempfile.NamedTemporaryFile(dir=self.path, suffix=".tmp", delete=False) as file:
            file.write(data)
        os.replace(file.name, target)

    def __repr__(self) -> str:
        return f"<DirectoryTransport {self.path}>"
