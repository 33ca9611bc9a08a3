"""`register import` and its re-triage are one use case: they commit together or not at all,
and re-triage judges every request that is not final on the newest register."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.outbox.models import OutboxMessage
from portal.register.importer import import_register
from portal.register.models import Address, RegisterImport
from portal.requests.models import InspectionRequest, RequestEvent
from portal.triage import apply
from tests.factories import address_id, write_register
from tests.triage.conftest import IN_P90, NEVER_INSPECTED, file_request, register_rows


def _without_p90(tmp_path):
    """The triage register in which Hoofdstraat 16 has left the programme (no longer P90)."""
    rows, programme = register_rows()
    programme = [p for p in programme if p["nummeraanduiding_id"] != address_id(IN_P90)]
    return write_register(tmp_path / "without-p90", rows, programme)


def _import(runner, files):
    addresses, programme = files
    return runner.invoke(args=["register", "import", "--addresses", str(addresses),
                               "--programme", str(programme)])


def _fresh(session, req):
    session.rollback()
    session.expire_all()
    return session.get(InspectionRequest, req.id)


def test_a_failing_retriage_leaves_the_register_as_it_was(app, runner, session,
                                                          triage_register, tmp_path,
                                                          monkeypatch):
    with app.app_context():
        waiting = file_request(session, IN_P90)
    imports = session.scalar(select(func.count()).select_from(RegisterImport))

    def broken(*_args, **_kwargs):
        raise RuntimeError("re-triage broke half-way")

    monkeypatch.setattr(apply, "judge", broken)
    result = _import(runner, _without_p90(tmp_path))

    assert result.exit_code != 0
    assert isinstance(result.exception, RuntimeError)
    session.rollback()
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(RegisterImport)) == imports
    assert session.get(Address, address_id(IN_P90)).programme.risk_profile == "P90"
    assert (_fresh(session, waiting).status, waiting.suggested_route) == (
        "in_programme", "in_programme")


def test_a_request_waiting_as_in_programme_goes_back_to_the_queue_when_the_home_leaves(
        app, runner, session, triage_register, tmp_path):
    with app.app_context():
        waiting = file_request(session, IN_P90, email="p90@example.nl")
    assert (waiting.status, waiting.suggested_route) == ("in_programme", "in_programme")

    result = _import(runner, _without_p90(tmp_path))

    assert result.exit_code == 0, result.output
    assert "in_programme → inspection" in result.output
    moved = _fresh(session, waiting)
    # Back in the queue, suggested for inspection: the officer no longer gets 'inform'.
    assert (moved.status, moved.suggested_route, moved.request_type, moved.retriaged_from) == (
        "received", "inspection", "inspection", "in_programme")
    steps = [(e.from_status, e.to_status) for e in session.scalars(
        select(RequestEvent).where(RequestEvent.request_id == moved.id,
                                   RequestEvent.kind == "status").order_by(RequestEvent.id))]
    assert steps[-1] == ("in_programme", "received")
    mails = session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_address == "p90@example.nl")).all()
    assert len(mails) == 2  # the confirmation, and now the news that the request goes on
    # One home, one answer: a new request for the same home joins the one in the queue.
    with app.app_context():
        second = file_request(session, IN_P90, key="second", email="buur@example.nl")
    assert (second.status, second.linked_to_id) == ("linked", moved.id)


def test_a_request_judged_on_an_older_import_is_judged_again_when_nothing_changed(
        app, runner, session, triage_register, tmp_path):
    with app.app_context():
        waiting = file_request(session, IN_P90)
    files = _without_p90(tmp_path)
    # The register changed but its re-triage never ran (as before one transaction).
    assert import_register(session, addresses=files[0], programme=files[1]).applied
    assert _fresh(session, waiting).status == "in_programme"

    result = _import(runner, files)  # changes nothing in the register itself

    assert result.exit_code == 0, result.output
    assert "in_programme → inspection" in result.output
    moved = _fresh(session, waiting)
    assert (moved.status, moved.suggested_route) == ("received", "inspection")
    assert moved.register_import_id == session.scalar(select(func.max(RegisterImport.id)))


def test_urgent_requests_are_left_as_they_are(app, runner, session, triage_register, tmp_path):
    with app.app_context():
        urgent = file_request(session, NEVER_INSPECTED, acute=True)

    result = _import(runner, _without_p90(tmp_path))

    assert result.exit_code == 0, result.output
    assert (_fresh(session, urgent).status, urgent.suggested_route) == ("urgent", "urgent")


def test_a_request_whose_home_did_not_change_is_only_marked_as_judged_on_the_new_import(
        app, runner, session, triage_register, tmp_path):
    with app.app_context():
        untouched = file_request(session, NEVER_INSPECTED)
    checks_before = _checks(session, untouched)

    result = _import(runner, _without_p90(tmp_path))  # changes Hoofdstraat 16 only

    assert result.exit_code == 0, result.output
    fresh = _fresh(session, untouched)
    newest = session.scalar(select(func.max(RegisterImport.id)))
    assert (fresh.register_import_id, _checks(session, fresh)) == (newest, checks_before)


def _checks(session, req) -> int:
    return session.scalar(select(func.count()).select_from(RequestEvent).where(
        RequestEvent.request_id == req.id, RequestEvent.kind == "check"))
