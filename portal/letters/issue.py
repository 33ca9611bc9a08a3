"""Issue a letter (render once, store the bytes) and find the stored one again."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from portal.letters import LANGUAGES, REQUEST_TYPES, REQUIRED_CONTEXT, TEMPLATE_VERSIONS
from portal.letters.models import Letter
from portal.letters.render import render_pdf


class LetterDamaged(RuntimeError):
    """A stored letter's bytes no longer match the checksum taken when it was issued."""


def issue_letter(
    session: Session,
    *,
    kind: str,
    language: str,
    context: dict,
    reference: str | None = None,
) -> Letter:
    """Render a letter of `kind` in `language`, store its bytes and template version, flush.

    Needs an app context (for the templates and translations). Does not commit: the caller
    commits the letter together with whatever it belongs to, so a request and its receipt
    are stored together or not at all. `reference` is the request the letter is about; when
    `context` carries a "reference" as well, the two must agree. Raises ValueError for a
    context the letter cannot be issued with, and lets a rendering error through: a caller
    that must not lose a request stores the request first and issues its letter after.
    """
    context = _checked_context(kind, language, context, reference)
    issued_at = datetime.now(UTC)
    pdf = render_pdf(
        f"letters/{kind}.html", {**context, "letter_date": issued_at}, language=language
    )
    letter = Letter(
        kind=kind,
        language=language,
        template_version=TEMPLATE_VERSIONS[kind],
        created_at=issued_at.replace(tzinfo=None),
        subject_reference=reference if reference is not None else context.get("reference"),
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
    )
    session.add(letter)
    session.flush()
    return letter


def stored_letter(session: Session, *, kind: str, reference: str, language: str) -> Letter | None:
    """Return the newest stored letter of kind for reference in language, or None.

    Raises LetterDamaged when the stored bytes do not match their checksum, so a download
    never hands out a document that differs from the one that was sent.
    """
    letter = session.scalars(
        select(Letter)
        .where(
            Letter.kind == kind,
            Letter.subject_reference == reference,
            Letter.language == language,
        )
        .order_by(Letter.created_at.desc(), Letter.id.desc())
        .limit(1)
    ).first()
    if letter is not None and hashlib.sha256(letter.pdf).hexdigest() != letter.sha256:
        raise LetterDamaged(f"Letter {letter.id} ({kind}, {reference}) fails its checksum.")
    return letter


def letters_about(session: Session, reference: str) -> list[Letter]:
    """Every letter issued about the request with this (formatted) reference, oldest first.

    The PDF bytes are not loaded: a list shows kind, language, date and size.
    """
    return list(session.scalars(
        select(Letter).options(defer(Letter.pdf))
        .where(Letter.subject_reference == reference)
        .order_by(Letter.created_at, Letter.id)
    ))


def letter_about(session: Session, letter_id: int, reference: str) -> Letter | None:
    """The letter with this id when it is about the request with reference, else None.

    A letter of another request is never handed out for a guessed id. Raises LetterDamaged
    when the stored bytes fail their checksum.
    """
    letter = session.get(Letter, letter_id)
    if letter is None or letter.subject_reference != reference:
        return None
    if hashlib.sha256(letter.pdf).hexdigest() != letter.sha256:
        raise LetterDamaged(f"Letter {letter.id} ({letter.kind}, {reference}) fails its checksum.")
    return letter


def _checked_context(kind: str, language: str, context: dict, reference: str | None) -> dict:
    """Return the context to render, or raise ValueError when the letter cannot be issued."""
    if kind not in TEMPLATE_VERSIONS:
        raise ValueError(f"Unknown kind of letter: {kind!r}.")
    if language not in LANGUAGES:
        raise ValueError(f"Letters are written in {', '.join(LANGUAGES)}, not {language!r}.")
    if reference is not None:
        if context.get("reference", reference) != reference:
            raise ValueError(
                f"The letter is about {reference!r} but its text says {context['reference']!r}."
            )
        context = {"reference": reference, **context}
    missing = [key for key in REQUIRED_CONTEXT.get(kind, ()) if context.get(key) in (None, "")]
    if missing:
        raise ValueError(f"A {kind} letter needs {', '.join(missing)}.")
    if kind == "receipt" and context["request_type"] not in REQUEST_TYPES:
        raise ValueError(f"Unknown request type: {context['request_type']!r}.")
    return context
