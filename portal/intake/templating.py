"""Filters and globals the intake pages use in templates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import Flask
from flask_babel import format_date, format_datetime

from portal.intake import wording
from portal.intake.receipt import next_steps
from portal.requests.reference import format_reference
from portal.requests.states import EXPLANATIONS, LABELS, Status
from portal.triage.history_words import actor_words, describe_event

DUTCH_TIME = ZoneInfo("Europe/Amsterdam")


def format_day(value: date | datetime) -> str:
    """A day as people write it, in the current language: 27 november 2026.

    A moment (stored as naive UTC) counts by its day in Dutch time, as the letters are
    dated: a letter issued at 23:30 UTC on 27 November is dated 28 November.
    """
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        value = moment.astimezone(DUTCH_TIME).date()
    return format_date(value, "long")


def format_moment(value: datetime) -> str:
    """A moment (stored as naive UTC) in Dutch time: 27 november 2026, 14:05."""
    local = value.replace(tzinfo=UTC).astimezone(DUTCH_TIME).replace(tzinfo=None)
    return format_datetime(local, "d MMMM y, HH:mm", rebase=False)


def init_app(app: Flask) -> None:
    """Register the intake's template filters and globals."""
    app.add_template_filter(format_reference, "reference")
    app.add_template_filter(format_day, "format_day")
    app.add_template_filter(format_moment, "format_moment")
    app.add_template_filter(lambda v: format_day(date.fromisoformat(v)), "format_iso_date")
    app.add_template_filter(lambda v: str(wording.SIGNS.get(v, v)), "sign_label")
    app.add_template_global(wording, "wording")
    app.add_template_global(next_steps, "next_steps")
    app.add_template_global(lambda s: str(LABELS[Status(s)]), "status_label")
    app.add_template_global(lambda s: str(EXPLANATIONS[Status(s)]), "status_explanation")
    app.add_template_global(describe_event, "describe_event")
    app.add_template_global(actor_words, "actor_words")
