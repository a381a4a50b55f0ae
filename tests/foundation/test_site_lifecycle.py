"""Site creation and serving as 'make run' does it: the site at "/", Japanese, the
administrator's password never fixed, content kept across restarts and re-runs."""

from pathlib import Path
from saiyo_backend.instance.server import wait_until_up
from tests.support.throwaway import make_instance

import os
import pytest
import re
import requests
import signal
import socket
import subprocess
import sys


ROOT = Path(__file__).resolve().parents[2]


JSON = {"Accept": "application/json", "Content-Type": "application/json"}


def test_site_is_served_at_root(plone):
    response = requests.get(plone.url + "/")
    assert response.status_code == 200
    assert 'lang="ja"' in response.text
    assert "<title>鹿児島県職員採用</title>" in response.text
    # Links point at the root, not at /Plone: the home link is the bare address of the site.
    links = re.findall(r'href="([^"]*)"', response.text)
    assert plone.url in links or plone.url + "/" in links, links
    assert f"{plone.url}/Plone" not in response.text
    assert not [link for link in links if link.startswith("/Plone")], links


def test_zope_root_is_reachable_for_the_administrator_only(plone):
    assert requests.get(plone.url + "/_zope/manage_main").status_code == 401
    response = requests.get(plone.url + "/_zope/manage_main", auth=plone.admin)
    assert response.status_code == 200
    assert "Plone" in response.text


def test_site_settings_via_rest_api(plone):
    response = requests.get(plone.url + "/@site", headers=JSON, auth=plone.admin)
    assert response.status_code == 200
    data = response.json()
    assert data["plone.site_title"] == "鹿児島県職員採用"
    registry = requests.get(plone.url + "/@registry/plone.portal_timezone", headers=JSON, auth=plone.admin)
    assert registry.json() == "Asia/Tokyo"
    addons = requests.get(plone.url + "/@addons/kagoshima.saiyo", headers=JSON, auth=plone.admin).json()
    assert addons["is_installed"] is True


@pytest.fixture
def lifecycle_instance(tmp_path):
    instance = make_instance(tmp_path)
    yield instance
    instance.stop()


def test_content_survives_stop_start_and_a_second_site_creation(lifecycle_instance):
    instance = lifecycle_instance
    first = instance.create_site("--demo", env={"SAIYO_ADMIN_PASSWORD": None})
    assert first.returncode == 0, first.stderr
    # No password given: one is generated, printed once and (development) kept 0600.
    assert "このパスワードは一度だけ表示されます" in first.stdout
    stored = instance.var / "admin-password.txt"
    assert stored.stat().st_mode & 0o777 == 0o600
    user, password = stored.read_text().strip().split(":", 1)
    assert user == "admin" and password in first.stdout and len(password) >= 16
    auth = (user, password)

    assert instance.start() == 0
    created = requests.post(
        instance.url + "/",
        json={"@type": "Document", "id": "kakunin", "title": "再起動しても残るページ"},
        headers=JSON,
        auth=auth,
    )
    assert created.status_code == 201, created.text
    assert instance.stop() == 0

    second = instance.create_site("--demo", env={"SAIYO_ADMIN_PASSWORD": None})
    assert second.returncode == 0, second.stderr
    assert "exists: keeping its content" in second.stdout
    assert "password" not in second.stdout  # printed once only

    assert instance.start() == 0
    page = requests.get(instance.url + "/kakunin", headers=JSON, auth=auth)
    assert page.status_code == 200
    assert page.json()["title"] == "再起動しても残るページ"


def test_short_administrator_password_is_refused(tmp_path):
    instance = make_instance(tmp_path)
    result = instance.create_site(env={"SAIYO_ADMIN_PASSWORD": "short"})
    assert result.returncode != 0
    assert "12文字以上" in result.stdout + result.stderr


def test_foreground_server_stops_on_ctrl_c_and_guards_its_database(tmp_path):
    instance = make_instance(tmp_path)
    assert instance.create_site().returncode == 0
    process = subprocess.Popen(
        [sys.executable, "-m", "saiyo_backend", "run", "--etc", str(instance.etc)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        assert wait_until_up(instance.url + "/", 180, process)
        # While it runs, a second start is refused with the reason, and the data is not touched.
        data_fs = instance.var / "filestorage" / "Data.fs"
        second = subprocess.run(
            [sys.executable, "backend/src/saiyo_backend/preflight.py", "database", str(data_fs)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert second.returncode == 1
        assert "使用中" in second.stderr and "in use by another process" in second.stderr
        # Ctrl-C in a terminal signals the whole foreground process group.
        os.killpg(process.pid, signal.SIGINT)
        assert process.wait(timeout=60) == 0
        assert "stopped" in process.stdout.read()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", instance.port))  # the port is free again
