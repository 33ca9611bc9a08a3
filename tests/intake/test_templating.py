"""The intake's template filters: days and moments as Dutch residents read them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale

from portal.intake.templating import format_day


@pytest.mark.parametrize(("value", "shown"), [
    (date(2026, 11, 27), "27 november 2026"),
    (datetime(2026, 11, 27, 22, 59), "27 november 2026"),
    # Stored moments are UTC; the Netherlands is already on the next day (as the letter).
    (datetime(2026, 11, 27, 23, 30), "28 november 2026"),
    (datetime(2026, 7, 1, 22, 0), "2 juli 2026"),
    (datetime(2026, 7, 1, 22, 0, tzinfo=UTC), "2 juli 2026"),
])
def test_a_day_is_the_day_in_the_netherlands(app, value, shown):
    with app.test_request_context(), force_locale("nl"):
        assert format_day(value) == shown
