"""The ZEO deployment on loopback: ZEO server, two Zope clients, nginx in front.

What a visitor, an editor and an attacker see through nginx, and that the cluster keeps
serving when one client dies under load.
"""

from backend import loopback
from concurrent.futures import ThreadPoolExecutor
from tests.deployment.conftest import EDIT
from tests.deployment.conftest import OFFICE
from tests.deployment.conftest import PUBLIC
from tests.deployment.conftest import STRANGER

import os
import pytest
import requests
import signal
import threading
import time
import uuid


PAGE = "/shiken"


def test_public_host_serves_the_site_at_its_root_over_https(zeo_cluster):
    reply = zeo_cluster.public("/")
    assert reply.status == 200
    # Virtual hosting: links name the public host with https, never Zope's own address.
    assert f"https://{PUBLIC}:{zeo_cluster.https_port}/shiken" in reply.text
    assert "localhost" not in reply.text
    assert reply.headers["strict-transport-security"].startswith("max-age=31536000")
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert reply.headers["x-frame-options"] == "SAMEORIGIN"
    assert "server" not in reply.headers or "nginx/" not in reply.headers["server"]


def test_http_redirects_to_https(zeo_cluster):
    reply = loopback.request(zeo_cluster.http_port, PUBLIC, "/shiken?x=1", tls=False)
    assert reply.status == 301
    assert reply.headers["location"] == f"https://{PUBLIC}:{zeo_cluster.https_port}/shiken?x=1"


def test_gzip(zeo_cluster):
    reply = zeo_cluster.public("/", headers={"Accept-Encoding": "gzip"})
    assert reply.headers.get("content-encoding") == "gzip"


@pytest.mark.parametrize(
    "path",
    [
        "/login",
        "/@@login",
        "/login_form",
        "/shiken/edit",
        "/shiken/@@edit",
        "/manage_main",
        "/shiken/manage_workspace",
        "/@@overview-controlpanel",
        "/shiken/folder_contents",
        "/shiken/@@sharing",
        "/acl_users/credentials_cookie_auth/require_login",
        "/_zope/manage_main",
        "/@@saiyo-pageviews",
    ],
)
def test_public_host_refuses_login_and_editing_urls(zeo_cluster, path):
    assert zeo_cluster.public(path).status == 403


def test_public_rest_api_is_read_only(zeo_cluster):
    assert zeo_cluster.public("/++api++/shiken", headers={"Accept": "application/json"}).status == 200
    body = b'{"title": "x"}'
    for method in ("POST", "PATCH", "DELETE"):
        reply = zeo_cluster.public(
            "/++api++/shiken", method=method, body=body, headers={"Content-Type": "application/json"}
        )
        assert reply.status in (403, 405), method


def test_public_host_never_passes_credentials(zeo_cluster):
    # Even a correct password sent to the public host reaches Zope as an anonymous request.
    import base64

    token = base64.b64encode(f"admin:{zeo_cluster.admin_password}".encode()).decode()
    reply = zeo_cluster.public("/++api++/@users", headers={"Authorization": f"Basic {token}", "Accept": "application/json"})
    assert reply.status in (401, 403)


def test_only_the_upstream_proxy_may_use_the_public_host(zeo_cluster):
    assert zeo_cluster.public("/", source=STRANGER).status == 403
    # A forged X-Forwarded-For from elsewhere does not help.
    assert zeo_cluster.public("/", source=STRANGER, headers={"X-Forwarded-For": "127.0.0.1"}).status == 403


def test_editing_host_only_from_the_office(zeo_cluster):
    assert zeo_cluster.edit("/login", source=OFFICE).status == 200
    assert zeo_cluster.edit("/login", source="127.0.0.1").status == 403
    assert zeo_cluster.edit("/login", source=STRANGER).status == 403
    reply = zeo_cluster.edit("/login", source=OFFICE)
    assert f"https://{EDIT}:{zeo_cluster.https_port}/" in reply.text
    assert "x-cache-status" not in reply.headers


def test_unknown_host_names_get_nothing(zeo_cluster):
    with pytest.raises(Exception):
        loopback.request(zeo_cluster.https_port, "example.com", "/")


def test_an_edit_on_one_client_is_seen_on_the_other(zeo_cluster):
    title = f"採用試験情報 {uuid.uuid4().hex[:6]}"
    one, two = zeo_cluster.client_url(1), zeo_cluster.client_url(2)
    headers = {"Accept": "application/json", "Content-Type": "application/json"}
    before = requests.get(f"{two}/shiken", headers={"Accept": "application/json"}, auth=zeo_cluster.admin, timeout=30)
    assert before.status_code == 200
    changed = requests.patch(f"{one}/shiken", json={"title": title}, headers=headers, auth=zeo_cluster.admin, timeout=30)
    assert changed.status_code == 204, changed.text
    seen = None
    for _ in range(20):
        seen = requests.get(f"{two}/shiken", headers={"Accept": "application/json"}, auth=zeo_cluster.admin, timeout=30)
        if seen.json()["title"] == title:
            break
        time.sleep(0.25)
    assert seen.json()["title"] == title
    requests.patch(f"{one}/shiken", json={"title": before.json()["title"]}, headers=headers, auth=zeo_cluster.admin, timeout=30)


def load(deployment, stop: threading.Event, results: list, worker: int):
    n = 0
    while not stop.is_set():
        n += 1
        # A new query string every time: a cache miss, so the request reaches a Zope client.
        try:
            status = deployment.public(f"{PAGE}?load={worker}-{n}", timeout=30).status
        except Exception as error:  # a refused or cut connection counts as a failed visit
            status = repr(error)
        results.append(status)


def test_killing_a_client_under_load_costs_visitors_almost_nothing(zeo_cluster):
    from backend import server
    from pathlib import Path

    results: list = []
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=6) as pool:
        for worker in range(6):
            pool.submit(load, zeo_cluster, stop, results, worker)
        time.sleep(4)
        before_kill = len(results)
        victim = zeo_cluster.layout["clients"][1]
        pid = server.running_pid(server.settings(Path(victim["etc"])))
        os.kill(pid, signal.SIGKILL)
        time.sleep(8)
        stop.set()
    failures = [status for status in results if status != 200]
    print(f"{len(results)} requests ({before_kill} before the kill), {len(failures)} failed: {failures[:5]}")
    assert len(results) > 50
    assert len(failures) <= len(results) * 0.01
    # Restart the victim for the tests that follow.
    assert server.main(["start", "--etc", victim["etc"]]) == 0
