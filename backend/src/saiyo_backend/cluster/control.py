"""Start, stop and watch a rendered deployment: the ZEO server, the Zope clients and nginx.

    saiyo cluster start  --profile zeo         # render, start everything
    saiyo cluster stop
    saiyo cluster status
    saiyo cluster render --profile relstorage  # only write the files

The files come from ``saiyo_backend.cluster.files``; the site is created (and caching pointed
at nginx) by the scripts of ``saiyo_backend.zope``, run in client 1's instance.
"""

from __future__ import annotations

from pathlib import Path
from saiyo_backend.config import LAYOUT_RECORD
from saiyo_backend.instance import server

import os
import shutil
import signal
import socket
import subprocess
import sys
import time


BIN = Path(sys.executable).parent
NGINX = os.environ.get("NGINX", shutil.which("nginx") or "/usr/sbin/nginx")


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


def saiyo(layout: dict, command: str, *args: str, env=None) -> subprocess.CompletedProcess:
    """``saiyo <command>`` inside client 1's Zope, in a process of its own (it opens the database)."""
    etc = Path(layout["clients"][0]["etc"])
    return subprocess.run(
        [str(BIN / "saiyo"), command, "--etc", str(etc), *args],
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
        result = saiyo(layout, "create-site", *(["--demo"] if demo else []))
        print(result.stdout, end="")
        if result.returncode:
            print(result.stderr, file=sys.stderr)
            return result.returncode
        caching = saiyo(layout, "configure-caching", str(Path(layout["base"]) / "etc" / LAYOUT_RECORD))
        print(caching.stdout, end="")
        if caching.returncode:
            print(caching.stderr, file=sys.stderr)
            return caching.returncode
    for client in layout["clients"]:
        if server.start(Path(client["etc"]), timeout):
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
        server.stop(Path(client["etc"]))
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
