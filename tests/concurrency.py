"""Running jobs at the same moment: one thread and one real connection each."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy.orm import Session

from portal.extensions import db


def at_once(app, jobs: list[Callable[[Session], str]], *,
            refusal: Callable[[Exception], str | None] = lambda error: None) -> list[str]:
    """Run each job in its own thread and session (a writer, as a staff POST is), together.

    A job returns what it did; refusal names an exception the test expects (None reports
    it as an error). Returns the outcomes in the order of jobs.
    """
    barrier = threading.Barrier(len(jobs))
    outcomes = [""] * len(jobs)

    def worker(index: int, job) -> None:
        with app.app_context():
            session = Session(bind=db.engine.execution_options(sqlite_immediate=True),
                              expire_on_commit=False, info=db.session_info())
            try:
                barrier.wait(timeout=10)
                outcome = job(session)
                session.commit()
                outcomes[index] = outcome
            except Exception as error:  # noqa: BLE001 - the test reports any other outcome
                session.rollback()
                outcomes[index] = refusal(error) or f"error: {error!r}"
            finally:
                session.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return outcomes
