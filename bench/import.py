"""Benchmark the register import against a bare bulk insert, on SQLite and PostgreSQL.

Run from the project root:  .venv/bin/python bench/import.py [--addresses 300000]
PostgreSQL is measured when BENCH_POSTGRES_URL is set; its public schema is dropped.

Every measurement runs in a process of its own, so its peak memory is its own. The
last line printed is one JSON object with the figures per database.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a plain script, the project root is not on the path; the portal lives there.
sys.path.insert(0, str(ROOT))

_BATCH = 5000
TARGET_RATIO = 1 / 3


def _memory_mb(field: str) -> float:
    """Resident memory of this process in MB: VmHWM is the peak, VmRSS the present.

    Linux carries the parent's peak into ru_maxrss across fork and exec, so a child
    started by a large parent would report the parent's peak; VmHWM starts afresh at exec.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _optional(value: str, convert=str):
    return convert(value) if value != "" else None


def floor_insert(url: str, directory: Path) -> float:
    """Insert the rows of both files with no checks at all; return the seconds it took.

    This is the floor: what the database costs for these rows, whatever the importer does.
    """
    import csv

    from sqlalchemy import insert

    from portal.extensions import make_engine
    from portal.register.areas import effect_area_municipalities
    from portal.register.models import ProgrammeStatus

    engine = make_engine(url)
    in_area = effect_area_municipalities()
    start = time.perf_counter()
    with engine.begin() as conn:
        municipalities: set[str] = set()
        buildings: set[str] = set()
        with (directory / "adressen.csv").open(encoding="utf-8", newline="") as handle:
            batch: list[dict] = []
            for row in csv.DictReader(handle):
                batch.append(row)
                if len(batch) >= _BATCH:
                    _insert_addresses(conn, batch, municipalities, buildings, in_area)
                    batch = []
            if batch:
                _insert_addresses(conn, batch, municipalities, buildings, in_area)
        with (directory / "programma.csv").open(encoding="utf-8", newline="") as handle:
            rows = []
            for row in csv.DictReader(handle):
                rows.append({
                    "nummeraanduiding_id": row["nummeraanduiding_id"],
                    "risk_profile": row["risicoprofiel"] or None,
                    "batch": row["batch"] or None,
                    "inspected_on": _optional(row["opname_datum"], date.fromisoformat),
                    "advice": row["advies"] or None,
                    "typology": row["typologie"] or None,
                })
                if len(rows) >= _BATCH:
                    conn.execute(insert(ProgrammeStatus.__table__), rows)
                    rows = []
            if rows:
                conn.execute(insert(ProgrammeStatus.__table__), rows)
    seconds = time.perf_counter() - start
    engine.dispose()
    return seconds


def _insert_addresses(conn, batch, municipalities, buildings, in_area) -> None:
    """Insert one batch of address rows, after the municipalities and buildings they need."""
    from sqlalchemy import insert

    from portal.register.models import Address, Building, Municipality

    new_municipalities = {}
    new_buildings = []
    for row in batch:
        code = row["gemeentecode"]
        if code not in municipalities:
            municipalities.add(code)
            new_municipalities[code] = {"code": code, "name": row["gemeentenaam"],
                                        "in_effect_area": code in in_area}
        if row["pand_id"] not in buildings:
            buildings.add(row["pand_id"])
            new_buildings.append({"pand_id": row["pand_id"]})
    if new_municipalities:
        conn.execute(insert(Municipality.__table__), list(new_municipalities.values()))
    if new_buildings:
        conn.execute(insert(Building.__table__), new_buildings)
    conn.execute(insert(Address.__table__), [{
        "nummeraanduiding_id": row["nummeraanduiding_id"],
        "verblijfsobject_id": row["verblijfsobject_id"] or None,
        "pand_id": row["pand_id"],
        "postcode": row["postcode"],
        "huisnummer": int(row["huisnummer"]),
        "huisletter": row["huisletter"],
        "huisnummertoevoeging": row["huisnummertoevoeging"],
        "straat": row["straat"],
        "woonplaats": row["woonplaats"],
        "gemeentecode": row["gemeentecode"],
        "bouwjaar": _optional(row["bouwjaar"], int),
        "gebruiksdoel": row["gebruiksdoel"] or None,
        "lat": _optional(row["lat"], float),
        "lon": _optional(row["lon"], float),
    } for row in batch])


def run_import(url: str, directory: Path) -> dict:
    """Import both files with the portal's importer; return seconds and the report."""
    from sqlalchemy.orm import Session

    from portal.extensions import make_engine
    from portal.register.importer import import_register

    engine = make_engine(url)
    with Session(engine) as session:
        start = time.perf_counter()
        report = import_register(session, addresses=directory / "adressen.csv",
                                 programme=directory / "programma.csv")
        seconds = time.perf_counter() - start
    engine.dispose()
    return {"seconds": seconds, "refused": report.refused, "counts": report.counts,
            "refusals": [r.render() for r in report.refusals[:5]]}


def time_lookups(url: str, count: int = 200) -> dict:
    """Median and 95th percentile of register lookups and stats on the imported register."""
    import random
    import statistics

    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from portal.app import create_app
    from portal.extensions import make_engine
    from portal.register import lookups
    from portal.register.models import Address

    engine = make_engine(url)
    app = create_app({"environ": {"PORTAL_ENV": "test", "DATABASE_URL": url,
                                  "SECRET_KEY": "bench"}})
    times = []
    with app.app_context(), Session(engine) as session:
        keys = session.execute(select(Address.postcode, Address.huisnummer, Address.huisletter,
                                      Address.huisnummertoevoeging)).all()
        for postcode, number, letter, addition in random.Random(7).sample(keys, count):
            start = time.perf_counter()
            lookups.lookup_address(session, postcode, number, letter, addition)
            times.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        lookups.register_stats(session)
        stats_ms = (time.perf_counter() - start) * 1000
    engine.dispose()
    times.sort()
    return {"lookup_ms_median": round(statistics.median(times), 2),
            "lookup_ms_p95": round(times[int(len(times) * 0.95)], 2),
            "stats_ms": round(stats_ms, 1)}


def _child(mode: str, url: str, directory: Path) -> None:
    """Run one measurement in this (child) process and print it as JSON."""
    # Load the libraries first, so "before" is the process the work starts from.
    import portal.extensions  # noqa: F401
    import portal.register.importer  # noqa: F401

    before = _memory_mb("VmRSS")
    if mode == "lookup":
        print(json.dumps(time_lookups(url)))
        return
    result = ({"seconds": floor_insert(url, directory)} if mode == "floor"
              else run_import(url, directory))
    print(json.dumps({**result, "rss_before_mb": before, "peak_rss_mb": _memory_mb("VmHWM")}))


def _measure(mode: str, url: str, directory: Path) -> dict:
    """Run one measurement in a fresh process and return what it printed."""
    completed = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--url", url, "--dir", str(directory)],
        capture_output=True, text=True, cwd=ROOT,
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr)
        raise SystemExit(f"the {mode} measurement failed (exit {completed.returncode})")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _prepare(name: str, url: str) -> None:
    """Start from an empty database and build the schema with the migrations."""
    from portal import migrate

    migrate.recreate(url)


def bench_database(name: str, url: str, directory: Path, addresses: int) -> dict:
    """Measure floor, import and re-import on one database; print and return the figures."""
    print(f"\n== {name} ==")
    _prepare(name, url)
    floor = _measure("floor", url, directory)
    print(f"floor (bare bulk insert): {floor['seconds']:.2f} s, "
          f"{addresses / floor['seconds']:,.0f} addresses/s")
    # Emptied by building the schema afresh rather than by DELETE: deleted rows, and
    # statistics that record the tables as empty, would change the import's query plans,
    # and the first import of a register meets a freshly migrated database.
    _prepare(name, url)
    first = _measure("import", url, directory)
    if first["refused"]:
        print("the import was refused:", *first["refusals"], sep="\n  ")
    print(f"import: {first['seconds']:.2f} s, {addresses / first['seconds']:,.0f} addresses/s, "
          f"peak RSS {first['peak_rss_mb']:.0f} MB (process at start "
          f"{first['rss_before_mb']:.0f} MB); counts {json.dumps(first['counts'])}")
    again = _measure("import", url, directory)
    print(f"re-import of the same files: {again['seconds']:.2f} s; "
          f"counts {json.dumps(again['counts'])}")
    looked_up = _measure("lookup", url, directory)
    print(f"lookup of one address: {looked_up['lookup_ms_median']:.2f} ms median, "
          f"{looked_up['lookup_ms_p95']:.2f} ms p95; stats {looked_up['stats_ms']:.0f} ms")
    floor_per_s = addresses / floor["seconds"]
    per_s = addresses / first["seconds"]
    figures = {
        "addresses": addresses,
        "import_s": round(first["seconds"], 3),
        "addresses_per_s": round(per_s),
        "floor_per_s": round(floor_per_s),
        "ratio": round(per_s / floor_per_s, 3),
        "reimport_s": round(again["seconds"], 3),
        "peak_rss_mb": round(first["peak_rss_mb"], 1),
        **looked_up,
    }
    ratio_ok = figures["ratio"] >= TARGET_RATIO
    reimport_ok = figures["reimport_s"] < figures["import_s"]
    print(f"target ratio >= 1/3: {'holds' if ratio_ok else 'MISSED'} ({figures['ratio']:.3f})")
    print(f"target re-import faster than import: {'holds' if reimport_ok else 'MISSED'} "
          f"({figures['reimport_s']:.2f} s vs {figures['import_s']:.2f} s)")
    return figures


def main(argv: list[str] | None = None) -> None:
    """Generate a register, then benchmark its import on each database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addresses", type=int, default=300_000,
                        help="addresses to generate (default 300000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", choices=("floor", "import", "lookup"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.url, args.dir)
        return

    from portal.config import normalise_database_url
    from portal.register.generate import write_register

    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bench-import-") as temp:
        directory = Path(temp)
        start = time.perf_counter()
        summary = write_register(directory, addresses=args.addresses, seed=args.seed)
        print(f"generated {summary['addresses']:,} addresses in {summary['buildings']:,} "
              f"buildings, {summary['programme_rows']:,} programme rows "
              f"(P50 {summary['p50']:,}, P90 {summary['p90']:,}) "
              f"in {time.perf_counter() - start:.1f} s")
        results["sqlite"] = bench_database(
            "sqlite", f"sqlite:///{directory / 'bench.sqlite'}", directory, summary["addresses"])
        postgres_url = os.environ.get("BENCH_POSTGRES_URL", "").strip()
        if postgres_url:
            results["postgresql"] = bench_database(
                "postgresql", normalise_database_url(postgres_url), directory,
                summary["addresses"])
        else:
            print("\n== postgresql ==\nskipped: BENCH_POSTGRES_URL not set")
            results["postgresql"] = {"skipped": "BENCH_POSTGRES_URL not set"}
    print(json.dumps(results))


if __name__ == "__main__":
    main()
