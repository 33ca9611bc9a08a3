"""`/medewerkers/triage`: the queue with filters and pages, take next, the detail, decisions."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from portal.clock import utcnow
from portal.letters.models import Letter
from portal.outbox.models import OutboxMessage
from portal.requests.models import InspectionRequest
from portal.requests.reference import format_reference
from portal.triage.models import Decision
from portal.triage.queue import PAGE_SIZE
from tests.accounts.conftest import login_as
from tests.intake.conftest import csrf_token
from tests.triage.conftest import (
    IN_BATCH,
    IN_P50,
    IN_P90,
    INSPECTED_BEFORE,
    NEVER_INSPECTED,
    OUTSIDE_AREA,
)
from tests.triage.conftest import file_request_in_app as file_request
from tests.web.html import visible_text

TRIAGE = "/medewerkers/triage"
FLAT_1, FLAT_2 = 20, 21  # Hoofdstraat 20-1 and 20-2: one building, in the triage register
REFERENCE = re.compile(r"OV-\w{4}-\w{4}-\w{4}")


@pytest.fixture
def officer(client):
    """The client logged in as a triage officer; returns the officer's account."""
    return login_as(client, "officer")



def file_typed_requests(app, session, count: int) -> list[InspectionRequest]:
    """File count requests for addresses not in the register (numbers 100 and up)."""
    return [file_request(app, session, 100 + n, in_register=False) for n in range(count)]


def received_hours_ago(session, req: InspectionRequest, hours: float) -> None:
    """Move a request's arrival back in time, straight in the database."""
    session.execute(update(InspectionRequest).where(InspectionRequest.id == req.id)
                    .values(created_at=utcnow() - timedelta(hours=hours)))
    session.commit()


def fresh(session) -> None:
    """Forget what the test's session has loaded, to read what the portal committed."""
    session.rollback()
    session.expire_all()


def text(response) -> str:
    """The visible text of a response's page, with a space between elements' texts."""
    return visible_text(response.text.replace("<", " <"))


def rows(response) -> list[str]:
    """The visible text of each row in the body of the page's table."""
    body = response.text.partition("<tbody>")[2].partition("</tbody>")[0]
    return [visible_text(row.replace("<", " <")) for row in re.split(r"<tr\b[^>]*>", body)[1:]]


def references(response) -> list[str]:
    """The references in the page's table, in order."""
    return [REFERENCE.search(row)[0] for row in rows(response)]


def ref(req: InspectionRequest) -> str:
    """A request's reference as the pages show it."""
    return format_reference(req.reference)


def next_page_url(response) -> str | None:
    """The address of the "Next page" link, or None when there is none."""
    found = re.search(r'href="([^"]+)">Next page<', response.text)
    return html.unescape(found[1]) if found else None


def post_form(client, page_url: str, action: str, data: dict):
    """POST data to action with the CSRF token of the page at page_url."""
    page = client.get(page_url)
    return client.post(action, data={"csrf_token": csrf_token(page.text), **data})


def decide(client, req: InspectionRequest, decision: str, reason_code: str = "rules_apply",
           reason_text: str = ""):
    """Take a decision on req from its detail page."""
    detail = f"{TRIAGE}/aanvraag/{req.id}"
    return post_form(client, detail, f"{detail}/besluit", {
        "decision": decision, "reason_code": reason_code, "reason_text": reason_text})


def decisions_of(session, req: InspectionRequest) -> list[Decision]:
    """The decisions stored for req, oldest first."""
    fresh(session)
    return list(session.scalars(select(Decision).where(Decision.request_id == req.id)
                                .order_by(Decision.id)))


@pytest.fixture
def filed(app, session, triage_register) -> dict[str, InspectionRequest]:
    """One waiting request for each route, oldest first; the inspection came in 5 days ago."""
    requests = {
        "inspection": file_request(app, session, NEVER_INSPECTED),
        "reassessment": file_request(app, session, INSPECTED_BEFORE),
        "in_programme": file_request(app, session, IN_P50),
        "review": file_request(app, session, OUTSIDE_AREA),
        "urgent": file_request(app, session, FLAT_1, acute=True),
    }
    received_hours_ago(session, requests["inspection"], 5 * 24)
    return requests


# The queue


def test_queue_lists_urgent_first_and_marks_an_urgent_request_past_24_hours(
        app, client, session, triage_register, officer):
    waiting = file_request(app, session, NEVER_INSPECTED)
    recent_urgent = file_request(app, session, INSPECTED_BEFORE, acute=True)
    old_urgent = file_request(app, session, FLAT_1, acute=True)
    received_hours_ago(session, old_urgent, 25)
    received_hours_ago(session, waiting, 48)

    response = client.get(f"{TRIAGE}/")

    assert response.status_code == 200
    assert references(response) == [ref(old_urgent), ref(recent_urgent), ref(waiting)]
    assert ["overdue" in row for row in rows(response)] == [True, False, False]
    assert "3 waiting requests" in text(response)


def test_queue_leaves_out_requests_that_wait_for_nobody(app, client, session, triage_register,
                                                        officer):
    waiting = file_request(app, session, NEVER_INSPECTED)
    file_request(app, session, NEVER_INSPECTED, key="second")  # linked to the first
    decided = file_request(app, session, INSPECTED_BEFORE)
    decide(client, decided, "accept_reassessment")

    response = client.get(f"{TRIAGE}/")

    assert references(response) == [ref(waiting)]


@pytest.mark.parametrize(("query", "expected"), [
    ({"route": "reassessment"}, ["reassessment"]),
    ({"route": "review"}, ["review"]),
    ({"status": "in_programme"}, ["in_programme"]),
    ({"status": "received"}, ["inspection", "reassessment", "review"]),
    ({"gemeentecode": "0114"}, ["review"]),
    ({"woonplaats": "Emmen"}, ["review"]),
    ({"urgent": "yes"}, ["urgent"]),
    ({"urgent": "no"}, ["inspection", "reassessment", "in_programme", "review"]),
    ({"older_than_days": "3"}, ["inspection"]),
    ({"status": "received", "gemeentecode": "1979"}, ["inspection", "reassessment"]),
    ({}, ["urgent", "inspection", "reassessment", "in_programme", "review"]),
])
def test_queue_filters(client, filed, officer, query, expected):
    response = client.get(f"{TRIAGE}/", query_string=query)

    assert references(response) == [ref(filed[name]) for name in expected]


def test_queue_shows_counts_per_route_within_the_other_filters(client, filed, officer):
    everything = text(client.get(f"{TRIAGE}/"))
    received = text(client.get(f"{TRIAGE}/", query_string={"status": "received"}))

    assert ("Counts Urgent: call back : 1 Review by an officer : 1 Linked to an open request : 0 "
            "Already in the programme: inform : 1 Reassessment : 1 Inspection : 1 Urgent: 1"
            ) in everything
    assert ("Counts Urgent: call back : 0 Review by an officer : 1 Linked to an open request : 0 "
            "Already in the programme: inform : 0 Reassessment : 1 Inspection : 1 Urgent: 0"
            ) in received


def test_next_page_link_continues_where_the_first_page_ended(app, client, session,
                                                             triage_register, officer):
    filed = file_typed_requests(app, session, PAGE_SIZE + 5)

    first = client.get(f"{TRIAGE}/")
    second = client.get(next_page_url(first))

    assert references(first) == [ref(r) for r in filed[:PAGE_SIZE]]
    assert references(second) == [ref(r) for r in filed[PAGE_SIZE:]]
    assert next_page_url(second) is None
    assert f"{PAGE_SIZE + 5} waiting requests" in text(second)


def test_next_page_keeps_the_filter(app, client, session, triage_register, officer):
    typed = file_typed_requests(app, session, PAGE_SIZE + 1)
    file_request(app, session, NEVER_INSPECTED)

    first = client.get(f"{TRIAGE}/", query_string={"route": "review"})
    second = client.get(next_page_url(first))

    assert "route=review" in next_page_url(first)
    assert references(second) == [ref(typed[-1])]


def test_an_unreadable_page_cursor_shows_the_first_page(app, client, session, triage_register,
                                                        officer):
    req = file_request(app, session, NEVER_INSPECTED)

    response = client.get(f"{TRIAGE}/", query_string={"na": "not-a-cursor"})

    assert (response.status_code, references(response)) == (200, [ref(req)])


# Take next


def test_take_next_gives_two_officers_two_different_requests(app, client, session,
                                                             triage_register, officer):
    first = file_request(app, session, NEVER_INSPECTED)
    second = file_request(app, session, INSPECTED_BEFORE)
    colleague = app.test_client()
    login_as(colleague, "officer")

    mine = post_form(client, f"{TRIAGE}/", f"{TRIAGE}/volgende", {})
    theirs = post_form(colleague, f"{TRIAGE}/", f"{TRIAGE}/volgende", {})
    mine_again = post_form(client, f"{TRIAGE}/", f"{TRIAGE}/volgende", {})

    assert [r.location for r in (mine, theirs, mine_again)] == [
        f"{TRIAGE}/aanvraag/{first.id}", f"{TRIAGE}/aanvraag/{second.id}",
        f"{TRIAGE}/aanvraag/{first.id}"]


def test_take_next_with_an_empty_queue_says_so(client, triage_register, officer):
    response = post_form(client, f"{TRIAGE}/", f"{TRIAGE}/volgende", {})

    assert (response.status_code, response.location) == (303, f"{TRIAGE}/")
    assert "There is no waiting request left." in text(client.get(response.location))


def test_take_next_follows_the_filter(app, client, session, triage_register, officer):
    file_request(app, session, NEVER_INSPECTED)
    reassessment = file_request(app, session, INSPECTED_BEFORE)

    response = post_form(client, f"{TRIAGE}/?route=reassessment", f"{TRIAGE}/volgende",
                         {"route": "reassessment"})

    assert response.location == f"{TRIAGE}/aanvraag/{reassessment.id}"


# The detail page


def test_detail_shows_the_suggested_route_with_its_reason_and_identical_neighbours(
        app, client, session, triage_register, officer):
    req = file_request(app, session, INSPECTED_BEFORE)

    page = text(client.get(f"{TRIAGE}/aanvraag/{req.id}"))

    assert ("Suggested route Reassessment: The address was inspected on November 21, 2017 and is "
            "not in P50 or P90.") in page
    assert ("Identical neighbours Buildings of the same type (rij-1930) in the same street. "
            "Judge them alike unless there is a reason not to. Hoofdstraat 10 (1 address") in page


def test_detail_shows_the_requests_in_the_building(app, client, session, triage_register,
                                                   officer):
    own = file_request(app, session, FLAT_1)
    neighbour = file_request(app, session, FLAT_2)

    response = client.get(f"{TRIAGE}/aanvraag/{own.id}")

    assert "Requests in this building" in text(response)
    assert rows(response) == [f"{ref(own)} Hoofdstraat 20-1 Received",
                              f"{ref(neighbour)} Hoofdstraat 20-2 Received"]
    assert "No buildings of the same type in this street." in text(response)


def test_detail_proposes_the_suggested_decision(app, client, session, triage_register, officer):
    req = file_request(app, session, INSPECTED_BEFORE)

    response = client.get(f"{TRIAGE}/aanvraag/{req.id}")

    checked = re.findall(r'<input checked[^>]*value="(\w+)"|<input[^>]*value="(\w+)"[^>]*checked',
                         response.text)
    assert [a or b for a, b in checked] == ["accept_reassessment"]


def test_detail_of_an_overdue_urgent_request_says_so(app, client, session, triage_register,
                                                    officer):
    req = file_request(app, session, NEVER_INSPECTED, acute=True)
    received_hours_ago(session, req, 30)

    page = text(client.get(f"{TRIAGE}/aanvraag/{req.id}"))

    assert re.search(r"Urgent: call back before .+ – overdue", page)


def test_detail_of_an_unknown_request_is_not_found(client, triage_register, officer):
    assert client.get(f"{TRIAGE}/aanvraag/999999").status_code == 404


# Decisions


def test_deciding_as_suggested_saves_the_decision(app, client, session, triage_register,
                                                  officer):
    req = file_request(app, session, NEVER_INSPECTED)

    response = decide(client, req, "accept_inspection")

    assert (response.status_code, response.location) == (303, f"{TRIAGE}/aanvraag/{req.id}")
    assert "Decision saved; the letter is on its way." in text(client.get(response.location))
    [decision] = decisions_of(session, req)
    assert (decision.decision, decision.deviates, decision.reason_code,
            decision.decided_by_label) == (
        "accept_inspection", False, "rules_apply", officer.display_name)
    assert session.get(InspectionRequest, req.id).status == "accepted_inspection"


@pytest.mark.parametrize("reason_text", ["", "   "])
def test_overriding_the_suggestion_without_a_written_reason_is_refused(
        app, client, session, triage_register, officer, reason_text):
    req = file_request(app, session, INSPECTED_BEFORE)

    response = decide(client, req, "accept_inspection", "feels_unsafe", reason_text)

    assert response.status_code == 422
    assert "There is a problem Write why you deviate from the suggested route" in text(response)
    assert decisions_of(session, req) == []
    assert (session.get(InspectionRequest, req.id).status,
            session.scalars(select(Letter)).all()) == ("received", [])


def test_overriding_with_a_reason_saves_it_as_a_deviation_with_letter_and_notification(
        app, client, session, triage_register, officer):
    req = file_request(app, session, INSPECTED_BEFORE)

    response = decide(client, req, "accept_inspection", "feels_unsafe",
                      "Nieuwe scheuren sinds 2019")

    assert response.status_code == 303
    [decision] = decisions_of(session, req)
    assert (decision.decision, decision.suggested_route, decision.deviates,
            decision.reason_text) == (
        "accept_inspection", "reassessment", True, "Nieuwe scheuren sinds 2019")
    letter = session.get(Letter, decision.letter_id)
    assert (letter.kind, letter.subject_reference) == ("decision", ref(req))
    notices = session.scalars(select(OutboxMessage.dedupe_key).where(
        OutboxMessage.dedupe_key.like(f"status:{req.id}:%")
        | OutboxMessage.dedupe_key.like("decision:%"))).all()
    assert notices == [f"decision:{decision.id}"]


def test_a_decision_the_status_does_not_allow_is_refused_with_a_message(
        app, client, session, triage_register, officer):
    req = file_request(app, session, NEVER_INSPECTED)
    decide(client, req, "accept_inspection")

    response = decide(client, req, "decline", "other", "Dubbele aanvraag")

    assert response.status_code == 422
    assert "There is a problem" in text(response)
    assert [d.decision for d in decisions_of(session, req)] == ["accept_inspection"]


def test_a_decision_without_a_choice_is_refused(app, client, session, triage_register, officer):
    req = file_request(app, session, NEVER_INSPECTED)
    detail = f"{TRIAGE}/aanvraag/{req.id}"

    response = post_form(client, detail, f"{detail}/besluit", {"reason_code": "rules_apply"})

    assert response.status_code == 422
    assert "Choose a decision" in text(response)


def test_bulk_inform_closes_the_selected_in_programme_requests(app, client, session,
                                                               triage_register, officer):
    p50 = file_request(app, session, IN_P50)
    p90 = file_request(app, session, IN_P90)
    batch = file_request(app, session, IN_BATCH)
    inspection = file_request(app, session, NEVER_INSPECTED)

    response = client.post(f"{TRIAGE}/informeren", data={
        "csrf_token": csrf_token(client.get(f"{TRIAGE}/").text),
        "request_id": [str(p50.id), str(batch.id), str(inspection.id)],
        "reason_text": "Zie de brief van de NCG"})

    assert (response.status_code, response.location) == (
        303, f"{TRIAGE}/?route=in_programme")
    assert "2 requests informed." in text(client.get(response.location))
    fresh(session)
    assert [session.get(InspectionRequest, r.id).status for r in (p50, p90, batch, inspection)
            ] == ["closed", "in_programme", "closed", "received"]
    informed = session.scalars(select(Decision).order_by(Decision.id)).all()
    assert [(d.request_id, d.decision, d.reason_code, d.deviates) for d in informed] == [
        (p50.id, "inform", "in_programme", False), (batch.id, "inform", "in_programme", False)]
    assert len({d.letter_id for d in informed} - {None}) == 2


def test_a_resubmitted_bulk_inform_informs_each_request_once(app, client, session,
                                                             triage_register, officer):
    p50 = file_request(app, session, IN_P50)
    form = {"csrf_token": csrf_token(client.get(f"{TRIAGE}/").text), "request_id": [str(p50.id)]}

    first = client.post(f"{TRIAGE}/informeren", data=form)
    again = client.post(f"{TRIAGE}/informeren", data=form)

    assert (first.status_code, again.status_code) == (303, 303)
    assert "0 requests informed." in text(client.get(again.location))
    assert [d.decision for d in decisions_of(session, p50)] == ["inform"]


def test_bulk_inform_without_a_selection_asks_for_one(app, client, session, triage_register,
                                                      officer):
    p50 = file_request(app, session, IN_P50)

    response = post_form(client, f"{TRIAGE}/", f"{TRIAGE}/informeren", {})

    assert "Select the requests to inform." in text(client.get(response.location))
    fresh(session)
    assert session.get(InspectionRequest, p50.id).status == "in_programme"


def test_only_in_programme_requests_can_be_selected_in_the_queue(app, client, session,
                                                                 triage_register, officer):
    p50 = file_request(app, session, IN_P50)
    file_request(app, session, NEVER_INSPECTED)

    response = client.get(f"{TRIAGE}/")

    assert re.findall(r'name="request_id" value="(\d+)"', response.text) == [str(p50.id)]


# Who may use triage


def _triage_urls(app, request_id: int) -> list[tuple[str, str]]:
    """Every (method, URL) of the triage blueprint, for one request where a page needs one."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("triage."):
            url = rule.rule.replace("<int:request_id>", str(request_id))
            url = url.replace("<int:letter_id>", "1").replace("<int:answer_id>", "1")
            found += [(method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return sorted(found)


def test_an_agent_is_refused_every_triage_page(app, client, session, triage_register):
    req = file_request(app, session, NEVER_INSPECTED)
    login_as(client, "agent")
    token = csrf_token(client.get("/medewerkers/").text)

    answers = {(method, url): client.open(url, method=method, data={
        "csrf_token": token, "decision": "accept_inspection", "reason_code": "rules_apply",
        "request_id": str(req.id)} if method == "POST" else None).status_code
        for method, url in _triage_urls(app, req.id)}

    assert answers == {
        ("GET", f"{TRIAGE}/"): 403, ("GET", f"{TRIAGE}/aanvraag/{req.id}"): 403,
        ("POST", f"{TRIAGE}/aanvraag/{req.id}/besluit"): 403,
        ("POST", f"{TRIAGE}/aanvraag/{req.id}/terugbellen"): 403,
        ("GET", f"{TRIAGE}/aanvraag/{req.id}/brief/1.pdf"): 403,
        ("GET", f"{TRIAGE}/aanvraag/{req.id}/antwoord/1"): 403,
        ("POST", f"{TRIAGE}/informeren"): 403, ("POST", f"{TRIAGE}/volgende"): 403}
    assert decisions_of(session, req) == []


def test_a_coordinator_may_use_the_queue(app, client, session, triage_register):
    req = file_request(app, session, NEVER_INSPECTED)
    login_as(client, "coordinator")

    response = client.get(f"{TRIAGE}/")

    assert (response.status_code, references(response)) == (200, [ref(req)])


def test_anonymous_visitors_of_the_queue_are_sent_to_the_login(client, triage_register):
    response = client.get(f"{TRIAGE}/")

    assert (response.status_code, response.location) == (
        302, "/medewerkers/inloggen?next=/medewerkers/triage/")


def test_a_decision_on_a_request_someone_else_just_decided_says_so(
        app, client, session, triage_register, officer):
    req = file_request(app, session, NEVER_INSPECTED)
    detail = f"{TRIAGE}/aanvraag/{req.id}"
    page = client.get(detail)  # the officer opens the request while it is received
    assert 'name="seen_status" type="hidden" value="received"' in page.text
    decide(client, req, "accept_inspection")  # meanwhile a colleague decides

    response = client.post(f"{detail}/besluit", data={
        "csrf_token": csrf_token(page.text), "decision": "decline", "reason_code": "other",
        "reason_text": "Dubbel", "seen_status": "received"})

    assert response.status_code == 303
    assert "Someone else decided this request just now" in text(client.get(detail))
    assert [d.decision for d in decisions_of(session, req)] == ["accept_inspection"]
