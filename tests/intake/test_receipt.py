"""The receipt PDF: the resident's language, rendered once, read back with pypdf."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from portal.letters.models import Letter
from portal.requests.models import InspectionRequest
from portal.requests.reference import format_reference
from tests.intake.conftest import INSPECTED_BEFORE, NEVER_INSPECTED
from tests.intake.walk import CONTACT, submit, walk_to_check


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize(("language", "address", "kind_words"), [
    ("nl", NEVER_INSPECTED, "opname"),
    ("en", INSPECTED_BEFORE, "reassessment"),
])
def test_receipt_holds_reference_address_and_request_type(client, session, register, language,
                                                          address, kind_words):
    submit(client, walk_to_check(client, *address, contact={**CONTACT, "language": language}))
    req = session.scalar(select(InspectionRequest))

    response = client.get("/aanvraag/ontvangstbewijs.pdf")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = _text(response.data)
    assert format_reference(req.reference) in text
    assert f"Hoofdstraat {address[1]}" in text
    assert kind_words in text.lower()
    assert PdfReader(io.BytesIO(response.data)).trailer["/Root"]["/Lang"] == language


def test_receipt_is_stored_once_and_served_identically(client, session, register):
    submit(client, walk_to_check(client, *NEVER_INSPECTED))

    first = client.get("/aanvraag/ontvangstbewijs.pdf").data
    second = client.get("/aanvraag/ontvangstbewijs.pdf").data

    assert first == second
    assert session.scalar(select(func.count()).select_from(Letter)) == 1


def test_receipt_is_only_for_the_browser_that_submitted(app, client, register):
    submit(client, walk_to_check(client, *NEVER_INSPECTED))

    assert app.test_client().get("/aanvraag/ontvangstbewijs.pdf").status_code == 404
