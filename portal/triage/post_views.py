"""`/medewerkers/post`: the letters waiting to be posted, one PDF per batch, marked printed.

A batch is the list of letters shown on the page: the combined PDF and the "printed"
button carry the ids of exactly those print jobs, so a letter queued meanwhile waits for
the next batch instead of being marked printed unseen.
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import HiddenField

from portal.accounts.access import roles_required, staff_actor
from portal.accounts.roles import OFFICER
from portal.audit import record
from portal.clock import utcnow
from portal.extensions import db
from portal.letters import LETTER_KINDS, printing

bp = Blueprint("post", __name__, url_prefix="/medewerkers/post")


class PrintedForm(FlaskForm):
    """Mark the print jobs of a batch as printed and posted."""

    jobs = HiddenField()


def job_ids(text: str | None) -> list[int]:
    """The print job ids in "3,4,7" (anything else left out)."""
    return [int(part) for part in (text or "").split(",") if part.strip().isdigit()]


@bp.get("/")
@roles_required(OFFICER)
def queue():
    """The letters waiting to be printed and posted, oldest first, and the last ones printed."""
    batch = printing.waiting(db.session)
    ids = ",".join(str(job.id) for job, _letter in batch)
    return render_template("post/queue.html", batch=batch, ids=ids,
                           form=PrintedForm(data={"jobs": ids}),
                           printed=printing.printed_recently(db.session),
                           letter_kinds=LETTER_KINDS)


@bp.get("/stapel.pdf")
@roles_required(OFFICER)
def batch_pdf():
    """One PDF of the batch's stored letters, for the printer."""
    batch = printing.waiting(db.session, job_ids(request.args.get("opdrachten")))
    if not batch:
        flash(_("There is no letter waiting to be printed."), "info")
        return redirect(url_for("post.queue"), code=303)
    record(db.session, actor=staff_actor(), action="letters.batch_downloaded",
           subject_type="print_batch", subject_id=None, client=request.remote_addr,
           details={"letters": len(batch)})
    db.session.commit()
    name = f"post-{utcnow():%Y%m%d-%H%M}.pdf"
    return Response(printing.combined_pdf(batch), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"',
    })


@bp.post("/geprint")
@roles_required(OFFICER)
def mark_printed():
    """Record that the batch was printed and posted, by the logged-in staff member."""
    form = PrintedForm()
    if not form.validate_on_submit():
        flash(_("The letters could not be marked. Try again."), "error")
        return redirect(url_for("post.queue"), code=303)
    done = printing.mark_printed(db.session, job_ids(form.jobs.data), actor=staff_actor())
    db.session.commit()
    flash(ngettext("%(num)d letter marked as printed and posted.",
                   "%(num)d letters marked as printed and posted.", done), "success")
    return redirect(url_for("post.queue"), code=303)
