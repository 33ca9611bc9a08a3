"""Submitting a request: one code path for the resident's form and the call centre."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.actors import Actor
from portal.clock import utcnow
from portal.db import begin_write
from portal.events import publish
from portal.register.lookups import get_address
from portal.register.models import Address
from portal.register.verdict import Verdict, served_by, verdict
from portal.requests import workflow
from portal.requests.events import RequestReceived
from portal.requests.models import InspectionRequest
from portal.requests.reference import new_reference, normalise_reference
from portal.requests.states import OPEN, Status
from portal.triage.apply import triage_request


@dataclass
class Answers:
    """The validated answers of one request, from the form or from an agent."""

    postcode: str
    huisnummer: int
    straat: str
    woonplaats: str
    building_kind: str
    relation: str
    contact_name: str
    language: str
    huisletter: str = ""
    huisnummertoevoeging: str = ""
    nummeraanduiding_id: str | None = None
    signs: list[str] = field(default_factory=list)
    explanation: str = ""
    acute_danger: bool = False
    email: str | None = None
    phone: str | None = None
    letters_by_post: bool = False
    identity_checked: bool = False


@dataclass(frozen=True)
class Submission:
    """The stored request, whether this call created it, and the request it joined."""

    request: InspectionRequest
    created: bool
    linked_to: InspectionRequest | None


def submit_request(session: Session, answers: Answers, *, actor: Actor, submission_key: str,
                   channel: str = "web") -> Submission:
    """Store a request exactly once and queue its confirmation; the caller commits.

    A second call with the same submission_key (double click, refresh, retried POST,
    two concurrent POSTs) returns the first request instead of making another. A
    request for an address with an open request is linked to it.
    """
    begin_write(session)
    existing = _by_submission_key(session, submission_key)
    if existing is not None:
        return Submission(existing, False, existing.linked_to)
    address = get_address(session, answers.nummeraanduiding_id) \
        if answers.nummeraanduiding_id else None
    # Before triage looks for an open request for this home: one submission at a time.
    lock_address(session, address or answers)
    outcome = verdict(address, served_by(session))
    now = utcnow()
    for _attempt in range(3):
        request = _new_request(answers, address, outcome, submission_key, channel, now)
        if actor.kind == "staff":
            request.entered_by_id, request.entered_by_label = actor.id, actor.label
        try:
            with session.begin_nested():
                session.add(request)
                session.flush()
        except IntegrityError:
            existing = _by_submission_key(session, submission_key)
            if existing is not None:
                return Submission(existing, False, existing.linked_to)
            continue  # the random reference was taken: draw another
        break
    else:
        raise RuntimeError("could not draw a free reference")
    first = Status.URGENT if answers.acute_danger else Status.RECEIVED
    workflow.start(session, request, first, actor=actor, notify=False,
                   reason="acute danger reported: call back within 24 hours"
                   if answers.acute_danger else f"submitted ({channel})")
    # Triage runs the moment the request arrives; the resident then gets one message
    # that already says where the request stands.
    triage_request(session, request, notify=False)
    publish(session, RequestReceived(request))
    return Submission(request, True, request.linked_to)


def _new_request(answers: Answers, address: Address | None, outcome: Verdict,
                 submission_key: str, channel: str, now) -> InspectionRequest:
    source = address or answers
    return InspectionRequest(
        reference=normalise_reference(new_reference()),
        submission_key=submission_key, channel=channel, request_type=outcome.request_type,
        status=Status.RECEIVED.value, status_changed_at=now, created_at=now,
        nummeraanduiding_id=address.nummeraanduiding_id if address else None,
        pand_id=address.pand_id if address else None, in_register=address is not None,
        gemeentecode=address.gemeentecode if address else None,
        postcode=source.postcode, huisnummer=source.huisnummer,
        huisletter=source.huisletter or "", huisnummertoevoeging=source.huisnummertoevoeging or "",
        straat=source.straat, woonplaats=source.woonplaats,
        building_kind=answers.building_kind, relation=answers.relation,
        signs=",".join(answers.signs), explanation=answers.explanation,
        acute_danger=answers.acute_danger, contact_name=answers.contact_name,
        email=answers.email or None, phone=answers.phone or None, language=answers.language,
        letters_by_post=answers.letters_by_post, consent_at=now,
        identity_checked=answers.identity_checked,
    )


def lock_address(session: Session, address: Address | Answers) -> None:
    """Hold the address until commit, so the open-request check after it sees any request
    for the same home that a concurrent submission is storing.

    On PostgreSQL a transaction-scoped advisory lock on a hash of the address itself
    (postcode, number, letter, addition), which works alike for register addresses and
    addresses typed in without a register id; READ COMMITTED then lets the check see the
    other submission once it has committed. On SQLite begin_write already holds the
    database's write lock, which serialises every writer.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    key = "|".join(["request-address", (address.postcode or "").replace(" ", "").upper(),
                    str(address.huisnummer), (address.huisletter or "").upper(),
                    (address.huisnummertoevoeging or "").upper()])
    number = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big",
                            signed=True)
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": number})


def _by_submission_key(session: Session, key: str) -> InspectionRequest | None:
    return session.scalar(select(InspectionRequest).where(
        InspectionRequest.submission_key == key))


def find_open_request(session: Session, *, postcode: str, huisnummer: int,
                      huisletter: str = "", huisnummertoevoeging: str = "",
                      nummeraanduiding_id: str | None = None) -> InspectionRequest | None:
    """The oldest open request for this address (by register id when it has one)."""
    query = select(InspectionRequest).where(
        InspectionRequest.status.in_([s.value for s in OPEN]))
    if nummeraanduiding_id:
        query = query.where(InspectionRequest.nummeraanduiding_id == nummeraanduiding_id)
    else:
        query = query.where(
            InspectionRequest.postcode == postcode,
            InspectionRequest.huisnummer == huisnummer,
            InspectionRequest.huisletter == huisletter,
            InspectionRequest.huisnummertoevoeging == huisnummertoevoeging,
        )
    return session.scalar(query.order_by(InspectionRequest.id).limit(1))


def find_by_reference(session: Session, text: str) -> InspectionRequest | None:
    """The request with this reference, typed in any case, with or without dashes."""
    symbols = normalise_reference(text)
    if symbols is None:
        return None
    return session.scalar(select(InspectionRequest).where(
        InspectionRequest.reference == symbols))
