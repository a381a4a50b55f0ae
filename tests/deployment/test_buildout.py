"""The zc.buildout path builds an instance, pinned from requirements.txt, that serves the site."""

from pathlib import Path
from saiyo_backend.devtools import buildout_versions
from saiyo_backend.instance.server import wait_until_up
from tests.support.throwaway import free_port

import os
import pytest
import requests
import shutil
import signal
import subprocess
import sys


ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def test_versions_come_from_the_lock(tmp_path):
    output = tmp_path / "versions.cfg"
    buildout_versions.main(["--output", str(output)])
    text = output.read_text()
    pins = buildout_versions.pins(ROOT / "requirements.txt")
    assert len(pins) > 200
    for name, version in pins:
        assert f"\n{name} = {version}\n" in text
    assert "\nPlone = 6.2.2\n" in text


@pytest.mark.slow
def test_buildout_builds_an_instance_that_serves_the_site(tmp_path):
    checkout = tmp_path / "checkout"
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in files:
        if (ROOT / name).is_file():
            (checkout / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, checkout / name)
    subprocess.run(
        [sys.executable, "backend/src/saiyo_backend/devtools/buildout_versions.py"], cwd=checkout, check=True
    )
    port = free_port()
    built = subprocess.run(
        [str(BIN / "buildout"), "-c", "buildout.cfg", f"instance:http-address=127.0.0.1:{port}"],
        cwd=checkout,
        input="\n",  # no initial Zope user: saiyo create-site makes the administrator
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    # allow-picked-versions = false: every distribution came from the lock
    assert "Picked versions" not in built.stdout + built.stderr

    password = "buildout-path-0123"
    environ = {**os.environ, "SAIYO_ADMIN_PASSWORD": password}
    created = subprocess.run(
        [str(checkout / "bin" / "instance"), "run", "backend/src/saiyo_backend/zope/create_site.py"],
        cwd=checkout,
        capture_output=True,
        text=True,
        env=environ,
    )
    assert created.returncode == 0, created.stdout + created.stderr
    assert "site 'Plone' is ready" in created.stdout

    process = subprocess.Popen(
        [str(checkout / "bin" / "instance"), "fg"],
        cwd=checkout,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        url = f"http://localhost:{port}/Plone"
        assert wait_until_up(url, 180, process)
        response = requests.get(url)
        assert response.status_code == 200
        assert 'lang="ja"' in response.text
        assert "<title>鹿児島県職員採用</title>" in response.text
        addon = requests.get(
            url + "/@addons/kagoshima.saiyo", headers={"Accept": "application/json"}, auth=("admin", password)
        )
        assert addon.json()["is_installed"] is True
        # The WSGI filters of zope.ini are in buildout's pipeline too (buildout.cfg: pipeline)
        assert response.headers.get("Content-Encoding") == "gzip"
        beacon = requests.post(url + "/@@pv", data=b"not-a-token", headers={"Content-Type": "text/plain"})
        assert beacon.headers.get("X-Pageview", "").startswith("refused"), beacon.headers
        zope_error = requests.get(f"http://localhost:{port}/no-such-object")
        assert zope_error.status_code == 404
        assert zope_error.headers.get("X-Content-Type-Options") == "nosniff"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
