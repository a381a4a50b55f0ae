"""Two Zope processes count page views at once and lose none.

A real deployment shape: a ZEO server and two Zope clients rendered from the project's
``zeo`` profile (each with its own port and var directory), sharing one page-view store
through ``SAIYO_PAGEVIEWS_DIR`` in the profile's [environment] (zope.conf passes it on).
Beacons are sent to both processes at the same time; the store must hold every one, and
アクセス集計 on either process shows the same total.
"""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from saiyo_backend import config as profiles
from saiyo_backend.cli import main as saiyo
from saiyo_backend.instance import render as render_instance
from tests.analytics.helpers import beacon
from tests.analytics.helpers import counts
from tests.analytics.helpers import token_of
from tests.analytics.helpers import views
from tests.support.throwaway import free_port
from tests.support.throwaway import make_instance
from tests.support.throwaway import ROOT

import pytest
import requests
import socket
import subprocess
import sys
import time


BIN = Path(sys.executable).parent
BEACONS_EACH = 400


def zeo_client(base: Path, name: str, zeo_port: int, blob_dir: Path, shared: Path):
    port = free_port()
    etc, var = base / name / "etc", base / name / "var"
    config = profiles.load_profile(
        "zeo",
        [
            f"server.port={port}",
            "server.host='127.0.0.1'",
            f"storage.zeo.server='127.0.0.1:{zeo_port}'",
            f"storage.zeo.blob_dir='{blob_dir}'",
            f"environment.SAIYO_PAGEVIEWS_DIR='{shared}'",
        ],
        environ={},
    )
    render_instance.write_instance(render_instance.resolve_paths(config, var, etc))
    return etc, f"http://localhost:{port}/Plone"


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing listens on port {port}")


@pytest.mark.slow
def test_two_zope_processes_counting_at_once_lose_nothing(tmp_path):
    # the site, made exactly as 'make run' makes it, then served by ZEO
    source = make_instance(tmp_path / "source")
    created = source.create_site("--demo")
    assert created.returncode == 0, created.stdout + created.stderr
    zeo_port = free_port()
    zeo_conf = tmp_path / "zeo.conf"
    zeo_conf.write_text(
        f"<zeo>\n  address 127.0.0.1:{zeo_port}\n</zeo>\n"
        f"<blobstorage 1>\n  blob-dir {source.var / 'blobstorage'}\n"
        f"  <filestorage>\n    path {source.var / 'filestorage' / 'Data.fs'}\n  </filestorage>\n</blobstorage>\n"
    )
    zeo = subprocess.Popen(
        [str(BIN / "runzeo"), "-C", str(zeo_conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    shared = tmp_path / "shared-pageviews"
    clients = [
        zeo_client(tmp_path, name, zeo_port, source.var / "blobstorage", shared) for name in ("a", "b")
    ]
    started = []
    try:
        wait_for_port(zeo_port)
        started.extend(etc for etc, _ in clients)
        with ThreadPoolExecutor(max_workers=2) as pool:  # both start at once, as a cluster does
            codes = list(
                pool.map(lambda etc: saiyo(["start", "--etc", str(etc), "--timeout", "180"]), started)
            )
        assert codes == [0, 0]
        (etc_a, url_a), (etc_b, url_b) = clients
        # one secret for the store: either process accepts a token the other rendered
        token = token_of(url_a, "/faq")
        assert token_of(url_b, "/faq") == token
        admin = source.admin
        before = views(counts(url_a, admin), "/faq")

        def hammer(url):
            with requests.Session() as session:
                return [
                    beacon(session, f"{url}/@@pv", token).headers["X-Pageview"] for _ in range(BEACONS_EACH)
                ]

        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(hammer, [url_a, url_b, url_a, url_b]))
        assert all(note == "counted" for result in results for note in result)

        expected = before + 4 * BEACONS_EACH
        assert views(counts(url_a, admin), "/faq") == expected
        assert views(counts(url_b, admin), "/faq") == expected
        assert (shared / "pageviews.sqlite").is_file()
        assert not (etc_a.parent / "var" / "pageviews").exists()  # the shared store, not each var
    finally:
        # in parallel: a ZEO client's Zope does not exit on SIGTERM and is killed after 30 s
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(lambda etc: saiyo(["stop", "--etc", str(etc)]), started))
        zeo.terminate()
        zeo.wait(timeout=60)


def test_the_collector_is_in_every_rendered_pipeline():
    for profile in ("development", "production", "zeo", "relstorage"):
        text = render_instance.render(
            render_instance.resolve_paths(
                profiles.load_profile(profile, environ={}), ROOT / "var", ROOT / "etc"
            )
        )["zope.ini"]
        assert "use = call:kagoshima.saiyo.wsgi.pageviews:make_filter" in text, profile
        pipeline = text.split("[pipeline:main]")[1].split("\n\n")[0].split()
        assert pipeline.index("pageviews") < pipeline.index("translogger") < pipeline.index("zope"), profile
