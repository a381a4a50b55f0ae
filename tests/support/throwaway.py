"""Throwaway instances: a rendered instance with its own database in a temporary folder.

Used by the tests and the benchmarks, so that they exercise exactly what 'make run' does
(same renderer, same ``saiyo`` commands, same server control) without touching
instance/var.
"""

from dataclasses import dataclass
from pathlib import Path
from saiyo_backend.instance import server
from saiyo_backend.instance.render import render_instance

import os
import secrets
import socket
import subprocess
import sys


ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Instance:
    etc: Path
    var: Path
    port: int
    admin_password: str

    @property
    def url(self) -> str:
        # localhost, not 127.0.0.1: Plone serves 127.0.0.1 unthemed.
        return f"http://localhost:{self.port}"

    @property
    def admin(self) -> tuple[str, str]:
        return ("admin", self.admin_password)

    def saiyo(self, command: str, *args: str, env=None) -> subprocess.CompletedProcess:
        """``saiyo <command>`` for this instance, in a process of its own (as make does)."""
        environ = {**os.environ, "SAIYO_ADMIN_PASSWORD": self.admin_password}
        environ.update(env or {})
        return subprocess.run(
            [str(BIN / "saiyo"), command, "--etc", str(self.etc), *args],
            capture_output=True,
            text=True,
            env={key: value for key, value in environ.items() if value is not None},
        )

    def zconsole(self, script: Path, *args: str) -> subprocess.CompletedProcess:
        """Run a test's own script file inside this instance's Zope (``app`` bound), as zconsole does."""
        return subprocess.run(
            [str(BIN / "zconsole"), "run", str(self.etc / "zope.conf"), str(script), *args],
            capture_output=True,
            text=True,
            env={**os.environ, "SAIYO_ADMIN_PASSWORD": self.admin_password},
        )

    def create_site(self, *args: str, env=None) -> subprocess.CompletedProcess:
        return self.saiyo("create-site", *args, env=env)

    def start(self, timeout: float = 180) -> int:
        return server.start(self.etc.resolve(), timeout)

    def stop(self) -> int:
        return server.stop(self.etc.resolve())

    def pid(self):
        return server.running_pid(server.settings(self.etc))


def make_instance(base: Path, profile: str = "development", port: int | None = None, settings=()) -> Instance:
    """Render an instance below ``base`` (etc/ and var/); the site is not created yet.

    ``settings`` are extra ``key=value`` overrides of the profile (e.g. ``instance.debug_mode=false``).
    """
    port = port or free_port()
    etc, var = base / "etc", base / "var"
    render_instance(profile, etc, var, [f"server.port={port}", "server.host='127.0.0.1'", *settings])
    return Instance(etc=etc, var=var, port=port, admin_password=secrets.token_urlsafe(16))


def make_demo_site(base: Path) -> Instance:
    """A throwaway instance with the site and its demo content, as 'make run' creates them."""
    instance = make_instance(base)
    created = instance.create_site("--demo")
    if created.returncode != 0:
        raise RuntimeError(f"site creation failed:\n{created.stdout}{created.stderr}")
    return instance
