"""The figures on pace for officers and coordinators: /medewerkers/cijfers and its CSVs."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, render_template
from flask_babel import format_date
from flask_babel import gettext as _

from portal.accounts.access import roles_required
from portal.accounts.roles import OFFICER
from portal.capacity import charts
from portal.capacity.forecast import forecast
from portal.capacity.workorder import safe_cell
from portal.extensions import db
from portal.figures import management
from portal.figures.management import WeeklyTable
from portal.figures.publication import dutch_today
from portal.intake.templating import format_day
from portal.web.context import service_facts

bp = Blueprint("staff_figures", __name__, url_prefix="/medewerkers/cijfers")
# A chart draws each column as its own line up to this many; beyond it, only the total.
MOST_LINES = len(charts.STYLES)


def _weekly_tables(today) -> list[WeeklyTable]:
    session = db.session
    return [management.requests_per_week(session, today, "channel"),
            management.requests_per_week(session, today, "route"),
            management.requests_per_week(session, today, "municipality"),
            management.decisions_per_week(session, today),
            management.capacity_per_week(session, today)]


def _chart(table: WeeklyTable, number: int):
    """The table's chart: one line per column, or the weekly total when there are many."""
    drawn = [(code, label) for code, label in table.columns
             if table.chart_columns is None or code in table.chart_columns]
    if 0 < len(drawn) <= MOST_LINES:
        series = [charts.Series(str(label), [table.values.get((w, code), 0)
                                             for w in table.weeks])
                  for code, label in drawn]
    else:
        series = [charts.Series(_("Total"), [table.total(w) for w in table.weeks])]
    chart = charts.QueueChart(table.weeks, series)
    description = _("%(title)s, from the week of %(first)s to the week of %(last)s. "
                    "The table below the chart has the same figures.",
                    title=table.title, first=format_day(table.weeks[0]),
                    last=format_day(table.weeks[-1]))
    return charts.render_svg(chart, title=str(table.title), description=description,
                             x_label=_("Week starting"), y_label=_("Number"),
                             format_date=_short_day, element_id=f"chart-{number}")


def _short_day(day) -> str:
    """A week's Monday on a chart axis, short enough not to overlap: 7 sep."""
    return format_date(day, "d MMM")


@bp.get("/")
@roles_required(OFFICER)
def dashboard():
    """Requests, decisions, waits per step, capacity, the reassessment backlog, the forecast."""
    today = dutch_today(service_facts().clock())
    tables = _weekly_tables(today)
    return render_template(
        "figures/dashboard.html", tables=tables,
        charts=[_chart(table, n) for n, table in enumerate(tables)],
        waits=management.step_waits(db.session, today),
        backlog=management.reassessment_backlog(db.session, today),
        projections=forecast(db.session, kind="inspection", today=today))


@bp.get("/<key>.csv")
@roles_required(OFFICER)
def download(key: str):
    """One weekly table as CSV: a row per week, a column per group, and the total."""
    today = dutch_today(service_facts().clock())
    tables = {table.key: table for table in _weekly_tables(today)}
    if key not in tables:
        abort(404)
    table = tables[key]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Week starting"), *[safe_cell(str(label)) for _, label in table.columns],
                     _("Total")])
    for week in table.weeks:
        writer.writerow([week.isoformat(), *table.row(week), table.total(week)])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="cijfers-{key}.csv"'})

