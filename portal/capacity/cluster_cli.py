"""`flask clusters …` and `flask results …`: form clusters, export work orders, import results."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale

from portal.actors import Actor
from portal.audit import record
from portal.capacity import workorder
from portal.capacity.clusters import DEFAULT_MAX_HOMES, cluster_size, form_clusters
from portal.capacity.models import Cluster
from portal.capacity.results import import_results
from portal.extensions import db

COMMAND_LINE = Actor("system", None, "command line")


def _limit(maximum: int | None) -> int:
    return maximum or int(current_app.config.get("CLUSTER_MAX_HOMES", DEFAULT_MAX_HOMES))


@click.group("clusters")
def clusters_cli() -> None:
    """Form clusters of booked requests and export their work orders."""


@clusters_cli.command("form")
@click.option("--max", "maximum", type=click.IntRange(min=1),
              help="Most homes in one cluster (default: CLUSTER_MAX_HOMES, else 150).")
@with_appcontext
def form_command(maximum: int | None) -> None:
    """Put every booked request that is in no cluster yet into a cluster of its place."""
    session = db.new_session()
    try:
        formed = form_clusters(session, actor=COMMAND_LINE, max_size=_limit(maximum))
        session.commit()
        for cluster in formed:
            click.echo(f"cluster {cluster.id}: {cluster.woonplaats} ({cluster.gemeentecode}), "
                       f"{cluster.kind}, {cluster_size(session, cluster)} homes")
    finally:
        session.close()
    click.echo(f"{len(formed)} clusters formed or filled.")


@clusters_cli.command("export")
@click.argument("cluster_id", type=int)
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the work order as CSV to this file.")
@click.option("--pdf", "pdf_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the overview as PDF to this file.")
@with_appcontext
def export_command(cluster_id: int, csv_file: Path | None, pdf_file: Path | None) -> None:
    """Write a cluster's work order for the inspection organisation."""
    if csv_file is None and pdf_file is None:
        raise click.UsageError("Give --csv FILE, --pdf FILE, or both.")
    session = db.new_session()
    try:
        cluster = session.get(Cluster, cluster_id)
        if cluster is None:
            raise click.ClickException(f"There is no cluster {cluster_id}.")
        for path, kind, make in ((csv_file, "csv", workorder.workorder_csv),
                                 (pdf_file, "pdf", workorder.workorder_pdf)):
            if path is None:
                continue
            path.write_bytes(make(session, cluster))
            record(session, actor=COMMAND_LINE, action="cluster.workorder_exported",
                   subject_type="cluster", subject_id=cluster.id, details={"format": kind})
            click.echo(f"Wrote {kind} work order of cluster {cluster.id} to {path}.")
        session.commit()
    finally:
        session.close()


def render_report(report) -> str:
    """A results report as the terminal shows it, like the register import's."""
    encoding = report.encoding or "not read"
    if report.encoding == "Windows-1252":
        encoding += " (the file is not valid UTF-8)"
    lines = [f"results: {report.file}",
             f"  encoding: {encoding}; delimiter: {report.delimiter!r}",
             f"  rows: {report.rows}; requests inspected: {report.inspected}, assessed: "
             f"{report.assessed}; rows unchanged: {report.unchanged}; "
             f"refused rows: {report.refused_rows}"]
    if report.set_aside:
        lines.append(f"Left aside ({len(report.set_aside)}):")
        lines.extend("  " + r.render() for r in report.set_aside)
    if report.refusals:
        lines.append(f"Refused ({len(report.refusals)}):")
        lines.extend("  " + r.render() for r in report.sorted_refusals())
    if report.applied:
        lines.append("Imported.")
    elif report.skip_invalid:
        lines.append("Nothing was imported.")
    else:
        lines.append("Nothing was imported: the import is all or nothing. Correct the "
                     "lines above, or use --skip-invalid to import the good rows.")
    return "\n".join(lines)


@click.group("results")
def results_cli() -> None:
    """Import the results of the inspection organisation."""


@results_cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--skip-invalid", is_flag=True,
              help="Import the good rows and report the rest (default: all or nothing).")
@with_appcontext
def import_command(file: Path, skip_invalid: bool) -> None:
    """Move planned requests to inspected or assessed from a results file."""
    session = db.new_session()
    try:
        report = import_results(session, file, actor=COMMAND_LINE, skip_invalid=skip_invalid)
        if report.applied:
            session.commit()
        # The command line speaks English throughout, like the other commands.
        with force_locale("en"):
            text = render_report(report)
    finally:
        session.close()
    click.echo(text)
    sys.exit(1 if report.refused else 0)
