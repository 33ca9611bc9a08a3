"""Appends from many transactions at once still form one unbroken chain."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from portal.actors import Actor
from portal.audit import AuditEntry, record, verify
from portal.extensions import db

# Many threads, each with its own connection, append at once: they commit for real.
pytestmark = pytest.mark.committing

WORKERS = 8
APPENDS_EACH = 5


def test_concurrent_appends_form_one_unbroken_chain(app, session):
    barrier = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def append(worker: int) -> None:
        try:
            with app.app_context():
                own = db.new_session()
                try:
                    barrier.wait(timeout=30)
                    for n in range(APPENDS_EACH):
                        record(
                            own, actor=Actor.staff(worker, f"Officer {worker}"),
                            action="request.viewed", subject_type="request",
                            subject_id=worker * 100 + n,
                        )
                        # Hold the head lock a moment, so the others pile up behind it.
                        time.sleep(0.005)
                        own.commit()
                finally:
                    own.close()
        except BaseException as exc:  # reported by the assertion below, not lost in a thread
            errors.append(exc)

    threads = [threading.Thread(target=append, args=(w,)) for w in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    result = verify(session)
    subjects = session.execute(select(AuditEntry.subject_id)).scalars().all()

    assert errors == []
    assert (result.ok, result.checked) == (True, WORKERS * APPENDS_EACH)
    assert sorted(subjects, key=int) == [
        str(w * 100 + n) for w in range(WORKERS) for n in range(APPENDS_EACH)
    ]
