"""`flask outbox run --once`, `status` and `retry-failed` with the directory backend."""

from __future__ import annotations

import json
from email import message_from_bytes, policy

from sqlalchemy import update

from portal.outbox.cli import outbox_cli
from portal.outbox.models import OutboxMessage
from portal.outbox.queue import queue_email
from portal.outbox.worker import run_worker


def test_run_once_writes_due_mail_to_the_directory_and_prints_counts(
        make_mail_app, session, tmp_path):
    mail_app = make_mail_app(MAIL_BACKEND="directory", MAIL_DIRECTORY=str(tmp_path / "mail"))
    for number in range(2):
        queue_email(session, to=f"bewoner{number}@example.org", subject="Aanvraag ontvangen",
                    body="Wij hebben uw aanvraag ontvangen.")
    session.commit()
    runner = mail_app.test_cli_runner()

    # The session fixture holds the test app's context; the command must see this app's.
    with mail_app.app_context():
        run = runner.invoke(outbox_cli, ["run", "--once"])
        status = runner.invoke(outbox_cli, ["status"])

    assert run.exit_code == 0, run.output
    assert json.loads(run.output) == {"failed": 0, "retried": 0, "sent": 2}
    files = sorted((tmp_path / "mail").glob("*.eml"))
    recipients = [
        message_from_bytes(path.read_bytes(), policy=policy.default)["To"] for path in files]
    assert recipients == ["bewoner0@example.org", "bewoner1@example.org"]
    assert json.loads(status.output) == {"pending": 0, "sending": 0, "sent": 2, "failed": 0}


def test_run_once_drains_more_than_one_batch(make_mail_app, session, tmp_path):
    mail_app = make_mail_app(MAIL_BACKEND="directory", MAIL_DIRECTORY=str(tmp_path))
    for _ in range(120):
        queue_email(session, to="b@example.org", subject="S", body="B")
    session.commit()

    totals = run_worker(mail_app, once=True, batch=50)

    assert totals == {"sent": 120, "retried": 0, "failed": 0}
    assert len(list(tmp_path.glob("*.eml"))) == 120


def test_run_once_with_nothing_due_sends_nothing(make_mail_app, tmp_path):
    mail_app = make_mail_app(MAIL_BACKEND="directory", MAIL_DIRECTORY=str(tmp_path))

    run = mail_app.test_cli_runner().invoke(outbox_cli, ["run", "--once"])

    assert json.loads(run.output) == {"failed": 0, "retried": 0, "sent": 0}
    assert list(tmp_path.iterdir()) == []


def test_retry_failed_gives_failed_messages_new_attempts(make_mail_app, session, tmp_path):
    mail_app = make_mail_app(MAIL_BACKEND="directory", MAIL_DIRECTORY=str(tmp_path))
    message = queue_email(session, to="b@example.org", subject="S", body="B")
    session.flush()
    session.execute(update(OutboxMessage).where(OutboxMessage.id == message.id)
                    .values(status="failed", attempts=10))
    session.commit()
    runner = mail_app.test_cli_runner()

    with mail_app.app_context():
        retry = runner.invoke(outbox_cli, ["retry-failed"])
        run = runner.invoke(outbox_cli, ["run", "--once"])

    assert json.loads(retry.output) == {"requeued": 1}
    assert json.loads(run.output) == {"failed": 0, "retried": 0, "sent": 1}
