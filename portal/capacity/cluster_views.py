"""`/medewerkers/clusters`: clusters per place, a cluster's homes and work order, results back.

Reading clusters is open to officers (they answer callers about planned homes); forming
clusters, adding risk addresses, exporting work orders (which carry phone numbers out of
the portal) and importing results are coordination, so coordinators only.
"""

from __future__ import annotations

import os
import re
import tempfile
from itertools import groupby
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy.orm import Session
from werkzeug.utils import secure_filename
from wtforms import BooleanField, TextAreaField
from wtforms.validators import InputRequired, Length

from portal.accounts.access import current_staff, roles_required, staff_actor
from portal.accounts.roles import COORDINATOR, OFFICER, may
from portal.audit import record
from portal.capacity import cluster_additions, clusters, results, workorder
from portal.capacity.models import Cluster
from portal.extensions import db
from portal.register import lookups

bp = Blueprint("clusters", __name__, url_prefix="/medewerkers/clusters")
RESULTS_MAX_BYTES = 10 * 1024 * 1024
KIND_LABELS = {"inspection": _l("Inspection"), "assessment": _l("Assessment")}
_ADDRESS_LINE = re.compile(
    r"^(?P<postcode>\d{4}\s*[A-Za-z]{2})[\s,]+(?P<number>\d{1,5})\s*(?P<letter>[A-Za-z])?"
    r"(?:\s*[-\s]\s*(?P<addition>[A-Za-z0-9]{1,4}))?$")


class FormClustersForm(FlaskForm):
    """Form clusters of every booked request that is in none yet (a button and its token)."""


class RiskAddressesForm(FlaskForm):
    """P50/P90 addresses a local steering group adds to a cluster, with its reason."""

    addresses = TextAreaField(
        _l("Addresses, one per line: the address id, or postcode and house number"),
        validators=[InputRequired(_l("Give at least one address.")), Length(max=20000)])
    reason = TextAreaField(_l("Why the steering group adds them"),
                           validators=[InputRequired(_l("Write why the steering group adds "
                                                        "these addresses.")),
                                       Length(max=cluster_additions.REASON_LIMIT)])


class ResultsForm(FlaskForm):
    """A results file of the inspection organisation."""

    file = FileField(_l("Results file (CSV)"), validators=[FileRequired(_l("Choose a file"))])
    skip_invalid = BooleanField(_l("Import the good rows and leave the refused ones out"))


def parse_address_lines(session: Session, text: str) -> tuple[list[str], list[tuple[str, object]]]:
    """Read addresses typed one per line, as an id or as postcode and number (`9937AB 20A-2`).

    Returns the address ids found and (line, reason) for every line that names no single
    address in the register.
    """
    ids, problems = [], []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.isdigit():
            ids.append(line)
            continue
        match = _ADDRESS_LINE.match(line)
        if match is None:
            problems.append((line, _l("not an address id or a postcode with a house number")))
            continue
        postcode = re.sub(r"\s+", "", match["postcode"]).upper()
        address = lookups.find_address(session, postcode, int(match["number"]),
                                       match["letter"] or "", match["addition"] or "")
        if address is None:
            options = lookups.addresses_at(session, postcode, int(match["number"]))
            problems.append((line, _l("more than one address here; add the letter or addition")
                             if options and not (match["letter"] or match["addition"])
                             else _l("not in the register")))
            continue
        ids.append(address.nummeraanduiding_id)
    return ids, problems


def _limit() -> int:
    return int(current_app.config.get("CLUSTER_MAX_HOMES", clusters.DEFAULT_MAX_HOMES))


def _cluster_or_404(cluster_id: int) -> Cluster:
    found = db.session.get(Cluster, cluster_id)
    if found is None:
        abort(404)
    return found


def _may_coordinate() -> bool:
    user = current_staff()
    return user is not None and may(user.role, {COORDINATOR})


@bp.get("/")
@roles_required(OFFICER)
def index():
    """Clusters per place with their size and the limit, and homes waiting for a cluster."""
    summaries = clusters.cluster_summaries(db.session)
    places = [(place, list(items)) for place, items in groupby(
        summaries, key=lambda s: (s.cluster.gemeentecode, s.cluster.woonplaats))]
    return render_template("capacity/cluster_list.html", places=places,
                           waiting=clusters.waiting_for_cluster(db.session), limit=_limit(),
                           kind_labels=KIND_LABELS, form=FormClustersForm(),
                           may_coordinate=_may_coordinate())


@bp.post("/vormen")
@roles_required(COORDINATOR)
def form():
    """Form clusters of the booked requests that are in none yet."""
    if not FormClustersForm().validate_on_submit():
        abort(400)
    formed = clusters.form_clusters(db.session, actor=staff_actor(), max_size=_limit())
    db.session.commit()
    flash(_("%(count)d clusters formed or filled.", count=len(formed)), "success")
    return redirect(url_for("clusters.index"), code=303)


def _detail(cluster: Cluster, form: RiskAddressesForm, status: int = 200):
    homes = clusters.cluster_homes(db.session, cluster)
    return render_template("capacity/cluster_detail.html", cluster=cluster, homes=homes,
                           limit=_limit(), form=form, kind_labels=KIND_LABELS,
                           may_coordinate=_may_coordinate()), status


@bp.get("/<int:cluster_id>")
@roles_required(OFFICER)
def detail(cluster_id: int):
    """A cluster's homes, its added risk addresses, and its work order downloads."""
    return _detail(_cluster_or_404(cluster_id), RiskAddressesForm())


@bp.post("/<int:cluster_id>/risicoadressen")
@roles_required(COORDINATOR)
def add_risk_addresses(cluster_id: int):
    """Add P50/P90 addresses of the same place to a cluster, with the reason why."""
    cluster = _cluster_or_404(cluster_id)
    form = RiskAddressesForm()
    if not form.validate_on_submit():
        return _detail(cluster, form, 422)
    ids, problems = parse_address_lines(db.session, form.addresses.data)
    if not problems:
        try:
            added = cluster_additions.add_risk_addresses(
                db.session, cluster, ids, actor=staff_actor(), reason=form.reason.data,
                max_size=_limit())
        except cluster_additions.ClusterRefused as refused:
            db.session.rollback()
            problems = refused.problems
    if problems:
        form.addresses.errors = [f"{what}: {why}" if what else str(why)
                                 for what, why in problems]
        return _detail(_cluster_or_404(cluster_id), form, 422)
    db.session.commit()
    flash(_("%(count)d addresses added to the cluster.", count=len(added)), "success")
    return redirect(url_for("clusters.detail", cluster_id=cluster.id), code=303)


def _export(cluster: Cluster, kind: str, body: bytes, content_type: str) -> Response:
    """A download of the work order; who took which cluster's work order out is recorded."""
    record(db.session, actor=staff_actor(), action="cluster.workorder_exported",
           subject_type="cluster", subject_id=cluster.id, details={"format": kind},
           client=request.remote_addr)
    db.session.commit()
    name = workorder.workorder_filename(cluster, kind)
    return Response(body, content_type=content_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/<int:cluster_id>/werkopdracht.csv")
@roles_required(COORDINATOR)
def workorder_csv(cluster_id: int):
    """The work order as CSV for the inspection organisation."""
    cluster = _cluster_or_404(cluster_id)
    body = workorder.workorder_csv(db.session, cluster)
    return _export(cluster, "csv", body, "text/csv; charset=utf-8")


@bp.get("/<int:cluster_id>/werkopdracht.pdf")
@roles_required(COORDINATOR)
def workorder_pdf(cluster_id: int):
    """The work order as a printable A4 overview."""
    cluster = _cluster_or_404(cluster_id)
    language = str(get_locale() or "nl")
    body = workorder.workorder_pdf(db.session, cluster,
                                   language=language if language in ("nl", "en") else "nl")
    return _export(cluster, "pdf", body, "application/pdf")


def _save_upload(storage) -> Path | None:
    """The upload in a temporary file, or None when it is larger than the limit."""
    handle, name = tempfile.mkstemp(suffix=".csv")
    size = 0
    with os.fdopen(handle, "wb") as target:
        while chunk := storage.stream.read(1 << 16):
            size += len(chunk)
            if size > RESULTS_MAX_BYTES:
                break
            target.write(chunk)
    if size > RESULTS_MAX_BYTES:
        os.unlink(name)
        return None
    return Path(name)


@bp.route("/resultaten", methods=["GET", "POST"])
@roles_required(COORDINATOR)
def import_results():
    """Upload the inspection organisation's results and see what they changed."""
    form = ResultsForm()
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("capacity/results_import.html", form=form, report=None), status
    upload = form.file.data
    path = _save_upload(upload)
    if path is None:
        form.file.errors = [_("The file is larger than %(size)d MB.",
                              size=RESULTS_MAX_BYTES // (1024 * 1024))]
        return render_template("capacity/results_import.html", form=form, report=None), 422
    try:
        report = results.import_results(
            db.session, path, actor=staff_actor(), skip_invalid=form.skip_invalid.data,
            file_name=secure_filename(upload.filename or "") or "results.csv")
        if report.applied:
            db.session.commit()
    finally:
        path.unlink(missing_ok=True)
    return render_template("capacity/results_import.html", form=ResultsForm(formdata=None),
                           report=report), 200 if report.applied else 422
