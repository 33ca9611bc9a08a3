"""After a register import, open requests whose outcome changes are judged again."""

from __future__ import annotations

from sqlalchemy import select

from portal.outbox.models import OutboxMessage
from tests.factories import programme_row, write_register
from tests.triage.conftest import INSPECTED_BEFORE, NEVER_INSPECTED, file_request, register_rows


def test_home_that_became_p90_moves_to_in_programme_and_is_notified(
        app, runner, session, triage_register, tmp_path):
    with app.app_context():
        waiting = file_request(session, NEVER_INSPECTED, email="w@example.nl")
        untouched = file_request(session, INSPECTED_BEFORE)
    rows, programme = register_rows()
    programme = [p for p in programme if p["nummeraanduiding_id"] != rows[0][
        "nummeraanduiding_id"]] + [programme_row(10, risicoprofiel="P90", typologie="rij-1930")]
    addresses, programme_file = write_register(tmp_path / "v2", rows, programme)

    result = runner.invoke(args=["register", "import", "--addresses", str(addresses),
                                 "--programme", str(programme_file)])

    assert result.exit_code == 0, result.output
    assert "Open requests re-triaged (1):" in result.output
    assert "inspection → in_programme" in result.output
    session.rollback()
    session.expire_all()
    moved = session.get(type(waiting), waiting.id)
    assert (moved.status, moved.suggested_route, moved.retriaged_from, moved.triage_detail) == (
        "in_programme", "in_programme", "inspection", "P90")
    assert session.get(type(untouched), untouched.id).suggested_route == "reassessment"
    subjects = [m.subject for m in session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == "w@example.nl"))]
    assert len(subjects) == 2  # the confirmation, and now the news that it is in the programme


def test_reimport_of_unchanged_register_retriages_nothing(app, runner, session,
                                                         triage_register, tmp_path):
    with app.app_context():
        file_request(session, NEVER_INSPECTED)
    rows, programme = register_rows()
    addresses, programme_file = write_register(tmp_path / "same", rows, programme)

    result = runner.invoke(args=["register", "import", "--addresses", str(addresses),
                                 "--programme", str(programme_file)])

    assert result.exit_code == 0
    assert "re-triaged" not in result.output
