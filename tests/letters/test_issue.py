"""portal/letters/issue.py: a letter is rendered once, stored as bytes, and served as stored."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select, update

from portal.extensions import db
from portal.letters import TEMPLATE_VERSIONS
from portal.letters.issue import LetterDamaged, issue_letter, stored_letter
from portal.letters.models import Letter, LetterIsFinal
from portal.letters.render import LETTER_TEMPLATES
from tests.letters.receipts import REFERENCE, receipt_context

# Issuing renders through the app's templates and translations.
pytestmark = pytest.mark.usefixtures("app_context")


def _issue_receipt(session, language: str = "en", **overrides) -> Letter:
    return issue_letter(
        session,
        kind="receipt",
        language=language,
        context=receipt_context(**overrides),
        reference=REFERENCE,
    )


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Letter))


def test_issuing_stores_the_bytes_with_the_template_version(session):
    letter = _issue_receipt(session)

    assert letter.id is not None
    assert letter.pdf.startswith(b"%PDF-")
    assert (
        letter.kind,
        letter.language,
        letter.template_version,
        letter.subject_reference,
        letter.size,
        letter.sha256,
    ) == (
        "receipt",
        "en",
        TEMPLATE_VERSIONS["receipt"],
        REFERENCE,
        len(letter.pdf),
        hashlib.sha256(letter.pdf).hexdigest(),
    )


def test_stored_letter_serves_the_identical_bytes(session):
    issued = _issue_receipt(session, language="nl")
    session.commit()

    with db.new_session() as other:
        found = stored_letter(other, kind="receipt", reference=REFERENCE, language="nl")

    assert (found.id, found.pdf, found.template_version) == (
        issued.id,
        issued.pdf,
        TEMPLATE_VERSIONS["receipt"],
    )


def test_stored_letter_is_the_newest_in_that_language(session):
    _issue_receipt(session, language="en")
    newest = _issue_receipt(session, language="en", address="Kerkstraat 1, 9937 AC Meedhuizen")
    _issue_receipt(session, language="nl")

    found = stored_letter(session, kind="receipt", reference=REFERENCE, language="en")

    assert found.id == newest.id


def test_no_stored_letter_for_another_reference(session):
    _issue_receipt(session)

    found = stored_letter(session, kind="receipt", reference="OV-XXXX-XXXX-XXXX", language="en")

    assert found is None


def test_issuing_does_not_commit(session):
    _issue_receipt(session)
    session.rollback()

    assert _count(session) == 0


def test_an_issued_letter_cannot_change(session):
    letter = _issue_receipt(session)
    session.commit()

    letter.pdf = b"%PDF- something else"
    with pytest.raises(LetterIsFinal):
        session.flush()


def test_damaged_bytes_are_never_served(session):
    letter = _issue_receipt(session)
    session.execute(update(Letter).where(Letter.id == letter.id).values(pdf=b"damaged"))
    session.expire_all()

    with pytest.raises(LetterDamaged):
        stored_letter(session, kind="receipt", reference=REFERENCE, language="en")


def test_a_receipt_without_reference_is_refused(session):
    context = receipt_context()
    del context["reference"]

    with pytest.raises(ValueError):
        issue_letter(session, kind="receipt", language="en", context=context)
    assert _count(session) == 0


def test_a_receipt_about_another_reference_is_refused(session):
    with pytest.raises(ValueError):
        issue_letter(
            session,
            kind="receipt",
            language="en",
            context=receipt_context(),
            reference="OV-AAAA-BBBB-CCCC",
        )
    assert _count(session) == 0


@pytest.mark.parametrize(
    ("kind", "language", "overrides"),
    [
        ("unknown", "en", {}),
        ("receipt", "de", {}),
        ("receipt", "en", {"request_type": "complaint"}),
    ],
)
def test_unknown_kind_language_or_request_type_is_refused(session, kind, language, overrides):
    with pytest.raises(ValueError):
        issue_letter(session, kind=kind, language=language, context=receipt_context(**overrides))


def test_every_letter_template_has_a_version():
    # The work order overview and a resident's copy of their data are rendered to PDF but
    # never issued (stored) as letters.
    templates = {path.stem for path in LETTER_TEMPLATES.glob("*.html")} - {
        "base", "_parts", "workorder", "subject_access"}

    assert templates == set(TEMPLATE_VERSIONS)
