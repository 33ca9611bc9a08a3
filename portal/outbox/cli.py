"""`flask outbox …`: run the mail worker, and see what the outbox holds."""

from __future__ import annotations

import json
import signal
import threading

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select, update

from portal.clock import utcnow
from portal.extensions import db
from portal.outbox.models import STATUSES, OutboxMessage
from portal.outbox.worker import run_worker


@click.group("outbox")
def outbox_cli() -> None:
    """Send queued mail and show the state of the outbox."""


@outbox_cli.command("run")
@click.option("--once", is_flag=True, help="Deliver what is due now, print the counts, stop.")
@click.option("--poll-seconds", default=5.0, show_default=True,
              help="Seconds to wait between rounds when nothing is due.")
@with_appcontext
def run_command(once: bool, poll_seconds: float) -> None:
    """Run the mail worker until stopped (SIGTERM or Ctrl-C), or one round with --once."""
    app = current_app._get_current_object()
    stop = threading.Event()
    if not once and threading.current_thread() is threading.main_thread():
        # Finish the message in hand, then stop: a kill mid-send would leave it claimed
        # until its lease ends.
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda _signum, _frame: stop.set())
    totals = run_worker(app, once=once, poll_seconds=poll_seconds, stop_event=stop)
    click.echo(json.dumps(totals, sort_keys=True))


@outbox_cli.command("status")
@with_appcontext
def status_command() -> None:
    """Print, as JSON, how many messages the outbox holds per status."""
    session = db.new_session()
    try:
        rows = session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
    finally:
        session.close()
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({status: count for status, count in rows})
    click.echo(json.dumps(counts))


@outbox_cli.command("retry-failed")
@with_appcontext
def retry_failed_command() -> None:
    """Give every failed message a fresh set of attempts, e.g. after a long mail outage."""
    session = db.new_session()
    try:
        result = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == "failed")
            .values(status="pending", attempts=0, next_attempt_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        session.commit()
    finally:
        session.close()
    click.echo(json.dumps({"requeued": result.rowcount}))
