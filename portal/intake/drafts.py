"""Answers of a form in progress, kept server-side under a random key the browser holds."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.clock import utcnow
from portal.intake.models import RequestDraft

# A draft nobody touched for this long is removed; the form says so on its first page.
DRAFT_LIFETIME = timedelta(days=2)


def new_draft_key() -> str:
    """A random key for a new draft (also used as the submission key)."""
    return secrets.token_urlsafe(32)


def load_answers(session: Session, key: str | None) -> dict:
    """The answers saved under key, or an empty dict."""
    if not key:
        return {}
    draft = session.scalar(select(RequestDraft).where(RequestDraft.key == key))
    return json.loads(draft.answers) if draft else {}


def save_answers(session: Session, key: str, answers: dict) -> None:
    """Store the answers under key (the caller commits)."""
    now = utcnow()
    draft = session.scalar(select(RequestDraft).where(RequestDraft.key == key))
    if draft is None:
        draft = RequestDraft(key=key, created_at=now)
        session.add(draft)
    draft.answers = json.dumps(answers, ensure_ascii=False)
    draft.updated_at = now


def discard(session: Session, key: str) -> None:
    """Remove a draft, once its request is stored."""
    session.execute(delete(RequestDraft).where(RequestDraft.key == key))


def purge_expired(session: Session) -> int:
    """Remove drafts untouched for longer than DRAFT_LIFETIME; returns how many."""
    cutoff = utcnow() - DRAFT_LIFETIME
    return session.execute(delete(RequestDraft).where(RequestDraft.updated_at < cutoff)).rowcount
