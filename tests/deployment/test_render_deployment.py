"""Every deployment profile renders into files its programs accept (nothing is started)."""

from saiyo_backend import cluster
from tests.deployment.conftest import needs_nginx
from tests.support.throwaway import free_port

import pytest
import subprocess
import tomllib


@pytest.mark.parametrize("profile", ["production", "zeo", "relstorage"])
def test_profile_renders_a_configuration_nginx_accepts(profile, tmp_path):
    needs_nginx()
    layout = cluster.render(profile, tmp_path, ["proxy.http_port=18080", "proxy.https_port=18443"])
    checked = subprocess.run(cluster.nginx_command(layout, "-t"), capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    site = (tmp_path / "etc" / "nginx" / "saiyo.conf").read_text()
    assert "server_name saiyo.pref.kagoshima.jp;" in site
    assert "/VirtualHostBase/https/saiyo.pref.kagoshima.jp:18443/Plone/VirtualHostRoot$1" in site
    assert 'add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;' in site
    assert "set_real_ip_from 127.0.0.1;" in site
    assert site.count("max_fails=2 fail_timeout=10s;") == len(layout["clients"])
    assert (tmp_path / "etc" / "logrotate" / "saiyo").is_file()
    units = {path.name for path in (tmp_path / "etc" / "systemd").iterdir()}
    assert {"saiyo-backup.timer", "saiyo-pack.timer", "saiyo-schedule.timer", "saiyo-report.timer"} <= units
    assert {f"saiyo-client{n}.service" for n in range(1, len(layout["clients"]) + 1)} <= units
    assert ("saiyo-zeo.service" in units) == (profile == "zeo")
    recorded = tomllib.loads((tmp_path / "etc" / "cluster.toml").read_text())
    assert recorded["storage"]["kind"] == {"production": "filestorage"}.get(profile, profile)


def test_zeo_clients_share_the_servers_blobs(tmp_path):
    layout = cluster.render("zeo", tmp_path, ["cluster.clients=3"])
    assert [client["port"] for client in layout["clients"]] == [8081, 8082, 8083]
    blob_dir = layout["zeo"]["blob_dir"]
    for client in layout["clients"]:
        conf = (tmp_path / client["etc"] / "zope.conf").read_text()
        assert f"blob-dir {blob_dir}\n" in conf
        assert "shared-blob-dir on" in conf
        assert "server-sync on" in conf  # a PURGE's refetch sees the commit that caused it
    zeo = (tmp_path / "etc" / "zeo.conf").read_text()
    assert f"blob-dir {blob_dir}\n" in zeo


def test_relstorage_clients_use_postgresql(tmp_path):
    layout = cluster.render("relstorage", tmp_path, [], {"SAIYO_PG_DSN": "dbname=saiyo host=db.internal"})
    conf = (tmp_path / "etc" / "zope.conf").read_text()
    assert "%import relstorage" in conf
    assert "dsn dbname=saiyo host=db.internal" in conf
    assert layout["storage"]["dsn"] == "dbname=saiyo host=db.internal"
    assert "dsn dbname=saiyo host=db.internal" in (tmp_path / "etc" / "zodbpack.conf").read_text()


def test_each_machines_nginx_accepts_purges_from_the_other_machines(tmp_path):
    # Machine two of two (docs/operations/scale-out.md): its purge endpoint on the internal
    # network (127.0.0.12 here: nginx -t binds it), open to its own clients and to machine one's
    # (10.0.0.11); machine one's endpoint is registered next to its own.
    needs_nginx()
    port = free_port()
    overrides = [
        "proxy.http_port=18080",
        "proxy.https_port=18443",
        "proxy.purge_listen='127.0.0.12'",
        f"proxy.purge_port={port}",
        "proxy.purge_allow=['10.0.0.11', '127.0.0.1']",
        "proxy.purge_proxies=['http://10.0.0.11:8090']",
    ]
    layout = cluster.render("relstorage", tmp_path, overrides)
    checked = subprocess.run(cluster.nginx_command(layout, "-t"), capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    site = (tmp_path / "etc" / "nginx" / "saiyo.conf").read_text()
    purge = site[site.index(f"listen 127.0.0.12:{port};") :]
    rules = [line.strip() for line in purge[: purge.index("location")].splitlines()]
    assert [rule for rule in rules if rule.startswith(("allow", "deny"))] == [
        "allow 127.0.0.1;",
        "allow 10.0.0.11;",
        "deny all;",
    ]
    from saiyo_backend.zope.configure_caching import purge_urls

    assert purge_urls(layout["proxy"]) == (f"http://127.0.0.12:{port}", "http://10.0.0.11:8090")
