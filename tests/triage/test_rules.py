"""Every triage rule on register fixtures, in order, each with its reason."""

from __future__ import annotations

import pytest

from portal.triage.rules import RULESET_VERSION
from tests.triage.conftest import (
    IN_BATCH,
    IN_P50,
    IN_P90,
    INSPECTED_BEFORE,
    NEVER_INSPECTED,
    OUTSIDE_AREA,
    file_request,
)


@pytest.mark.parametrize(("number", "route", "reason", "detail", "status", "request_type"), [
    (NEVER_INSPECTED, "inspection", "not_known", None, "received", "inspection"),
    (INSPECTED_BEFORE, "reassessment", "inspected_before", "2017-11-21", "received",
     "reassessment"),
    (IN_P50, "in_programme", "risk_profile", "P50", "in_programme", "question"),
    (IN_P90, "in_programme", "risk_profile", "P90", "in_programme", "question"),
    (IN_BATCH, "in_programme", "batch", "1581", "in_programme", "question"),
    (OUTSIDE_AREA, "review", "outside_area", "Emmen", "received", "inspection"),
])
def test_rules_route_each_kind_of_address(app_context, session, triage_register, number, route,
                                          reason, detail, status, request_type):
    req = file_request(session, number)

    assert (req.suggested_route, req.triage_reason, req.triage_detail, req.status,
            req.request_type, req.ruleset_version, req.priority) == (
        route, reason, detail, status, request_type, RULESET_VERSION, 1)
    assert req.register_import_id is not None


def test_address_not_in_register_goes_to_review(app_context, session, triage_register):
    req = file_request(session, 77, in_register=False)

    assert (req.suggested_route, req.triage_reason, req.status) == (
        "review", "not_in_register", "received")


def test_second_request_for_an_address_is_linked_to_the_open_one(app_context, session,
                                                                   triage_register):
    first = file_request(session, NEVER_INSPECTED, key="a")
    second = file_request(session, NEVER_INSPECTED, key="b")

    assert (second.suggested_route, second.status, second.linked_to_id, second.triage_detail) \
        == ("linked", "linked", first.id, first.reference)


def test_acute_danger_is_urgent_whatever_the_register_says(app_context, session,
                                                             triage_register):
    req = file_request(session, IN_P50, acute=True)

    assert (req.suggested_route, req.status, req.priority) == ("urgent", "urgent", 0)


def test_every_outcome_is_recorded_as_a_check_in_the_history(app_context, session,
                                                               triage_register):
    req = file_request(session, IN_P90)

    kinds = [(e.kind, e.to_status, e.actor_kind) for e in req.events]
    assert kinds == [("status", "received", "resident"), ("check", "received", "system"),
                     ("status", "in_programme", "system")]
    assert "P90" in req.events[1].reason
