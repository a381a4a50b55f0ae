"""Stores every machine shares (issue 19): page views, the audit trail, the jobs and the purges.

Two machines on loopback (the ``two_machines`` fixture): two RelStorage deployments rendered
from the same profile into separate folders, each with its own Zope client, ``var/`` and nginx,
one PostgreSQL for the ZODB and the stores (``[stores]``). Beacons sent to both make one total
in アクセス集計 on either, edits on both make one 操作履歴, the jobs started from both at once
run once, with one machine's client killed the other keeps serving and counting, and an edit on
one machine reaches visitors through both nginx (each profile lists the other's purge endpoint in
``proxy.purge_proxies``). The stores themselves and the SQLite → PostgreSQL migration are tested
on the private PostgreSQL without Zope.
"""

from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from saiyo_backend import config
from saiyo_backend.instance import server
from tests.analytics import helpers

import base64
import csv
import io
import json
import os
import pytest
import requests
import signal
import subprocess
import sys
import threading
import time
import uuid


SAIYO = Path(sys.executable).with_name("saiyo")
PAGE = "/shiken"


@pytest.fixture
def schema():
    """A schema of its own per test, so the tests share the PostgreSQL server and not their rows."""
    return f"t_{uuid.uuid4().hex[:10]}"


@pytest.fixture
def pg_env(private_postgres, schema, monkeypatch):
    dsn = private_postgres.dsn("postgres")
    monkeypatch.setenv("SAIYO_STORES_DSN", dsn)
    monkeypatch.setenv("SAIYO_STORES_SCHEMA", schema)
    return dsn


def test_both_kinds_answer_alike_and_postgres_loses_no_concurrent_view(pg_env, tmp_path):
    from kagoshima.saiyo.analytics import store

    postgres, sqlite = store.get_store(), store.get_store(tmp_path)
    assert (postgres.kind, sqlite.kind) == ("postgresql", "sqlite")
    for each in (postgres, sqlite):
        each.add("2026-10-31", "uid-a", "mobile", 2)
        each.add("2026-11-01", "uid-a", "mobile")
        each.add("2026-11-01", "uid-b", "desktop", 5)
    for question in ("month_counts", "daily_totals"):
        assert getattr(postgres, question)("2026-11") == getattr(sqlite, question)("2026-11")
    assert postgres.monthly_totals(["2026-10", "2026-11"]) == {"2026-10": 2, "2026-11": 6}
    assert postgres.rows() == sqlite.rows()
    assert postgres.first_month() == "2026-10"

    # 8 threads × 250 views of one page and day, each thread on its own connection: every one counts.
    def count(_):
        for _ in range(250):
            postgres.add("2026-12-01", "uid-c", "tablet")
        postgres.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(count, range(8)))
    assert postgres.month_counts("2026-12") == {"uid-c": {"tablet": 2000}}
    # The token secret is made once and is the same for every process of the deployment.
    assert postgres.secret() == store.PostgresPageViewStore().secret() != sqlite.secret()


def test_the_audit_trail_in_postgres_answers_the_lockout_and_the_filters(pg_env):
    from kagoshima.saiyo.security import audit

    trail = audit.get_store()
    assert trail.kind == "postgresql"
    now = time.time()
    trail.add("yamada", "login_failed", ip="192.0.2.1", at=now - 30)
    trail.add("yamada", "login_failed", ip="192.0.2.1", at=now - 20)
    trail.add("sato", "edited", path="shiken/r8_100%", detail="タイトル", at=now - 10)
    assert trail.failures_since("yamada", now - 60) == 2
    assert [row["user"] for row in trail.search()] == ["sato", "yamada", "yamada"]
    assert [row["path"] for row in trail.search(path="shiken")] == ["shiken/r8_100%"]
    assert trail.search(path="shiken/r8") == []  # '_' and '%' are not wildcards
    assert trail.users() == ["sato", "yamada"]
    assert trail.search(user="sato")[0]["at"] == pytest.approx(now - 10, abs=1e-3)


def render_instance(tmp_path, dsn, schema) -> Path:
    etc, var = tmp_path / "etc", tmp_path / "var"
    from saiyo_backend.instance.render import render_instance as render

    render(
        "development",
        etc,
        var,
        ["stores.kind='postgresql'", f"stores.dsn='{dsn}'", f"stores.schema='{schema}'"],
    )
    return etc


def test_stores_migrate_moves_sqlite_into_postgres_once(private_postgres, schema, tmp_path):
    from kagoshima.saiyo.analytics import store
    from kagoshima.saiyo.security import audit

    dsn = private_postgres.dsn("postgres")
    etc = render_instance(tmp_path, dsn, schema)
    assert f"SAIYO_STORES_SCHEMA {schema}" in (etc / "zope.conf").read_text()
    old_views = store.PageViewStore(tmp_path / "var" / "pageviews" / store.FILE_NAME)
    old_views.add("2026-11-03", "uid-a", "mobile", 40)
    old_views.add("2026-11-04", "uid-b", "desktop", 2)
    old_audit = audit.AuditStore(tmp_path / "var" / "audit" / audit.FILE_NAME)
    old_audit.connection().execute(audit.INSERT, (1.0e9, "sato", "edited", "shiken", "", "127.0.0.1"))
    old_audit.connection().execute(audit.INSERT, (1.1e9, "sato", "deleted", "old", "", "127.0.0.1"))
    old_secret = old_views.secret()
    # The new store counted a beacon already: the migration adds to it, it does not replace it.
    new_views = store.PostgresPageViewStore(dsn, schema)
    new_views.add("2026-11-03", "uid-a", "mobile", 1)

    first = subprocess.run([SAIYO, "stores-migrate", "--etc", etc], capture_output=True, text=True)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "2 rows into PostgreSQL" in first.stdout, first.stdout
    again = subprocess.run([SAIYO, "stores-migrate", "--etc", etc], capture_output=True, text=True)
    assert again.returncode == 0 and again.stdout.count("migrated before") == 2, again.stdout

    assert new_views.month_counts("2026-11") == {"uid-a": {"mobile": 41}, "uid-b": {"desktop": 2}}
    new_audit = audit.PostgresAuditStore(dsn, schema)
    assert [(row["action"], row["at"]) for row in new_audit.search()] == [
        ("deleted", 1.1e9),
        ("edited", 1.0e9),
    ]
    # Pages cached with tokens of the old store still count: the secret moved along.
    assert store.PostgresPageViewStore(dsn, schema).secret() == old_secret


def test_stores_migrate_says_what_to_do_without_postgres(tmp_path):
    from saiyo_backend.instance.render import render_instance as render

    render("development", tmp_path / "etc", tmp_path / "var")
    result = subprocess.run(
        [SAIYO, "stores-migrate", "--etc", tmp_path / "etc"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "PostgreSQL ではありません" in result.stderr and "not PostgreSQL" in result.stderr


def test_a_profile_with_postgres_stores_and_no_dsn_is_refused():
    with pytest.raises(config.ProfileError, match="stores.dsn is empty"):
        config.load_profile("production", ["stores.kind='postgresql'"], environ={})


# The two-machine deployment ----------------------------------------------------------------


def audit_rows(base_url: str, admin) -> list[dict]:
    response = requests.get(f"{base_url}/@@saiyo-audit", params={"format": "csv"}, auth=admin, timeout=60)
    response.raise_for_status()
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def send_beacons(base_url: str, count: int) -> None:
    session = requests.Session()
    token = helpers.token_of(base_url, PAGE, session)
    for _ in range(count):
        reply = helpers.beacon(session, f"{base_url}/@@pv", token)
        assert reply.status_code == 204 and reply.headers["X-Pageview"] == "counted", reply.headers


def test_two_machines_count_into_one_total_and_one_audit_trail(two_machines):
    first, second = two_machines
    one, two = first.client_url(1), second.client_url(1)
    admin = first.admin
    clients = [machine.layout["clients"][0] for machine in two_machines]
    assert clients[0]["var"] != clients[1]["var"]  # as on two machines: nothing shared on disk
    assert first.layout["nginx"]["var"] != second.layout["nginx"]["var"]
    before = helpers.views(helpers.counts(one, admin), PAGE)

    send_beacons(one, 3)
    send_beacons(two, 4)
    # One total, whichever machine the administrator asks.
    for url in (one, two):
        assert helpers.views(helpers.counts(url, admin), PAGE) == before + 7
    assert not list(Path(clients[1]["var"]).glob("pageviews/*.sqlite"))

    for url in (one, two):
        mark = f"共有の操作履歴 {uuid.uuid4().hex[:6]}"
        changed = requests.patch(
            f"{url}{PAGE}", json={"description": mark}, auth=admin, timeout=60,
            headers={"Accept": "application/json", "Content-Type": "application/json"},
        )  # fmt: skip
        assert changed.status_code == 204, changed.text
    for url in (one, two):
        edits = [row for row in audit_rows(url, admin) if row["操作"] == "編集" and row["パス"] == PAGE]
        assert len(edits) >= 2, edits[:3]
        assert audit_rows(url, admin)[:2] == audit_rows(one, admin)[:2]

    # Machine two's client dies: machine one keeps serving (through its own nginx) and counting
    # into the same total.
    victim = clients[1]
    pid = server.running_pid(server.settings(Path(victim["etc"])))
    os.kill(pid, signal.SIGKILL)
    try:
        try:
            os.waitpid(pid, 0)  # the fixture started it from this process: reap it, or it stays a zombie
        except ChildProcessError:
            pass
        with pytest.raises(requests.ConnectionError):
            requests.get(two, timeout=10)
        fresh = first.public(f"{PAGE}?alive={uuid.uuid4().hex[:6]}", timeout=120)  # not in the cache
        assert (fresh.status, fresh.headers["x-cache-status"]) == (200, "MISS")
        send_beacons(one, 2)
        assert helpers.views(helpers.counts(one, admin), PAGE) == before + 9
    finally:
        if server.running_pid(server.settings(Path(victim["etc"]))) is None:
            assert server.start(Path(victim["etc"]), 120) == 0
    assert helpers.views(helpers.counts(two, admin), PAGE) == before + 9


# A generous limit for an event that must happen on a busy machine; far below the lifetime the
# purge test gives cached pages, so only a purge can bring a change within it.
EVENT_LIMIT = 120.0
ITEM_VIEW_LIFETIME = "plone.app.caching.moderateCaching.plone.content.itemView.smaxage"
PURGE_PROXIES = "plone.cachepurging.interfaces.ICachePurgingSettings.cachingProxies"
JSON = {"Accept": "application/json", "Content-Type": "application/json"}


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return predicate()


def set_registry(url: str, admin, values: dict) -> None:
    changed = requests.patch(f"{url}/@registry", json=values, headers=JSON, auth=admin, timeout=60)
    assert changed.status_code == 204, changed.text


def test_an_edit_on_one_machine_reaches_visitors_through_both_nginx(two_machines):
    from saiyo_backend.zope.configure_caching import purge_urls

    first, second = two_machines
    url, admin = first.client_url(1), first.admin
    # Each machine's profile names its own nginx and the other's: the same two endpoints,
    # registered (in the shared ZODB) for every Zope client of both machines.
    endpoints = set(purge_urls(first.layout["proxy"]))
    assert len(endpoints) == 2 and set(purge_urls(second.layout["proxy"])) == endpoints
    registered = requests.get(f"{url}/@registry/{PURGE_PROXIES}", headers=JSON, auth=admin, timeout=60)
    assert set(registered.json()) == endpoints, registered.text

    # Pages stay 10 minutes in nginx during this test: a change that shows within EVENT_LIMIT
    # was brought by a purge, not by the cached copy running out.
    lifetime = requests.get(f"{url}/@registry/{ITEM_VIEW_LIFETIME}", headers=JSON, auth=admin, timeout=60)
    set_registry(url, admin, {ITEM_VIEW_LIFETIME: 600})
    page_id = f"setsumeikai-{uuid.uuid4().hex[:6]}"
    path = f"/news/{page_id}"
    try:
        created = requests.post(
            f"{url}/news", json={"@type": "News Item", "id": page_id, "title": "業務説明会のお知らせ"},
            headers=JSON, auth=admin, timeout=60,
        )  # fmt: skip
        assert created.status_code == 201, created.text
        published = requests.post(
            f"{url}{path}/@workflow/publish", json={}, headers=JSON, auth=admin, timeout=60
        )
        assert published.status_code == 200, published.text
        # A visitor through each machine's nginx: the page is stored in both caches.
        for machine in two_machines:
            assert machine.public(path, timeout=120).status == 200
            cached = machine.public(path)
            assert cached.headers["x-cache-status"] == "HIT", cached.headers
            assert "s-maxage=600" in cached.headers["cache-control"], cached.headers
            assert "業務説明会のお知らせ" in cached.text

        # An editor changes the page on machine two, through its editing host as staff do.
        title = f"業務説明会の日程を変更しました {uuid.uuid4().hex[:6]}"
        token = base64.b64encode(f"admin:{first.admin_password}".encode()).decode()
        changed = second.edit(
            path, method="PATCH", body=json.dumps({"title": title}).encode(),
            headers={**JSON, "Authorization": f"Basic {token}"},
        )  # fmt: skip
        assert changed.status == 204, changed.text
        started = time.monotonic()

        def refreshed(machine) -> bool:
            reply = machine.public(path)
            return reply.headers.get("x-cache-status") == "HIT" and title in reply.text

        # Both caches hold the new page (HIT: stored by the purge's refresh, not passed through).
        for number, machine in enumerate(two_machines, 1):
            purges = Path(machine.layout["nginx"]["var"]) / "log" / "saiyo-purge.log"
            assert wait_for(partial(refreshed, machine), EVENT_LIMIT), (
                f"machine {number}'s nginx still serves the old page; its purge log ends with:\n"
                + "".join(purges.read_text().splitlines(keepends=True)[-5:])
            )
        print(f"edit visible through both nginx after {time.monotonic() - started:.1f} s")
    finally:
        set_registry(url, admin, {ITEM_VIEW_LIFETIME: lifetime.json()})
        requests.delete(f"{url}{path}", headers=JSON, auth=admin, timeout=60)


def run_on_both(machines, *command) -> list[subprocess.CompletedProcess]:
    """The same job started on both clients at the same moment (as two machines' timers do)."""
    start = threading.Barrier(2)

    def run(client):
        start.wait()
        return subprocess.run(
            [SAIYO, *command, "--etc", client["etc"]], capture_output=True, text=True, timeout=600
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(run, [machine.layout["clients"][0] for machine in machines]))


def test_the_jobs_started_on_both_machines_at_once_run_once(two_machines, tmp_path):
    # The schedule runs once per minute of the timer: start both well inside one minute.
    while time.localtime().tm_sec > 45:
        time.sleep(1)
    results = run_on_both(two_machines, "schedule")
    outputs = [result.stdout + result.stderr for result in results]
    assert [result.returncode for result in results] == [0, 0], outputs
    assert sum("scheduled publishing:" in output for output in outputs) == 1, outputs
    assert sum("skipped" in output for output in outputs) == 1, outputs

    month = f"20{uuid.uuid4().int % 90 + 10}-0{uuid.uuid4().int % 9 + 1}"  # a month no other run wrote
    results = run_on_both(two_machines, "report", "--month", month, "--output", str(tmp_path))
    outputs = [result.stdout + result.stderr for result in results]
    assert [result.returncode for result in results] == [0, 0], outputs
    assert sum("page views of" in output for output in outputs) == 1, outputs
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        f"アクセス集計_{month}.csv",
        f"アクセス集計_{month}.xlsx",
    ]


def test_every_proxy_of_the_profile_is_registered_for_purges():
    from saiyo_backend.zope.configure_caching import purge_urls

    proxy = {"purge_listen": "10.0.0.11", "purge_port": 8090}
    assert purge_urls(proxy) == ("http://10.0.0.11:8090",)
    proxy["purge_proxies"] = ["http://10.0.0.12:8090/", "http://10.0.0.11:8090", " "]
    assert purge_urls(proxy) == ("http://10.0.0.11:8090", "http://10.0.0.12:8090")
