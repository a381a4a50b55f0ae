"""The audit trail: who did what, when and from where, in SQLite beside the ZODB.

One row per event: created, edited, transition, deleted, login, login_failed, lockout,
login_refused (a login attempt during a lockout), logout. Content events are written
after their transaction commits (an aborted edit leaves no row); login events are written
at once, because a failed login commits nothing. The login failures of this table are
also what the account lockout counts (``pas.py``).

Where it lives: ``<clienthome>/audit/audit.sqlite`` (``instance/var/audit/``), or the
directory in the environment variable ``SAIYO_AUDIT_DIR``; or, when several machines serve the
site, one PostgreSQL schema (``PostgresAuditStore``, chosen by the profile's ``[stores]``, see
``kagoshima.saiyo.stores``). Callers only use ``get_store()`` and the methods of ``AuditStore``.
"""

from datetime import datetime
from datetime import timezone
from kagoshima.saiyo import sqlite
from kagoshima.saiyo import stores
from kagoshima.saiyo.dates import TOKYO
from pathlib import Path

import csv
import io
import ipaddress
import logging
import secrets
import sqlite3
import threading
import time


logger = logging.getLogger("kagoshima.saiyo.security")

DIRECTORY_ENV = "SAIYO_AUDIT_DIR"
FILE_NAME = "audit.sqlite"

ACTIONS = {
    "login": "ログイン",
    "login_failed": "ログイン失敗",
    "lockout": "アカウントのロック",
    "login_refused": "ロック中のログイン",
    "logout": "ログアウト",
    "created": "作成",
    "edited": "編集",
    "transition": "状態の変更",
    "deleted": "削除",
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,           -- seconds since the epoch (UTC)
    user TEXT NOT NULL,         -- user id, or the login name tried
    action TEXT NOT NULL,       -- a key of ACTIONS
    path TEXT NOT NULL,         -- the item's path below the site, '' for logins
    detail TEXT NOT NULL,       -- e.g. the transition, the title
    ip TEXT NOT NULL            -- the client address (X-Forwarded-For only from trusted proxies)
);
CREATE INDEX IF NOT EXISTS events_at ON events (at);
CREATE INDEX IF NOT EXISTS events_user_action ON events (user, action, at);
"""
POSTGRES_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id BIGSERIAL PRIMARY KEY,
    at DOUBLE PRECISION NOT NULL,
    "user" TEXT NOT NULL,
    action TEXT NOT NULL,
    path TEXT NOT NULL,
    detail TEXT NOT NULL,
    ip TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_at ON events (at);
CREATE INDEX IF NOT EXISTS events_user_action ON events ("user", action, at);
CREATE TABLE IF NOT EXISTS migrations (
    source TEXT PRIMARY KEY,    -- the migrated SQLite file's 'store_id'
    at DOUBLE PRECISION NOT NULL,
    rows INTEGER NOT NULL
);
"""
COLUMNS = ("at", "user", "action", "path", "detail", "ip")
INSERT = 'INSERT INTO events (at, "user", action, path, detail, ip) VALUES (?, ?, ?, ?, ?, ?)'
# Shorter retentions are taken as this: the lockout counts login failures from this table.
MINIMUM_RETENTION_DAYS = 30


class StoreUnavailable(RuntimeError):
    """The store's location is unknown (no Zope configuration and no environment variable)."""


STORE_ERRORS = (*stores.DATABASE_ERRORS, OSError, StoreUnavailable)


def default_directory() -> Path:
    return sqlite.store_directory(DIRECTORY_ENV, "audit", StoreUnavailable)


def local_time(at: float) -> str:
    return datetime.fromtimestamp(at, timezone.utc).astimezone(TOKYO).strftime("%Y-%m-%d %H:%M:%S")


def day_start(text: str) -> float | None:
    """'YYYY-MM-DD' (a day in Asia/Tokyo) -> epoch seconds of its start; None when not a day."""
    try:
        day = datetime.strptime(text, "%Y-%m-%d")
    except (TypeError, ValueError):
        return None
    return day.replace(tzinfo=TOKYO).timestamp()


class AuditStore:
    """The events table in one SQLite file; one connection per thread, autocommit."""

    kind = "sqlite"

    def __init__(self, path):
        self.path = Path(path)
        self._local = threading.local()

    def connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite.connect(self.path, SCHEMA)
            self._local.connection = connection
        return connection

    def add(self, user, action, path="", detail="", ip="", at=None) -> None:
        self.connection().execute(
            INSERT,
            (at if at is not None else time.time(), user or "", action, path or "", detail or "", ip or ""),
        )
        self._apply_retention()

    def _apply_retention(self) -> None:
        """The retention of the settings (サイト設定 → 安全対策), checked on the first write of a day."""
        from kagoshima.saiyo.security.settings import setting

        try:
            deleted = self.prune_daily(setting("audit_retention_days"))
        except Exception:  # never lose the event being written because of housekeeping
            logger.exception("could not apply the audit trail's retention period")
            return
        if deleted:
            logger.info("audit trail: %d events older than the retention period deleted", deleted)

    # The lockout's questions

    def last(self, user, action) -> float | None:
        row = (
            self.connection()
            .execute('SELECT MAX(at) FROM events WHERE "user" = ? AND action = ?', (user, action))
            .fetchone()
        )
        return row[0]

    def failures_since(self, user, since: float) -> int:
        last_login = self.last(user, "login") or 0
        last_lockout = self.last(user, "lockout") or 0
        (count,) = (
            self.connection()
            .execute(
                "SELECT COUNT(*) FROM events WHERE \"user\" = ? AND action = 'login_failed' AND at > ?",
                (user, max(since, last_login, last_lockout)),
            )
            .fetchone()
        )
        return count

    # Reading

    def search(self, user="", action="", path="", start=None, end=None, limit=None) -> list[dict]:
        """Events matching the filters, newest first. ``start``/``end``: epoch seconds (end exclusive)."""
        where, args = [], []
        if user:
            where.append('"user" = ?')
            args.append(user)
        if action:
            where.append("action = ?")
            args.append(action)
        if path:
            where.append("(path = ? OR path LIKE ? ESCAPE '\\')")
            escaped = path.rstrip("/").replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            args.extend([path.rstrip("/"), escaped + "/%"])
        if start is not None:
            where.append("at >= ?")
            args.append(start)
        if end is not None:
            where.append("at < ?")
            args.append(end)
        sql = 'SELECT at, "user", action, path, detail, ip FROM events'
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY at DESC, id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [dict(zip(COLUMNS, row, strict=True)) for row in self.connection().execute(sql, args)]

    # Retention

    def prune(self, before: float) -> int:
        """Delete the events older than ``before`` (epoch seconds); the number deleted."""
        return self.connection().execute("DELETE FROM events WHERE at < ?", (before,)).rowcount

    def prune_daily(self, days: int, now: float | None = None) -> int | None:
        """Apply a retention of ``days`` at most once a day per process (0: keep everything).

        The number of events deleted, or None when nothing was due. Called by the writers, so
        every deployment keeps its audit file bounded without a job of its own.
        """
        now = time.time() if now is None else now
        today = local_time(now)[:10]
        if not days or days < 0 or getattr(self, "_pruned_on", None) == today:
            return None
        self._pruned_on = today
        return self.prune(now - max(days, MINIMUM_RETENTION_DAYS) * 86400)

    def users(self) -> list[str]:
        return [
            row[0] for row in self.connection().execute('SELECT DISTINCT "user" FROM events ORDER BY "user"')
        ]

    def store_id(self) -> str:
        """A random name of this SQLite file, made once (what a migration records as done)."""
        connection = self.connection()
        connection.execute("CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        connection.execute(
            "INSERT INTO settings (name, value) VALUES ('store_id', ?) ON CONFLICT (name) DO NOTHING",
            (secrets.token_hex(16),),
        )
        (value,) = connection.execute("SELECT value FROM settings WHERE name = 'store_id'").fetchone()
        return value

    def all_events(self) -> list[tuple]:
        """Every event as (at, user, action, path, detail, ip), oldest first (the migration)."""
        return [
            tuple(row)
            for row in self.connection().execute(
                'SELECT at, "user", action, path, detail, ip FROM events ORDER BY at, id'
            )
        ]


class PostgresAuditStore(AuditStore):
    """The same events in a PostgreSQL schema every machine of a deployment shares."""

    kind = "postgresql"

    def __init__(self, dsn=None, schema=None):
        self.database = stores.postgres_database(POSTGRES_SCHEMA, dsn, schema)
        self.path = None

    def connection(self):
        return self.database

    def migrate_from(self, source: AuditStore) -> int | None:
        """Copy the events of a SQLite store, once (rows and the record of it in one transaction);
        None when ``source`` was migrated before."""
        return stores.copy_once(
            self.database,
            source.store_id(),
            'INSERT INTO events (at, "user", action, path, detail, ip) VALUES %s',
            source.all_events(),
        )


def to_csv(rows) -> str:
    """Rows as CSV (UTF-8 with BOM so that Excel opens the Japanese correctly)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["日時", "ユーザー", "操作", "パス", "詳細", "IPアドレス"])
    for row in rows:
        writer.writerow(
            [
                local_time(row["at"]),
                row["user"],
                ACTIONS.get(row["action"], row["action"]),
                row["path"],
                row["detail"],
                row["ip"],
            ]
        )
    return "\ufeff" + out.getvalue()


_stores: dict = {}
_stores_lock = threading.Lock()


def get_store(directory=None) -> AuditStore:
    """The store of ``directory``; by default the deployment's (PostgreSQL when the profile says so)."""
    dsn = stores.configured_dsn() if directory is None else None
    key = (dsn, stores.configured_schema()) if dsn else None
    path = key or Path(directory or default_directory()) / FILE_NAME
    with _stores_lock:
        store = _stores.get(path)
        if store is None:
            store = _stores[path] = PostgresAuditStore(*key) if key else AuditStore(path)
        return store


# Where a request comes from ----------------------------------------------------------


def _is_trusted(address: str, trusted) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    for entry in trusted or ():
        try:
            if ip in ipaddress.ip_network(entry.strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


def client_ip(request, trusted=None) -> str:
    """The client's address: REMOTE_ADDR, or X-Forwarded-For walked back over trusted proxies only.

    A client can put anything into X-Forwarded-For; only the entries that our own trusted
    proxies appended are believed: from the right, skip trusted addresses, the first
    untrusted one is the client.
    """
    if request is None:
        return ""
    remote = (request.get("REMOTE_ADDR") or "").strip()
    if trusted is None:
        trusted = trusted_proxies()
    if not remote or not _is_trusted(remote, trusted):
        return remote
    forwarded = request.getHeader("X-Forwarded-For") if hasattr(request, "getHeader") else None
    if not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted):
            return hop
    return hops[0] if hops else remote


def trusted_proxies():
    from kagoshima.saiyo.security.settings import setting

    return setting("trusted_proxies", ["127.0.0.1", "::1"]) or []
