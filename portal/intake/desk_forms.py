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
from portal.intake.wording import RELATIONS

# The resident's questions as the agent asks them: about the caller, not to "you".
CALLER_LABELS = {
    "contact_name": _l("Caller's name"),
    "email": _l("Caller's email address"),
    "phone": _l("Caller's phone number"),
    "language": _l("In which language does the caller want to hear from us?"),
    "letters_by_post": _l("Does the caller also want letters by post?"),
    "relation": _l("What is the caller's relation to this building?"),
    "signs": _l("What does the caller notice?"),
    "explanation": _l("Why the caller feels unsafe, in their own words"),
    "acute_danger": _l("Does the caller report acute danger right now, for example a wall "
                       "that may collapse?"),
}


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


class _CallerWords(FlaskForm):
    """Labels that address the agent about the caller (`CALLER_LABELS`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, text in CALLER_LABELS.items():
            if name in self._fields:
                self._fields[name].label.text = text


class CallerContactForm(_CallerWords, ContactForm):
    """How we reach the caller, asked by the agent."""

    contact_name = StringField(_l("Caller's name"), filters=[_stripped], validators=[
        DataRequired(_l("Enter the caller's name")), Length(max=200)])


class DeskAddressForm(AddressForm):
    """Postcode and house number the caller gives; letter and addition are optional."""

    huisletter = StringField(_l("House letter"), validators=[Length(max=1)])
    huisnummertoevoeging = StringField(_l("Addition"), validators=[Length(max=4)])

    class Meta:
        csrf = False  # a search by GET changes nothing


class DeskRequestForm(BuildingForm, RelationForm, ReasonsForm, DangerForm, CallerContactForm):
    """Every question of the resident's form on one page, plus the identity check."""

    relation = RadioField(_l("What is the caller's relation to this building?"),
                          choices=list(RELATIONS.items()), validators=[
                              InputRequired(_l("Choose the caller's relation to the building"))])

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


class DeskContactForm(CallerContactForm):
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
