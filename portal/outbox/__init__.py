"""The mail outbox: messages queued in the business transaction and sent by a worker.

``init_app`` keeps the transport settings on the app; ``transport_for`` builds the
transport a worker sends with. Business code only calls ``queue_email``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from portal.outbox.queue import queue_email
from portal.outbox.transports import DirectoryTransport, SmtpTransport, Transport

__all__ = ["MailConfig", "init_app", "queue_email", "transport_for"]

EXTENSION = "portal.outbox"


@dataclass(frozen=True)
class MailConfig:
    """How the worker delivers mail, taken from the portal's settings."""

    backend: str
    sender: str
    smtp_host: str
    smtp_port: int
    smtp_username: str | None
    smtp_password: str | None = field(repr=False)
    smtp_starttls: bool
    directory: Path


def init_app(app) -> None:
    """Store the outbox's mail configuration on app, from app.config["PORTAL_SETTINGS"]."""
    settings = app.config["PORTAL_SETTINGS"]
    app.extensions[EXTENSION] = MailConfig(
        backend=settings.mail_backend,
        sender=settings.mail_from,
        smtp_host=settings.smtp_host,
        smtp_port=settings.smtp_port,
        smtp_username=settings.smtp_username,
        smtp_password=settings.smtp_password,
        smtp_starttls=settings.smtp_starttls,
        directory=settings.mail_directory,
    )


def transport_for(app) -> Transport:
    """Return the transport configured for app by init_app."""
    config: MailConfig | None = app.extensions.get(EXTENSION)
    if config is None:
        raise RuntimeError("portal.outbox.init_app(app) was not called in create_app")
    if config.backend == "directory":
        return DirectoryTransport(config.directory, sender=config.sender)
    return SmtpTransport(
        config.smtp_host,
        config.smtp_port,
        username=config.smtp_username,
        password=config.smtp_password,
        starttls=config.smtp_starttls,
        sender=config.sender,
    )
