"""Monitoring check with Nagios exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.

    saiyo check [--base instance] [--disk-warn 20] [--disk-crit 10]
                [--db-warn-gb 20] [--db-crit-gb 40]
                [--backup-warn-hours 26] [--backup-crit-hours 50]

Checks, on the server itself: the public site answers through nginx; every Zope client
answers its @@health (and with it reaches the database); free disk space of the data
folder; the database size; the age of the newest backup; and what the logs wrote since the
last run (``logs.py``: ERROR/CRITICAL entries, the rate of 5xx answers, failed logins and
lockouts, failed backups; thresholds in the profile's [monitoring]). One line of text plus
performance data, as Nagios, Icinga, Zabbix (external check) and Mackerel (check plugin)
expect. Works from cron or NRPE as the service account.
"""

from __future__ import annotations

from pathlib import Path
from saiyo_backend.cluster import logs
from saiyo_backend.cluster import loopback
from saiyo_backend.cluster import maintenance
from saiyo_backend.config import INSTANCE
from saiyo_backend.config import read_layout

import argparse
import json
import shutil
import urllib.request


OK, WARNING, CRITICAL, UNKNOWN = 0, 1, 2, 3
NAMES = {OK: "OK", WARNING: "WARNING", CRITICAL: "CRITICAL", UNKNOWN: "UNKNOWN"}


def level(value: float, warn: float, crit: float) -> int:
    """CRITICAL above ``crit``, WARNING above ``warn`` (negate all three when low is bad)."""
    return CRITICAL if value > crit else WARNING if value > warn else OK


def check(layout: dict, args) -> tuple[int, list[str], list[str]]:
    state, notes, perf = OK, [], []

    def worse(level: int, note: str):
        nonlocal state
        state = max(state, level)
        notes.append(note)

    def report(result: int, note: str):
        worse(result, note) if result else notes.append(note)

    proxy = layout["proxy"]
    address = "127.0.0.1" if proxy["listen"] in ("0.0.0.0", "*") else proxy["listen"]
    try:
        reply = loopback.request(
            proxy["https_port"], proxy["public_host"], "/", address=address, timeout=args.timeout
        )
        if reply.status == 200:
            notes.append("site 200")
        else:
            worse(CRITICAL, f"site answers {reply.status}")
    except OSError as error:
        worse(CRITICAL, f"site does not answer ({error.__class__.__name__})")

    alive, db_bytes = 0, None
    for client in layout["clients"]:
        url = f"http://{client['host']}:{client['port']}/{layout['site_id']}/@@health"
        try:
            with urllib.request.urlopen(url, timeout=args.timeout) as response:
                health = json.loads(response.read())
            alive += 1
            db_bytes = health.get("database_bytes", db_bytes)
        except Exception as error:  # any failure means this client is not serving
            worse(WARNING, f"{client['name']} down ({error.__class__.__name__})")
    total = len(layout["clients"])
    if alive == 0:
        worse(CRITICAL, "no Zope client answers")
    notes.append(f"{alive}/{total} clients")
    perf.append(f"clients={alive};;{total};0;{total}")

    usage = shutil.disk_usage(Path(layout["base"]) / "var")
    free = usage.free * 100 / usage.total
    report(level(-free, -args.disk_warn, -args.disk_crit), f"disk {free:.0f}% free")
    perf.append(f"disk_free={free:.1f}%;{args.disk_warn};{args.disk_crit};0;100")

    if db_bytes is not None:
        report(
            level(db_bytes / 1024**3, args.db_warn_gb, args.db_crit_gb),
            f"database {db_bytes / 1024**2:.1f} MB",
        )
        perf.append(f"db_bytes={db_bytes}B;{int(args.db_warn_gb * 1024**3)};{int(args.db_crit_gb * 1024**3)}")

    age = maintenance.last_backup_age(layout)
    if age is None:
        worse(CRITICAL, "no backup yet")
    else:
        report(
            level(age / 3600, args.backup_warn_hours, args.backup_crit_hours),
            f"backup {age / 3600:.1f} h ago",
        )
        perf.append(f"backup_age={int(age)}s;{args.backup_warn_hours * 3600};{args.backup_crit_hours * 3600}")

    if not args.no_logs:
        result, log_notes, log_perf = logs.check_logs(layout, args.logs_state)
        for note in log_notes:
            worse(result, note) if result else notes.append(note)
        perf.extend(log_perf)
    return state, notes, perf


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="saiyo check", description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=Path, default=INSTANCE)
    parser.add_argument("--timeout", type=float, default=10)
    parser.add_argument("--disk-warn", type=float, default=20, help="percent free")
    parser.add_argument("--disk-crit", type=float, default=10, help="percent free")
    parser.add_argument("--db-warn-gb", type=float, default=20)
    parser.add_argument("--db-crit-gb", type=float, default=40)
    parser.add_argument("--backup-warn-hours", type=float, default=26)
    parser.add_argument("--backup-crit-hours", type=float, default=50)
    parser.add_argument("--no-logs", action="store_true", help="skip reading the logs")
    parser.add_argument(
        "--logs-state", type=Path, help="offsets of the logs already read (default var/check-logs.json)"
    )
    args = parser.parse_args(argv)
    try:
        layout = read_layout(args.base)
        state, notes, perf = check(layout, args)
    except (SystemExit, Exception) as error:  # the check itself failed: UNKNOWN, never a traceback
        print(f"SAIYO UNKNOWN - {error}")
        return UNKNOWN
    print(f"SAIYO {NAMES[state]} - {', '.join(notes)} | {' '.join(perf)}")
    return state
