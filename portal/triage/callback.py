"""The urgent track: calling back a resident who reported acute danger.

An urgent request is not decided like the others. An officer calls the resident back
within 24 hours and records what came of it:

- reached, acute danger confirmed: the request is referred to the emergency procedure
  and closed, with a letter that says so (decision "referred_to_emergency");
- reached, no acute danger: the danger flag is cleared, the request goes back to
  received and the ordinary rules judge it again (`triage.apply.triage_request`);
- not reached: the attempt is kept in the history (who, when); after MAX_ATTEMPTS the
  request is closed and a letter goes by post that says we could not reach the resident
  and what to do (decision "not_reached").
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.actors import Actor
from portal.clock import utcnow
from portal.events import publish
from portal.refusals import Refused
from portal.requests import workflow
from portal.requests.models import InspectionRequest, RequestEvent
from portal.requests.states import Status
from portal.triage.apply import triage_request
from portal.triage.events import DecisionTaken
from portal.triage.models import Decision
from portal.triage.queue import release
from portal.triage.rules import Outcome

MAX_ATTEMPTS = 3
REACHED = "callback"     # RequestEvent.kind of a call back that reached the resident
NO_ANSWER = "no_answer"  # RequestEvent.kind of a call back nobody answered

REFERRED = "referred_to_emergency"
NOT_REACHED = "not_reached"


class CallBackRefused(Refused):
    """The call back cannot be recorded: the request is not (or no longer) urgent."""


def failed_attempts(session: Session, req: InspectionRequest) -> int:
    """How many call backs to this request nobody answered."""
    return session.scalar(select(func.count()).select_from(RequestEvent).where(
        RequestEvent.request_id == req.id, RequestEvent.kind == NO_ANSWER)) or 0


def _urgent(req: InspectionRequest) -> None:
    if req.status != Status.URGENT:
        raise CallBackRefused("callback.not_urgent", _l(
            "This request is no longer urgent: nothing was recorded."), status=req.status)


def _with(text: str, note: str) -> str:
    note = (note or "").strip()
    return f"{text} – {note}" if note else text


def _close(session: Session, req: InspectionRequest, decision: str, *, actor: Actor,
           reason_code: str, note: str, why: str, by_post: bool) -> Decision:
    workflow.transition(session, req, Status.CLOSED, actor=actor, reason=_with(why, note))
    record = Decision(
        request_id=req.id, decision=decision, reason_code=reason_code,
        reason_text=(note or "").strip(), suggested_route=req.suggested_route,
        deviates=False, decided_by_id=actor.id, decided_by_label=actor.label,
        decided_at=utcnow())
    session.add(record)
    session.flush()
    publish(session, DecisionTaken(req, record, actor, True, by_post))
    release(session, req)
    return record


def reached_in_danger(session: Session, req: InspectionRequest, *, actor: Actor,
                      note: str = "") -> Decision:
    """The resident was reached and there is acute danger: refer and close, with a letter."""
    _urgent(req)
    workflow.note(session, req, actor=actor, kind=REACHED,
                  reason=_with("called back: reached, acute danger confirmed", note))
    return _close(session, req, REFERRED, actor=actor, reason_code="danger_confirmed",
                  note="", why="referred to the emergency procedure", by_post=False)


def reached_no_danger(session: Session, req: InspectionRequest, *, actor: Actor,
                      note: str = "") -> Outcome:
    """The resident was reached and there is no acute danger: an ordinary request again.

    The danger flag is cleared, the request goes back to received and the rules judge
    it again, so it gets the route any other request for that address would get.
    """
    _urgent(req)
    workflow.note(session, req, actor=actor, kind=REACHED,
                  reason=_with("called back: reached, no acute danger", note))
    req.acute_danger = False
    session.flush()
    workflow.transition(session, req, Status.RECEIVED, actor=actor,
                        reason="no acute danger: handled as an ordinary request")
    release(session, req)
    return triage_request(session, req, actor=actor)


def not_reached(session: Session, req: InspectionRequest, *, actor: Actor,
                note: str = "") -> int:
    """Record a call back nobody answered; returns the number of failed attempts so far.

    At MAX_ATTEMPTS the request is closed and a letter goes by post: we could not reach
    you, call the emergency number if there is danger, call the desk otherwise.
    """
    _urgent(req)
    count = failed_attempts(session, req) + 1
    workflow.note(session, req, actor=actor, kind=NO_ANSWER,
                  reason=_with(f"called back: not reached (attempt {count} of "
                               f"{MAX_ATTEMPTS})", note))
    if count >= MAX_ATTEMPTS:
        _close(session, req, NOT_REACHED, actor=actor, reason_code="not_reached", note="",
               why=f"not reached after {count} attempts: letter by post", by_post=True)
    return count
