"""Benchmark triage and the officers' queue on a full register, on SQLite and PostgreSQL.

Run from the project root:  .venv/bin/python bench/triage.py [--addresses 300000]
[--requests 100000]. PostgreSQL is measured when BENCH_POSTGRES_URL is set; its public
schema is dropped.

Per database, each step in a process of its own: import a generated register and
bulk-insert the requests (setup), triage one request, render the first queue page with
each filter beside the bare indexed query (the floor), and re-triage after an import
that changes the programme. The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a plain script, the project root is not on the path; the portal lives there.
sys.path.insert(0, str(ROOT))

TARGET_PAGE_MS = 100.0
_BATCH = 5000
PASSWORD = "Bench-triage-wachtrij-Loppersum"
OFFICER_EMAIL = "bench-officer@example.nl"
CHANGED_DIR = "changed"
# The filters of the queue page, as the officer's browser sends them. The place and the
# municipality are filled in with the most common ones among the waiting requests.
FILTERS = {
    "none": {},
    "route=inspection": {"route": "inspection"},
    "status=received": {"status": "received"},
    "gemeentecode": {"gemeentecode": None},
    "woonplaats": {"woonplaats": None},
    "urgent=yes": {"urgent": "yes"},
    "older_than_days=30": {"older_than_days": "30"},
}


# -- figures ---------------------------------------------------------------------------

def _median_ms(seconds: list[float]) -> float:
    return round(statistics.median(seconds) * 1000, 2)


def _p95_ms(seconds: list[float]) -> float:
    ordered = sorted(seconds)
    rank = max(0, min(len(ordered) - 1, round(0.95 * len(ordered) + 0.5) - 1))
    return round(ordered[rank] * 1000, 2)


def _app(url: str):
    from portal.app import create_app

    return create_app({"environ": {"PORTAL_ENV": "test", "DATABASE_URL": url,
                                   "SECRET_KEY": "bench-triage-secret-key-not-for-production"}})


# -- the changed programme file --------------------------------------------------------

def write_changed_programme(directory: Path, share: float, seed: int) -> int:
    """Write changed/programma.csv: a share of the addresses not in P50/P90 become P90.

    Returns how many addresses changed. The new file replaces the programme list as the
    operation would send it, so the import that reads it changes exactly those addresses.
    """
    rng = random.Random(f"{seed}:changed")
    with (directory / "programma.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames
        rows = {row["nummeraanduiding_id"]: row for row in reader}
    with (directory / "adressen.csv").open(encoding="utf-8", newline="") as handle:
        ids = [row["nummeraanduiding_id"] for row in csv.DictReader(handle)]
    eligible = [i for i in ids if not (rows.get(i) and rows[i]["risicoprofiel"])]
    chosen = rng.sample(eligible, min(len(eligible), round(len(ids) * share)))
    for ident in chosen:
        row = rows.get(ident) or dict.fromkeys(columns, "") | {"nummeraanduiding_id": ident}
        row["risicoprofiel"] = "P90"
        rows[ident] = row
    out = directory / CHANGED_DIR
    out.mkdir(exist_ok=True)
    with (out / "programma.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows.values())
    return len(chosen)


# -- setup: register and requests ------------------------------------------------------

def _read_register(directory: Path) -> tuple[list[tuple], dict[str, tuple]]:
    """The addresses (the fields a request copies) and the programme rows by address id."""
    keep = ("nummeraanduiding_id", "pand_id", "postcode", "huisnummer", "huisletter",
            "huisnummertoevoeging", "straat", "woonplaats", "gemeentecode", "gemeentenaam")
    with (directory / "adressen.csv").open(encoding="utf-8", newline="") as handle:
        addresses = [tuple(row[k] for k in keep) for row in csv.DictReader(handle)]
    with (directory / "programma.csv").open(encoding="utf-8", newline="") as handle:
        programme = {row["nummeraanduiding_id"]: (row["risicoprofiel"], row["batch"],
                                                  row["opname_datum"])
                     for row in csv.DictReader(handle)}
    return addresses, programme


def _status_for(route: str, age_days: float, rng: random.Random) -> str:
    """A plausible present status for a request of this route and age."""
    def pick(table):
        roll, total = rng.random(), 0.0
        for status, weight in table:
            total += weight
            if roll < total:
                return status
        return table[-1][0]

    if route == "urgent":
        return "urgent" if age_days < 14 else "closed"
    if route == "in_programme":
        return "in_programme" if age_days < 365 else "closed"
    if route == "review":
        return "received" if age_days < 90 else pick([("declined", 0.6), ("closed", 0.4)])
    accepted = "accepted_reassessment" if route == "reassessment" else "accepted_inspection"
    if age_days < 60:
        return pick([("received", 0.9), ("awaiting_information", 0.05), (accepted, 0.05)])
    if age_days < 150:
        return pick([("received", 0.6), ("awaiting_information", 0.1), (accepted, 0.25),
                     ("withdrawn", 0.05)])
    if age_days < 365:
        return pick([("received", 0.25), (accepted, 0.35), ("scheduled", 0.1),
                     ("inspected", 0.05), ("assessed", 0.05), ("declined", 0.05),
                     ("withdrawn", 0.05), ("closed", 0.1)])
    return pick([(accepted, 0.1), ("scheduled", 0.05), ("assessed", 0.05), ("declined", 0.1),
                 ("withdrawn", 0.1), ("closed", 0.6)])


def build_requests(directory: Path, count: int, import_id: int, seed: int,
                   now: datetime) -> tuple[list[dict], list[dict]]:
    """Requests and their first events, routed as the rules would route them today.

    Every route is what `rules.judge` gives on the imported register (urgent, review
    outside the area or not in the register, linked behind an earlier open request,
    in programme, reassessment, inspection), so a re-triage only moves what a changed
    register moves. Ids are given here, in the order of arrival.
    """
    from portal.register.areas import effect_area_municipalities
    from portal.requests.reference import new_reference, normalise_reference
    from portal.requests.states import OPEN
    from portal.triage.rules import RULESET_VERSION

    rng = random.Random(f"{seed}:requests")
    open_values = {s.value for s in OPEN}
    addresses, programme = _read_register(directory)
    in_area = effect_area_municipalities()
    inside = [a for a in addresses if a[8] in in_area]
    outside = [a for a in addresses if a[8] not in in_area] or inside
    # Most requests come from the effect area, one in ten repeats an address asked
    # about before (a neighbour, a second owner, a resident asking again).
    distinct = rng.sample(inside, min(len(inside), round(count * 0.9)))
    picked: list[tuple | None] = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.01:
            picked.append(None)  # typed by hand: not in the register
        elif roll < 0.05:
            picked.append(rng.choice(outside))
        elif distinct and (roll < 0.15 or not inside):
            picked.append(rng.choice(distinct))
        elif distinct:
            picked.append(distinct.pop())
        else:
            picked.append(rng.choice(inside))
    two_years = 730 * 86400
    moments = sorted(now - timedelta(seconds=rng.random() * two_years) for _ in range(count))
    first_open: dict[str, int] = {}
    requests, events = [], []
    for index, (address, created) in enumerate(zip(picked, moments, strict=True), start=1):
        acute = rng.random() < 0.01
        detail = None
        linked_to = None
        if address is None:
            nid = pand = gemeente = None
            postcode, number, letter, addition = f"99{rng.randrange(10, 99)}ZZ", index, "", ""
            street, place = "Onbekende weg", "Onbekend"
            kind = "inspection"
        else:
            (nid, pand, postcode, number, letter, addition, street, place, gemeente,
             gemeentenaam) = address
            number = int(number)
            risk, batch, inspected = programme.get(nid, ("", "", ""))
            kind = "question" if risk or batch else "reassessment" if inspected else "inspection"
        if acute:
            route, reason = "urgent", "acute_danger"
        elif address is None:
            route, reason = "review", "not_in_register"
        elif gemeente not in in_area:
            route, reason, detail = "review", "outside_area", gemeentenaam
        elif nid in first_open:
            route, reason, linked_to = "linked", "open_request", first_open[nid]
            detail = requests[linked_to - 1]["reference"]
        elif risk:
            route, reason, detail = "in_programme", "risk_profile", risk
        elif batch:
            route, reason, detail = "in_programme", "batch", batch
        elif inspected:
            route, reason, detail = "reassessment", "inspected_before", inspected
        else:
            route, reason = "inspection", "not_known"
        age = (now - created).total_seconds() / 86400
        if route == "linked":
            status = "linked" if age < 365 else "closed"
        else:
            status = _status_for(route, age, rng)
        if nid is not None and status in open_values and nid not in first_open:
            first_open[nid] = index
        if route in ("inspection", "reassessment"):
            kind = route
        elif route == "in_programme":
            kind = "question"
        changed = min(now, created + timedelta(days=rng.uniform(0, min(age, 120))))
        phone = rng.random() < 0.15
        requests.append({
            "id": index, "reference": normalise_reference(new_reference()),
            "submission_key": f"bench-{seed}-{index}", "channel": "phone" if phone else "web",
            "status": status, "status_changed_at": changed, "request_type": kind,
            "created_at": created, "nummeraanduiding_id": nid, "pand_id": pand,
            "in_register": address is not None, "postcode": postcode, "huisnummer": number,
            "huisletter": letter, "huisnummertoevoeging": addition, "straat": street,
            "woonplaats": place, "building_kind": "home", "relation": "owner_occupier",
            "signs": "new_cracks", "explanation": "Scheuren in de gevel.",
            "acute_danger": acute, "contact_name": f"Bewoner {index}",
            "email": f"bewoner{index}@example.nl", "phone": "+31612345678" if phone else None,
            "language": "en" if rng.random() < 0.05 else "nl", "letters_by_post": False,
            "consent_at": created, "entered_by_id": None, "entered_by_label": None,
            "identity_checked": phone, "gemeentecode": gemeente, "suggested_route": route,
            "triage_reason": reason, "triage_detail": detail,
            "ruleset_version": RULESET_VERSION, "register_import_id": import_id,
            "triaged_at": created + timedelta(seconds=1),
            "priority": 0 if route == "urgent" else 1, "retriaged_from": None,
            "assigned_to_id": None, "assigned_until": None, "linked_to_id": linked_to,
        })
        first = "urgent" if acute else "received"
        events.append({
            "id": index, "request_id": index, "at": created, "from_status": None,
            "to_status": first, "actor_kind": "staff" if phone else "resident",
            "actor_id": None, "actor_label": "bench" if phone else "resident",
            "kind": "status", "reason": f"submitted ({'phone' if phone else 'web'})",
        })
    return requests, events


def run_setup(url: str, directory: Path, params: dict) -> dict:
    """Import the register, insert the requests in bulk, add an officer; ANALYZE on PostgreSQL."""
    from sqlalchemy import func, insert, select, text
    from sqlalchemy.orm import Session

    from portal.clock import utcnow
    from portal.extensions import make_engine
    from portal.register.importer import import_register
    from portal.requests.models import InspectionRequest, RequestEvent
    from portal.triage.queue import WAITING

    engine = make_engine(url)
    start = time.perf_counter()
    with Session(engine) as session:
        report = import_register(session, addresses=directory / "adressen.csv",
                                 programme=directory / "programma.csv")
    if not report.applied:
        raise SystemExit("the register import was refused:\n  "
                         + "\n  ".join(r.render() for r in report.refusals[:5]))
    import_s = time.perf_counter() - start

    start = time.perf_counter()
    requests, events = build_requests(directory, params["requests"], report.import_id,
                                      params["seed"], utcnow())
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    with engine.begin() as conn:
        for table, rows in ((InspectionRequest.__table__, requests),
                            (RequestEvent.__table__, events)):
            for first in range(0, len(rows), _BATCH):
                conn.execute(insert(table), rows[first:first + _BATCH])
        if engine.dialect.name == "postgresql":
            for table in ("inspection_requests", "request_events"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))
    insert_s = time.perf_counter() - start
    if engine.dialect.name == "postgresql":
        # VACUUM as well as ANALYZE: autovacuum would do it within a minute of the bulk
        # insert (and in the middle of the measurements); until then the visibility map
        # is empty and no count can be answered from an index alone.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))

    app = _app(url)
    with app.app_context():
        from portal.accounts import users
        from portal.actors import SYSTEM
        from portal.extensions import db

        session = db.new_session()
        users.create_user(session, email=OFFICER_EMAIL, display_name="Bench Officer",
                          role="officer", password=PASSWORD, actor=SYSTEM, now=utcnow(),
                          production=False, totp_confirmed=True)
        session.commit()
        session.close()

    R = InspectionRequest
    waiting = [s.value for s in WAITING]
    with Session(engine) as session:
        statuses = dict(session.execute(select(R.status, func.count()).group_by(R.status)).all())
        routes = dict(session.execute(
            select(R.suggested_route, func.count()).group_by(R.suggested_route)).all())

        def most_common(column):
            return session.execute(
                select(column, func.count()).where(R.status.in_(waiting), column.is_not(None))
                .group_by(column).order_by(func.count().desc()).limit(1)).one()

        gemeente, gemeente_count = most_common(R.gemeentecode)
        place, place_count = most_common(R.woonplaats)
    engine.dispose()
    return {"import_s": import_s, "build_s": build_s, "insert_s": insert_s,
            "import_id": report.import_id, "statuses": statuses, "routes": routes,
            "waiting": sum(statuses.get(s, 0) for s in waiting),
            "gemeentecode": gemeente, "gemeentecode_waiting": gemeente_count,
            "woonplaats": place, "woonplaats_waiting": place_count}


# -- triage one request ----------------------------------------------------------------

def run_triage(url: str, directory: Path, params: dict) -> dict:
    """Time triage_request on received requests and submit_request on register addresses.

    Each run is rolled back, so every run meets the same data; the commit is not timed.
    """
    from sqlalchemy import select

    from portal.actors import RESIDENT
    from portal.extensions import db
    from portal.intake.submit import Answers, submit_request
    from portal.register.models import Address
    from portal.requests.models import InspectionRequest
    from portal.triage.apply import triage_request

    rng = random.Random(f"{params['seed']}:triage")
    runs, warm = params["triage_runs"], 3
    app = _app(url)
    with app.app_context():
        session = db.new_session()
        received = session.scalars(select(InspectionRequest.id).where(
            InspectionRequest.status == "received",
            InspectionRequest.in_register.is_(True))).all()
        address_ids = session.scalars(select(Address.nummeraanduiding_id)).all()
        session.close()
        triage_ids = rng.sample(received, min(len(received), runs + warm))
        outcomes: Counter = Counter()
        triage_s = []
        for position, ident in enumerate(triage_ids):
            session = db.new_session()
            req = session.get(InspectionRequest, ident)
            start = time.perf_counter()
            outcome = triage_request(session, req, notify=False)
            session.flush()
            seconds = time.perf_counter() - start
            session.rollback()
            session.close()
            if position >= warm:
                triage_s.append(seconds)
                outcomes[outcome.route] += 1

        submit_s = []
        for position, ident in enumerate(rng.sample(address_ids, runs + warm)):
            session = db.new_session()
            address = session.get(Address, ident)
            answers = Answers(
                postcode=address.postcode, huisnummer=address.huisnummer,
                huisletter=address.huisletter, huisnummertoevoeging=address.huisnummertoevoeging,
                straat=address.straat, woonplaats=address.woonplaats,
                nummeraanduiding_id=address.nummeraanduiding_id, building_kind="home",
                relation="owner_occupier", contact_name="Bench Bewoner", language="nl",
                email="bench@example.nl", signs=["new_cracks"], explanation="Scheuren.")
            session.rollback()  # start the run from a fresh transaction, as a request does
            start = time.perf_counter()
            submit_request(session, answers, actor=RESIDENT,
                           submission_key=f"bench-submit-{position}-{rng.random()}")
            session.flush()
            seconds = time.perf_counter() - start
            session.rollback()
            session.close()
            if position >= warm:
                submit_s.append(seconds)
    return {"triage_s": triage_s, "routes": dict(outcomes), "submit_s": submit_s}


# -- the queue page and its floor ------------------------------------------------------

_CSRF = ('name="csrf_token" type="hidden" value="', 'name="csrf_token" value="')


def _csrf_token(html: str) -> str:
    for marker in _CSRF:
        at = html.find(marker)
        if at >= 0:
            at += len(marker)
            return html[at:html.index('"', at)]
    raise SystemExit("no csrf token on the login page")


def _login(app, client) -> None:
    """Log the officer in through the pages: password, then the current TOTP code."""
    from portal.accounts import totp
    from portal.accounts.users import find_by_email
    from portal.clock import utcnow
    from portal.extensions import db

    page = client.get("/medewerkers/inloggen")
    answer = client.post("/medewerkers/inloggen", data={
        "csrf_token": _csrf_token(page.text), "email": OFFICER_EMAIL, "password": PASSWORD})
    if answer.status_code != 303:
        raise SystemExit(f"login: password step answered {answer.status_code}")
    with app.app_context():
        session = db.new_session()
        secret = find_by_email(session, OFFICER_EMAIL).totp_secret
        session.close()
    page = client.get("/medewerkers/code")
    answer = client.post("/medewerkers/code", data={
        "csrf_token": _csrf_token(page.text), "code": totp.code_at(secret, utcnow())})
    if answer.status_code != 303:
        raise SystemExit(f"login: code step answered {answer.status_code}")


def _floor_sql(args: dict, placeholder: str, now: datetime) -> tuple[str, list]:
    """The bare query of the first page for these filters, and its parameters."""
    from portal.triage.queue import WAITING

    statuses = [args["status"]] if args.get("status") else [s.value for s in WAITING]
    where = [f"status IN ({', '.join([placeholder] * len(statuses))})"]
    values: list = list(statuses)
    for column in ("route", "gemeentecode", "woonplaats"):
        if args.get(column):
            where.append(f"{'suggested_route' if column == 'route' else column} = {placeholder}")
            values.append(args[column])
    if args.get("urgent") == "yes":
        where.append("priority = 0")
    if args.get("older_than_days"):
        where.append(f"created_at < {placeholder}")
        values.append(now - timedelta(days=int(args["older_than_days"])))
    sql = ("SELECT id, reference, straat, huisnummer, huisletter, huisnummertoevoeging, "
           "woonplaats, suggested_route, retriaged_from, status, priority, created_at "
           f"FROM inspection_requests WHERE {' AND '.join(where)} "
           "ORDER BY priority, created_at, id LIMIT 26")
    return sql, values


def _explain(raw, dialect: str, statement: str, parameters) -> list[str]:
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if dialect == "postgresql" else "EXPLAIN QUERY PLAN "
    cursor = raw.cursor()
    cursor.execute(prefix + statement, parameters)
    rows = cursor.fetchall()
    cursor.close()
    return [row[0] if dialect == "postgresql" else str(row[-1]) for row in rows]


def _count_statements(engine) -> list[list]:
    """Record every statement the engine runs from now on: [sql, parameters, seconds]."""
    from sqlalchemy import event

    seen: list[list] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _before(_conn, _cursor, statement, parameters, context, _many):
        context._bench_start = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _after(_conn, _cursor, statement, parameters, context, _many):
        seen.append([statement, parameters, time.perf_counter() - context._bench_start])

    return seen


def run_queue(url: str, directory: Path, params: dict) -> dict:
    """Render the first queue page per filter through the view, each beside its floor."""
    from urllib.parse import urlencode

    from portal.clock import utcnow
    from portal.extensions import db, make_engine

    app = _app(url)
    client = app.test_client()
    _login(app, client)
    with app.app_context():
        engine = db.engine
    dialect = engine.dialect.name
    seen = _count_statements(engine)
    load = os.getloadavg()[0]

    floor_engine = make_engine(url)
    raw = floor_engine.raw_connection()
    placeholder = "%s" if dialect == "postgresql" else "?"
    runs, results = params["page_runs"], {}
    for name, template in FILTERS.items():
        args = {k: (params[k] if v is None else v) for k, v in template.items()}
        path = "/medewerkers/triage/" + (f"?{urlencode(args)}" if args else "")
        page_s, floor_s, sql_s, statements, by_statement = [], [], [], [], {}
        rows = 0
        for position in range(runs + 2):
            seen.clear()
            start = time.perf_counter()
            answer = client.get(path)
            seconds = time.perf_counter() - start
            if answer.status_code != 200:
                raise SystemExit(f"{path} answered {answer.status_code}")
            sql, values = _floor_sql(args, placeholder, utcnow())
            start = time.perf_counter()
            cursor = raw.cursor()
            cursor.execute(sql, values)
            rows = len(cursor.fetchall())
            cursor.close()
            raw.rollback()
            floor = time.perf_counter() - start
            if position >= 2:  # two warm-ups
                page_s.append(seconds)
                floor_s.append(floor)
                sql_s.append(sum(s[2] for s in seen))
                statements.append(len(seen))
                for index, (statement, parameters, spent) in enumerate(seen):
                    by_statement.setdefault(index, [statement, parameters, []])[2].append(spent)
        # Every statement of the page with its median time, slowest first.
        slowest = sorted(([sql, values, statistics.median(times) * 1000]
                          for sql, values, times in by_statement.values()),
                         key=lambda s: -s[2])
        results[name] = {
            "path": path, "page_ms": _median_ms(page_s), "page_p95_ms": _p95_ms(page_s),
            "sql_ms": _median_ms(sql_s), "statements": max(statements),
            "floor_ms": _median_ms(floor_s), "floor_rows": rows,
            "table_rows": answer.text.count("<tr") - 1,
            "slowest": slowest,
            "page_s": page_s, "floor_s": floor_s,
        }
    # The plans of the slowest statements of the slowest page, to say where the time goes.
    worst = max(results, key=lambda n: results[n]["page_ms"])
    plans = []
    selects = [s for s in results[worst]["slowest"] if s[0].lstrip().upper().startswith("SELECT")]
    for statement, parameters, ms in selects[:3]:
        plans.append({"ms": round(ms, 2), "sql": " ".join(statement.split()),
                      "plan": _explain(raw, dialect, statement, parameters)})
        raw.rollback()
    raw.close()
    floor_engine.dispose()
    for figures in results.values():
        figures["slowest"] = [[" ".join(s[0].split())[:160], round(s[2], 2)]
                              for s in figures["slowest"]]
    return {"filters": results, "worst": worst, "plans": plans, "load_1m": load}


# -- re-triage after an import ---------------------------------------------------------

def run_retriage(url: str, directory: Path, params: dict) -> dict:
    """Import the changed programme list, then time retriage_after_import on it."""
    from sqlalchemy import func, select

    from portal.extensions import db
    from portal.register.importer import import_register
    from portal.register.models import RegisterChange
    from portal.requests.models import InspectionRequest
    from portal.requests.states import OPEN, Status
    from portal.triage.apply import retriage_after_import

    app = _app(url)
    with app.app_context():
        session = db.new_session()
        start = time.perf_counter()
        report = import_register(session, programme=directory / CHANGED_DIR / "programma.csv")
        import_s = time.perf_counter() - start
        if not report.applied:
            raise SystemExit("the changed programme was refused:\n  "
                             + "\n  ".join(r.render() for r in report.refusals[:5]))
        changed = session.scalar(select(func.count()).select_from(RegisterChange).where(
            RegisterChange.import_id == report.import_id))
        candidates = session.scalar(select(func.count()).select_from(InspectionRequest).where(
            InspectionRequest.nummeraanduiding_id.in_(
                select(RegisterChange.nummeraanduiding_id)
                .where(RegisterChange.import_id == report.import_id)),
            InspectionRequest.status.in_([s.value for s in OPEN if s is not Status.URGENT])))
        session.commit()
        seen = _count_statements(db.engine)
        start = time.perf_counter()
        moved = retriage_after_import(session, report.import_id)
        retriage_s = time.perf_counter() - start
        statements, sql_s = len(seen), sum(s[2] for s in seen)
        by_text: dict[str, list] = {}
        for statement, _parameters, spent in seen:
            entry = by_text.setdefault(" ".join(statement.split())[:140], [0, 0.0])
            entry[0] += 1
            entry[1] += spent
        heaviest = sorted(([sql, n, round(t, 3)] for sql, (n, t) in by_text.items()),
                          key=lambda e: -e[2])[:4]
        start = time.perf_counter()
        session.commit()
        commit_s = time.perf_counter() - start
        session.close()
    return {"import_s": import_s, "changed_addresses": changed, "candidates": candidates,
            "retriage_s": retriage_s, "commit_s": commit_s, "moved": len(moved),
            "statements": statements, "sql_s": sql_s, "heaviest": heaviest,
            "moves": dict(Counter(f"{m.previous_route} -> {m.route}" for m in moved))}


# -- driver ----------------------------------------------------------------------------

CHILDREN = {"setup": run_setup, "triage": run_triage, "queue": run_queue,
            "retriage": run_retriage}


def _measure(mode: str, url: str, directory: Path, params: dict) -> dict:
    """Run one step in a fresh process and return what it printed last."""
    completed = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--url", url, "--dir", str(directory),
         "--params", json.dumps(params)],
        capture_output=True, text=True, cwd=ROOT,
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr[-5000:])
        raise SystemExit(f"the {mode} step failed (exit {completed.returncode})")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _prepare(name: str, url: str) -> None:
    """Start from an empty database and build the schema with the migrations."""
    from portal import migrate

    migrate.recreate(url)


def bench_database(name: str, url: str, directory: Path, params: dict) -> dict:
    """Set up one database and measure triage, the queue and re-triage; print the figures."""
    print(f"\n== {name} ==", flush=True)
    _prepare(name, url)
    setup = _measure("setup", url, directory, params)
    print(f"setup: register import {setup['import_s']:.1f} s; {params['requests']:,} requests "
          f"built in {setup['build_s']:.1f} s and inserted in {setup['insert_s']:.1f} s"
          f"{' (then VACUUM ANALYZE)' if name == 'postgresql' else ' (no ANALYZE)'}")
    print(f"  statuses {json.dumps(setup['statuses'], sort_keys=True)}")
    print(f"  routes {json.dumps(setup['routes'], sort_keys=True)}")
    print(f"  waiting {setup['waiting']:,}; most common municipality {setup['gemeentecode']} "
          f"({setup['gemeentecode_waiting']:,} waiting), place {setup['woonplaats']} "
          f"({setup['woonplaats_waiting']:,} waiting)", flush=True)
    params = {**params, "gemeentecode": setup["gemeentecode"], "woonplaats": setup["woonplaats"]}

    triage = _measure("triage", url, directory, params)
    triage_one = (_median_ms(triage["triage_s"]), _p95_ms(triage["triage_s"]))
    submit_one = (_median_ms(triage["submit_s"]), _p95_ms(triage["submit_s"]))
    print(f"triage one (triage_request on a received request, notify=False, rolled back; "
          f"{len(triage['triage_s'])} runs): median {triage_one[0]:.2f} ms, "
          f"p95 {triage_one[1]:.2f} ms; routes {json.dumps(triage['routes'], sort_keys=True)}")
    print(f"submit one (submit_request incl. triage, rolled back; {len(triage['submit_s'])} "
          f"runs): median {submit_one[0]:.2f} ms, p95 {submit_one[1]:.2f} ms", flush=True)

    queue = _measure("queue", url, directory, params)
    print(f"queue page through the view (logged-in officer), {params['page_runs']} requests "
          f"per filter after 2 warm-ups; floor = bare indexed query of the first page "
          f"(load average at start {queue['load_1m']:.1f} on {os.cpu_count()} CPUs):")
    by_filter = {}
    all_page, all_floor = [], []
    for filter_name, figures in queue["filters"].items():
        by_filter[filter_name] = figures["page_ms"]
        all_page += figures["page_s"]
        all_floor += figures["floor_s"]
        print(f"  {filter_name:<20} page {figures['page_ms']:7.2f} ms (p95 "
              f"{figures['page_p95_ms']:.2f}, SQL {figures['sql_ms']:.2f} ms in "
              f"{figures['statements']} statements, {figures['table_rows']} rows)  "
              f"floor {figures['floor_ms']:6.2f} ms  {figures['path']}")
    worst = queue["filters"][queue["worst"]]
    print(f"  the statements of the slowest page ({queue['worst']}), median each:")
    for sql, ms in worst["slowest"]:
        print(f"    {ms:7.2f} ms  {sql}")
    floor_none = queue["filters"]["none"]["floor_ms"]
    page_median = _median_ms(all_page)
    print(f"  overall: page median {page_median:.2f} ms, floor (no filter) {floor_none:.2f} ms, "
          f"floor over all filters {_median_ms(all_floor):.2f} ms", flush=True)

    retriage = _measure("retriage", url, directory, params)
    print(f"re-triage after an import that put {retriage['changed_addresses']:,} addresses in "
          f"P90 (import {retriage['import_s']:.1f} s): {retriage['candidates']:,} open requests "
          f"judged again, {retriage['moved']:,} moved in {retriage['retriage_s']:.2f} s "
          f"(commit {retriage['commit_s']:.2f} s; {retriage['statements']:,} statements, "
          f"{retriage['sql_s']:.2f} s of it in the database); {json.dumps(retriage['moves'])}",
          flush=True)
    for sql, count, seconds in retriage["heaviest"]:
        print(f"    {seconds:6.2f} s in {count:5,} × {sql}")

    if name == "postgresql":
        holds = page_median < TARGET_PAGE_MS
        slow = [n for n, ms in by_filter.items() if ms >= TARGET_PAGE_MS]
        print(f"target queue page < {TARGET_PAGE_MS:.0f} ms median on PostgreSQL: "
              f"{'holds' if holds else 'MISSED'} ({page_median:.2f} ms overall"
              f"{'; filters at or over: ' + ', '.join(slow) if slow else ''})")
    for plan in queue["plans"]:
        print(f"  EXPLAIN of a statement of the slowest page ({plan['ms']:.2f} ms): "
              f"{plan['sql'][:300]}{' …' if len(plan['sql']) > 300 else ''}")
        for line in plan["plan"]:
            print(f"    {line}")
    return {
        "addresses": params["addresses"],
        "requests": params["requests"],
        "waiting": setup["waiting"],
        "triage_one_method": "triage_request(notify=False) on a received register request, "
                             "rolled back",
        "triage_one_ms_median": triage_one[0],
        "triage_one_ms_p95": triage_one[1],
        "submit_one_ms_median": submit_one[0],
        "submit_one_ms_p95": submit_one[1],
        "retriage_s": round(retriage["retriage_s"], 3),
        "retriaged": retriage["moved"],
        "retriage_candidates": retriage["candidates"],
        "changed_addresses": retriage["changed_addresses"],
        "queue_page_ms_median": page_median,
        "queue_page_ms_by_filter": by_filter,
        "queue_statements_per_page": {n: f["statements"] for n, f in queue["filters"].items()},
        "floor_ms_median": floor_none,
        "floor_ms_by_filter": {n: f["floor_ms"] for n, f in queue["filters"].items()},
        "load_average_1m": round(queue["load_1m"], 2),
    }


def main(argv: list[str] | None = None) -> None:
    """Generate a register, then benchmark triage and the queue on each database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addresses", type=int, default=300_000,
                        help="addresses to generate (default 300000)")
    parser.add_argument("--requests", type=int, default=100_000,
                        help="requests to insert (default 100000)")
    parser.add_argument("--page-runs", type=int, default=20,
                        help="timed queue pages per filter (default 20)")
    parser.add_argument("--triage-runs", type=int, default=50,
                        help="timed triage and submit runs (default 50)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", choices=tuple(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(CHILDREN[args.child](args.url, args.dir, json.loads(args.params)),
                         default=str))
        return

    from portal.config import normalise_database_url
    from portal.register.generate import write_register

    started = time.perf_counter()
    params = {"addresses": args.addresses, "requests": args.requests, "seed": args.seed,
              "page_runs": args.page_runs, "triage_runs": args.triage_runs}
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bench-triage-") as temp:
        directory = Path(temp)
        start = time.perf_counter()
        summary = write_register(directory, addresses=args.addresses, seed=args.seed)
        changed = write_changed_programme(directory, 0.01, args.seed)
        print(f"generated {summary['addresses']:,} addresses, {summary['programme_rows']:,} "
              f"programme rows (P50 {summary['p50']:,}, P90 {summary['p90']:,}) and a "
              f"programme list with {changed:,} more addresses in P90, "
              f"in {time.perf_counter() - start:.1f} s")
        params["addresses"] = summary["addresses"]
        results["sqlite"] = bench_database(
            "sqlite", f"sqlite:///{directory / 'bench.sqlite'}", directory, params)
        postgres_url = os.environ.get("BENCH_POSTGRES_URL", "").strip()
        if postgres_url:
            results["postgresql"] = bench_database(
                "postgresql", normalise_database_url(postgres_url), directory, params)
        else:
            print("\n== postgresql ==\nskipped: BENCH_POSTGRES_URL not set")
            results["postgresql"] = {"skipped": "BENCH_POSTGRES_URL not set"}
    print(f"\nrun time {time.perf_counter() - started:.0f} s")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
