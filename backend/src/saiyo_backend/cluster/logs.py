"""What the logs wrote since the last check: part of ``saiyo check`` (Nagios exit codes).

Read since the previous run, from offsets kept in a state file (``var/check-logs.json``):

* the event logs of every Zope client and of the ZEO server: ERROR/CRITICAL entries, failed
  logins (``login failed for login name …``) and lockouts (``… locked out after repeated
  failures``), both written by the site's login check (kagoshima.saiyo.security.pas);
* nginx's access logs (public and editing host): the share of 5xx answers;
* nginx's error logs: ``[error]``, ``[crit]``, ``[alert]``, ``[emerg]`` entries;
* ``var/log/backup.log`` (written by ``saiyo backup``): failed backups.

Thresholds come from the profile's ``[monitoring]`` section (the layout record). Rotation
is followed: when a log's inode changed, the rest of the old file is read from its rotated
name (``name.1``, ``name-20261203``, …, found by inode) and the new file from its start; a
file that shrank or whose first line changed (copytruncate) is read from its start. Only whole lines are read, so a line
being written is counted on the next run. An alert is raised once, for the run that reads
the lines; the next run is OK again unless new lines came.
"""

from __future__ import annotations

from pathlib import Path

import hashlib
import json
import os
import re


OK, WARNING, CRITICAL = 0, 1, 2

DEFAULTS = {
    "log_errors_warn": 1,
    "log_errors_crit": 20,
    "http_5xx_warn_percent": 2.0,
    "http_5xx_crit_percent": 10.0,
    "http_5xx_min_requests": 20,
    "login_failures_warn": 10,
    "login_failures_crit": 50,
    "lockouts_warn": 1,
    "lockouts_crit": 5,
    "backup_failures_warn": 1,
    "backup_failures_crit": 1,
}

EVENT_ERROR = re.compile(rb"^\d{4}-\d\d-\d\d[ T][\d:,.]+ (ERROR|CRITICAL|FATAL|BLATHER_ERROR)\b")
LOGIN_FAILED = b"login failed for login name "
LOCKED_OUT = b"locked out after repeated failures"
NGINX_ERROR = re.compile(rb"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d \[(error|crit|alert|emerg)\]")
BACKUP_FAILED = re.compile(rb"^\S+ \S+ FAILED ")
CHUNK = 1 << 20
HEAD = 256


def log_files(layout: dict) -> list[tuple[str, Path]]:
    """(kind, path) of every log the check reads; missing files are skipped when read."""
    files = [("event", Path(client["var"]) / "log" / "event.log") for client in layout["clients"]]
    if layout.get("zeo", {}).get("log"):
        files.append(("event", Path(layout["zeo"]["log"])))
    nginx_log = Path(layout["nginx"]["var"]) / "log"
    files += [("access", nginx_log / name) for name in ("saiyo-access.log", "saiyo-edit-access.log")]
    files += [("nginx-error", nginx_log / name) for name in ("saiyo-error.log", "error.log")]
    files.append(("backup", Path(layout["base"]) / "var" / "log" / "backup.log"))
    return files


def _whole_lines(path: Path, offset: int, end: list):
    """Yield the complete lines of ``path`` from ``offset``; ``end[0]`` is then the offset after
    the last newline (a line still being written is left for the next run)."""
    rest = b""
    end[0] = offset
    with path.open("rb") as stream:
        stream.seek(offset)
        while chunk := stream.read(CHUNK):
            parts = (rest + chunk).split(b"\n")
            rest = parts.pop()
            end[0] += len(chunk)
            yield from parts
    end[0] -= len(rest)


def _rotated(path: Path, inode: int) -> Path | None:
    """The rotated copy of ``path`` that is still the file last read (same inode)."""
    for candidate in path.parent.glob(path.name + "*"):
        if candidate != path and not candidate.name.endswith(".gz"):
            try:
                if candidate.stat().st_ino == inode:
                    return candidate
            except OSError:
                continue
    return None


def read_new(path: Path, seen: dict | None, position: dict):
    """Yield the lines written to ``path`` since ``seen`` ({"inode", "offset", "head"}); when
    done, ``position["new"]`` is where the next run starts (``seen`` when the file is missing)."""
    position["new"] = seen
    try:
        status = path.stat()
    except FileNotFoundError:
        return
    offset = 0
    if seen:
        if seen["inode"] == status.st_ino:
            # copytruncate empties the file in place: it shrank, or its first line is another one.
            if status.st_size >= seen["offset"] and _head(path, seen["offset"]) == seen.get("head"):
                offset = seen["offset"]
        else:
            old = _rotated(path, seen["inode"])
            if old is not None:
                yield from _whole_lines(old, seen["offset"], [0])
    end = [offset]
    yield from _whole_lines(path, offset, end)
    position["new"] = {"inode": status.st_ino, "offset": end[0], "head": _head(path, end[0])}


def _head(path: Path, offset: int) -> str:
    """A fingerprint of the file's first bytes (at most its first line, at most what was read)."""
    with path.open("rb") as stream:
        head = stream.read(min(offset, HEAD))
    return hashlib.sha256(head.split(b"\n")[0]).hexdigest()[:16]


def _level(count: float, warn: float, crit: float) -> int:
    """CRITICAL from ``crit`` on, WARNING from ``warn`` on; a threshold of 0 is off."""
    if crit and count >= crit:
        return CRITICAL
    if warn and count >= warn:
        return WARNING
    return OK


def count(layout: dict, state: dict) -> dict:
    """Count what the logs wrote since ``state`` (updated in place)."""
    counts = dict(errors=0, requests=0, server_errors=0, login_failures=0, lockouts=0, backup_failures=0)
    last_error = b""
    for kind, path in log_files(layout):
        position = {}
        for line in read_new(path, state.get(str(path)), position):
            if kind == "event":
                if EVENT_ERROR.match(line):
                    counts["errors"] += 1
                    last_error = line
                if LOGIN_FAILED in line:
                    counts["login_failures"] += 1
                if LOCKED_OUT in line:
                    counts["lockouts"] += 1
            elif kind == "access":
                # combined format: … "GET / HTTP/1.1" 200 5120 "-" "agent": the status follows the request
                fields = line.split(b'"', 3)
                if len(fields) > 2 and fields[2][1:4].isdigit():
                    counts["requests"] += 1
                    counts["server_errors"] += fields[2][1:2] == b"5"
            elif kind == "nginx-error":
                if NGINX_ERROR.match(line):
                    counts["errors"] += 1
                    last_error = line
            elif BACKUP_FAILED.match(line):
                counts["backup_failures"] += 1
        state[str(path)] = position["new"]
    counts["last_error"] = last_error.decode("utf-8", "replace")[:120]
    return counts


def load_state(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def save_state(path: Path, state: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(state, indent=1), encoding="utf-8")
    os.replace(temporary, path)


def check_logs(layout: dict, state_path: Path | None = None) -> tuple[int, list[str], list[str]]:
    """(Nagios state, notes, performance data) for the log lines since the last run."""
    limits = {**DEFAULTS, **layout.get("monitoring", {})}
    state_path = state_path or Path(layout["base"]) / "var" / "check-logs.json"
    state = load_state(state_path)
    counts = count(layout, state)
    save_state(state_path, state)

    result, notes = OK, []

    def judge(value, key, note):
        nonlocal result
        found = _level(value, limits[f"{key}_warn"], limits[f"{key}_crit"])
        if found:
            result = max(result, found)
            notes.append(note)

    errors = counts["errors"]
    judge(errors, "log_errors", f"{errors} log errors (last: {counts['last_error']})")
    requests, failed = counts["requests"], counts["server_errors"]
    if requests and requests >= limits["http_5xx_min_requests"]:
        share = failed * 100 / requests
        level = _level(share, limits["http_5xx_warn_percent"], limits["http_5xx_crit_percent"])
        if level and failed:
            result = max(result, level)
            notes.append(f"5xx {share:.1f}% of {requests} answers")
    judge(counts["login_failures"], "login_failures", f"{counts['login_failures']} failed logins")
    judge(counts["lockouts"], "lockouts", f"{counts['lockouts']} lockouts")
    judge(counts["backup_failures"], "backup_failures", f"{counts['backup_failures']} failed backups")
    if not notes:
        notes.append("logs clean")
    perf = [
        f"log_errors={errors};{limits['log_errors_warn']};{limits['log_errors_crit']};0",
        f"requests={requests};;;0",
        f"http_5xx={failed};;;0",
        f"login_failures={counts['login_failures']};{limits['login_failures_warn']};{limits['login_failures_crit']};0",
        f"lockouts={counts['lockouts']};{limits['lockouts_warn']};{limits['lockouts_crit']};0",
        f"backup_failures={counts['backup_failures']};{limits['backup_failures_warn']};{limits['backup_failures_crit']};0",
    ]
    return result, notes, perf
