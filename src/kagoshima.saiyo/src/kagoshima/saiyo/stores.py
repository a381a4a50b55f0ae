"""Where the add-on's stores beside the ZODB live: SQLite files, or one PostgreSQL schema.

The page views (``analytics/store.py``), the audit trail (``security/audit.py``) and the
assistant's unanswered questions (``search/assistant.py``) each keep their rows outside the
ZODB. On a single machine that is a SQLite file under the instance's ``var/`` (``sqlite.py``).
When several machines serve the site, every Zope client, the beacon collector and the jobs
must see the same rows, so the profile's ``[stores]`` table may name a PostgreSQL database
instead (``kind = "postgresql"``, ``dsn``, ``schema``); the instance renderer passes it on to
Zope as the environment variables ``SAIYO_STORES_DSN`` and ``SAIYO_STORES_SCHEMA``.

Both kinds answer the same SQL: the stores write ``?`` placeholders and portable statements
(``INSERT … ON CONFLICT``, ``"user"`` quoted); ``PostgresDatabase`` translates the
placeholders and keeps one autocommit connection per thread, made again after the server
went away (the failing call raises, the next one reconnects). Each store keeps its own DDL
for each kind (SQLite ``REAL`` is a double, PostgreSQL's is not).

``run_once`` is the lock every machine sees for the jobs that must run once per
deployment (``make schedule``, ``make report``): a PostgreSQL advisory lock, and a record of
the slot (minute, month) done, when the stores are in PostgreSQL.
"""

from contextlib import contextmanager

import logging
import os
import socket
import sqlite3
import threading
import zlib


logger = logging.getLogger("kagoshima.saiyo.stores")

DSN_ENV = "SAIYO_STORES_DSN"
SCHEMA_ENV = "SAIYO_STORES_SCHEMA"
DEFAULT_SCHEMA = "saiyo_stores"

try:  # psycopg2 is in the project's lock (RelStorage needs it); SQLite-only sites may lack it
    import psycopg2

    DATABASE_ERRORS: tuple = (sqlite3.Error, psycopg2.Error)
except ImportError:  # pragma: no cover
    psycopg2 = None
    DATABASE_ERRORS = (sqlite3.Error,)


def configured_dsn() -> str | None:
    """The PostgreSQL DSN of the stores, or None for SQLite (the default)."""
    return os.environ.get(DSN_ENV, "").strip() or None


def configured_schema() -> str:
    return os.environ.get(SCHEMA_ENV, "").strip() or DEFAULT_SCHEMA


def _quote_identifier(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return f'"{name}"'


def translate(sql: str) -> str:
    """SQLite's ``?`` placeholders as psycopg2's ``%s`` (a literal ``%`` doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


class PostgresConnection:
    """The part of ``sqlite3.Connection`` the stores use, over one psycopg2 connection."""

    def __init__(self, raw):
        self.raw = raw

    def execute(self, sql: str, args=()):
        cursor = self.raw.cursor()
        cursor.execute(translate(sql), tuple(args))
        return cursor

    def executemany(self, sql: str, rows):
        cursor = self.raw.cursor()
        cursor.executemany(translate(sql), rows)
        return cursor

    def executescript(self, script: str) -> None:
        with self.raw.cursor() as cursor:
            cursor.execute(script)

    def close(self) -> None:
        self.raw.close()


class PostgresDatabase:
    """One PostgreSQL schema; an autocommit connection per thread; the DDL run once per process."""

    def __init__(self, dsn: str, schema: str, ddl: str, durable: bool = True):
        if psycopg2 is None:  # pragma: no cover
            raise RuntimeError("the stores are configured for PostgreSQL but psycopg2 is not installed")
        self.dsn, self.schema, self.ddl, self.durable = dsn, schema, ddl, durable
        self._local = threading.local()
        self._ready = False
        self._ready_lock = threading.Lock()

    def _connect(self):
        raw = psycopg2.connect(self.dsn, connect_timeout=10, application_name="saiyo-stores")
        raw.autocommit = True
        schema = _quote_identifier(self.schema)
        with raw.cursor() as cursor:
            with self._ready_lock:
                if not self._ready:
                    # Two processes creating the same tables at once collide in the catalog:
                    # a transaction-level advisory lock makes the second wait for the first.
                    raw.autocommit = False
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", (lock_key("stores-ddl"),))
                    cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
                    cursor.execute(f"SET search_path TO {schema}")
                    cursor.execute(self.ddl)
                    raw.commit()
                    raw.autocommit = True
                    self._ready = True
            cursor.execute(f"SET search_path TO {schema}")
            if not self.durable:
                # As SQLite's WAL with synchronous=NORMAL: a crash of the server may lose the last
                # fraction of a second of commits, never corrupt; the commit does not wait for the disk.
                cursor.execute("SET synchronous_commit TO off")
        return PostgresConnection(raw)

    def connection(self) -> PostgresConnection:
        connection = getattr(self._local, "connection", None)
        if connection is not None and connection.raw.closed:
            connection = None
        if connection is None:
            connection = self._local.connection = self._connect()
        return connection

    def execute(self, sql: str, args=()):
        """Run one statement; a broken connection is dropped so the next call connects again."""
        connection = self.connection()
        try:
            return connection.execute(sql, args)
        except (psycopg2.OperationalError, psycopg2.InterfaceError):
            self.close()
            raise

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            try:
                connection.close()
            except Exception:  # already gone
                pass
            self._local.connection = None


def copy_once(database: PostgresDatabase, source_id: str, insert: str, rows: list, after=None) -> int | None:
    """Insert ``rows`` (``insert`` is an ``execute_values`` statement) and record ``source_id`` in the
    schema's ``migrations`` table, in one transaction: a second run, or a run after a crash, adds
    nothing twice. ``after(cursor)`` runs in the same transaction. None when ``source_id`` was copied before.
    """
    from psycopg2.extras import execute_values

    raw = database.connection().raw
    raw.autocommit = False
    try:
        with raw.cursor() as cursor:
            cursor.execute(
                "INSERT INTO migrations (source, at, rows) VALUES (%s, extract(epoch from now()), %s) "
                "ON CONFLICT (source) DO NOTHING",
                (source_id, len(rows)),
            )
            if cursor.rowcount == 0:
                raw.rollback()
                return None
            execute_values(cursor, insert, rows, page_size=1000)
            if after is not None:
                after(cursor)
        raw.commit()
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.autocommit = True
    return len(rows)


_databases: dict[tuple, PostgresDatabase] = {}
_databases_lock = threading.Lock()


def postgres_database(
    ddl: str, dsn: str | None = None, schema: str | None = None, durable: bool = True
) -> PostgresDatabase:
    """One ``PostgresDatabase`` per (DSN, schema, DDL) and process; ``durable=False`` for counters."""
    key = (dsn or configured_dsn(), schema or configured_schema(), ddl, durable)
    with _databases_lock:
        database = _databases.get(key)
        if database is None:
            database = _databases[key] = PostgresDatabase(*key)
        return database


# The lock of cluster-wide jobs ------------------------------------------------------------


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for ``pg_advisory_lock`` from a job's name."""
    return zlib.crc32(f"kagoshima.saiyo:{name}".encode()) - 2**31


class JobAlreadyRunning(RuntimeError):
    """Another machine (or process) holds the job's lock: this run does nothing."""


class JobAlreadyDone(RuntimeError):
    """Another machine (or process) already ran the job for this slot: this run does nothing."""


JOB_RUNS = """
CREATE TABLE IF NOT EXISTS {schema}.job_runs (
    name TEXT NOT NULL,
    slot TEXT NOT NULL,             -- e.g. the minute of a schedule run, the month of a report
    at DOUBLE PRECISION NOT NULL,   -- when it finished (epoch seconds)
    host TEXT NOT NULL,
    PRIMARY KEY (name, slot)
)
"""


@contextmanager
def run_once(name: str, slot: str | None = None, dsn: str | None = None):
    """Run the block once per deployment (and per ``slot``), whichever machine's timer starts it.

    With PostgreSQL stores: a session advisory lock on the stores' server that every machine
    sees (``JobAlreadyRunning`` when another holds it; it goes away with the session if that
    process dies), and, for a ``slot``, a row in ``job_runs`` written when the block succeeded
    (``JobAlreadyDone`` when the slot has one). Without PostgreSQL (one machine) the block just
    runs. Yields True when the cluster-wide lock is held.
    """
    dsn = dsn or configured_dsn()
    if not dsn:
        yield False
        return
    raw = psycopg2.connect(dsn, connect_timeout=10, application_name=f"saiyo-job-{name}")
    raw.autocommit = True
    schema = _quote_identifier(configured_schema())
    try:
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", (lock_key(name),))
            (acquired,) = cursor.fetchone()
            if not acquired:
                raise JobAlreadyRunning(f"the {name} job is already running on another machine or process")
            if slot is not None:
                raw.autocommit = False
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", (lock_key("stores-ddl"),))
                cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
                cursor.execute(JOB_RUNS.format(schema=schema))
                raw.commit()
                raw.autocommit = True
                cursor.execute(
                    f"SELECT host FROM {schema}.job_runs WHERE name = %s AND slot = %s", (name, slot)
                )
                done = cursor.fetchone()
                if done:
                    raise JobAlreadyDone(f"the {name} job already ran for {slot} (on {done[0]})")
        yield True
        if slot is not None:
            with raw.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {schema}.job_runs (name, slot, at, host) "
                    "VALUES (%s, %s, extract(epoch from now()), %s) ON CONFLICT DO NOTHING",
                    (name, slot, socket.gethostname() + f":{os.getpid()}"),
                )
    finally:
        raw.close()  # ends the session, which releases the advisory lock


def cluster_lock(name: str, dsn: str | None = None):
    """``run_once`` without a slot: only the lock."""
    return run_once(name, None, dsn)
