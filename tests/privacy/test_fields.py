"""Every column is accounted for: personal (and in the privacy statement) or not."""

from __future__ import annotations

from flask_babel import force_locale

import portal.models  # noqa: F401  (every model registered)
from portal.db import Base
from portal.privacy.fields import NOT_PERSONAL, OTHER_TABLES, PERSONAL


def test_every_table_is_classified():
    unknown = sorted(set(Base.metadata.tables) - set(PERSONAL) - set(NOT_PERSONAL)
                     - set(OTHER_TABLES))
    assert unknown == [], (
        "tables with no privacy classification: add them to portal/privacy/fields.py")


def test_every_column_of_a_table_with_resident_data_is_classified():
    missing = []
    for name in set(PERSONAL) | set(NOT_PERSONAL):
        table = Base.metadata.tables[name]
        named = set(PERSONAL.get(name, {})) | NOT_PERSONAL.get(name, set())
        missing += [f"{name}.{c.name}" for c in table.columns if c.name not in named]
    assert missing == [], "say in portal/privacy/fields.py whether these are personal"


def test_the_classification_names_only_real_columns():
    stale = []
    for name in set(PERSONAL) | set(NOT_PERSONAL):
        columns = {c.name for c in Base.metadata.tables[name].columns}
        named = set(PERSONAL.get(name, {})) | NOT_PERSONAL.get(name, set())
        stale += [f"{name}.{c}" for c in named - columns]
    assert stale == []


def test_the_privacy_statement_names_every_personal_field_and_its_period(app, client):
    page = client.get("/privacy?lang=en").get_data(as_text=True)

    with app.test_request_context(), force_locale("en"):
        for table in PERSONAL.values():
            for held in table.values():
                assert str(held.what) in page
    assert "24 months after your request has ended" in page
    assert "90 days after the email was sent" in page
