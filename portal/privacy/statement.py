"""What the privacy statement shows: every personal field, and the periods configured."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask
from flask_babel import lazy_gettext as _l

from portal.privacy.fields import AUDIT, DRAFT, LETTER, LINK, MAIL, REQUEST, statement_rows
from portal.privacy.retention import RetentionPeriods


def periods_of(config: Mapping) -> RetentionPeriods:
    """The retention periods an app is configured with."""
    return RetentionPeriods(request_months=config.get("RETENTION_MONTHS", 24),
                            mail_days=config.get("SENT_MAIL_RETENTION_DAYS", 90),
                            letter_months=config.get("LETTER_RETENTION_MONTHS", 84))


def kept_words(periods: RetentionPeriods) -> dict[str, str]:
    """How long each kind of data is kept, in words, for the statement."""
    return {
        REQUEST: _l("%(months)d months after your request has ended",
                    months=periods.request_months),
        MAIL: _l("%(days)d days after the email was sent", days=periods.mail_days),
        LETTER: _l("%(months)d months after the letter, and only after your request has "
                   "been anonymised", months=periods.letter_months),
        DRAFT: _l("%(days)d days after you last worked on the form", days=periods.draft_days),
        LINK: _l("until the link has expired"),
        AUDIT: _l("as long as the audit trail (it records who did what)"),
    }


def init_app(app: Flask) -> None:
    """Give the privacy statement its table of fields and periods."""
    @app.context_processor
    def privacy_fields() -> dict:
        periods = periods_of(app.config)
        return {"privacy_rows": statement_rows, "privacy_kept": lambda: kept_words(periods)}
