"""What a resident may see of a request: status, meaning, timeline, letters and questions."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.actors import Actor
from portal.audit import record
from portal.clock import utcnow
from portal.intake.models import RequestToken
from portal.intake.submit import find_by_reference
from portal.letters.issue import letter_about, letters_about
from portal.letters.models import Letter
from portal.register import fields
from portal.requests import workflow
from portal.requests.models import InspectionRequest
from portal.requests.reference import format_reference
from portal.requests.states import LABELS, WITHDRAWABLE, Status
from portal.triage.models import Decision
from portal.triage.resident_words import DECISION_OUTCOMES, question_text

TOKEN_LIFETIME = timedelta(hours=24)
PURPOSES = ("withdraw", "correct")
# Closed, declined or withdrawn: the resident can change nothing more on /status.
FINAL = frozenset({Status.CLOSED, Status.DECLINED, Status.WITHDRAWN})
# Until capacity planning gives a date, the promise is a decision within two weeks.
DECISION_WITHIN = timedelta(days=14)


@dataclass(frozen=True)
class TimelineEntry:
    """One step a resident sees: when, and what status it reached."""

    at: datetime
    status: Status
    label: str


@dataclass(frozen=True)
class LetterEntry:
    """A letter as the resident sees it in the list: what it is, when, and how big."""

    id: int
    title: str
    issued_at: datetime
    size: int


@dataclass(frozen=True)
class OpenQuestion:
    """What an officer asked the resident, and the decision that asked it."""

    decision_id: int
    text: str
    asked_at: datetime


def find_for_status(session: Session, reference: str, postcode: str,
                    huisnummer: str) -> InspectionRequest | None:
    """The request when reference, postcode and house number all match; else None."""
    req = find_by_reference(session, reference)
    try:
        wanted_postcode = fields.postcode(postcode)
    except fields.FieldError:
        return None
    if req is None or req.postcode != wanted_postcode:
        return None
    return req if str(req.huisnummer) == huisnummer.strip() else None


def timeline(req: InspectionRequest) -> list[TimelineEntry]:
    """The request's history as the resident sees it (no staff names, no reasons)."""
    return [
        TimelineEntry(event.at, Status(event.to_status), str(LABELS[Status(event.to_status)]))
        for event in req.events if event.to_status != event.from_status
    ]


def expected_decision(req: InspectionRequest) -> date | None:
    """The date by which the resident hears what happens, while nothing is decided yet.

    A request added to an earlier one waits for that one's decision: once the lead is
    decided (accepted, planned, closed) there is no decision left to promise.
    """
    waiting = req.linked_to if Status(req.status) is Status.LINKED and req.linked_to else req
    if Status(waiting.status) in (Status.RECEIVED, Status.LINKED):
        # From when it last came (back) in: an answer or a re-triage starts the wait anew.
        return (waiting.status_changed_at + DECISION_WITHIN).date()
    return None


def letters_of(session: Session, req: InspectionRequest) -> list[LetterEntry]:
    """Every letter issued about req, oldest first, with a title in the current language."""
    letters = letters_about(session, format_reference(req.reference))
    outcomes = {letter_id: decision for letter_id, decision in session.execute(
        select(Decision.letter_id, Decision.decision).where(
            Decision.request_id == req.id, Decision.letter_id.is_not(None)))}
    return [LetterEntry(letter.id, _letter_title(letter, outcomes.get(letter.id)),
                        letter.created_at, letter.size) for letter in letters]


def letter_of(session: Session, req: InspectionRequest, letter_id: int) -> Letter | None:
    """The stored letter with this id when it is about req; None for anyone else's letter."""
    return letter_about(session, letter_id, format_reference(req.reference))


def _letter_title(letter: Letter, decision: str | None) -> str:
    if letter.kind == "receipt":
        return _("Receipt of your request")
    if letter.kind == "decision" and decision in DECISION_OUTCOMES:
        return _("Decision: %(outcome)s", outcome=str(DECISION_OUTCOMES[decision]))
    if letter.kind == "decision":
        return _("Decision on your request")
    return _("Letter about your request")


def open_question(session: Session, req: InspectionRequest) -> OpenQuestion | None:
    """The officer's question while req waits for information from the resident, else None."""
    if Status(req.status) is not Status.AWAITING_INFORMATION:
        return None
    decision = session.scalars(select(Decision).where(
        Decision.request_id == req.id, Decision.decision == "ask_information",
    ).order_by(Decision.id.desc()).limit(1)).first()
    if decision is None:
        return None
    return OpenQuestion(decision.id, question_text(decision.reason_code, decision.reason_text),
                        decision.decided_at)


def can_withdraw(req: InspectionRequest) -> bool:
    """True while the resident may still withdraw."""
    return Status(req.status) in WITHDRAWABLE


def can_correct(req: InspectionRequest) -> bool:
    """True while the contact details still matter: not once the request is final."""
    return Status(req.status) not in FINAL


def may(req: InspectionRequest, purpose: str) -> bool:
    """Whether a one-time link for purpose ("withdraw" or "correct") may be used now."""
    return can_withdraw(req) if purpose == "withdraw" else can_correct(req)


def issue_token(session: Session, req: InspectionRequest, purpose: str) -> str:
    """Create a one-time link token for req; only its hash is stored (caller commits)."""
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(RequestToken(request_id=req.id, purpose=purpose, token_hash=_hash(token),
                             created_at=now, expires_at=now + TOKEN_LIFETIME))
    session.flush()
    return token


def redeem_token(session: Session, token: str, purpose: str, *,
                 consume: bool) -> InspectionRequest | None:
    """The request a valid, unused, unexpired token is for; consume marks it used."""
    record = session.scalar(select(RequestToken).where(
        RequestToken.token_hash == _hash(token), RequestToken.purpose == purpose
    ).with_for_update())
    now = utcnow()
    if record is None or record.used_at is not None or record.expires_at < now:
        return None
    if consume:
        record.used_at = now
    return session.get(InspectionRequest, record.request_id)


def withdraw(session: Session, req: InspectionRequest, *, actor: Actor, reason: str) -> None:
    """Withdraw the request at the resident's wish (caller commits)."""
    workflow.transition(session, req, Status.WITHDRAWN, actor=actor,
                        reason=reason or "withdrawn by the resident")
    record(session, actor=actor, action="request.withdrawn", subject_type="request",
           subject_id=req.id)


def correct_contact(session: Session, req: InspectionRequest, *, actor: Actor,
                    contact_name: str, email: str | None, phone: str | None, language: str,
                    letters_by_post: bool, reason: str = "") -> None:
    """Replace the contact details and note who did it (caller commits)."""
    req.contact_name, req.email, req.phone = contact_name, email or None, phone or None
    req.language, req.letters_by_post = language, letters_by_post
    workflow.note(session, req, actor=actor, reason=reason or "contact details corrected")
    record(session, actor=actor, action="request.contact_corrected", subject_type="request",
           subject_id=req.id)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
