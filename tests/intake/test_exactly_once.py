"""Exactly once: double clicks, retried and concurrent POSTs give one request."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from portal.actors import RESIDENT
from portal.extensions import db
from portal.intake.submit import Answers, submit_request
from portal.requests.models import InspectionRequest
from tests.factories import address_id
from tests.intake.conftest import NEVER_INSPECTED, csrf_token, submission_key
from tests.intake.walk import walk_to_check


def _count(session) -> int:
    session.rollback()
    session.expire_all()
    return session.scalar(select(func.count()).select_from(InspectionRequest))


def _run_together(functions) -> list:
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)
    errors: list = []

    def run(i, fn):
        try:
            barrier.wait(timeout=10)
            results[i] = fn()
        except Exception as error:  # reported below, so a failing thread fails the test
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


@pytest.mark.committing
def test_two_concurrent_posts_of_one_submission_create_one_request(app, session, register):
    first = app.test_client()
    check = walk_to_check(first, *NEVER_INSPECTED)
    second = app.test_client()
    second.set_cookie("session", first.get_cookie("session").value)
    data = {"csrf_token": csrf_token(check), "submission_key": submission_key(check),
            "consent": "y"}

    responses = _run_together([
        lambda: first.post("/aanvraag/controleren", data=data),
        lambda: second.post("/aanvraag/controleren", data=data),
    ])

    assert [r.status_code for r in responses] == [302, 302]
    assert _count(session) == 1


def _answers() -> Answers:
    return Answers(postcode="9937AB", huisnummer=10, straat="Hoofdstraat",
                   woonplaats="Meedhuizen", nummeraanduiding_id=address_id(10),
                   building_kind="home", relation="tenant", contact_name="D", language="nl",
                   phone="+31612345678")


@pytest.mark.committing
def test_concurrent_submissions_in_the_domain_store_one_request(app, session, register):
    def submit_once():
        with app.app_context():
            own = db.new_session()
            try:
                result = submit_request(own, _answers(), actor=RESIDENT, submission_key="k-1")
                own.commit()
                return result.request.id
            finally:
                own.close()

    ids = _run_together([submit_once, submit_once, submit_once])

    assert len(set(ids)) == 1
    assert _count(session) == 1


def test_retried_submission_returns_the_first_request(app_context, session, register):
    first = submit_request(session, _answers(), actor=RESIDENT, submission_key="k-2")
    session.commit()

    again = submit_request(session, _answers(), actor=RESIDENT, submission_key="k-2")

    assert (again.request.id, again.created, first.created) == (first.request.id, False, True)
