"""Benchmark planning: 50,000 accepted requests over 40 municipalities and 156 weeks.

Run from the project root:  .venv/bin/python bench/plan.py [--requests 50000]
PostgreSQL is measured when BENCH_POSTGRES_URL is set; its public schema is dropped.

On each database it builds the data with bulk inserts (municipalities, requests in
accepted_*, their acceptance events, ledger rows), then measures:

1. floor: a bare bulk insert of as many bookings plus the ledger updates, no rules
   (floor_s); and the same with every other row a plan writes — status updates,
   history rows, outbox messages — still without rules (floor_writes_s);
2. plan: `planning.plan_accepted` — every request booked, moved to scheduled with a
   history row, and its resident's email queued;
3. change: a growing reservation through `planning.apply_changes` — more reserved in
   the first half year: bookings that no longer fit move later, residents told;
4. lower: a shrinking reservation in the half year after it (nothing moves yet);
5. replan: `planning.replan` — the full re-plan after those changes, which pulls
   bookings forward into the places that came free.

Target: replan_s < 5 on SQLite. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script, the portal is not on the path

TARGET_REPLAN_S = 5.0
_BATCH = 10_000


def _prepare(name: str, url: str) -> None:
    """Start from an empty database and build the schema with the migrations."""
    from portal import migrate

    migrate.recreate(url)


def _insert(conn, table, rows: list[dict]) -> None:
    from sqlalchemy import insert

    for start in range(0, len(rows), _BATCH):
        conn.execute(insert(table), rows[start:start + _BATCH])


def build(engine, *, requests: int, municipalities: int, weeks: int, seed: int,
          today: date) -> dict:
    """Insert municipalities, accepted requests, acceptance events and ledger rows."""
    from portal.capacity.allocation import week_starts
    from portal.capacity.models import CapacityWeek
    from portal.register.models import Municipality
    from portal.requests.models import InspectionRequest, RequestEvent
    from portal.requests.reference import new_reference, normalise_reference

    rng = random.Random(seed)
    codes = [f"{9000 + i:04d}" for i in range(municipalities)]
    weights = [rng.uniform(0.3, 3.0) for _ in codes]
    now = datetime.now().replace(microsecond=0)
    people, events, demand = [], [], {}
    references = set()
    while len(references) < requests:
        references.add(normalise_reference(new_reference()))
    for i, reference in enumerate(sorted(references), start=1):
        code = rng.choices(codes, weights)[0]
        kind = "inspection" if rng.random() < 0.75 else "assessment"
        status = "accepted_inspection" if kind == "inspection" else "accepted_reassessment"
        accepted = now - timedelta(minutes=rng.randrange(1, 400 * 24 * 60))
        demand[(code, kind)] = demand.get((code, kind), 0) + 1
        people.append({
            "id": i, "reference": reference, "submission_key": f"bench-{i}", "channel": "web",
            "status": status, "status_changed_at": accepted, "request_type":
            "inspection" if kind == "inspection" else "reassessment",
            "created_at": accepted - timedelta(days=5), "in_register": True,
            "postcode": "9937AB", "huisnummer": i, "straat": "Hoofdstraat",
            "woonplaats": "Meedhuizen", "building_kind": "home", "relation": "owner_occupier",
            "contact_name": f"Bewoner {i}", "email": f"bewoner{i}@example.nl",
            "language": "nl" if rng.random() < 0.8 else "en", "consent_at": accepted,
            "gemeentecode": code, "priority": 1,
        })
        events.append({"request_id": i, "at": accepted, "from_status": "received",
                       "to_status": status, "actor_kind": "staff", "actor_id": "1",
                       "actor_label": "Bench officer", "kind": "status",
                       "reason": "accept: rules_apply"})
    mondays = week_starts(today, weeks)
    ledger = []
    for code in codes:
        for kind in ("inspection", "assessment"):
            # Enough free places over the horizon for everyone, unevenly spread.
            per_week = 1.2 * demand.get((code, kind), 0) / weeks
            for monday in mondays:
                reserved = rng.randrange(0, 7)
                free = 0 if rng.random() < 0.04 else round(per_week * rng.uniform(0.4, 1.6))
                ledger.append({"week_start": monday, "gemeentecode": code, "kind": kind,
                               "capacity": reserved + free, "reserved": reserved,
                               "booked": 0})
    with engine.begin() as conn:
        _insert(conn, Municipality.__table__, [
            {"code": c, "name": f"Gemeente {c}", "in_effect_area": True} for c in codes])
        _insert(conn, InspectionRequest.__table__, people)
        _insert(conn, RequestEvent.__table__, events)
        _insert(conn, CapacityWeek.__table__, ledger)
        if conn.dialect.name == "postgresql":
            from sqlalchemy import text

            conn.execute(text("ANALYZE"))
    return {"municipalities": len(codes), "ledger_rows": len(ledger),
            "free_places": sum(r["capacity"] - r["reserved"] for r in ledger)}


def floor(engine, requests: int) -> tuple[float, float]:
    """Two floors, with no rules at all, both undone afterwards.

    bookings: insert as many bookings and update every ledger row (committed, then
    deleted); writes: the same plus what a plan also writes, one status UPDATE, one
    history row and one outbox message per request (timed, then rolled back).
    """
    from sqlalchemy import bindparam, delete, insert, select, update

    from portal.capacity.models import Booking, CapacityWeek
    from portal.outbox.models import OutboxMessage
    from portal.outbox.queue import new_message_id
    from portal.requests.models import InspectionRequest, RequestEvent

    w, b, r = CapacityWeek.__table__, Booking.__table__, InspectionRequest.__table__
    with engine.connect() as conn:
        rows = conn.execute(select(w.c.id, w.c.kind)).all()
        ids = [i for (i,) in conn.execute(select(r.c.id))]
    now = datetime.now()

    def bookings(conn) -> None:
        conn.execute(insert(b), [{"request_id": i, "capacity_week_id": rows[i % len(rows)].id,
                                  "kind": rows[i % len(rows)].kind, "booked_at": now,
                                  "booked_by": "floor", "cluster_id": None} for i in ids])
        conn.execute(update(w).where(w.c.id == bindparam("week_id"))
                     .values(booked=w.c.booked), [{"week_id": row.id} for row in rows])

    start = time.perf_counter()
    with engine.begin() as conn:
        bookings(conn)
    only_bookings = time.perf_counter() - start
    with engine.begin() as conn:
        conn.execute(delete(b))
    conn = engine.connect()
    transaction = conn.begin()
    start = time.perf_counter()
    bookings(conn)
    for at in range(0, len(ids), _BATCH):
        conn.execute(update(r).where(r.c.id.in_(ids[at:at + _BATCH]))
                     .values(status="scheduled", status_changed_at=now))
    conn.execute(insert(RequestEvent.__table__), [
        {"request_id": i, "at": now, "from_status": "accepted_inspection",
         "to_status": "scheduled", "actor_kind": "staff", "actor_id": "1",
         "actor_label": "floor", "kind": "status", "reason": "floor"} for i in ids])
    conn.execute(insert(OutboxMessage.__table__), [
        {"created_at": now, "channel": "email", "to_address": f"b{i}@example.nl",
         "subject": "Floor", "body_text": "Floor " * 80, "message_id": new_message_id(),
         "dedupe_key": None, "status": "pending", "attempts": 0, "next_attempt_at": now,
         "language": "nl"} for i in ids])
    all_writes = time.perf_counter() - start
    transaction.rollback()
    conn.close()
    return only_bookings, all_writes


def reservation_change(session, today: date, *, grow: bool) -> list:
    """grow: 3 more reserved for risk work in the first 26 weeks of every municipality's
    inspections; else 2 less in the 26 weeks after them, in every other municipality."""
    from sqlalchemy import select

    from portal.capacity.allocation import week_start_of
    from portal.capacity.models import CapacityWeek
    from portal.capacity.planning import LedgerChange

    first = week_start_of(today)
    changes = []
    for row in session.scalars(select(CapacityWeek).where(CapacityWeek.kind == "inspection")):
        n = (row.week_start - first).days // 7
        if grow and n < 26:
            changes.append(LedgerChange(row.week_start, row.gemeentecode, row.kind,
                                        reserved=min(row.capacity, row.reserved + 3)))
        elif not grow and 26 <= n < 52 and int(row.gemeentecode) % 2:
            changes.append(LedgerChange(row.week_start, row.gemeentecode, row.kind,
                                        reserved=max(0, row.reserved - 2)))
    return changes


def bench_database(name: str, url: str, args) -> dict:
    """Build the data on one database and measure floor, plan, change and re-plan."""
    from portal.actors import Actor
    from portal.app import create_app
    from portal.capacity import planning
    from portal.extensions import db

    print(f"\n== {name} ==")
    _prepare(name, url)
    app = create_app({"environ": {"PORTAL_ENV": "test", "DATABASE_URL": url,
                                  "SECRET_KEY": "bench-not-secret"}})
    actor = Actor.staff(1, "Bench coordinator")
    today = date.today()
    figures: dict = {"requests": args.requests}
    with app.app_context():
        engine = db.engine
        start = time.perf_counter()
        figures.update(build(engine, requests=args.requests, municipalities=args.municipalities,
                             weeks=args.weeks, seed=args.seed, today=today))
        print(f"built {args.requests:,} accepted requests, {figures['ledger_rows']:,} ledger "
              f"rows ({figures['free_places']:,} free places) in "
              f"{time.perf_counter() - start:.1f} s")
        only_bookings, all_writes = floor(engine, args.requests)
        figures["floor_s"] = round(only_bookings, 3)
        figures["floor_writes_s"] = round(all_writes, 3)
        print(f"floor (bare bulk insert of {args.requests:,} bookings + ledger updates): "
              f"{only_bookings:.2f} s; with the status updates, history rows and outbox "
              f"messages a plan also writes: {all_writes:.2f} s")
        for step, label, call in (
                ("plan", "plan accepted", lambda s: planning.plan_accepted(
                    s, actor=actor, now=today)),
                ("change", "reservation grows", lambda s: planning.apply_changes(
                    s, reservation_change(s, today, grow=True), actor=actor, today=today)),
                ("lower", "reservation shrinks", lambda s: planning.apply_changes(
                    s, reservation_change(s, today, grow=False), actor=actor, today=today)),
                ("replan", "full re-plan", lambda s: planning.replan(s, actor=actor,
                                                                     now=today))):
            session = db.new_session()
            try:
                start = time.perf_counter()
                report = call(session)
                session.commit()
                seconds = time.perf_counter() - start
            finally:
                session.close()
            figures[f"{step}_s"] = round(seconds, 3)
            figures[step] = {k: v for k, v in report.totals().items() if v}
            print(f"{label}: {seconds:.2f} s; {json.dumps(figures[step])}")
        engine.dispose()
    ok = figures["replan_s"] < TARGET_REPLAN_S
    print(f"target full re-plan < {TARGET_REPLAN_S:.0f} s: {'holds' if ok else 'MISSED'} "
          f"({figures['replan_s']:.2f} s; plan {figures['plan_s']:.2f} s; floor "
          f"{figures['floor_s']:.2f} s)")
    return figures


def main(argv: list[str] | None = None) -> None:
    """Benchmark planning on SQLite, and on PostgreSQL when BENCH_POSTGRES_URL is set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50_000)
    parser.add_argument("--municipalities", type=int, default=40)
    parser.add_argument("--weeks", type=int, default=156)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    from portal.config import normalise_database_url

    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bench-plan-") as temp:
        results["sqlite"] = bench_database("sqlite", f"sqlite:///{Path(temp) / 'plan.sqlite'}",
                                           args)
    postgres_url = os.environ.get("BENCH_POSTGRES_URL", "").strip()
    if postgres_url:
        results["postgresql"] = bench_database(
            "postgresql", normalise_database_url(postgres_url), args)
    else:
        print("\n== postgresql ==\nskipped: BENCH_POSTGRES_URL not set")
        results["postgresql"] = {"skipped": "BENCH_POSTGRES_URL not set"}
    print(json.dumps(results))


if __name__ == "__main__":
    main()
