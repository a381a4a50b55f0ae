"""Render and run a whole deployment from one profile: ZEO server, Zope clients and nginx.

    python -m backend.cluster start  --profile zeo         # render, start everything
    python -m backend.cluster stop   --profile zeo
    python -m backend.cluster status --profile zeo
    python -m backend.cluster render --profile relstorage  # only write the files

The same renderer as ``make instance`` writes each client (``backend/render_instance.py``);
this module adds what a deployment has around them, all from ``instance/templates``:

* ``etc/zeo.conf`` — the ZEO server (profile ``zeo``), FileStorage and the shared blobs;
* ``etc/nginx/saiyo.conf`` — the site for the distribution's nginx (TLS, virtual hosting,
  access rules, load balancing, cache, purge); ``etc/nginx/nginx.conf`` wraps it so this
  module (and the tests) can run nginx without touching ``/etc/nginx``;
* ``etc/systemd/*`` and ``etc/logrotate/saiyo`` — the units and rotation rules for RHEL.

Client 1 lives in ``<base>/etc`` + ``<base>/var`` (what ``make schedule`` and ``make report``
use); client k ≥ 2 in ``<base>/client<k>/etc`` + ``var``. Client k listens on
``server.port + k - 1``. ZEO clients share the server's blob directory.
"""

from __future__ import annotations

from backend import render_instance
from backend import server
from pathlib import Path

import argparse
import copy
import getpass
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib


ROOT = render_instance.ROOT
TEMPLATES = render_instance.TEMPLATES
BIN = Path(sys.executable).parent
NGINX = os.environ.get("NGINX", shutil.which("nginx") or "/usr/sbin/nginx")
UNITS = ("saiyo-pack", "saiyo-backup", "saiyo-schedule", "saiyo-report")
PROXY_DEFAULTS = {
    "public_host": "saiyo.pref.kagoshima.jp",
    "edit_host": "edit.saiyo.pref.kagoshima.jp",
    "listen": "0.0.0.0",
    "http_port": 80,
    "https_port": 443,
    "upstream_proxies": ["127.0.0.1"],
    "office_networks": ["127.0.0.1"],
    "certificate": "",
    "certificate_key": "",
    "purge_listen": "127.0.0.1",
    "purge_port": 8090,
    "client_max_body_size_public": "1m",
    "client_max_body_size_edit": "200m",
    "cache_max_size": "1g",
    "cache_fallback_ttl": "10s",
    "max_fails": 2,
    "fail_timeout": "10s",
    "worker_processes": "auto",
}


def _jinja():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _write(path: Path, text: str, mode: int | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if mode is not None:
        path.chmod(mode)
    return path


def self_signed_certificate(folder: Path, hosts: list[str]) -> tuple[Path, Path]:
    """A self-signed certificate for ``hosts`` (tests and local runs; never for production)."""
    crt, key = folder / "saiyo-selfsigned.crt", folder / "saiyo-selfsigned.key"
    if crt.is_file() and key.is_file():
        return crt, key
    folder.mkdir(parents=True, exist_ok=True)
    san = ",".join(f"DNS:{host}" for host in hosts)
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "30",
            "-subj",
            f"/CN={hosts[0]}",
            "-addext",
            f"subjectAltName={san}",
            "-keyout",
            str(key),
            "-out",
            str(crt),
        ],
        check=True,
        capture_output=True,
    )
    key.chmod(0o600)
    return crt, key


def load(profile: str, overrides=(), environ=None) -> dict:
    config = render_instance.load_profile(profile, overrides, environ)
    config["proxy"] = {**PROXY_DEFAULTS, **config.get("proxy", {})}
    for key in ("http_port", "https_port", "purge_port", "max_fails"):
        config["proxy"][key] = int(config["proxy"][key])
    config["cluster"] = {"clients": 1, **config.get("cluster", {})}
    config["cluster"]["clients"] = int(config["cluster"]["clients"])
    if config["storage"]["kind"] == "zeo" and "zeo_server" not in config:
        raise render_instance.ProfileError("storage.kind is 'zeo' but the profile has no [zeo_server]")
    return config


def client_dirs(base: Path, number: int) -> tuple[Path, Path]:
    if number == 1:
        return base / "etc", base / "var"
    return base / f"client{number}" / "etc", base / f"client{number}" / "var"


def render(profile: str, base: Path, overrides=(), environ=None) -> dict:
    """Write every file of the deployment below ``base``; return what ``start`` needs."""
    base = base.resolve()
    config = load(profile, overrides, environ)
    kind = config["storage"]["kind"]
    var = base / "var"
    clients = []
    for number in range(1, config["cluster"]["clients"] + 1):
        etc_dir, var_dir = client_dirs(base, number)
        client = copy.deepcopy(config)
        client["server"]["port"] = config["server"]["port"] + number - 1
        client["environment"] = {**client.get("environment", {}), "SAIYO_CLIENT": f"client{number}"}
        if kind == "zeo":
            # Every ZEO client reads the blobs from the server's folder.
            client["storage"]["zeo"]["blob_dir"] = str(var / config["zeo_server"]["blob_dir"])
        client = render_instance.resolve_paths(client, var_dir, etc_dir)
        render_instance.write_instance(client)
        if number == 1:
            first = client
        clients.append(
            {
                "name": f"client{number}",
                "etc": str(etc_dir),
                "var": str(var_dir),
                "host": client["server"]["host"],
                "port": client["server"]["port"],
            }
        )
    paths = {
        "root": str(ROOT),
        "base": str(base),
        "etc": str(base / "etc"),
        "var": str(var),
        "log": str(var / "log"),
        "venv_bin": str(BIN),
        "backup": str(var / "backup"),
    }
    jinja = _jinja()
    context = {**config, "paths": paths, "clients": clients, "user": getpass.getuser()}
    written = []
    if kind == "zeo":
        zeo = config["zeo_server"]
        context["zeo"] = {
            **zeo,
            "path": str(var / zeo["path"]),
            "blob_dir": str(var / zeo["blob_dir"]),
            "pid": str(var / "zeo.pid"),
            "log": str(var / "log" / "zeo.log"),
        }
        (var / zeo["path"]).parent.mkdir(parents=True, exist_ok=True)
        (var / zeo["blob_dir"]).mkdir(parents=True, exist_ok=True, mode=0o700)
        written.append(_write(base / "etc" / "zeo.conf", jinja.get_template("zeo.conf.j2").render(**context)))
    # nginx: the site file for /etc/nginx/conf.d and a standalone wrapper.
    proxy = context["proxy"]
    nginx_var = var / "nginx"
    for folder in ("cache", "tmp", "log"):
        (nginx_var / folder).mkdir(parents=True, exist_ok=True)
    if not proxy["certificate"] or not Path(proxy["certificate"]).is_file():
        crt, key = self_signed_certificate(var / "tls", [proxy["public_host"], proxy["edit_host"]])
        proxy["certificate"], proxy["certificate_key"] = str(crt), str(key)
    context["nginx"] = {"etc": str(base / "etc" / "nginx"), "var": str(nginx_var)}
    written.append(
        _write(
            base / "etc" / "nginx" / "saiyo.conf", jinja.get_template("nginx-site.conf.j2").render(**context)
        )
    )
    written.append(
        _write(base / "etc" / "nginx" / "nginx.conf", jinja.get_template("nginx.conf.j2").render(**context))
    )
    (base / "etc" / "nginx" / "conf.d").mkdir(exist_ok=True)
    # systemd units and logrotate for RHEL.
    units = base / "etc" / "systemd"
    if kind == "zeo":
        written.append(
            _write(
                units / "saiyo-zeo.service",
                jinja.get_template("systemd/saiyo-zeo.service.j2").render(**context),
            )
        )
    for client in clients:
        text = jinja.get_template("systemd/saiyo-client.service.j2").render(**context, client=client)
        written.append(_write(units / f"saiyo-{client['name']}.service", text))
    for unit in UNITS:
        for suffix in ("service", "timer"):
            text = jinja.get_template(f"systemd/{unit}.{suffix}.j2").render(**context)
            written.append(_write(units / f"{unit}.{suffix}", text))
    written.append(
        _write(base / "etc" / "logrotate" / "saiyo", jinja.get_template("logrotate.j2").render(**context))
    )
    storage = {"kind": kind, "pack_days": int(config.get("zeo_server", {}).get("pack_days", 7))}
    if kind == "zeo":
        storage.update(
            data_fs=context["zeo"]["path"],
            blob_dir=context["zeo"]["blob_dir"],
            address=config["zeo_server"]["address"],
        )
    elif kind == "filestorage":
        section = first["storage"]["filestorage"]
        storage.update(data_fs=section["path"], blob_dir=section["blob_dir"])
    else:
        storage.update(dsn=config["storage"]["relstorage"]["dsn"])
        written.append(
            _write(base / "etc" / "zodbpack.conf", jinja.get_template("zodbpack.conf.j2").render(**context))
        )
    layout = {
        "profile": profile,
        "storage": storage,
        "kind": kind,
        "base": str(base),
        "clients": clients,
        "zeo": context.get("zeo", {}),
        "proxy": proxy,
        "nginx": context["nginx"],
        "site_id": config["instance"]["site_id"],
    }
    _write(base / "etc" / "cluster.toml", _toml(layout))
    layout["written"] = [str(path) for path in written]
    return layout


def _toml(layout: dict) -> str:
    """The layout as TOML (flat enough for this: strings, ints, lists, one level of tables)."""

    def value(item):
        if isinstance(item, bool):
            return str(item).lower()
        if isinstance(item, (int, float)):
            return str(item)
        if isinstance(item, list):
            return "[" + ", ".join(value(entry) for entry in item) + "]"
        if isinstance(item, dict):
            return "{" + ", ".join(f"{key} = {value(entry)}" for key, entry in item.items()) + "}"
        return '"' + str(item).replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["# Generated by backend/cluster.py: what 'cluster start/stop' and the checks need."]
    lines += [f"{key} = {value(item)}" for key, item in layout.items()]
    return "\n".join(lines) + "\n"


def read_layout(base: Path) -> dict:
    path = base.resolve() / "etc" / "cluster.toml"
    if not path.is_file():
        raise SystemExit(f"no rendered deployment in {base} (run 'make cluster' first)")
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _pid_alive(pid_file: Path):
    try:
        pid = int(pid_file.read_text().strip())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def start_zeo(layout: dict, timeout: float = 60) -> None:
    zeo = layout["zeo"]
    host, port = zeo["address"].rsplit(":", 1)
    pid_file = Path(zeo["pid"])
    if _pid_alive(pid_file):
        return
    log = Path(zeo["log"])
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as output:
        process = subprocess.Popen(
            [str(BIN / "runzeo"), "-C", str(Path(layout["base"]) / "etc" / "zeo.conf")],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    pid_file.write_text(str(process.pid))
    deadline = time.monotonic() + timeout
    while not _port_open(host, int(port)):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the ZEO server did not start; see {log}")
        time.sleep(0.3)


def _stop_pid(pid_file: Path, sig=signal.SIGTERM, wait: float = 30) -> None:
    pid = _pid_alive(pid_file)
    if not pid:
        pid_file.unlink(missing_ok=True)
        return
    os.kill(pid, sig)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if server.gone(pid):
            break
        time.sleep(0.2)
    else:
        os.kill(pid, signal.SIGKILL)
        server.gone(pid)
    pid_file.unlink(missing_ok=True)


def zconsole(layout: dict, script: Path, *args: str, env=None) -> subprocess.CompletedProcess:
    etc = Path(layout["clients"][0]["etc"])
    return subprocess.run(
        [str(BIN / "zconsole"), "run", str(etc / "zope.conf"), str(script), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


def nginx_command(layout: dict, *args: str) -> list[str]:
    nginx = layout["nginx"]
    return [
        NGINX,
        "-p",
        nginx["var"] + "/",
        "-e",
        nginx["var"] + "/log/error.log",
        "-c",
        nginx["etc"] + "/nginx.conf",
        *args,
    ]


def start_nginx(layout: dict) -> None:
    pid_file = Path(layout["nginx"]["var"]) / "nginx.pid"
    checked = subprocess.run(nginx_command(layout, "-t", "-q"), capture_output=True, text=True)
    if checked.returncode:
        raise SystemExit(f"nginx rejects the rendered configuration:\n{checked.stderr}")
    if _pid_alive(pid_file):
        subprocess.run(nginx_command(layout, "-s", "reload"), check=True)
        return
    subprocess.run(nginx_command(layout), check=True)


def start(layout: dict, create_site: bool = True, demo: bool = False, timeout: float = 180) -> int:
    if layout["kind"] == "zeo":
        start_zeo(layout)
    if create_site:
        result = zconsole(layout, ROOT / "backend" / "create_site.py", *(["--demo"] if demo else []))
        print(result.stdout, end="")
        if result.returncode:
            print(result.stderr, file=sys.stderr)
            return result.returncode
        caching = zconsole(
            layout,
            ROOT / "backend" / "configure_caching.py",
            str(Path(layout["base"]) / "etc" / "cluster.toml"),
        )
        print(caching.stdout, end="")
        if caching.returncode:
            print(caching.stderr, file=sys.stderr)
            return caching.returncode
    for client in layout["clients"]:
        if server.main(["start", "--etc", client["etc"], "--timeout", str(timeout)]):
            return 1
    start_nginx(layout)
    proxy = layout["proxy"]
    print(
        f"nginx: https://{proxy['public_host']}:{proxy['https_port']}/ (public), "
        f"https://{proxy['edit_host']}:{proxy['https_port']}/ (editing)"
    )
    return 0


def stop(layout: dict) -> int:
    _stop_pid(Path(layout["nginx"]["var"]) / "nginx.pid", signal.SIGQUIT)
    for client in layout["clients"]:
        server.main(["stop", "--etc", client["etc"]])
    if layout["kind"] == "zeo":
        _stop_pid(Path(layout["zeo"]["pid"]))
    return 0


def status(layout: dict) -> int:
    down = 0
    if layout["kind"] == "zeo":
        pid = _pid_alive(Path(layout["zeo"]["pid"]))
        print(f"zeo: {f'running (pid {pid})' if pid else 'not running'}")
        down += not pid
    for client in layout["clients"]:
        pid = server.running_pid(server.settings(Path(client["etc"])))
        print(f"{client['name']}: {f'running (pid {pid})' if pid else 'not running'} port {client['port']}")
        down += not pid
    pid = _pid_alive(Path(layout["nginx"]["var"]) / "nginx.pid")
    print(f"nginx: {f'running (pid {pid})' if pid else 'not running'}")
    down += not pid
    return 3 if down else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Run a deployment (ZEO server, Zope clients, nginx)")
    parser.add_argument("command", choices=["render", "start", "stop", "status"])
    parser.add_argument("--profile", default=os.environ.get("PROFILE", "production"))
    parser.add_argument("--base", type=Path, default=ROOT / "instance")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--demo", action="store_true", help="add the demo content when creating the site")
    args = parser.parse_args(argv)
    if args.command in ("stop", "status"):
        layout = read_layout(args.base)
        return stop(layout) if args.command == "stop" else status(layout)
    try:
        layout = render(args.profile, args.base, args.overrides)
    except render_instance.ProfileError as error:
        print(f"プロファイルを読めません / cannot render profile {args.profile!r}: {error}", file=sys.stderr)
        return 2
    for path in layout["written"]:
        print(f"rendered {path}")
    if args.command == "render":
        return 0
    return start(layout, demo=args.demo)


if __name__ == "__main__":
    sys.exit(main())
