"""Fixtures: whole deployments on loopback, started by saiyo_backend.cluster as 'make cluster' does.

Every port is free and random; nginx runs from its own rendered nginx.conf (no /etc/nginx);
PostgreSQL for RelStorage is a private cluster in a temporary folder (tests/support/pg_private.py).
The RelStorage deployment is two machines on loopback: two deployments rendered from the same
profile into separate folders (each its own Zope client, var/ and nginx), one PostgreSQL, each
naming the other's nginx in ``proxy.purge_proxies``.
The public host accepts only 127.0.0.1 (the stand-in for the prefecture's proxy); the
editing host only 127.0.0.3 (the stand-in for an office network) and 127.0.0.4/.5 (the
virtual browser's egress addresses).
"""

from dataclasses import dataclass
from pathlib import Path
from saiyo_backend import cluster
from saiyo_backend.cluster import loopback
from tests.support import pg_private
from tests.support.throwaway import free_port

import os
import pytest
import secrets
import shutil
import tempfile


PUBLIC = "saiyo.pref.kagoshima.jp"
EDIT = "edit.saiyo.pref.kagoshima.jp"
OFFICE = "127.0.0.3"
STRANGER = "127.0.0.2"
# The prefecture's virtual browser: its egress addresses change between requests.
VIRTUAL_BROWSER = ("127.0.0.4", "127.0.0.5")


def needs_nginx():
    if not Path(cluster.NGINX).exists():
        pytest.fail("nginx is missing: install it with 'apt-get install nginx' (.ci/run does)")


def two_free_ports() -> int:
    """A port p with p + 1 free as well (client k listens on p + k - 1)."""
    for _ in range(50):
        port = free_port()
        try:
            import socket

            with socket.socket() as sock:
                sock.bind(("127.0.0.1", port + 1))
            return port
        except OSError:
            continue
    raise RuntimeError("no two consecutive free ports")


@dataclass
class Deployment:
    layout: dict
    admin_password: str

    @property
    def https_port(self) -> int:
        return self.layout["proxy"]["https_port"]

    @property
    def http_port(self) -> int:
        return self.layout["proxy"]["http_port"]

    def client_url(self, number: int) -> str:
        return f"http://localhost:{self.layout['clients'][number - 1]['port']}/{self.layout['site_id']}"

    @property
    def admin(self):
        return ("admin", self.admin_password)

    def public(self, path="/", **kwargs) -> loopback.Reply:
        return loopback.request(self.https_port, PUBLIC, path, **kwargs)

    def edit(self, path="/", source=OFFICE, **kwargs) -> loopback.Reply:
        return loopback.request(self.https_port, EDIT, path, source=source, **kwargs)


def start_deployment(
    profile: str,
    base: Path,
    environ: dict | None = None,
    overrides: list[str] = (),
    create_site: bool = True,
    password: str | None = None,
) -> Deployment:
    """Render and start a deployment on free loopback ports (``overrides`` come last and win)."""
    needs_nginx()
    password = password or secrets.token_urlsafe(16)
    os.environ["SAIYO_ADMIN_PASSWORD"] = password
    defaults = [
        f"server.port={two_free_ports()}",
        "server.host='127.0.0.1'",
        "cluster.clients=2",
        "proxy.listen='127.0.0.1'",
        f"proxy.http_port={free_port()}",
        f"proxy.https_port={free_port()}",
        f"proxy.purge_port={free_port()}",
        "proxy.upstream_proxies=['127.0.0.1']",
        f"proxy.office_networks=['{OFFICE}']",
        f"proxy.virtual_browser_networks={list(VIRTUAL_BROWSER)}",
        "proxy.worker_processes=1",
        "proxy.certificate=''",
    ]
    layout = cluster.render(profile, base, [*defaults, *overrides], {**os.environ, **(environ or {})})
    try:
        assert cluster.start(layout, create_site=create_site, demo=True) == 0
    except BaseException:
        cluster.stop(layout)
        raise
    return Deployment(layout, password)


@pytest.fixture(scope="session")
def zeo_cluster(tmp_path_factory):
    base = tmp_path_factory.mktemp("zeo")
    deployment = start_deployment("zeo", base, {"SAIYO_ZEO_ADDRESS": f"127.0.0.1:{free_port()}"})
    yield deployment
    cluster.stop(deployment.layout)
    shutil.rmtree(base / "var" / "nginx" / "cache", ignore_errors=True)


@pytest.fixture(scope="session")
def private_postgres():
    try:
        pg_private.pg_bin("initdb")
    except FileNotFoundError as error:
        pytest.fail(f"{error} (.ci/run installs it)")
    folder = Path(tempfile.mkdtemp(prefix="saiyo-pg-"))
    postgres = pg_private.private_postgres(folder)
    postgres.start()
    yield postgres
    postgres.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def relstorage_cluster(tmp_path_factory, private_postgres):
    """One RelStorage deployment with two Zope clients behind one nginx (the failover and
    backup tests' machine; the two-machine tests use ``two_machines``)."""
    base = tmp_path_factory.mktemp("relstorage")
    dsn = private_postgres.createdb("saiyo_cluster")
    deployment = start_deployment("relstorage", base, {"SAIYO_PG_DSN": dsn})
    yield deployment
    cluster.stop(deployment.layout)


@pytest.fixture(scope="session")
def two_machines(tmp_path_factory, private_postgres) -> tuple[Deployment, Deployment]:
    """Two machines of one RelStorage deployment, as 'make cluster PROFILE=relstorage' on each.

    Each has its own folder (etc/, var/), one Zope client and its own nginx (own ports, own
    cache); both use one PostgreSQL for the ZODB and the shared stores. Each profile lists the
    other machine's purge endpoint in ``proxy.purge_proxies``. Machine one creates the site and
    registers the purge endpoints (in the shared ZODB); machine two finds both done.
    """
    dsn = private_postgres.createdb("saiyo")
    purge_ports = (free_port(), free_port())

    def machine(number: int, **kwargs) -> Deployment:
        other = purge_ports[2 - number]
        overrides = [
            "cluster.clients=1",
            f"proxy.purge_port={purge_ports[number - 1]}",
            f"proxy.purge_proxies=['http://127.0.0.1:{other}']",
        ]
        base = tmp_path_factory.mktemp(f"machine{number}")
        return start_deployment("relstorage", base, {"SAIYO_PG_DSN": dsn}, overrides, **kwargs)

    one = machine(1)
    try:
        two = machine(2, create_site=False, password=one.admin_password)
    except BaseException:
        cluster.stop(one.layout)
        raise
    yield one, two
    for each in (two, one):
        cluster.stop(each.layout)
