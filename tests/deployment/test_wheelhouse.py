"""The offline wheelhouse (make wheelhouse / make install OFFLINE=…): built through 'saiyo wheelhouse
build' from a small part of the lock (one distribution published only as an sdist, one with a
dependency), installed into a fresh virtual environment with every network route closed, and
refused when a wheel is changed or missing. The full lock's wheelhouse is proved complete by
the lock being closed under its dependencies (the build downloads the pins with --no-deps)."""

from importlib import metadata
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from pathlib import Path
from saiyo_backend.deploy import wheelhouse

import os
import pytest
import subprocess
import sys
import tarfile


ROOT = Path(__file__).resolve().parents[2]
SAIYO = str(Path(sys.executable).with_name("saiyo"))
SCRIPT = str(ROOT / "backend" / "src" / "saiyo_backend" / "deploy" / "wheelhouse.py")
# hurry.filesize has no wheel on the index (built here from its sdist) and needs setuptools, which a
# venv of Python 3.12 no longer brings (3.11's does); python-dateutil needs six and tzdata.
SUBSET = ("hurry.filesize", "setuptools", "python-dateutil", "six", "tzdata")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheelhouse")
    locked = wheelhouse.pins(ROOT / "requirements.txt")
    requirements = tmp / "requirements.txt"
    requirements.write_text(
        "".join(f"{name}=={locked[wheelhouse.normalize(name)]}\n" for name in SUBSET), encoding="utf-8"
    )
    out = tmp / "saiyo-wheelhouse-test"
    result = subprocess.run(
        [SAIYO, "wheelhouse", "build", "--out", str(out), "--requirements", str(requirements)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out, requirements


def run_script(*args, env=None):
    return subprocess.run(
        [sys.executable, SCRIPT, *args], capture_output=True, text=True, env=env, timeout=600
    )


def test_wheelhouse_holds_every_pin_pip_lists_and_checksums(built):
    out, requirements = built
    archive = out.with_name(out.name + ".tar")
    names = {p.name for p in (out / "wheels").glob("*.whl")}
    assert any(n.startswith("hurry.filesize-0.9-") or n.startswith("hurry_filesize-0.9-") for n in names), (
        names
    )
    assert any(n.startswith("pip-25.3-") for n in names), names
    for extra in ("requirements.txt", "os-packages-rhel.txt", "os-packages-debian.txt", "MANIFEST.json"):
        assert (out / extra).is_file()
    assert "nginx" in (out / "os-packages-rhel.txt").read_text()
    sums = (out / "SHA256SUMS").read_text()
    assert all(f"wheels/{name}" in sums for name in names)
    # sha256sum -c reads both files as an operator would
    assert subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=out).returncode == 0
    assert (
        subprocess.run(
            ["sha256sum", "--quiet", "-c", archive.name + ".sha256"], cwd=archive.parent
        ).returncode
        == 0
    )


def test_installs_into_a_fresh_venv_with_no_network(built, tmp_path):
    out, requirements = built
    archive = out.with_name(out.name + ".tar")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    closed = dict(os.environ)
    # Any attempt to reach an index goes to a closed port on loopback and fails.
    for key in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        closed[key] = "http://127.0.0.1:9"
    closed["PIP_INDEX_URL"] = "http://127.0.0.1:9/simple"
    result = run_script(
        "install", str(archive), "--python", python, "--requirements", str(requirements), env=closed
    )
    assert result.returncode == 0, result.stderr[-3000:]
    probe = subprocess.run(
        [
            python,
            "-c",
            "import dateutil, hurry.filesize, pip; print(hurry.filesize.size(2048), pip.__version__)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.split() == ["2K", "25.3"]
    # --all: pip leaves setuptools out of its freeze on Python 3.11 only; pip itself is checked above.
    frozen = subprocess.run(
        [python, "-m", "pip", "freeze", "--all", "--exclude", "pip"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert sorted(line.lower() for line in frozen.split()) == sorted(
        line.lower() for line in requirements.read_text().split()
    )


def test_changed_or_missing_wheels_are_refused(built, tmp_path):
    out, requirements = built
    archive = out.with_name(out.name + ".tar")
    # A wheel changed after the checksums were written (damaged on the way in)
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path, filter="data")
    copy = tmp_path / out.name
    wheel = next((copy / "wheels").glob("six-*.whl"))
    wheel.write_bytes(wheel.read_bytes() + b"\0")
    result = run_script("verify", str(copy), "--requirements", str(requirements))
    assert result.returncode == 1
    assert "書き換えられています" in result.stderr and "checksum mismatch" in result.stderr
    # A wheel removed, the checksums rewritten to match: the pin has no wheel
    wheel.unlink()
    wheelhouse.write_sums(copy)
    result = run_script("verify", str(copy), "--requirements", str(requirements))
    assert result.returncode == 1
    assert "six==" in result.stderr and "wheel がありません" in result.stderr
    # The archive itself damaged: its .sha256 no longer matches
    damaged = tmp_path / archive.name
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    (tmp_path / (archive.name + ".sha256")).write_text(
        archive.with_name(archive.name + ".sha256").read_text()
    )
    result = run_script("verify", str(damaged), "--requirements", str(requirements))
    assert result.returncode == 1 and "一致しません" in result.stderr


def test_full_lock_is_closed_under_its_dependencies():
    """Every dependency (markers for this Python, extras followed) of every pin is pinned too, at
    a version that satisfies it: the --no-deps wheelhouse of the whole lock then installs alone."""
    locked = wheelhouse.pins(ROOT / "requirements.txt")
    locked["pip"] = wheelhouse.PIP_PIN.split("==")[1]  # not in the lock; the wheelhouse adds it
    problems = []
    seen = set()
    todo = [(name, frozenset()) for name in locked]
    while todo:
        name, extras = todo.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            problems.append(f"{name}=={locked[name]} is not installed from the lock")
            continue
        for line in dist.requires or []:
            requirement = Requirement(line)
            marker = requirement.marker
            if marker and not any(
                marker.evaluate({**default_environment(), "extra": extra}) for extra in (extras or {""})
            ):
                continue
            dependency = canonicalize_name(requirement.name)
            if dependency not in locked:
                problems.append(f"{name} needs {requirement}, which the lock does not pin")
            elif not requirement.specifier.contains(locked[dependency], prereleases=True):
                problems.append(f"{name} needs {requirement}, the lock pins {locked[dependency]}")
            else:
                todo.append((dependency, frozenset(requirement.extras)))
    assert not problems, "\n".join(problems)
