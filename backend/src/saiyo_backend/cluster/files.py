"""Render every file of a deployment from one profile into ``<base>/etc``.

The instance renderer writes each Zope client (``saiyo_backend.instance.render``); this
module adds what a deployment has around them, all from ``instance/templates``:

* ``etc/zeo.conf`` — the ZEO server (profile ``zeo``), FileStorage and the shared blobs;
* ``etc/nginx/saiyo.conf`` — the site for the distribution's nginx (TLS, virtual hosting,
  access rules, load balancing, cache, purge); ``etc/nginx/nginx.conf`` wraps it so the
  deployment (and the tests) can run nginx without touching ``/etc/nginx``;
* ``etc/systemd/*`` and ``etc/logrotate/saiyo`` — the units and rotation rules for RHEL;
* ``etc/cluster.toml`` — the layout: what start, stop, backups and the check need.

Client 1 lives in ``<base>/etc`` + ``<base>/var`` (what ``make schedule`` and ``make report``
use); client k ≥ 2 in ``<base>/client<k>/etc`` + ``var``. Client k listens on
``server.port + k - 1``. ZEO clients share the server's blob directory.
"""

from __future__ import annotations

from pathlib import Path
from saiyo_backend import config as profiles
from saiyo_backend.cluster.tls import self_signed_certificate
from saiyo_backend.instance import render as instance_render
from saiyo_backend.render import write
from saiyo_backend.render import write_template

import copy
import getpass
import sys


BIN = Path(sys.executable).parent
UNITS = ("saiyo-pack", "saiyo-backup", "saiyo-schedule", "saiyo-report")


def load(profile: str, overrides=(), environ=None) -> dict:
    """The profile with the deployment's sections checked ([proxy] comes from profiles/base.toml)."""
    config = profiles.load_profile(profile, overrides, environ)
    if "proxy" not in config:
        raise profiles.ProfileError(f"profiles/{profile}.toml has no [proxy]: extend 'base' for a deployment")
    for key in ("http_port", "https_port", "purge_port", "max_fails"):
        config["proxy"][key] = int(config["proxy"][key])
    config["cluster"] = {"clients": 1, **config.get("cluster", {})}
    config["cluster"]["clients"] = int(config["cluster"]["clients"])
    if config["storage"]["kind"] == "zeo" and "zeo_server" not in config:
        raise profiles.ProfileError("storage.kind is 'zeo' but the profile has no [zeo_server]")
    return config


def client_dirs(base: Path, number: int) -> tuple[Path, Path]:
    if number == 1:
        return base / "etc", base / "var"
    return base / f"client{number}" / "etc", base / f"client{number}" / "var"


def render_clients(config: dict, base: Path) -> tuple[list[dict], dict]:
    """Write each Zope client's instance; (the clients' addresses, client 1's configuration)."""
    var = base / "var"
    clients, first = [], None
    for number in range(1, config["cluster"]["clients"] + 1):
        etc_dir, var_dir = client_dirs(base, number)
        client = copy.deepcopy(config)
        client["server"]["port"] = config["server"]["port"] + number - 1
        client["environment"] = {**client.get("environment", {}), "SAIYO_CLIENT": f"client{number}"}
        if config["storage"]["kind"] == "zeo":
            # Every ZEO client reads the blobs from the server's folder.
            client["storage"]["zeo"]["blob_dir"] = str(var / config["zeo_server"]["blob_dir"])
        client = instance_render.resolve_paths(client, var_dir, etc_dir)
        instance_render.write_instance(client)
        first = first or client
        clients.append(
            {
                "name": f"client{number}",
                "etc": str(etc_dir),
                "var": str(var_dir),
                "host": client["server"]["host"],
                "port": client["server"]["port"],
            }
        )
    return clients, first


def render_zeo_server(context: dict, base: Path) -> list[Path]:
    var = base / "var"
    zeo = context["zeo_server"]
    context["zeo"] = {
        **zeo,
        "path": str(var / zeo["path"]),
        "blob_dir": str(var / zeo["blob_dir"]),
        "pid": str(var / "zeo.pid"),
        "log": str(var / "log" / "zeo.log"),
    }
    (var / zeo["path"]).parent.mkdir(parents=True, exist_ok=True)
    (var / zeo["blob_dir"]).mkdir(parents=True, exist_ok=True, mode=0o700)
    return [write_template(base / "etc" / "zeo.conf", "zeo.conf.j2", **context)]


def render_nginx(context: dict, base: Path) -> list[Path]:
    """The site file for /etc/nginx/conf.d and a standalone wrapper; a test certificate when none is there."""
    proxy = context["proxy"]
    nginx_var = base / "var" / "nginx"
    for folder in ("cache", "tmp", "log"):
        (nginx_var / folder).mkdir(parents=True, exist_ok=True)
    if not proxy["certificate"] or not Path(proxy["certificate"]).is_file():
        crt, key = self_signed_certificate(base / "var" / "tls", [proxy["public_host"], proxy["edit_host"]])
        proxy["certificate"], proxy["certificate_key"] = str(crt), str(key)
    etc = base / "etc" / "nginx"
    context["nginx"] = {"etc": str(etc), "var": str(nginx_var)}
    written = [
        write_template(etc / "saiyo.conf", "nginx-site.conf.j2", **context),
        write_template(etc / "nginx.conf", "nginx.conf.j2", **context),
    ]
    (etc / "conf.d").mkdir(exist_ok=True)
    return written


def render_services(context: dict, base: Path) -> list[Path]:
    """systemd units and logrotate rules for RHEL."""
    units = base / "etc" / "systemd"
    written = []
    if context["storage"]["kind"] == "zeo":
        written.append(write_template(units / "saiyo-zeo.service", "systemd/saiyo-zeo.service.j2", **context))
    for client in context["clients"]:
        written.append(
            write_template(
                units / f"saiyo-{client['name']}.service",
                "systemd/saiyo-client.service.j2",
                **context,
                client=client,
            )
        )
    for unit in UNITS:
        for suffix in ("service", "timer"):
            written.append(
                write_template(units / f"{unit}.{suffix}", f"systemd/{unit}.{suffix}.j2", **context)
            )
    written.append(write_template(base / "etc" / "logrotate" / "saiyo", "logrotate.j2", **context))
    return written


def storage_of(context: dict, first: dict, base: Path) -> tuple[dict, list[Path]]:
    """Where the data lives, for backups and packing (and zodbpack.conf for RelStorage)."""
    kind = context["storage"]["kind"]
    storage = {"kind": kind, "pack_days": int(context.get("zeo_server", {}).get("pack_days", 7))}
    written = []
    if kind == "zeo":
        storage.update(
            data_fs=context["zeo"]["path"],
            blob_dir=context["zeo"]["blob_dir"],
            address=context["zeo_server"]["address"],
        )
    elif kind == "filestorage":
        section = first["storage"]["filestorage"]
        storage.update(data_fs=section["path"], blob_dir=section["blob_dir"])
    else:
        storage.update(dsn=context["storage"]["relstorage"]["dsn"])
        written.append(write_template(base / "etc" / "zodbpack.conf", "zodbpack.conf.j2", **context))
    return storage, written


def render(profile: str, base: Path, overrides=(), environ=None) -> dict:
    """Write every file of the deployment below ``base``; return its layout (also in etc/cluster.toml)."""
    base = base.resolve()
    config = load(profile, overrides, environ)
    clients, first = render_clients(config, base)
    var = base / "var"
    paths = {
        "root": str(profiles.ROOT),
        "base": str(base),
        "etc": str(base / "etc"),
        "var": str(var),
        "log": str(var / "log"),
        "venv_bin": str(BIN),
        "backup": str(var / "backup"),
    }
    context = {**config, "paths": paths, "clients": clients, "user": getpass.getuser()}
    written = []
    if config["storage"]["kind"] == "zeo":
        written += render_zeo_server(context, base)
    written += render_nginx(context, base)
    written += render_services(context, base)
    storage, more = storage_of(context, first, base)
    written += more
    layout = {
        "profile": profile,
        "storage": storage,
        "kind": config["storage"]["kind"],
        "base": str(base),
        "clients": clients,
        "zeo": context.get("zeo", {}),
        "proxy": context["proxy"],
        "nginx": context["nginx"],
        "site_id": config["instance"]["site_id"],
        "monitoring": config.get("monitoring", {}),
    }
    write(
        base / "etc" / profiles.LAYOUT_RECORD,
        profiles.dumps(
            layout, "Generated by 'saiyo cluster': what 'cluster start/stop' and the checks need."
        ),
    )
    layout["written"] = [str(path) for path in written]
    return layout
