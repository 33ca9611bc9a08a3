"""`flask letters print-queue`: the letters waiting to be posted, as a list or one PDF."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from portal.actors import Actor
from portal.extensions import db
from portal.letters import printing

COMMAND_LINE = Actor("system", None, "command line")


@click.group("letters")
def letters_cli() -> None:
    """Letters to residents: the print queue."""


@letters_cli.command("print-queue")
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the waiting letters to this file as one PDF for the printer.")
@click.option("--mark-printed", is_flag=True,
              help="Mark the waiting letters as printed and posted.")
@click.option("--by", "printed_by", default="",
              help="Who printed them (recorded with --mark-printed; default: command line).")
@with_appcontext
def print_queue(pdf_path: Path | None, mark_printed: bool, printed_by: str) -> None:
    """List the letters waiting to be printed; write them as one PDF; mark them printed."""
    session = db.session
    batch = printing.waiting(session)
    if not batch:
        click.echo("No letters waiting to be printed.")
        return
    click.echo(f"{len(batch)} letter(s) waiting to be printed:")
    for job, letter in batch:
        click.echo(f"  job {job.id}  {letter.kind:<10} {letter.subject_reference or '-':<20} "
                   f"{letter.language}  queued {job.queued_at:%Y-%m-%d %H:%M} "
                   f"by {job.queued_by}")
    if pdf_path is not None:
        pdf_path.write_bytes(printing.combined_pdf(batch))
        click.echo(f"Wrote {len(batch)} letter(s) to {pdf_path}.")
    if mark_printed:
        actor = Actor("system", None, printed_by.strip()) if printed_by.strip() \
            else COMMAND_LINE
        done = printing.mark_printed(session, [job.id for job, _letter in batch], actor=actor)
        session.commit()
        click.echo(f"Marked {done} letter(s) as printed.")
