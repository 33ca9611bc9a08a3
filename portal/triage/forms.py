"""Forms of the triage screens: queue filters and decisions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from portal.requests.states import LABELS
from portal.triage.decisions import KINDS, REASON_CODES
from portal.triage.queue import WAITING
from portal.triage.rules import ROUTE_LABELS


class QueueFilterForm(FlaskForm):
    """Narrow the queue; every field may stay empty."""

    route = SelectField(_l("Route"), choices=[("", _l("Any"))] + list(ROUTE_LABELS.items()),
                        validators=[Optional()])
    status = SelectField(_l("Status"), choices=[("", _l("Any waiting"))] + [
        (s.value, LABELS[s]) for s in WAITING], validators=[Optional()])
    gemeentecode = StringField(_l("Municipality code"), validators=[Optional(), Length(max=4)])
    woonplaats = StringField(_l("Place"), validators=[Optional(), Length(max=100)])
    urgent = SelectField(_l("Urgent"), choices=[("", _l("Any")), ("yes", _l("Only urgent")),
                                                ("no", _l("Not urgent"))],
                         validators=[Optional()])
    older_than_days = IntegerField(_l("Waiting longer than (days)"),
                                   validators=[Optional(), NumberRange(min=1, max=3650)])

    class Meta:
        csrf = False  # filters travel in the URL and change nothing


class DecisionForm(FlaskForm):
    """A decision with its reason; a deviation from the suggested route needs text."""

    decision = RadioField(_l("Decision"), choices=[(k, v.label) for k, v in KINDS.items()],
                          validators=[InputRequired(_l("Choose a decision"))])
    reason_code = SelectField(_l("Reason"), choices=list(REASON_CODES.items()),
                              validators=[InputRequired(_l("Choose a reason"))])
    reason_text = TextAreaField(_l("Explanation (required when you deviate from the "
                                   "suggested route)"), validators=[Length(max=2000)])
    # The status the officer saw: a decision on a request someone else just moved is refused.
    seen_status = HiddenField(validators=[Optional(), Length(max=40)])


class BulkInformForm(FlaskForm):
    """Inform every selected already-in-programme request at once."""

    reason_text = StringField(_l("Note for the letters (optional)"),
                              validators=[Length(max=500)])


class CallBackForm(FlaskForm):
    """What came of a call back to a resident who reported acute danger."""

    outcome = RadioField(_l("Result of the call back"), choices=[
        ("danger", _l("Reached: there is acute danger (refer to the emergency procedure and "
                      "close)")),
        ("no_danger", _l("Reached: no acute danger (handle as an ordinary request)")),
        ("not_reached", _l("Not reached")),
    ], validators=[InputRequired(_l("Choose the result of the call back"))])
    note = TextAreaField(_l("Note (what was said, or when you called)"),
                         validators=[Length(max=2000)])
