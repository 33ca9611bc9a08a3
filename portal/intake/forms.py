"""The questions of the request form, one form per page, with plain-language errors."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.intake.wording import BUILDING_KINDS, RELATIONS, SIGNS
from portal.register import fields

EXPLANATION_LIMIT = 2000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")


def normalise_phone(raw: str) -> str | None:
    """Return a Dutch or international phone number as +31612345678, or None if it is not one."""
    digits = re.sub(r"[\s\-().]", "", raw)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if re.fullmatch(r"0[1-9]\d{8}", digits):
        return "+31" + digits[1:]
    if re.fullmatch(r"\+31[1-9]\d{8}", digits):
        return digits
    if re.fullmatch(r"\+[1-9]\d{7,14}", digits) and not digits.startswith("+31"):
        return digits
    return None


def _stripped(value):
    """Leading and trailing spaces removed, so a name of only spaces counts as empty."""
    return value.strip() if isinstance(value, str) else value


def house_number_from(raw: str) -> int | None:
    """The number in what a resident typed as house number (`12`, ` 12 `), or None."""
    value = raw.strip()
    return int(value) if value.isdigit() and 1 <= int(value) <= 99999 else None


class AddressForm(FlaskForm):
    """Postcode and house number."""

    postcode = StringField(_l("Postcode"), validators=[
        InputRequired(_l("Enter the postcode of the home"))])
    huisnummer = StringField(_l("House number"), validators=[
        InputRequired(_l("Enter the house number"))])

    def validate_postcode(self, field):
        """A Dutch postcode, typed in any case, with or without a space."""
        try:
            field.data = fields.postcode(field.data or "")
        except fields.FieldError:
            raise ValidationError(_l("Enter a postcode like 9712 AB")) from None

    def validate_huisnummer(self, field):
        """Only the number; letters and additions are chosen on the next page."""
        if house_number_from(field.data or "") is None:
            raise ValidationError(_l(
                "Enter only the number, like 12. You choose a letter or addition next."))


class ChooseAddressForm(FlaskForm):
    """The exact address among the letters and additions at one number."""

    address = RadioField(_l("Which address is it?"), choices=[], validate_choice=True,
                         validators=[InputRequired(_l("Choose the address of the home"))])


class TypedAddressForm(FlaskForm):
    """An address the register does not know, typed in full for an officer to check."""

    straat = StringField(_l("Street"), validators=[
        InputRequired(_l("Enter the street")), Length(max=200)])
    huisletter = StringField(_l("House letter (if any)"), validators=[Length(max=1)])
    huisnummertoevoeging = StringField(_l("Addition (if any)"), validators=[Length(max=4)])
    woonplaats = StringField(_l("Town or village"), validators=[
        InputRequired(_l("Enter the town or village")), Length(max=100)])


class ContinueForm(FlaskForm):
    """A page with only a button (what the register says)."""

    choice = HiddenField()


class BuildingForm(FlaskForm):
    """What kind of building the request is about (domain rule 9)."""

    building_kind = RadioField(
        _l("What kind of building is it?"), choices=list(BUILDING_KINDS.items()),
        validators=[InputRequired(_l("Choose what kind of building it is"))])


class RelationForm(FlaskForm):
    """The resident's relation to the building."""

    relation = RadioField(_l("What is your relation to this building?"), choices=list(
        RELATIONS.items()), validators=[InputRequired(_l("Choose your relation to the building"))])


class ReasonsForm(FlaskForm):
    """Why the resident feels unsafe."""

    signs = SelectMultipleField(
        _l("What do you notice?"),
        choices=list(SIGNS.items()),
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
    )
    explanation = TextAreaField(_l("Tell us in your own words why you feel unsafe"), validators=[
        Length(max=EXPLANATION_LIMIT,
               message=_l("Use at most %(max)d characters", max=EXPLANATION_LIMIT))])

    def validate_explanation(self, field):
        """At least one sign ticked or a few words written."""
        if not self.signs.data and not (field.data or "").strip():
            raise ValidationError(_l("Tick what you notice, or tell us in your own words"))


class DangerForm(FlaskForm):
    """The one question about acute danger."""

    acute_danger = RadioField(
        _l("Is there acute danger right now, for example a wall that may collapse?"),
        choices=[("no", _l("No")), ("yes", _l("Yes"))],
        validators=[InputRequired(_l("Answer whether there is acute danger"))])


class UrgentContactForm(FlaskForm):
    """Name and phone for a call back after acute danger was reported; the address may wait."""

    contact_name = StringField(_l("Your name"), filters=[_stripped], validators=[
        DataRequired(_l("Enter your name")), Length(max=200)])
    phone = StringField(_l("Phone number"), validators=[
        InputRequired(_l("Enter a phone number so we can call you back"))])
    postcode = StringField(_l("Postcode of the home (if you want)"),
                           validators=[Length(max=10)])
    huisnummer = StringField(_l("House number (if you want)"), validators=[Length(max=10)])

    def validate_postcode(self, field):
        """Empty, or a Dutch postcode; with a postcode comes a house number."""
        if not (field.data or "").strip():
            field.data = ""
            return
        try:
            field.data = fields.postcode(field.data)
        except fields.FieldError:
            raise ValidationError(_l("Enter a postcode like 9712 AB")) from None

    def validate_huisnummer(self, field):
        """Empty, or only the number; needed when a postcode is given."""
        value = (field.data or "").strip()
        if not value:
            if (self.postcode.data or "").strip():
                raise ValidationError(_l("Enter the house number, or leave the postcode "
                                         "empty"))
            return
        if house_number_from(value) is None:
            raise ValidationError(_l("Enter only the number, like 12"))
        if not (self.postcode.data or "").strip():
            raise ValidationError(_l("Enter the postcode too, or leave the house number "
                                     "empty"))

    def validate_phone(self, field):
        """A Dutch or international phone number."""
        normalised = normalise_phone(field.data or "")
        if normalised is None:
            raise ValidationError(_l("Enter a phone number like 06 12345678 or +49 30 1234567"))
        field.data = normalised


class ContactForm(FlaskForm):
    """How we reach the resident."""

    contact_name = StringField(_l("Your name"), filters=[_stripped], validators=[
        DataRequired(_l("Enter your name")), Length(max=200)])
    email = StringField(_l("Email address"), validators=[Length(max=254)])
    phone = StringField(_l("Phone number"), validators=[Length(max=30)])
    language = RadioField(_l("In which language do you want to hear from us?"), choices=[
        ("nl", "Nederlands"), ("en", "English")],
        validators=[InputRequired(_l("Choose a language"))])
    letters_by_post = RadioField(_l("Do you also want letters by post?"), choices=[
        ("yes", _l("Yes, send letters by post as well")), ("no", _l("No"))],
        validators=[InputRequired(_l("Choose whether you want letters by post"))])

    def validate_email(self, field):
        """A plausible email address, or nothing."""
        value = (field.data or "").strip()
        field.data = value
        if value and not _EMAIL.match(value):
            raise ValidationError(_l("Enter an email address like name@example.nl"))

    def validate_phone(self, field):
        """A Dutch or international number, or nothing; at least one of email and phone."""
        value = (field.data or "").strip()
        if value:
            normalised = normalise_phone(value)
            if normalised is None:
                raise ValidationError(_l(
                    "Enter a phone number like 06 12345678 or +49 30 1234567"))
            field.data = normalised
        elif not (self.email.data or "").strip():
            raise ValidationError(_l("Enter an email address or a phone number, or both"))


class ConfirmForm(FlaskForm):
    """Consent and the one submission key that makes a second click harmless."""

    submission_key = HiddenField(validators=[DataRequired()])
    consent = BooleanField(
        _l("I confirm that the answers are correct and that the desk may use them to handle "
           "my request"),
        validators=[DataRequired(_l("Confirm that the answers are correct"))])


class StatusLookupForm(FlaskForm):
    """Reference and address, to see where a request stands."""

    reference = StringField(_l("Reference"), validators=[
        InputRequired(_l("Enter your reference"))])
    postcode = StringField(_l("Postcode"), validators=[
        InputRequired(_l("Enter the postcode of the home"))])
    huisnummer = StringField(_l("House number"), validators=[
        InputRequired(_l("Enter the house number"))])


class AnswerForm(FlaskForm):
    """The resident's answer to an officer's question, on /status: text and one file."""

    text = TextAreaField(_l("Your answer"), validators=[
        DataRequired(_l("Write your answer")),
        Length(max=EXPLANATION_LIMIT,
               message=_l("Use at most %(max)d characters", max=EXPLANATION_LIMIT))])
    upload = FileField(_l("A photo or a PDF file (if you want)"))
