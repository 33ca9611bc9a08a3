"""A resident answers an officer's question: text and one file, and the request waits again.

`answer_question` is the one way in: it checks the text and the file (type by content,
size), stores both, and moves the request from "awaiting information" back to "received",
so it is in the officers' queue again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.actors import Actor
from portal.audit import record
from portal.clock import utcnow
from portal.requests import workflow
from portal.requests.models import InspectionRequest, RequestAnswer
from portal.requests.states import Status

MAX_TEXT = 2000
MAX_FILE_BYTES = 10 * 1024 * 1024
# What a file must start with to be taken for what it is; the browser's word is not used.
SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"%PDF-", "application/pdf", ".pdf"),
)


class AnswerRefused(ValueError):
    """The answer cannot be taken; `reason` says why in one word the page translates."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Upload:
    """A file as it came in: the name the resident's device gave it, and its bytes."""

    name: str
    data: bytes


def sniff(data: bytes) -> tuple[str, str] | None:
    """The content type and file extension read from the file's first bytes, or None."""
    for signature, content_type, extension in SIGNATURES:
        if data.startswith(signature):
            return content_type, extension
    return None


def answer_question(session: Session, req: InspectionRequest, *, text: str,
                    upload: Upload | None, actor: Actor,
                    decision_id: int | None = None) -> RequestAnswer:
    """Store the resident's answer and put the request back in the queue (caller commits).

    Raises AnswerRefused ("status", "empty", "too_long", "file_type", "file_size") and
    stores nothing then.
    """
    if Status(req.status) is not Status.AWAITING_INFORMATION:
        raise AnswerRefused("status", f"request {req.id} is not waiting for information")
    text = (text or "").strip()
    if not text:
        raise AnswerRefused("empty", "an answer needs a text")
    if len(text) > MAX_TEXT:
        raise AnswerRefused("too_long", f"an answer has at most {MAX_TEXT} characters")
    answer = RequestAnswer(request_id=req.id, decision_id=decision_id, text=text,
                           created_at=utcnow())
    if upload is not None and upload.data:
        if len(upload.data) > MAX_FILE_BYTES:
            raise AnswerRefused("file_size", f"a file has at most {MAX_FILE_BYTES} bytes")
        sniffed = sniff(upload.data)
        if sniffed is None:
            raise AnswerRefused("file_type", "only JPEG, PNG or PDF files are taken")
        answer.content_type, extension = sniffed
        answer.file_name = _safe_name(upload.name, extension)
        answer.file_size = len(upload.data)
        answer.file_data = upload.data
    session.add(answer)
    session.flush()
    workflow.transition(session, req, Status.RECEIVED, actor=actor,
                        reason="information sent by the resident", notify=False)
    record(session, actor=actor, action="request.answered", subject_type="request",
           subject_id=req.id)
    return answer


def answers_of(session: Session, req: InspectionRequest) -> list[RequestAnswer]:
    """The resident's answers to our questions, oldest first (file bytes not loaded)."""
    return list(session.scalars(select(RequestAnswer).where(
        RequestAnswer.request_id == req.id).order_by(RequestAnswer.id)))


def answer_of(session: Session, req: InspectionRequest, answer_id: int) -> RequestAnswer | None:
    """The answer with this id when it belongs to req, else None."""
    answer = session.get(RequestAnswer, answer_id)
    return answer if answer is not None and answer.request_id == req.id else None


def _safe_name(name: str, extension: str) -> str:
    """A file name to show and to download under: no path, no odd characters, right end."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base
                   if c.isascii() and (c.isalnum() or c in " ._-")).strip(" .")[:100]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return (stem or "bijlage") + extension
