"""The log part of 'saiyo check': written log lines in a deployment's folders, read since the last run.

No servers: the layout points at a temporary folder laid out as 'make cluster' lays it out,
and the test writes the lines Zope, ZEO, nginx and 'saiyo backup' write.
"""

from pathlib import Path
from saiyo_backend.cluster import logs
from saiyo_backend.cluster import maintenance

import pytest


ACCESS_OK = '127.0.0.1 - - [03/Dec/2026:21:00:00 +0900] "GET / HTTP/1.1" 200 5120 "-" "Mozilla/5.0"\n'
ACCESS_502 = '127.0.0.1 - - [03/Dec/2026:21:00:01 +0900] "GET /shiken HTTP/1.1" 502 157 "-" "Mozilla/5.0"\n'
ZOPE_ERROR = "2026-12-03 21:00:02 ERROR [Zope.SiteErrorLog:17][waitress-0] 1733227202.1 https://x/y\n"
ZOPE_INFO = "2026-12-03 21:00:03 INFO [plone.protect:12][waitress-1] nothing wrong\n"
TRACEBACK = 'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\nKeyError: "ERROR"\n'
ZEO_CRITICAL = "2026-12-03T21:00:04 CRITICAL ZEO.StorageServer disk full\n"
LOGIN_FAILED = (
    "2026-12-03 21:00:05 INFO [kagoshima.saiyo.security.pas:55][waitress-0] "
    "login failed for login name 'tanaka' (from 10.20.1.5)\n"
)
LOCKOUT = (
    "2026-12-03 21:00:06 WARNING [kagoshima.saiyo.security.pas:58][waitress-0] "
    "login name 'tanaka' locked out after repeated failures (last from 10.20.1.5)\n"
)
NGINX_ERROR = "2026/12/03 21:00:07 [error] 123#123: *5 connect() failed (111: Connection refused)\n"
NGINX_WARN = "2026/12/03 21:00:08 [warn] 123#123: an upstream response is buffered to a temporary file\n"


@pytest.fixture
def layout(tmp_path):
    for folder in ("client1/var/log", "client2/var/log", "var/log", "var/nginx/log"):
        (tmp_path / folder).mkdir(parents=True)
    return {
        "base": str(tmp_path),
        "clients": [{"var": str(tmp_path / f"client{n}" / "var")} for n in (1, 2)],
        "zeo": {"log": str(tmp_path / "var" / "log" / "zeo.log")},
        "nginx": {"var": str(tmp_path / "var" / "nginx")},
        "monitoring": {"http_5xx_min_requests": 10, "login_failures_warn": 3, "login_failures_crit": 5},
    }


def write(layout, relative, text, mode="a"):
    path = Path(layout["base"]) / relative
    with path.open(mode, encoding="utf-8") as stream:
        stream.write(text)
    return path


def test_quiet_logs_are_ok_and_nothing_is_counted_twice(layout):
    write(layout, "var/nginx/log/saiyo-access.log", ACCESS_OK * 50)
    write(layout, "client1/var/log/event.log", ZOPE_INFO * 5)
    write(layout, "var/nginx/log/saiyo-error.log", NGINX_WARN)
    state, notes, perf = logs.check_logs(layout)
    assert (state, notes) == (logs.OK, ["logs clean"])
    assert "requests=50;;;0" in perf
    # One error line: WARNING once, for the run that reads it.
    write(layout, "client2/var/log/event.log", ZOPE_ERROR + TRACEBACK)
    state, notes, perf = logs.check_logs(layout)
    assert state == logs.WARNING
    assert notes[0].startswith("1 log errors (last: 2026-12-03 21:00:02 ERROR [Zope.SiteErrorLog")
    assert "requests=0;;;0" in perf
    assert logs.check_logs(layout)[0] == logs.OK


def test_errors_5xx_rate_logins_lockouts_and_failed_backups(layout):
    write(layout, "var/nginx/log/saiyo-access.log", ACCESS_OK * 8 + ACCESS_502 * 2)
    state, notes, _ = logs.check_logs(layout)
    assert state == logs.CRITICAL  # 20 % 5xx, above 10 %
    assert notes == ["5xx 20.0% of 10 answers"]
    # Below the minimum number of answers a 5xx rate says nothing.
    write(layout, "var/nginx/log/saiyo-edit-access.log", ACCESS_502)
    assert logs.check_logs(layout)[0] == logs.OK

    write(layout, "client1/var/log/event.log", LOGIN_FAILED * 3)
    state, notes, perf = logs.check_logs(layout)
    assert (state, notes) == (logs.WARNING, ["3 failed logins"])
    write(layout, "client1/var/log/event.log", LOGIN_FAILED * 5 + LOCKOUT)
    write(layout, "var/log/zeo.log", ZEO_CRITICAL)
    write(layout, "var/nginx/log/error.log", NGINX_ERROR)
    state, notes, perf = logs.check_logs(layout)
    assert state == logs.CRITICAL
    assert notes[0].startswith("2 log errors")
    assert "5 failed logins" in notes  # only the new ones and "1 lockouts" in notes
    assert "lockouts=1;1;5;0" in perf

    maintenance.log_backup(layout, "OK backup /x")
    assert logs.check_logs(layout)[0] == logs.OK
    maintenance.log_backup(layout, "FAILED backup: CalledProcessError: repozo exited with 1")
    state, notes, _ = logs.check_logs(layout)
    assert (state, notes) == (logs.CRITICAL, ["1 failed backups"])


def test_rotation_and_half_written_lines(layout):
    access = write(layout, "var/nginx/log/saiyo-access.log", ACCESS_OK * 20)
    assert logs.check_logs(layout)[0] == logs.OK
    # nginx writes three 502s, then logrotate renames the file (create mode) and nginx goes on in a new one.
    write(layout, "var/nginx/log/saiyo-access.log", ACCESS_502 * 3)
    access.rename(access.with_name("saiyo-access.log-20261204"))
    write(layout, "var/nginx/log/saiyo-access.log", ACCESS_OK * 7, mode="w")
    state, notes, _ = logs.check_logs(layout)
    assert notes == ["5xx 30.0% of 10 answers"]
    # copytruncate: the same file, emptied, then written again.
    write(layout, "var/nginx/log/saiyo-access.log", "", mode="w")
    write(layout, "var/nginx/log/saiyo-access.log", ACCESS_502 * 10)
    assert logs.check_logs(layout)[2][2] == "http_5xx=10;;;0"
    # A line still being written is read on the next run, whole.
    event = write(layout, "client1/var/log/event.log", ZOPE_ERROR[:20])
    assert logs.check_logs(layout)[0] == logs.OK
    write(layout, "client1/var/log/event.log", ZOPE_ERROR[20:])
    assert logs.check_logs(layout)[0] == logs.WARNING
    assert event.exists()


def test_thresholds_come_from_the_profile(tmp_path):
    from saiyo_backend import config

    monitoring = config.load_profile("production")["monitoring"]
    assert monitoring["log_errors_warn"] >= 1
    assert set(logs.DEFAULTS) <= set(monitoring)
    changed = config.load_profile("production", ["monitoring.lockouts_crit=2"])["monitoring"]
    assert changed["lockouts_crit"] == 2
