"""A self-signed certificate for a deployment that has none yet (tests and local runs; never production)."""

from __future__ import annotations

from pathlib import Path

import subprocess


def self_signed_certificate(folder: Path, hosts: list[str]) -> tuple[Path, Path]:
    """(certificate, key) for ``hosts`` in ``folder``; made once, then reused."""
    crt, key = folder / "saiyo-selfsigned.crt", folder / "saiyo-selfsigned.key"
    if crt.is_file() and key.is_file():
        return crt, key
    folder.mkdir(parents=True, exist_ok=True)
    san = ",".join(f"DNS:{host}" for host in hosts)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
         "-subj", f"/CN={hosts[0]}", "-addext", f"subjectAltName={san}",
         "-keyout", str(key), "-out", str(crt)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    key.chmod(0o600)
    return crt, key
