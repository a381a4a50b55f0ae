"""One way to open the add-on's SQLite stores beside the ZODB (page views, audit trail)."""

from pathlib import Path

import os
import sqlite3


BUSY_TIMEOUT_MS = 10_000


def connect(path: Path, schema: str) -> sqlite3.Connection:
    """An autocommit connection in WAL mode with a busy timeout; creates the folder and tables."""
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # isolation_level=None: every statement is its own transaction (autocommit).
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA journal_mode = WAL")
    # In WAL mode NORMAL survives a crash of the process; only a power cut may
    # lose the last commits before a checkpoint.
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.executescript(schema)
    return connection


def store_directory(environment_variable: str, folder: str, unavailable: type[Exception]) -> Path:
    """``$environment_variable``, else ``<clienthome>/<folder>``; raises ``unavailable`` when neither is set."""
    configured = os.environ.get(environment_variable)
    if configured:
        return Path(configured)
    from App.config import getConfiguration

    home = getattr(getConfiguration(), "clienthome", None)
    if not home:
        raise unavailable(
            f"the {folder} store has no location: Zope's clienthome is not set and {environment_variable} is empty"
        )
    return Path(home) / folder
