"""The queue: urgent first, oldest first, filters with counts, pages, and take-next races."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from portal.clock import utcnow
from portal.extensions import db
from portal.triage.queue import (
    QueueFilter,
    call_back_deadline,
    is_overdue,
    queue_counts,
    queue_page,
    take_next,
)
from tests.triage.conftest import (
    IN_P50,
    INSPECTED_BEFORE,
    NEVER_INSPECTED,
    OUTSIDE_AREA,
    file_request,
)


def _filed(session):
    return {
        "inspection": file_request(session, NEVER_INSPECTED),
        "reassessment": file_request(session, INSPECTED_BEFORE),
        "in_programme": file_request(session, IN_P50),
        "review": file_request(session, OUTSIDE_AREA),
        "urgent": file_request(session, INSPECTED_BEFORE, acute=True),
    }


def test_urgent_first_then_oldest_first(app_context, session, triage_register):
    filed = _filed(session)

    page = queue_page(session, QueueFilter())

    assert [r.id for r in page.requests] == [filed[k].id for k in (
        "urgent", "inspection", "reassessment", "in_programme", "review")]
    assert (page.total, page.next_cursor) == (5, None)


def test_filters_and_counts(app_context, session, triage_register):
    _filed(session)

    reassess = queue_page(session, QueueFilter(route="reassessment"))
    counts = queue_counts(session, QueueFilter(gemeentecode="1979"))
    urgent = queue_page(session, QueueFilter(urgent=True))
    old = queue_page(session, QueueFilter(older_than_days=3))
    place = queue_page(session, QueueFilter(woonplaats="Meedhuizen", status="received"))

    assert [r.suggested_route for r in reassess.requests] == ["reassessment"]
    assert counts == {
        "route": {"inspection": 1, "reassessment": 1, "in_programme": 1, "urgent": 1},
        "status": {"received": 2, "in_programme": 1, "urgent": 1},
        "urgent": {"urgent": 1},
    }
    assert [r.status for r in urgent.requests] == ["urgent"]
    assert old.requests == []
    # The address outside the area lies in Emmen (Drenthe), whatever the resident typed.
    assert sorted(r.suggested_route for r in place.requests) == ["inspection", "reassessment"]


def test_keyset_pages_walk_the_whole_queue_once(app_context, session, triage_register):
    filed = [file_request(session, NEVER_INSPECTED, key=f"k{i}") for i in range(7)]

    seen, cursor = [], None
    while True:
        page = queue_page(session, QueueFilter(), cursor=cursor, size=3)
        seen += [r.id for r in page.requests]
        cursor = page.next_cursor
        if cursor is None:
            break

    # The first is received, the later ones are linked to it and so not waiting.
    assert seen == [filed[0].id]
    assert queue_page(session, QueueFilter(), cursor="not-a-cursor").total == 1


def test_urgent_call_back_deadline_and_overdue(app_context, session, triage_register):
    urgent = file_request(session, IN_P50, acute=True)

    assert call_back_deadline(urgent) == urgent.created_at + timedelta(hours=24)
    assert not is_overdue(urgent)
    assert is_overdue(urgent, now=utcnow() + timedelta(hours=25))


def test_take_next_gives_each_officer_another_request(app_context, session, triage_register):
    first, second = _filed(session)["urgent"], None
    taken_a = take_next(session, officer_id=1)
    session.commit()
    taken_b = take_next(session, officer_id=2)
    session.commit()
    second = take_next(session, officer_id=1)

    assert taken_a.id == first.id
    assert taken_b.id != taken_a.id
    assert second.id == taken_a.id  # an officer gets back what they already hold


@pytest.mark.committing
def test_concurrent_take_next_from_separate_connections(app, session, triage_register):
    with app.app_context():
        for number in (NEVER_INSPECTED, INSPECTED_BEFORE, IN_P50, OUTSIDE_AREA):
            file_request(session, number)
    barrier = threading.Barrier(4)
    taken: dict[int, int] = {}
    errors: list = []

    def officer(officer_id: int):
        try:
            with app.app_context():
                own = db.new_session()
                barrier.wait(timeout=10)
                req = take_next(own, officer_id)
                taken[officer_id] = req.id if req else None
                own.commit()
                own.close()
        except Exception as error:  # collected so a failing thread fails the test
            errors.append(error)

    threads = [threading.Thread(target=officer, args=(i,)) for i in range(1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors, errors
    assert None not in taken.values()
    assert len(set(taken.values())) == 4
