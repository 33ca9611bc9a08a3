"""Every field the portal holds about residents, what it is, why, and how long it is kept.

The privacy statement is built from this table, and a test walks every table and column of
the models: a column in a table with resident data must be named here as personal or as
not personal, and any other table must say why it holds no resident data. A new personal
field therefore cannot reach the database without reaching the privacy statement.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

# How long a kind of data is kept: the period comes from configuration (retention.py).
REQUEST, MAIL, DRAFT, LINK, LETTER, AUDIT = "request", "mail", "draft", "link", "letter", "audit"


@dataclass(frozen=True)
class Held:
    """One personal field: what it holds, why we hold it, and which retention applies."""

    what: object
    why: object
    kept: str


_ADDRESS = _l("To find the home in the register and to inspect it.")
_CONTACT = _l("To reach you about your request.")
_ASSESS = _l("To assess your request.")
_RECORD = _l("To show who did what with your request, and why.")

PERSONAL: dict[str, dict[str, Held]] = {
    "inspection_requests": {
        "postcode": Held(_l("Postcode of the home"), _ADDRESS, REQUEST),
        "huisnummer": Held(_l("House number"), _ADDRESS, REQUEST),
        "huisletter": Held(_l("House letter"), _ADDRESS, REQUEST),
        "huisnummertoevoeging": Held(_l("House number addition"), _ADDRESS, REQUEST),
        "straat": Held(_l("Street"), _ADDRESS, REQUEST),
        "woonplaats": Held(_l("Place"), _ADDRESS, REQUEST),
        "nummeraanduiding_id": Held(_l("The address's number in the national register (BAG)"),
                                    _ADDRESS, REQUEST),
        "pand_id": Held(_l("The building's number in the national register (BAG)"),
                        _ADDRESS, REQUEST),
        "building_kind": Held(_l("What kind of building it is"), _ASSESS, REQUEST),
        "relation": Held(_l("Your relation to the home (owner, tenant …)"), _ASSESS, REQUEST),
        "signs": Held(_l("The signs of damage you chose"), _ASSESS, REQUEST),
        "explanation": Held(_l("What you told us about the home"), _ASSESS, REQUEST),
        "acute_danger": Held(_l("Whether you reported acute danger"), _ASSESS, REQUEST),
        "contact_name": Held(_l("Your name"), _CONTACT, REQUEST),
        "email": Held(_l("Your email address"), _CONTACT, REQUEST),
        "phone": Held(_l("Your phone number"), _CONTACT, REQUEST),
        "language": Held(_l("The language you chose"), _CONTACT, REQUEST),
        "letters_by_post": Held(_l("Whether you want letters by post"), _CONTACT, REQUEST),
        "consent_at": Held(_l("When you agreed to this statement"), _RECORD, REQUEST),
        "identity_checked": Held(_l("Whether the desk checked who you are"), _RECORD, REQUEST),
    },
    "request_answers": {
        "text": Held(_l("Your answer to our question"), _ASSESS, REQUEST),
        "file_name": Held(_l("The name of a file you sent"), _ASSESS, REQUEST),
        "file_data": Held(_l("A photo or PDF you sent"), _ASSESS, REQUEST),
    },
    "request_events": {
        "reason": Held(_l("Notes in the history of your request"), _RECORD, REQUEST),
    },
    "decisions": {
        "reason_text": Held(_l("The reason for a decision, in words"), _RECORD, REQUEST),
    },
    "request_drafts": {
        "answers": Held(_l("A form you have not sent yet"), _l("So that you can continue "
                        "where you were."), DRAFT),
    },
    "request_tokens": {
        "token_hash": Held(_l("A link we emailed you (only a fingerprint of it)"),
                           _l("So that only you can withdraw or change your request."), LINK),
    },
    "outbox_messages": {
        "to_address": Held(_l("The email address a message went to"), _CONTACT, MAIL),
        "subject": Held(_l("The subject of an email we sent you"), _CONTACT, MAIL),
        "body_text": Held(_l("The text of an email we sent you"), _CONTACT, MAIL),
    },
    "letters": {
        "pdf": Held(_l("The letters we sent you"), _l("So that you and we can read them "
                    "again."), LETTER),
    },
    "audit_entries": {
        "client": Held(_l("A fingerprint of your internet address (never the address itself)"),
                       _l("To detect misuse."), AUDIT),
    },
}

# Columns of those tables that say nothing about a person.
NOT_PERSONAL: dict[str, set[str]] = {
    "inspection_requests": {
        "id", "reference", "submission_key", "channel", "status", "status_changed_at",
        "request_type", "created_at", "in_register", "entered_by_id", "entered_by_label",
        "gemeentecode", "suggested_route", "triage_reason", "triage_detail", "ruleset_version",
        "register_import_id", "triaged_at", "priority", "retriaged_from", "assigned_to_id",
        "assigned_until", "linked_to_id", "anonymised_at",
    },
    "request_answers": {"id", "request_id", "decision_id", "content_type", "file_size",
                        "created_at"},
    "request_events": {"id", "request_id", "at", "from_status", "to_status", "actor_kind",
                       "actor_id", "actor_label", "kind"},
    "decisions": {"id", "request_id", "decision", "reason_code", "suggested_route", "deviates",
                  "decided_by_id", "decided_by_label", "decided_at", "letter_id"},
    "request_drafts": {"id", "key", "created_at", "updated_at"},
    "request_tokens": {"id", "request_id", "purpose", "created_at", "expires_at", "used_at"},
    "outbox_messages": {"id", "created_at", "channel", "message_id", "dedupe_key", "status",
                        "attempts", "next_attempt_at", "sent_at", "last_error", "language"},
    "letters": {"id", "kind", "language", "template_version", "created_at",
                "subject_reference", "sha256", "size"},
    "audit_entries": {"id", "at", "actor_kind", "actor_id", "actor_label", "action",
                      "subject_type", "subject_id", "details", "prev_hash", "hash"},
}

# Tables that hold no data about residents, and why.
OTHER_TABLES: dict[str, str] = {
    "addresses": "the public address register (BAG): addresses, not people",
    "buildings": "the public address register's buildings",
    "municipalities": "municipality codes and names",
    "programme_status": "the reinforcement programme per address, not per person",
    "register_imports": "when the register was imported, from which files",
    "register_changes": "which addresses changed in an import",
    "register_staged_addresses": "an import being checked: register rows",
    "register_staged_programme": "an import being checked: programme rows",
    "capacity_weeks": "capacity per week and municipality",
    "municipality_shares": "how capacity is shared between municipalities",
    "bookings": "which request has a place in which week (the request holds the person)",
    "clusters": "groups of addresses per place",
    "cluster_addresses": "addresses in a cluster, with the officer's reason",
    "print_jobs": "which letter was printed, when, by whom (staff)",
    "rate_limit_counters": "counts per hashed client and window, deleted when the window ends",
    "audit_head": "the newest link of the audit chain",
    "audit_purge_permit": "the audit trail's purge guard",
    "staff_users": "staff accounts: covered by the staff privacy statement",
    "staff_recovery_codes": "staff recovery codes (hashed)",
}


def statement_rows() -> list[tuple[object, object, str]]:
    """Every personal field as (what, why, retention kind), in the statement's order."""
    return [(held.what, held.why, held.kept)
            for table in PERSONAL.values() for held in table.values()]
