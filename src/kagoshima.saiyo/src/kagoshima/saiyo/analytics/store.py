"""The page-view store: daily counters in SQLite beside the ZODB, never inside it.

One row per (day, page UID, device class) holds the number of views of that day; the day
is the calendar day in Asia/Tokyo when the view arrived. Writing is one UPSERT that adds
to the counter: SQLite runs it as one transaction under its write lock, so several
threads and several Zope processes (each with its own connections) can count at once
without losing a view. The database is in WAL mode (readers never block the writer) with
a busy timeout, so a writer waits for another instead of failing. Counters only ever
grow: nothing here updates a counter downwards or deletes a row.

Where it lives: ``<clienthome>/pageviews/pageviews.sqlite``; ``clienthome`` is the
instance's ``var`` directory in this project's ``zope.conf``. Set the environment
variable ``SAIYO_PAGEVIEWS_DIR`` (for example in the profile's ``[environment]``, which
``zope.conf`` passes on) to share one store between Zope processes that have different
``var`` directories on one host, as ZEO clients do.

Several machines share one store in PostgreSQL instead (the profile's ``[stores]``, see
``kagoshima.saiyo.stores``): ``PostgresPageViewStore`` is the same store over the same SQL, and
``get_store()`` returns it whenever ``SAIYO_STORES_DSN`` is set. Everything else (the collector,
アクセス集計, the report, the handover export and import) only calls ``get_store()`` and the
methods below. ``migrate_to`` copies a SQLite file into PostgreSQL once (``saiyo stores-migrate``).
"""

from datetime import date
from datetime import datetime
from kagoshima.saiyo import sqlite
from kagoshima.saiyo import stores
from kagoshima.saiyo.dates import TOKYO
from pathlib import Path

import re
import secrets
import sqlite3
import threading


DIRECTORY_ENV = "SAIYO_PAGEVIEWS_DIR"
FILE_NAME = "pageviews.sqlite"
DEVICES = ("mobile", "tablet", "desktop")
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

SCHEMA = """
CREATE TABLE IF NOT EXISTS daily_views (
    day TEXT NOT NULL,      -- YYYY-MM-DD, Asia/Tokyo
    uid TEXT NOT NULL,      -- the page's Plone UID
    device TEXT NOT NULL,   -- mobile | tablet | desktop
    views INTEGER NOT NULL,
    PRIMARY KEY (day, uid, device)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""
POSTGRES_SCHEMA = """
CREATE TABLE IF NOT EXISTS daily_views (
    day TEXT NOT NULL,
    uid TEXT NOT NULL,
    device TEXT NOT NULL,
    views INTEGER NOT NULL,
    PRIMARY KEY (day, uid, device)
);
CREATE TABLE IF NOT EXISTS settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS migrations (
    source TEXT PRIMARY KEY,    -- the migrated SQLite store's 'store_id' setting
    at DOUBLE PRECISION NOT NULL,
    rows INTEGER NOT NULL
);
"""
UPSERT = (
    "INSERT INTO daily_views (day, uid, device, views) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (day, uid, device) DO UPDATE SET views = daily_views.views + excluded.views"
)


class StoreUnavailable(RuntimeError):
    """The store's location is unknown (no Zope configuration and no environment variable)."""


# What a failing store raises, whichever kind it is (the callers answer 503 or show a message).
STORE_ERRORS = (*stores.DATABASE_ERRORS, OSError, StoreUnavailable)


# Days and months ------------------------------------------------------------------


def today_in_tokyo() -> date:
    return datetime.now(TOKYO).date()


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def valid_month(text) -> bool:
    return isinstance(text, str) and MONTH.match(text) is not None


def shift_month(month: str, delta: int) -> str:
    year, number = (int(part) for part in month.split("-"))
    index = year * 12 + (number - 1) + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def previous_month(today: date | None = None) -> str:
    return shift_month(month_of(today or today_in_tokyo()), -1)


def months_ending(month: str, count: int) -> list[str]:
    """``count`` months ending with ``month``, oldest first."""
    return [shift_month(month, delta) for delta in range(1 - count, 1)]


def month_bounds(month: str) -> tuple[str, str]:
    """The first day of ``month`` and of the next month (a half-open range of day strings)."""
    if not valid_month(month):
        raise ValueError(f"not a month (YYYY-MM): {month!r}")
    return f"{month}-01", f"{shift_month(month, 1)}-01"


# The store ------------------------------------------------------------------------


def default_directory() -> Path:
    return sqlite.store_directory(DIRECTORY_ENV, "pageviews", StoreUnavailable)


class PageViewStore:
    """Daily page-view counters in one SQLite file; one connection per thread."""

    kind = "sqlite"

    def __init__(self, path):
        self.path = Path(path)
        self._local = threading.local()
        self._secret = None

    def connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite.connect(self.path, SCHEMA)
            self._local.connection = connection
        return connection

    def close(self) -> None:
        """Close this thread's connection (the others close with their threads)."""
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    # Writing

    def add(self, day: str, uid: str, device: str, views: int = 1) -> None:
        self.connection().execute(UPSERT, (day, uid, device, views))

    def put(self, day: str, uid: str, device: str, views: int) -> None:
        """Set the views of a day, page and device (an import: running it twice counts once)."""
        self.connection().execute(
            "INSERT INTO daily_views (day, uid, device, views) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (day, uid, device) DO UPDATE SET views = excluded.views",
            (day, uid, device, views),
        )

    def secret(self) -> bytes:
        """The key that signs page tokens: made once, shared by every process of the store."""
        if self._secret is None:
            connection = self.connection()
            connection.execute(
                "INSERT INTO settings (name, value) VALUES ('token_secret', ?) ON CONFLICT (name) DO NOTHING",
                (secrets.token_hex(32),),
            )
            (value,) = connection.execute("SELECT value FROM settings WHERE name = 'token_secret'").fetchone()
            self._secret = bytes.fromhex(value)
        return self._secret

    # Reading

    def month_counts(self, month: str) -> dict[str, dict[str, int]]:
        """{uid: {device: views}} of one month."""
        start, end = month_bounds(month)
        counts: dict[str, dict[str, int]] = {}
        rows = self.connection().execute(
            "SELECT uid, device, SUM(views) FROM daily_views WHERE day >= ? AND day < ? GROUP BY uid, device",
            (start, end),
        )
        for uid, device, views in rows:
            counts.setdefault(uid, {})[device] = int(views)
        return counts

    def monthly_totals(self, months: list[str]) -> dict[str, int]:
        """{month: views of every page} for the given months (0 when none)."""
        if not months:
            return {}
        start, _ = month_bounds(min(months))
        _, end = month_bounds(max(months))
        totals = dict.fromkeys(months, 0)
        rows = self.connection().execute(
            "SELECT substr(day, 1, 7), SUM(views) FROM daily_views WHERE day >= ? AND day < ? GROUP BY 1",
            (start, end),
        )
        for month, views in rows:
            if month in totals:
                totals[month] = int(views)
        return totals

    def daily_totals(self, month: str) -> dict[str, int]:
        """{YYYY-MM-DD: views of every page} of the days of a month that have views."""
        start, end = month_bounds(month)
        rows = self.connection().execute(
            "SELECT day, SUM(views) FROM daily_views WHERE day >= ? AND day < ? GROUP BY day ORDER BY day",
            (start, end),
        )
        return {day: int(views) for day, views in rows}

    def first_month(self) -> str | None:
        (day,) = self.connection().execute("SELECT MIN(day) FROM daily_views").fetchone()
        return day[:7] if day else None

    def total_views(self) -> int:
        (views,) = self.connection().execute("SELECT COALESCE(SUM(views), 0) FROM daily_views").fetchone()
        return int(views)

    def rows(self) -> list[tuple[str, str, str, int]]:
        """Every counter as (day, uid, device, views), oldest day first (the export)."""
        return [
            tuple(row)
            for row in self.connection().execute(
                "SELECT day, uid, device, views FROM daily_views ORDER BY day, uid, device"
            )
        ]

    def store_id(self) -> str:
        """A random name of this store, made once (what a migration records as done)."""
        connection = self.connection()
        connection.execute(
            "INSERT INTO settings (name, value) VALUES ('store_id', ?) ON CONFLICT (name) DO NOTHING",
            (secrets.token_hex(16),),
        )
        (value,) = connection.execute("SELECT value FROM settings WHERE name = 'store_id'").fetchone()
        return value


class PostgresPageViewStore(PageViewStore):
    """The same counters in a PostgreSQL schema every machine of a deployment shares."""

    kind = "postgresql"

    def __init__(self, dsn=None, schema=None):
        # Counters, not records: commits need not wait for the disk (see stores.PostgresDatabase).
        self.database = stores.postgres_database(POSTGRES_SCHEMA, dsn, schema, durable=False)
        self.path = None
        self._secret = None

    def connection(self):
        return self.database

    def close(self) -> None:
        self.database.close()

    def migrate_from(self, source: PageViewStore) -> int | None:
        """Add the counters of a SQLite store, once: the rows and the record of the migration are
        one transaction, so a second run (or a run after a crash) adds nothing twice; None when
        ``source`` was migrated before. Counters of the same day and page add up (the new store may
        already have counted beacons). The token secret moves along when the new store has none yet,
        so pages cached with tokens signed by the old store still count.
        """
        rows = source.rows()
        secret = (
            source.connection().execute("SELECT value FROM settings WHERE name = 'token_secret'").fetchone()
        )

        def move_secret(cursor):
            if secret:
                cursor.execute(
                    "INSERT INTO settings (name, value) VALUES ('token_secret', %s) ON CONFLICT (name) DO NOTHING",
                    (secret[0],),
                )

        moved = stores.copy_once(
            self.database,
            source.store_id(),
            "INSERT INTO daily_views (day, uid, device, views) VALUES %s ON CONFLICT (day, uid, device) "
            "DO UPDATE SET views = daily_views.views + excluded.views",
            rows,
            move_secret,
        )
        self._secret = None
        return moved


_stores: dict = {}
_stores_lock = threading.Lock()


def get_store(directory=None) -> PageViewStore:
    """The store of ``directory``; by default the deployment's: PostgreSQL when the profile says so,
    else the instance's SQLite file. One object per file (or database) and process."""
    dsn = stores.configured_dsn() if directory is None else None
    key = (dsn, stores.configured_schema()) if dsn else None
    path = key or Path(directory or default_directory()) / FILE_NAME
    with _stores_lock:
        store = _stores.get(path)
        if store is None:
            store = _stores[path] = PostgresPageViewStore(*key) if key else PageViewStore(path)
        return store
