"""The page-view store in PostgreSQL next to SQLite: beacons per second, and アクセス集計 over 1 million rows.

    make bench            (or: python -m benchmarks.shared_stores [--beacons 20000] [--rows 1000000])

A private PostgreSQL (tests/support/pg_private.py, run with ``fsync`` and ``synchronous_commit``
on, as a production server) and a SQLite file, side by side in the same run:

1. **Beacons per second**: the page-view collector (``saiyo collector``'s WSGI app under waitress,
   4 threads, in a process of its own) writing to each store; ``--clients`` processes send
   ``--beacons`` signed beacons over keep-alive connections as fast as they can. The store's
   total is checked afterwards (every beacon counted).
2. **アクセス集計 over ``--rows`` rows**: the store is filled with that many daily counters of one
   month (31 days × pages × 3 devices), then the queries the administrator's view and the monthly
   report make (``month_counts``, ``daily_totals``, ``monthly_totals`` of 24 months) are timed,
   the median of ``--repeat`` runs. The view also joins the pages with the catalog; that part does
   not depend on the store and is not measured here.

The machine is shared (the load generator, the collector and the database run on the same 2
cores): compare the two stores within one run. Figures are printed and written to
test-output/bench-shared-stores.json.
"""

from pathlib import Path
from tests.support import pg_private
from tests.support.throwaway import free_port

import argparse
import http.client
import json
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "test-output" / "bench-shared-stores.json"
AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
SERVE = """
import logging, sys, waitress
logging.getLogger("waitress.queue").setLevel(logging.ERROR)
from kagoshima.saiyo.wsgi.pageviews import make_app
directory = sys.argv[2] or None
waitress.serve(make_app({}, directory=directory), host="127.0.0.1", port=int(sys.argv[1]), threads=4,
               _quiet=True)
"""


def send(args) -> int:
    port, token, count = args
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = f"t={token}"
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "User-Agent": AGENT,
        "Sec-Fetch-Site": "same-origin",
        "Host": "localhost",
    }
    counted = 0
    for _ in range(count):
        connection.request("POST", "/Plone/@@pv", body, headers)
        response = connection.getresponse()
        response.read()
        counted += response.getheader("X-Pageview") == "counted"
    connection.close()
    return counted


def wait_for_port(port: int, timeout: float = 30) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the collector did not listen on {port}")


def beacons_per_second(store, directory: str, env: dict, beacons: int, clients: int) -> dict:
    from kagoshima.saiyo.analytics import token

    uid = f"bench-{store.kind}"
    signed = token.sign(uid, store.secret())
    before = store.total_views()
    port = free_port()
    collector = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(port), directory], env={**os.environ, **env}
    )
    try:
        wait_for_port(port)
        send((port, signed, 50))  # warm up (connections, first statements)
        started = time.perf_counter()
        with multiprocessing.Pool(clients) as pool:
            counted = sum(pool.map(send, [(port, signed, beacons // clients)] * clients))
        elapsed = time.perf_counter() - started
    finally:
        collector.terminate()
        collector.wait(30)
    stored = store.total_views() - before - 50
    assert counted == stored == beacons // clients * clients, (counted, stored)
    return {"beacons": counted, "seconds": round(elapsed, 2), "per_second": round(counted / elapsed)}


def fill(store, rows: int, month: str = "2026-05") -> int:
    """About ``rows`` counters of one month: 31 days × pages × 3 devices."""
    pages = max(1, rows // (31 * 3))
    data = [
        (f"{month}-{day:02d}", f"page-{page:06d}", device, (day * page) % 97 + 1)
        for day in range(1, 32)
        for page in range(pages)
        for device in ("mobile", "tablet", "desktop")
    ]
    if store.kind == "sqlite":
        connection = store.connection()
        connection.execute("BEGIN")
        connection.executemany("INSERT INTO daily_views VALUES (?, ?, ?, ?)", data)
        connection.execute("COMMIT")
    else:
        from psycopg2.extras import execute_values

        raw = store.database.connection().raw
        with raw.cursor() as cursor:
            execute_values(cursor, "INSERT INTO daily_views VALUES %s", data, page_size=10000)
            cursor.execute("ANALYZE daily_views")
    return len(data)


def timed(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 1)


def admin_view_times(store, repeat: int, month: str = "2026-05") -> dict:
    from kagoshima.saiyo.analytics.store import months_ending

    return {
        "month_counts_ms": timed(lambda: store.month_counts(month), repeat),
        "daily_totals_ms": timed(lambda: store.daily_totals(month), repeat),
        "monthly_totals_24_ms": timed(lambda: store.monthly_totals(months_ending(month, 24)), repeat),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--beacons", type=int, default=20000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    from kagoshima.saiyo.analytics import store as store_module

    folder = Path(tempfile.mkdtemp(prefix="saiyo-bench-stores-"))
    pg_folder = Path(tempfile.mkdtemp(prefix="saiyo-bench-pg-"))  # owned by PostgreSQL's account
    postgres = pg_private.private_postgres(pg_folder)
    postgres.start()
    results: dict = {"beacons": args.beacons, "clients": args.clients, "rows": args.rows}
    try:
        postgres._run([
            pg_private.pg_bin("psql"), "-h", "127.0.0.1", "-p", str(postgres.port), "-U", postgres.user,
            "-d", "postgres", "-c", "ALTER SYSTEM SET fsync = on", "-c", "SELECT pg_reload_conf()",
        ])  # fmt: skip
        dsn = postgres.dsn("postgres")
        sqlite_dir = folder / "sqlite"
        kinds = {
            "sqlite": (store_module.PageViewStore(sqlite_dir / store_module.FILE_NAME), str(sqlite_dir), {}),
            "postgresql": (
                store_module.PostgresPageViewStore(dsn, "bench"),
                "",
                {"SAIYO_STORES_DSN": dsn, "SAIYO_STORES_SCHEMA": "bench"},
            ),
        }
        for kind, (store, directory, env) in kinds.items():
            figures = beacons_per_second(store, directory, env, args.beacons, args.clients)
            print(
                f"{kind:10} beacons: {figures['per_second']:,}/s ({figures['beacons']:,} in {figures['seconds']} s)"
            )
            results[kind] = {"beacons": figures}
        for kind, (store, _directory, _env) in kinds.items():
            started = time.perf_counter()
            filled = fill(store, args.rows)
            fill_seconds = round(time.perf_counter() - started, 1)
            times = admin_view_times(store, args.repeat)
            results[kind].update({"rows": filled, "fill_seconds": fill_seconds, **times})
            print(f"{kind:10} {filled:,} rows (filled in {fill_seconds} s): {times}")
        for key in ("month_counts_ms", "daily_totals_ms", "monthly_totals_24_ms"):
            results[f"ratio_{key}"] = round(results["postgresql"][key] / max(results["sqlite"][key], 0.1), 2)
        results["ratio_beacons"] = round(
            results["postgresql"]["beacons"]["per_second"] / results["sqlite"]["beacons"]["per_second"], 2
        )
        print(f"PostgreSQL / SQLite: beacons/s {results['ratio_beacons']}, "
              f"month_counts time {results['ratio_month_counts_ms']}")  # fmt: skip
    finally:
        postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(pg_folder, ignore_errors=True)
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
