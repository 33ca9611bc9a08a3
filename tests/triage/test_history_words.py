"""The history in the staff's words: every machine form written in the code reads as words."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask_babel import force_locale

from portal.capacity.results import result_reason
from portal.capacity.results_rows import Result
from portal.requests.models import RequestEvent
from portal.requests.states import Status
from portal.triage.history_words import (
    actor_words,
    day_words,
    describe_event,
    describe_reason,
)

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# A code of the code base (snake_case, or a route or status value standing alone).
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b|\b(?:not_known|rules_apply|in_programme)\b")


def event(reason: str, source: str | None = "received", target: str = "received",
          kind: str = "note") -> RequestEvent:
    return RequestEvent(from_status=source, to_status=target, reason=reason, kind=kind,
                        actor_label="T. Officer")


# (stored reason, as written by …, the words an English-speaking officer reads)
FORMS = [
    ("submitted (web)", "Request sent in through the website"),
    ("submitted (phone)", "Request taken by phone at the desk"),
    ("acute danger reported: call back within 24 hours",
     "Acute danger reported: call back within 24 hours"),
    ("rules 2026.1: inspection (not_known)",
     "Checked against the rules (version 2026.1): Inspection. The address was never "
     "inspected and is not in the programme."),
    ("rules 2026.1: reassessment (inspected_before: 2017-11-21)",
     "Checked against the rules (version 2026.1): Reassessment. The address was inspected "
     "on November 21, 2017 and is not in P50 or P90."),
    ("rules 2026.1: in_programme (risk_profile: P50)",
     "Checked against the rules (version 2026.1): Already in the programme: inform. The "
     "address is in risk category P50."),
    ("rules 2026.1: linked (open_request: OV123)",
     "Checked against the rules (version 2026.1): Linked to an open request. There is "
     "already an open request for this address."),
    ("the request it followed was withdrawn", "The request it followed was withdrawn"),
    ("no longer in the programme after register import 7: The address was never inspected "
     "and is not in the programme.",
     "No longer in the programme after register import 7: The address was never inspected "
     "and is not in the programme."),
    ("accept_inspection: rules_apply", "Decision: Accept for inspection. Reason: As the rules "
     "suggest"),
    ("accept_inspection: rules_apply – text", "Decision: Accept for inspection. Reason: As "
     "the rules suggest – text"),
    ("decline: other – Not a home", "Decision: Decline. Reason: Other reason (see the text) – "
     "Not a home"),
    ("ask_information: information_missing – Which wall?", "Decision: Ask for information. "
     "Reason: Information is missing – Which wall?"),
    ("called back: reached, acute danger confirmed – Chimney may fall",
     "Called back: reached, acute danger confirmed – Chimney may fall"),
    ("called back: reached, no acute danger", "Called back: reached, no acute danger"),
    ("called back: not reached (attempt 1 of 3) – voicemail",
     "Called back: not reached (attempt 1 of 3) – voicemail"),
    ("referred to the emergency procedure", "Referred to the emergency procedure"),
    ("no acute danger: handled as an ordinary request",
     "No acute danger: handled as an ordinary request"),
    ("not reached after 3 attempts: letter by post",
     "Not reached after 3 attempts: letter by post"),
    ("letter not posted: the address is not known",
     "Letter not posted: the address is not known"),
    ("information sent by the resident", "The resident sent the information asked for"),
    ("withdrawn by the resident", "Withdrawn by the resident"),
    ("withdrawn via email link", "Withdrawn by the resident with the link in the email"),
    ("withdrawn by phone: moving house", "Withdrawn at the caller's request: moving house"),
    ("contact details corrected by phone: new number",
     "Contact details corrected by phone: new number"),
    ("contact details corrected", "Contact details corrected"),
    ("planned in the week of 2026-12-07", "Planned in the week of December 7, 2026"),
    ("planned in the week of 2026-11-30 (capacity of municipality 0014)",
     "Planned in the week of November 30, 2026 (capacity of municipality 0014)"),
    ("no free week left: the week of 2026-12-07 is needed for risk work",
     "No free week left: the week of December 7, 2026 is needed for risk work"),
    ("planned week moved from 2026-12-07 to the week of 2026-12-14: the earlier week is "
     "needed for risk work", "Planned week moved from December 7, 2026 to the week of "
     "December 14, 2026: the earlier week is needed for risk work"),
    ("planned week moved from 2026-12-14 to the week of 2026-12-07 (capacity of "
     "municipality 0014): a place came free earlier", "Planned week moved from December 14, "
     "2026 to the week of December 7, 2026 (capacity of municipality 0014): a place came "
     "free earlier"),
    ("in cluster 12", "Added to cluster 12"),
]


@pytest.mark.parametrize(("reason", "words"), FORMS, ids=[f[0][:40] for f in FORMS])
def test_every_machine_form_reads_as_words(app, reason, words):
    with app.test_request_context(), force_locale("en"):
        assert describe_reason(reason) == words


@pytest.mark.parametrize(("reason", "_words"), FORMS, ids=[f[0][:40] for f in FORMS])
def test_in_dutch_no_form_shows_a_code_or_an_iso_day(app, reason, _words):
    with app.test_request_context(), force_locale("nl"):
        shown = describe_event(event(reason))
    assert not ISO_DAY.search(shown), shown
    assert not CODE.search(shown), shown
    assert shown != reason


def test_results_of_the_inspection_organisation_read_as_words(app):
    inspected = result_reason(Status.INSPECTED, Result(date(2026, 12, 9), None, None))
    assessed = result_reason(Status.ASSESSED,
                             Result(date(2026, 12, 9), "voldoet_niet", "versterken"))
    with app.test_request_context(), force_locale("en"):
        assert describe_reason(inspected) == (
            "Result from the inspection organisation, inspected on December 9, 2026")
        assert describe_reason(assessed) == (
            "Result from the inspection organisation, inspected on December 9, 2026, does "
            "not meet the building standard, advice: reinforce")


def test_a_change_of_status_names_the_new_status_then_why(app):
    with app.test_request_context(), force_locale("en"):
        assert describe_event(event("submitted (web)", None, "received", "status")) == (
            "Started as: Received. Request sent in through the website")
        assert describe_event(event("accept_inspection: rules_apply", "received",
                                    "accepted_inspection", "status")) == (
            "New status: Accepted for inspection. Decision: Accept for inspection. Reason: As "
            "the rules suggest")
        assert describe_event(event("", "scheduled", "inspected", "status")) == (
            "New status: Inspected")


def test_text_an_officer_typed_comes_back_as_it_was(app):
    with app.test_request_context(), force_locale("nl"):
        assert describe_event(event("Bewoner belde: scheur is groter")) == (
            "Bewoner belde: scheur is groter")
        assert describe_reason("accept_inspection: made_up_code") == (
            "accept_inspection: made_up_code")


def test_day_words_leaves_what_is_not_a_day(app):
    with app.test_request_context(), force_locale("nl"):
        assert day_words("2026-12-07") == "7 december 2026"
        assert day_words("P50") == "P50"


def test_who_acted_is_a_name_the_resident_or_the_portal(app):
    resident = RequestEvent(actor_kind="resident", actor_label="resident")
    system = RequestEvent(actor_kind="system", actor_label="system")
    officer = RequestEvent(actor_kind="staff", actor_label="Olga Officer")
    with app.test_request_context(), force_locale("en"):
        assert [actor_words(e) for e in (resident, system, officer)] == [
            "the resident", "the portal", "Olga Officer"]
