"""Telling residents their planned week: planned, moved, or taken back for risk work.

A planning pass may change the week of thousands of requests at once, so messages are
rendered per language with the translated texts looked up once, and written to the
outbox in one bulk INSERT in the caller's transaction — committed with the plan, or
rolled back with it. Only residents who gave an email address get one; the status page
shows everyone the same period (see `expected`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from portal.capacity.events import PlanChanged
from portal.clock import utcnow
from portal.outbox.models import OutboxMessage
from portal.outbox.queue import new_message_id
from portal.requests.models import InspectionRequest
from portal.requests.queries import follower_ids
from portal.requests.reference import format_reference
from portal.service import ServiceFacts

_CHUNK = 2000
# As the letters write a day, in both languages: 14 December 2026, 14 december 2026.
DAY_PATTERN = "d MMMM y"


def _texts() -> dict[str, str]:
    """Every text of these emails in the current language, with placeholders unfilled.

    gettext without arguments returns the translated pattern as it is; the placeholders
    are filled per message below, which keeps 50,000 messages cheap to render.
    """
    return {
        "dear": _("Dear %(name)s,"),
        "status": _("Check where your request stands: %(url)s"),
        "regards": _("Kind regards,\nOpnameloket, Nationaal Coördinator Groningen"),
        "planned_subject": _("Your request %(reference)s is planned"),
        "planned_inspection": _("The inspection of your home is planned in the week of "
                                "%(week)s."),
        "planned_assessment": _("The reassessment of your home is planned in the week of "
                                "%(week)s."),
        "appointment": _("The inspection organisation contacts you to make an appointment."),
        "moved_subject": _("New week for your request %(reference)s"),
        "moved_later": _("The homes with the highest risk need more of the inspection "
                         "capacity in the week of %(old)s. They go first, so your request "
                         "moves to the week of %(new)s."),
        "moved_earlier": _("A place came free earlier. Your request moves from the week of "
                           "%(old)s to the week of %(new)s."),
        "still_planned": _("Your request stays planned. The inspection organisation "
                           "contacts you to make an appointment."),
        "unplanned_subject": _("Your request %(reference)s: a new week follows"),
        "unplanned": _("The homes with the highest risk need the inspection capacity in the "
                       "week of %(old)s, when your request was planned. There is no other "
                       "free week yet."),
        "keeps_place": _("Your request stays accepted and keeps its place in line. We plan "
                         "it as soon as a place is free, and let you know."),
    }


def tell_plan(session: Session, event: PlanChanged, facts: ServiceFacts) -> None:
    """Subscriber: queue the emails of a planning change."""
    queue_plan_messages(session, facts, planned=event.planned, moved=event.moved,
                        unplanned=event.unplanned)


def reachable(session: Session, request_ids: set[int]) -> int:
    """How many of these requests have an email address to tell them at."""
    return len(_recipients(session, request_ids))


def queue_plan_messages(session: Session, facts: ServiceFacts, *,
                        planned: Iterable[tuple[int, str, date]] = (),
                        moved: Iterable[tuple[int, str, date, date]] = (),
                        unplanned: Iterable[tuple[int, str, date]] = ()) -> int:
    """Queue the emails of a planning pass; return how many were queued.

    planned: (request id, kind, week); moved: (request id, kind, old week, new week);
    unplanned: (request id, kind, old week).
    """
    items = [("planned", i, k, w, None) for i, k, w in planned]
    items += [("moved_later" if new > old else "moved_earlier", i, k, old, new)
              for i, k, old, new in moved]
    items += [("unplanned", i, k, old, None) for i, k, old in unplanned]
    if not items:
        return 0
    # A request added to an earlier one follows it: its resident hears the same news.
    linked = follower_ids(session, {item[1] for item in items})
    items += [(what, follower, kind, first, second)
              for what, lead, kind, first, second in list(items)
              for follower in linked.get(lead, ())]
    people = _recipients(session, {item[1] for item in items})
    by_language: dict[str, list] = defaultdict(list)
    for item in items:
        person = people.get(item[1])
        if person is not None:
            by_language[person.language].append((item, person))
    now = utcnow()
    rows = []
    url = facts.public_url("/status")
    for language, batch in by_language.items():
        with force_locale(language):
            texts = _texts()
            weeks: dict[date, str] = {}

            def week(day: date, weeks=weeks) -> str:
                if day not in weeks:
                    weeks[day] = format_date(day, DAY_PATTERN)
                return weeks[day]

            for (what, _id, kind, first, second), person in batch:
                subject, lines = _message(texts, what, kind, week(first),
                                          week(second) if second else "")
                reference = format_reference(person.reference)
                body = "\n\n".join([texts["dear"] % {"name": person.contact_name}, *lines,
                                    texts["status"] % {"url": url}, texts["regards"]])
                rows.append({
                    "created_at": now, "channel": "email", "to_address": person.email,
                    "subject": subject % {"reference": reference}, "body_text": body,
                    "message_id": new_message_id(), "dedupe_key": None, "status": "pending",
                    "attempts": 0, "next_attempt_at": now, "language": language,
                })
    if rows:
        session.execute(insert(OutboxMessage.__table__), rows)
    return len(rows)


def _message(texts: dict[str, str], what: str, kind: str, first: str,
             second: str) -> tuple[str, list[str]]:
    """The subject pattern and the body lines of one message."""
    if what == "planned":
        return texts["planned_subject"], [
            texts[f"planned_{kind}"] % {"week": first}, texts["appointment"]]
    if what in ("moved_later", "moved_earlier"):
        return texts["moved_subject"], [
            texts[what] % {"old": first, "new": second}, texts["still_planned"]]
    return texts["unplanned_subject"], [texts["unplanned"] % {"old": first},
                                        texts["keeps_place"]]


def _recipients(session: Session, ids: set[int]) -> dict[int, object]:
    """id → (email, language, contact_name, reference) of the requests with an email."""
    t = InspectionRequest.__table__
    found = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start:start + _CHUNK]
        for row in session.execute(
                select(t.c.id, t.c.email, t.c.language, t.c.contact_name, t.c.reference)
                .where(t.c.id.in_(chunk), t.c.email.is_not(None))):
            found[row.id] = row
    return found
