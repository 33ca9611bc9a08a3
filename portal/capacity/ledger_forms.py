"""Forms of the capacity pages: which ledger to show, a range of weeks, a file, the shares."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional

from portal.capacity.models import KINDS

KIND_LABELS = {"inspection": _l("Inspections"), "assessment": _l("Assessments")}
MAX_WEEKS = 156  # three years: what the region plans ahead


class LedgerFilterForm(FlaskForm):
    """Which municipality, kind and weeks the ledger page shows; choices set by the view."""

    gemeentecode = SelectField(_l("Municipality"), validators=[Optional()])
    kind = SelectField(_l("Kind of work"), choices=[(k, KIND_LABELS[k]) for k in KINDS],
                       validators=[Optional()])
    weeks = IntegerField(_l("Number of weeks"), default=26,
                         validators=[Optional(), NumberRange(min=1, max=MAX_WEEKS)])

    class Meta:
        csrf = False  # the choice travels in the URL and changes nothing


class WeekRangeForm(FlaskForm):
    """Set capacity and/or reserved for a range of weeks of one municipality and kind."""

    gemeentecode = SelectField(_l("Municipality"),
                               validators=[InputRequired(_l("Choose a municipality"))])
    kind = SelectField(_l("Kind of work"), choices=[(k, KIND_LABELS[k]) for k in KINDS],
                       validators=[InputRequired(_l("Choose the kind of work"))])
    first_week = DateField(_l("From the week of"), validators=[
        InputRequired(_l("Enter the first week, for example 2026-12-07"))])
    count = IntegerField(_l("Number of weeks"), validators=[
        InputRequired(_l("Enter the number of weeks")),
        NumberRange(min=1, max=MAX_WEEKS, message=_l("Enter 1 to 156 weeks"))])
    capacity = IntegerField(_l("Capacity per week"), validators=[
        Optional(), NumberRange(min=0, message=_l("Enter zero or more"))])
    reserved = IntegerField(_l("Reserved for risk work per week"), validators=[
        Optional(), NumberRange(min=0, message=_l("Enter zero or more"))])

    def validate(self, extra_validators=None) -> bool:
        """Valid fields, and at least one of capacity and reserved."""
        if not super().validate(extra_validators):
            return False
        if self.capacity.data is None and self.reserved.data is None:
            self.capacity.errors = [*self.capacity.errors,
                                    _l("Enter a capacity, a reservation, or both")]
            return False
        return True


class CapacityUploadForm(FlaskForm):
    """A capacity file: week_start;gemeentecode;kind;capacity;reserved."""

    file = FileField(_l("Capacity file (CSV)"),
                     validators=[FileRequired(_l("Choose a CSV file"))])


class PlanForm(FlaskForm):
    """A button that plans or re-plans; only the CSRF token travels."""


def shares_form(municipalities, current: dict, formdata=None) -> FlaskForm:
    """A form with a share and a rank for every municipality, filled with current."""

    class SharesForm(FlaskForm):
        """The coordinator's order: share of a week's unused places, and rank."""

    data = {}
    for m in municipalities:
        setattr(SharesForm, f"share_{m.code}", IntegerField(
            _l("Share of %(name)s (percent)", name=m.name),
            validators=[Optional(), NumberRange(min=0, max=100,
                                                message=_l("Enter 0 to 100"))]))
        setattr(SharesForm, f"rank_{m.code}", IntegerField(
            _l("Rank of %(name)s", name=m.name),
            validators=[Optional(), NumberRange(min=0, max=999,
                                                message=_l("Enter 0 to 999"))]))
        if m.code in current:
            data[f"share_{m.code}"] = current[m.code].share
            data[f"rank_{m.code}"] = current[m.code].rank
    return SharesForm(formdata=formdata, data=data)
