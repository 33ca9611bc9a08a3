"""Forms of the call-centre desk: one page per task, built for the keyboard."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from portal.intake.forms import (
    AddressForm,
    BuildingForm,
    ContactForm,
    DangerForm,
    ReasonsForm,
    RelationForm,
)


class DeskAddressForm(AddressForm):
    """Postcode and house number the caller gives; letter and addition are optional."""

    huisletter = StringField(_l("House letter"), validators=[Length(max=1)])
    huisnummertoevoeging = StringField(_l("Addition"), validators=[Length(max=4)])

    class Meta:
        csrf = False  # a search by GET changes nothing


class DeskRequestForm(BuildingForm, RelationForm, ReasonsForm, DangerForm, ContactForm):
    """Every question of the resident's form on one page, plus the identity check."""

    straat = StringField(_l("Street (only when the address is not in the register)"),
                         validators=[Length(max=200)])
    woonplaats = StringField(_l("Town or village (only when not in the register)"),
                             validators=[Length(max=100)])
    identity_checked = BooleanField(
        _l("I checked the caller's name and address"),
        validators=[DataRequired(_l("Check the caller's identity first"))])


# With acute danger the desk takes only what a call back needs; the rest waits for it.
CALL_BACK_FIELDS = frozenset({"csrf_token", "acute_danger", "contact_name", "phone"})


def only_what_a_call_back_needs(entry: DeskRequestForm) -> bool:
    """Keep the errors of the call-back fields only; True when those are answered.

    Called after the whole form was validated, when the caller reported acute danger:
    name and phone (and the address from the lookup) are enough.
    """
    for field in entry:
        if field.name not in CALL_BACK_FIELDS:
            field.errors = []
    if not (entry.phone.data or "").strip():
        entry.phone.errors = [_l("Enter a phone number so we can call back")]
    return not any(field.errors for field in entry)


class SearchForm(FlaskForm):
    """Find requests by reference, phone number or postcode and number."""

    q = StringField(_l("Reference, phone number, or postcode and house number"),
                    validators=[InputRequired(_l("Enter what you are looking for"))])

    class Meta:
        csrf = False


class NoteForm(FlaskForm):
    """A note on a request."""

    text = TextAreaField(_l("Note"), validators=[
        DataRequired(_l("Write the note")), Length(max=2000)])


class WithdrawForm(FlaskForm):
    """Withdraw a request at the caller's wish, with why."""

    reason = StringField(_l("Why (as the caller says it)"), validators=[
        DataRequired(_l("Write why the caller withdraws")), Length(max=500)])


class DeskContactForm(ContactForm):
    """Correct the contact details, with why."""

    reason = StringField(_l("Why the details change"), validators=[
        DataRequired(_l("Write why the details change")), Length(max=500)])


class ReceiptForm(FlaskForm):
    """How the caller gets the receipt."""

    method = RadioField(_l("Send the receipt"), choices=[
        ("email", _l("By email")), ("post", _l("By post"))],
        validators=[InputRequired(_l("Choose how to send the receipt"))])

    def validate_method(self, field):
        """Email only when there is an email address (checked by the view)."""
        if field.data not in ("email", "post"):
            raise ValidationError(_l("Choose how to send the receipt"))
