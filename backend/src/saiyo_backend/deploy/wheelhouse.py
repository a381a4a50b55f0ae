"""The offline wheelhouse: every wheel of the lock in one checked archive, installed with no network.

    python wheelhouse.py build [--out DIR] [--requirements requirements.txt] [--python PY]
    python wheelhouse.py verify PATH [--requirements requirements.txt]
    python wheelhouse.py install PATH --python .venv/bin/python [--requirements requirements.txt]

``build`` runs on a machine that reaches the package index and has the production server's
operating system and Python (the verification environment): ``pip wheel`` downloads every pinned
wheel of ``requirements.txt`` and builds a wheel from each distribution published only as a
source archive, adds pip itself, the lock, the Debian and RHEL package lists and a source archive
of the repository, writes ``SHA256SUMS`` (``sha256sum -c`` reads it) and packs the folder into one
``.tar`` with its own ``.tar.sha256``. ``verify`` checks an archive or folder (the checksums, and
that every pin of the lock has its wheel); ``install`` verifies, then installs with
``pip --no-index --find-links`` (``make install OFFLINE=PATH``).

Standard library only: ``make install OFFLINE=…`` runs it before the virtual environment exists.
"""

from __future__ import annotations

from pathlib import Path

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile


HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
PIP_PIN = "pip==25.3"  # the Makefile's pip
OS_LISTS = ("os-packages-rhel.txt", "os-packages-debian.txt")
SUMS = "SHA256SUMS"
MANIFEST = "MANIFEST.json"
WHEEL_NAME = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+)(-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$")


class WheelhouseError(Exception):
    """A wheelhouse that cannot be used; ``japanese`` is for the person, the message for the log."""

    def __init__(self, japanese: str, english: str):
        super().__init__(english)
        self.japanese = japanese


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(requirements: Path) -> dict[str, str]:
    """``name -> version`` of every ``name==version`` line (editable and option lines skipped)."""
    found = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-") or "==" not in line:
            continue
        name, version = line.split("==", 1)
        found[normalize(name.split("[", 1)[0].strip())] = version.split(";", 1)[0].strip()
    return found


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_sums(folder: Path) -> None:
    lines = [
        f"{sha256(path)}  {path.relative_to(folder).as_posix()}"
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != SUMS
    ]
    (folder / SUMS).write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(out: Path, requirements: Path, python: str) -> Path:
    """Fill ``out`` (a new folder) and write ``out.tar`` beside it; return the archive."""
    if out.exists() and any(out.iterdir()):
        raise WheelhouseError(f"{out} は空ではありません。", f"{out} is not empty")
    wheels = out / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    locked = pins(requirements)
    with tempfile.TemporaryDirectory(prefix="saiyo-wheelhouse-") as tmp:
        wanted = Path(tmp) / "requirements.txt"
        wanted.write_text(
            "\n".join([PIP_PIN, *(f"{name}=={version}" for name, version in sorted(locked.items()))]) + "\n",
            encoding="utf-8",
        )
        # --no-deps: the lock is complete (verify proves it); sdists are built into wheels here.
        subprocess.run(
            [python, "-m", "pip", "wheel", "-q", "--no-deps", "--wheel-dir", str(wheels), "-r", str(wanted)],
            check=True,
        )
    shutil.copy2(requirements, out / "requirements.txt")
    for name in OS_LISTS:
        shutil.copy2(HERE / name, out / name)
    commit = ""
    if (ROOT / ".git").exists():
        source = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True)
        commit = source.stdout.strip()
        if commit:
            subprocess.run(
                [
                    "git",
                    "-C",
                    str(ROOT),
                    "archive",
                    "--format=tar",
                    "-o",
                    str(out / "saiyo-source.tar"),
                    commit,
                ],
                check=True,
            )
    version = subprocess.run(
        [python, "-c", "import platform, sys; print(sys.version.split()[0], platform.machine())"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    manifest = {
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "python": version[0],
        "machine": version[1],
        "platform": platform.platform(),
        "commit": commit,
        "pins": len(locked),
        "wheels": len(list(wheels.glob("*.whl"))),
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_sums(out)
    verify_folder(out, out / "requirements.txt")
    archive = out.with_name(out.name + ".tar")
    with tarfile.open(archive, "w") as tar:
        tar.add(out, arcname=out.name)
    archive.with_name(archive.name + ".sha256").write_text(
        f"{sha256(archive)}  {archive.name}\n", encoding="utf-8"
    )
    return archive


def verify_folder(folder: Path, requirements: Path) -> Path:
    """Check ``SHA256SUMS`` and that every pin has its wheel; return the wheel folder."""
    sums = folder / SUMS
    if not sums.is_file():
        raise WheelhouseError(f"{folder} に {SUMS} がありません。", f"{folder}: no {SUMS}")
    listed = {}
    for line in sums.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split(None, 1)
            listed[name.lstrip("*")] = digest
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != SUMS}
    if present - set(listed):
        extra = ", ".join(sorted(present - set(listed))[:5])
        raise WheelhouseError(
            f"チェックサムの一覧にないファイルがあります: {extra}", f"files not in {SUMS}: {extra}"
        )
    for name, digest in listed.items():
        path = folder / name
        if not path.is_file():
            raise WheelhouseError(f"ファイルがありません: {name}", f"missing file listed in {SUMS}: {name}")
        if sha256(path) != digest:
            raise WheelhouseError(
                f"ファイルが壊れているか書き換えられています: {name}", f"checksum mismatch: {name}"
            )
    wheels = folder / "wheels"
    have = set()
    for wheel in wheels.glob("*.whl"):
        match = WHEEL_NAME.match(wheel.name)
        if match:
            have.add((normalize(match["name"]), match["version"].lower()))
    missing = [
        f"{name}=={version}"
        for name, version in sorted(pins(requirements).items())
        if (name, version.lower()) not in have
    ]
    if missing:
        shown = ", ".join(missing[:8]) + (" …" if len(missing) > 8 else "")
        raise WheelhouseError(
            f"ロックファイルの {len(missing)} 個のパッケージの wheel がありません: {shown}",
            f"{len(missing)} pinned distributions have no wheel in {wheels}: {shown}",
        )
    return wheels


def open_wheelhouse(path: Path, requirements: Path, into: Path) -> Path:
    """Verify a folder or ``.tar`` (unpacked under ``into``); return its wheel folder."""
    if path.is_dir():
        return verify_folder(path, requirements)
    if not path.is_file():
        raise WheelhouseError(f"{path} がありません。", f"{path} does not exist")
    sidecar = path.with_name(path.name + ".sha256")
    if sidecar.is_file():
        expected = sidecar.read_text(encoding="utf-8").split()[0]
        if sha256(path) != expected:
            raise WheelhouseError(
                f"{path.name} のチェックサムが {sidecar.name} と一致しません（持ち込み中に壊れた可能性があります）。",
                f"{path.name}: checksum does not match {sidecar.name}",
            )
    try:
        with tarfile.open(path) as tar:
            tops = {member.name.split("/", 1)[0] for member in tar.getmembers()}
            if len(tops) != 1:
                raise WheelhouseError(
                    f"{path.name} は wheelhouse ではありません。", f"{path}: not one wheelhouse folder"
                )
            into.mkdir(parents=True, exist_ok=True)
            tar.extractall(into, filter="data")
    except tarfile.TarError as error:
        raise WheelhouseError(f"{path.name} を開けません: {error}", f"{path}: {error}") from error
    return verify_folder(into / tops.pop(), requirements)


def offline_environment() -> dict[str, str]:
    """The environment without pip's own settings: no configured index, mirror or find-links
    can then fill a gap of the wheelhouse."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
    environment["PIP_CONFIG_FILE"] = os.devnull
    environment["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"  # no call to the index
    return environment


def install(path: Path, requirements: Path, python: str) -> None:
    with tempfile.TemporaryDirectory(prefix="saiyo-wheelhouse-") as tmp:
        wheels = open_wheelhouse(path, requirements, Path(tmp))
        offline = ["--no-index", "--find-links", str(wheels)]
        environment = offline_environment()
        print(f"installing offline from {path} ({len(list(wheels.glob('*.whl')))} wheels)")
        for what in ([PIP_PIN], ["-r", str(requirements)]):
            subprocess.run(
                [python, "-m", "pip", "install", "-q", *offline, *what], check=True, env=environment
            )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    today = datetime.date.today().strftime("%Y%m%d")
    b = sub.add_parser("build", help="collect every wheel of the lock (needs the package index)")
    b.add_argument("--out", type=Path, default=ROOT / "build" / "wheelhouse" / f"saiyo-wheelhouse-{today}")
    b.add_argument("--python", default=sys.executable)
    for name in ("verify", "install"):
        p = sub.add_parser(name)
        p.add_argument("path", type=Path)
        if name == "install":
            p.add_argument("--python", required=True)
    for p in sub.choices.values():
        p.add_argument("--requirements", type=Path, default=ROOT / "requirements.txt")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            archive = build(args.out.resolve(), args.requirements.resolve(), args.python)
            print(f"wheelhouse: {args.out} and {archive} ({archive.stat().st_size // (1 << 20)} MiB)")
        elif args.command == "verify":
            with tempfile.TemporaryDirectory(prefix="saiyo-wheelhouse-") as tmp:
                wheels = open_wheelhouse(args.path, args.requirements, Path(tmp))
                count = len(list(wheels.glob("*.whl")))
            print(
                f"OK: {args.path} — {count} wheels, checksums match, every pin of {args.requirements.name} present"
            )
        else:
            install(args.path, args.requirements, args.python)
    except WheelhouseError as error:
        print(f"エラー: {error.japanese}\nError: {error}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as error:
        print(
            f"エラー: pip が失敗しました（終了コード {error.returncode}）。\nError: {error}", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
