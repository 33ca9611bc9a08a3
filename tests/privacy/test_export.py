"""The resident's copy of everything held: JSON and the same as a readable PDF."""

from __future__ import annotations

import io
import json

from pypdf import PdfReader

from portal.privacy.export import subject_data, subject_pdf
from portal.privacy.fields import PERSONAL
from tests.factories import address_row, file_request, import_rows


def test_the_export_holds_every_personal_field_and_the_history(app, session, tmp_path):
    with app.app_context():
        import_rows(session, tmp_path, [address_row(1)])
        req = file_request(session, 1)
        data = subject_data(session, req)

    assert set(PERSONAL["inspection_requests"]) <= set(data["request"])
    assert data["request"]["contact_name"] == "R. Bewoner"
    assert data["history"] and data["history"][0]["by"] == "resident"
    json.dumps(data)  # plain values only


def test_the_pdf_says_the_same_in_words(app, session, tmp_path):
    with app.app_context():
        import_rows(session, tmp_path, [address_row(1)])
        req = file_request(session, 1)
        data = subject_data(session, req)
        pdf = subject_pdf(data, language="nl")

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "R. Bewoner" in text
    assert "Hoofdstraat" in text
