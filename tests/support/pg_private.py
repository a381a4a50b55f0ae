"""A private PostgreSQL cluster in a folder, run as the current user on a free loopback port.

For the RelStorage tests and benchmarks: initdb + pg_ctl from the distribution's
PostgreSQL, never the system service. As root, the cluster is owned by the unprivileged
``postgres`` (or ``nobody``) account, because PostgreSQL refuses to run as root.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from tests.support.throwaway import free_port

import glob
import os
import pwd
import shutil
import subprocess


def pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) + sorted(
        glob.glob(f"/usr/pgsql-*/bin/{name}")
    )
    if not candidates:
        raise FileNotFoundError(f"{name} not found: install PostgreSQL (apt-get install postgresql)")
    return candidates[-1]


@dataclass
class PrivatePostgres:
    folder: Path
    port: int
    user: str

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def dsn(self, database: str = "saiyo") -> str:
        return f"dbname={database} user={self.user} host=127.0.0.1 port={self.port}"

    def _run(self, args, **kwargs):
        if os.geteuid() == 0:
            account = pwd.getpwnam(self.user)
            kwargs["user"], kwargs["group"] = account.pw_uid, account.pw_gid
        return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            account = pwd.getpwnam(self.user)
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        if not (self.data / "PG_VERSION").exists():
            self._run(
                [
                    pg_bin("initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    self.user,
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--no-locale",
                ]
            )
        self._run([
            pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "postgres.log"), "-w", "-t", "60",
            "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        ])  # fmt: skip

    def createdb(self, name: str = "saiyo") -> str:
        self._run([pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, name])
        return self.dsn(name)

    def stop(self) -> None:
        try:
            self._run([pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])
        except subprocess.CalledProcessError:
            pass


def private_postgres(folder: Path) -> PrivatePostgres:
    user = pwd.getpwuid(os.getuid()).pw_name
    if os.geteuid() == 0:
        user = "postgres" if _has_account("postgres") else "nobody"
    return PrivatePostgres(folder=folder, port=free_port(), user=user)


def _has_account(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False
