"""Transports: the directory backend writes a readable .eml; both build the same email."""

from __future__ import annotations

from datetime import datetime
from email import message_from_bytes, policy

from portal.outbox.models import OutboxMessage
from portal.outbox.transports import DirectoryTransport, build_email

BODY = "Beste bewoner,\n\nWij hebben uw aanvraag ontvangen. Één medewerker belt u.\n"


def _message(**overrides) -> OutboxMessage:
    """An outbox message as the worker hands it to a transport."""
    values = {
        "id": 7, "created_at": datetime(2026, 3, 2, 9, 30), "channel": "email",
        "to_address": "bewoner@example.org", "subject": "Aanvraag OV-7K3Q-92XM-4HJA ontvangen",
        "body_text": BODY, "message_id": "<abc123@opnameloket.example>", "dedupe_key": None,
        "status": "sending", "attempts": 1, "language": "nl",
    }
    return OutboxMessage(**{**values, **overrides})


def test_directory_transport_writes_a_readable_eml(tmp_path):
    transport = DirectoryTransport(tmp_path / "mail", sender="Loket <loket@example.org>")

    transport.send(_message())

    (written,) = (tmp_path / "mail").iterdir()
    parsed = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert written.name == "00000007-abc123.eml"
    assert {key: str(parsed[key]) for key in (
        "From", "To", "Subject", "Message-ID", "Date", "Content-Language", "Auto-Submitted")} == {
        "From": "Loket <loket@example.org>",
        "To": "bewoner@example.org",
        "Subject": "Aanvraag OV-7K3Q-92XM-4HJA ontvangen",
        "Message-ID": "<abc123@opnameloket.example>",
        "Date": "Mon, 02 Mar 2026 09:30:00 +0000",
        "Content-Language": "nl",
        "Auto-Submitted": "auto-generated",
    }
    assert parsed.get_content() == BODY
    assert "Één medewerker" in written.read_text(encoding="utf-8")
    assert parsed.get_content_charset() == "utf-8"


def test_resending_to_the_directory_replaces_the_same_file(tmp_path):
    transport = DirectoryTransport(tmp_path)

    transport.send(_message())
    transport.send(_message(attempts=2))

    assert [path.name for path in tmp_path.iterdir()] == ["00000007-abc123.eml"]


def test_email_is_the_same_on_every_attempt():
    first = build_email(_message(attempts=1), "Loket <loket@example.org>")
    second = build_email(_message(attempts=5), "Loket <loket@example.org>")

    assert first.as_bytes() == second.as_bytes()


def test_email_body_is_seven_bit_clean_for_any_relay():
    data = build_email(_message(subject="Één aanvraag"), "Loket <loket@example.org>").as_bytes()

    assert data.isascii()
