"""The forms of the login steps and of account management."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, StringField
from wtforms.validators import InputRequired, Length, ValidationError

from portal.accounts.passwords import MAX_LENGTH, password_problem
from portal.accounts.roles import ROLE_LABELS, ROLES

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")


class LoginForm(FlaskForm):
    """Email address and password: the first factor."""

    email = StringField(_l("Email address"), validators=[
        InputRequired(_l("Enter your email address"))])
    # No Length validator: a password that is too long is simply wrong, with the same
    # answer as any other wrong password.
    password = PasswordField(_l("Password"), validators=[
        InputRequired(_l("Enter your password"))])


class CodeForm(FlaskForm):
    """A code from the authenticator app, or a recovery code: the second factor."""

    code = StringField(_l("Code"), validators=[
        InputRequired(_l("Enter the code")), Length(max=40, message=_l("Enter the code"))])


class ConfirmForm(FlaskForm):
    """Only the CSRF token: for buttons that do one thing, such as logging out."""


class CreateUserForm(FlaskForm):
    """A new staff account: who, which role, and a first password."""

    email = StringField(_l("Email address"), validators=[
        InputRequired(_l("Enter the email address")),
        Length(max=254, message=_l("Enter an email address like name@example.nl"))])
    display_name = StringField(_l("Name"), validators=[
        InputRequired(_l("Enter the name")),
        Length(max=200, message=_l("Use at most 200 characters"))])
    role = RadioField(_l("Role"), choices=[(role, ROLE_LABELS[role]) for role in ROLES],
                      validators=[InputRequired(_l("Choose a role"))])
    password = PasswordField(_l("First password"), validators=[
        InputRequired(_l("Enter a first password"))])

    def validate_email(self, field):
        """An address with an @ and a domain."""
        field.data = (field.data or "").strip().lower()
        if not _EMAIL.match(field.data):
            raise ValidationError(_l("Enter an email address like name@example.nl"))

    def validate_password(self, field):
        """The password policy, with the reason when it refuses."""
        problem = password_problem(field.data or "", email=self.email.data)
        if problem is not None:
            raise ValidationError(problem)


PASSWORD_HINT = _l(
    "From 12 to %(max)s characters. Any characters are allowed; a sentence of a few words "
    "is easy to remember. Common passwords are refused. The user logs in with it and "
    "then sets up the authenticator app.", max=MAX_LENGTH)
