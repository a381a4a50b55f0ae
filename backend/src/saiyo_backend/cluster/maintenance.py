"""Backups, restore and packing of a deployment rendered by ``saiyo cluster``.

    saiyo backup  [--base instance] [--full]
    saiyo restore [--base instance] [--date YYYY-MM-DD-HH-MM-SS]
    saiyo pack    [--base instance] [--days 7]
    saiyo backups [--base instance]          (list them and the age of the newest)

FileStorage (profiles production and zeo): ``repozo`` writes a full backup when the last
full one is older than ``--full-every`` days (or with ``--full``), an incremental one
otherwise; the blobs are copied into a dated snapshot in which files unchanged since the
previous snapshot are hard links (blob files never change once written, so a snapshot
costs only the new blobs). RelStorage: ``pg_dump -Fc`` of the database (blobs are in it).
Retention: ``--keep-full`` full chains (repozo) / ``--keep`` dumps and blob snapshots.

Restore needs the Zope clients (and ZEO server) stopped: it refuses while one answers.

Encryption: with a passphrase configured (``SAIYO_ARCHIVE_PASSPHRASE_FILE``, see
``saiyo_backend.deploy.encryption``) every backup also writes ``encrypted/saiyo-backup-<time>.zip``
(AES-256 zip: the repozo chain and that blob snapshot, or the dump), the copy to carry off the
server; ``saiyo restore --archive FILE`` restores from such a zip alone. The same ``--keep``.
"""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from datetime import timezone
from pathlib import Path
from saiyo_backend.cluster import control
from saiyo_backend.config import INSTANCE
from saiyo_backend.config import read_layout
from saiyo_backend.deploy import encryption
from saiyo_backend.instance import server

import argparse
import math
import os
import re
import shutil
import subprocess
import tempfile
import time


BIN = control.BIN
STAMP = "%Y-%m-%d-%H-%M-%S"


def backup_dir(layout: dict) -> Path:
    return Path(layout["base"]) / "var" / "backup"


def _now() -> str:
    return datetime.now().strftime(STAMP)


def repozo_date(date: str) -> str:
    """``date`` (YYYY-MM-DD[-HH[-MM[-SS]]], local time like the backups' names) as repozo's ``-D``.

    repozo names its files, and reads ``-D``, in UTC; the blob snapshots and dumps are named in
    local time. Without this, on a server in Japan the database would come back 9 hours off its files.
    """
    parts = date.split("-")
    moment = datetime.strptime("-".join(parts + ["00"] * (6 - len(parts))), STAMP)
    return moment.astimezone(timezone.utc).strftime(STAMP)


def unused_stamp(root: Path) -> str:
    """The current second as a backup name, waiting for the next one if a backup already has it.

    Backups are named by the second, as repozo names its files, so two backups started within
    one second (a timer and an operator) must not share a name.
    """
    while True:
        stamp = _now()
        taken = (
            (root / "blobs" / stamp).exists()
            or (root / "pg" / f"saiyo-{stamp}.dump").exists()
            or any((root / "repozo").glob(f"{stamp}*"))
        )
        if not taken:
            return stamp
        time.sleep(0.2)


def snapshot_blobs(blob_dir: Path, target_root: Path, stamp: str) -> Path:
    """Copy ``blob_dir`` into ``target_root/stamp``, hard-linking files the previous snapshot has."""
    previous = (
        sorted(path for path in target_root.glob("*") if path.is_dir() and not path.name.endswith(".partial"))
        if target_root.is_dir()
        else []
    )
    last = previous[-1] if previous else None
    target = target_root / f"{stamp}.partial"
    if target.exists():  # left by a backup that was interrupted
        shutil.rmtree(target)
    for folder, _dirs, files in os.walk(blob_dir):
        relative = Path(folder).relative_to(blob_dir)
        (target / relative).mkdir(parents=True, exist_ok=True)
        for name in files:
            if name.endswith(".lock") or ".tmp" in name:
                continue
            source, copy = Path(folder) / name, target / relative / name
            old = last / relative / name if last else None
            if old is not None and old.is_file() and _same(old, source):
                os.link(old, copy)
            else:
                shutil.copy2(source, copy)
    final = target_root / stamp
    target.rename(final)  # a snapshot exists only when complete
    return final


def _same(one: Path, two: Path) -> bool:
    a, b = one.stat(), two.stat()
    return a.st_size == b.st_size and int(a.st_mtime) == int(b.st_mtime)


def _prune(paths: list[Path], keep: int) -> list[Path]:
    doomed = sorted(paths)[:-keep] if keep > 0 else []
    for path in doomed:
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    return doomed


def backup(layout: dict, full: bool = False, full_every: int = 7, keep_full: int = 4, keep: int = 14) -> Path:
    storage = layout["storage"]
    root = backup_dir(layout)
    stamp = unused_stamp(root)
    if storage["kind"] == "relstorage":
        dumps = root / "pg"
        dumps.mkdir(parents=True, exist_ok=True)
        target = dumps / f"saiyo-{stamp}.dump"
        partial = target.with_suffix(".partial")
        subprocess.run(["pg_dump", "-Fc", "--no-owner", "-f", str(partial), "-d", storage["dsn"]], check=True)
        partial.rename(target)
        _prune(list(dumps.glob("saiyo-*.dump")), keep)
        print(f"pg_dump: {target} ({target.stat().st_size} bytes)")
        seal(root, stamp, [target], keep)
        return target
    repozo_dir = root / "repozo"
    repozo_dir.mkdir(parents=True, exist_ok=True)
    fulls = sorted(path for path in repozo_dir.iterdir() if path.suffix in (".fs", ".fsz"))
    stale = not fulls or time.time() - fulls[-1].stat().st_mtime > full_every * 86400
    command = [str(BIN / "repozo"), "-B", "-z", "-r", str(repozo_dir), "-f", storage["data_fs"]]
    if full or stale:
        command.append("-F")
    subprocess.run(command, check=True, capture_output=True, text=True)
    full_files = sorted(path for path in repozo_dir.iterdir() if path.suffix in (".fs", ".fsz"))
    # Retention: drop every file older than the keep_full-th newest full backup.
    if len(full_files) > keep_full:
        oldest_kept = full_files[-keep_full].name[:19]
        for path in repozo_dir.iterdir():
            if path.name[:19] < oldest_kept:
                path.unlink()
    snapshot = snapshot_blobs(Path(storage["blob_dir"]), root / "blobs", stamp)
    _prune(
        [path for path in (root / "blobs").iterdir() if path.is_dir() and not path.name.endswith(".partial")],
        keep,
    )
    print(f"repozo: {repozo_dir} ({'full' if full or stale else 'incremental'}); blobs: {snapshot}")
    seal(root, stamp, [*sorted(repozo_dir.iterdir()), snapshot], keep)
    return snapshot


def seal(root: Path, stamp: str, paths: list[Path], keep: int) -> Path | None:
    """With a passphrase configured, the AES-256 zip of one restorable backup (``paths``, under
    ``root``) in ``root/encrypted``; the newest ``keep`` are kept."""
    secret = encryption.passphrase()
    if not secret:
        return None
    sealed = root / "encrypted"
    sealed.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root, prefix=".seal-") as tmp:
        bundle = Path(tmp) / f"saiyo-backup-{stamp}"
        for path in paths:  # hard links: the bundle costs no copy
            for source in [path] if path.is_file() else (p for p in path.rglob("*") if p.is_file()):
                link = bundle / source.relative_to(root)
                link.parent.mkdir(parents=True, exist_ok=True)
                os.link(source, link)
        target = encryption.write(bundle, sealed / f"{bundle.name}.zip", secret, compress=False)
    _prune(list(sealed.glob("saiyo-backup-*.zip")), keep)
    print(f"encrypted: {target} ({target.stat().st_size} bytes, AES-256)")
    return target


def _refuse_if_running(layout: dict) -> None:
    for client in layout["clients"]:
        if server.running_pid(server.settings(Path(client["etc"]))):
            raise SystemExit(
                "エラー: Zope のクライアントが動いています。make cluster-stop で止めてから復元してください。\n"
                "Error: a Zope client is running; stop the deployment (make cluster-stop) before restoring."
            )


def restore(layout: dict, date: str | None = None, archive: Path | None = None) -> None:
    """Put the database and blobs back as they were at the last backup (or at ``date``), or
    as the encrypted backup ``archive`` holds them."""
    _refuse_if_running(layout)
    if archive is not None:
        try:
            secret = encryption.passphrase()
            backup_dir(layout).mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=backup_dir(layout), prefix=".unseal-") as tmp:
                root = encryption.extract(Path(archive), Path(tmp), secret)
                return _restore(layout, root, date)
        except encryption.ArchiveError as error:
            raise SystemExit(f"エラー: {error.japanese}\nError: {error}") from error
    return _restore(layout, backup_dir(layout), date)


def dumped_schemas(dump: Path) -> list[str]:
    """The schemas a ``pg_dump -Fc`` file holds besides ``public`` (e.g. the stores' ``saiyo_stores``)."""
    listing = subprocess.run(["pg_restore", "-l", str(dump)], capture_output=True, text=True, check=True)
    found = (re.match(r"\d+; \d+ \d+ SCHEMA - (\S+) ", line) for line in listing.stdout.splitlines())
    return sorted({match.group(1) for match in found if match and match.group(1) != "public"})


def restore_dump(dump: Path, dsn: str) -> None:
    """Put the database back as ``dump`` holds it, in one transaction (nothing changes if it fails).

    ``pg_restore --clean`` drops only the objects the dump has. A table made after the backup in one
    of its schemas (the stores create theirs when first used, e.g. the page views' at the first
    visitor) made its ``DROP SCHEMA`` fail, and the whole restore with it. So every schema of the
    dump other than ``public`` is first dropped with all it holds, inside the restore's transaction:
    pg_restore writes the restore as one SQL transaction, and psql runs it with the drops after its
    ``BEGIN``.
    """
    drops = b"".join(f'DROP SCHEMA IF EXISTS "{name}" CASCADE;\n'.encode() for name in dumped_schemas(dump))
    script = subprocess.Popen(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "-f", "-", str(dump)],
        stdout=subprocess.PIPE,
    )
    psql = subprocess.Popen(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-f", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
    )
    began = False
    try:
        for line in script.stdout:
            psql.stdin.write(line)
            if not began and line.strip() == b"BEGIN;":
                psql.stdin.write(drops)
                began = True
    except BrokenPipeError:  # psql stopped at an error: its exit status says so
        pass
    finally:
        script.stdout.close()
        try:
            psql.stdin.close()
        except BrokenPipeError:
            pass
        written, applied = script.wait(), psql.wait()
    if written or applied or not began:
        raise subprocess.CalledProcessError(
            written or applied or 1,
            f"pg_restore {dump.name} | psql ({'' if began else 'no BEGIN; '}see above)",
        )


def _restore(layout: dict, root: Path, date: str | None) -> None:
    storage = layout["storage"]
    if storage["kind"] == "relstorage":
        dumps = sorted((root / "pg").glob("saiyo-*.dump"))
        if date:
            dumps = [path for path in dumps if path.name[6:25] <= date]
        if not dumps:
            raise SystemExit("エラー: 復元できるバックアップがありません / Error: no backup to restore")
        restore_dump(dumps[-1], storage["dsn"])
        print(f"restored {dumps[-1].name} into the database")
        return
    if storage["kind"] == "zeo":
        control._stop_pid(Path(layout["zeo"]["pid"]))
    data_fs = Path(storage["data_fs"])
    restored = data_fs.with_name(data_fs.name + ".restoring")
    command = [str(BIN / "repozo"), "-R", "-r", str(root / "repozo"), "-o", str(restored)]
    if date:
        command += ["-D", repozo_date(date)]
    subprocess.run(command, check=True, capture_output=True, text=True)
    snapshots = sorted(
        path for path in (root / "blobs").iterdir() if path.is_dir() and not path.name.endswith(".partial")
    )
    if date:
        snapshots = [path for path in snapshots if path.name <= date]
    if not snapshots:
        raise SystemExit("エラー: ファイル（blob）のスナップショットがありません / Error: no blob snapshot")
    blob_dir = Path(storage["blob_dir"])
    incoming = blob_dir.with_name(blob_dir.name + ".restoring")
    shutil.rmtree(incoming, ignore_errors=True)
    shutil.copytree(snapshots[-1], incoming, copy_function=shutil.copy2)
    # Swap in both only when both are complete; the old ones are kept beside them once.
    for current, new in ((data_fs, restored), (blob_dir, incoming)):
        old = current.with_name(current.name + ".before-restore")
        if old.exists():
            shutil.rmtree(old) if old.is_dir() else old.unlink()
        if current.exists():
            current.rename(old)
        new.rename(current)
    for suffix in (".index", ".lock", ".tmp"):
        Path(str(data_fs) + suffix).unlink(missing_ok=True)
    print(f"restored {data_fs} and {blob_dir} from {snapshots[-1].name}")


def pack(layout: dict, days: float | None = None) -> None:
    storage = layout["storage"]
    days = storage.get("pack_days", 7) if days is None else days
    if storage["kind"] == "zeo":
        host, port = storage["address"].rsplit(":", 1)
        # zeopack counts whole days only: keep at least what was asked for (DAYS=1.5 keeps 2).
        subprocess.run([str(BIN / "zeopack"), "-d", str(math.ceil(days)), f"{host}:{port}"], check=True)
    elif storage["kind"] == "relstorage":
        subprocess.run(
            [str(BIN / "zodbpack"), "-d", str(days), str(Path(layout["base"]) / "etc" / "zodbpack.conf")],
            check=True,
        )
    else:
        # One process holds the FileStorage: ask it to pack itself (the Manager's password
        # comes from SAIYO_ADMIN_PASSWORD, e.g. a systemd EnvironmentFile readable by root only).
        import requests

        client = layout["clients"][0]
        reply = requests.post(
            f"http://{client['host']}:{client['port']}/Control_Panel/Database/main/manage_pack",
            data={"days:float": str(days)},
            auth=("admin", os.environ["SAIYO_ADMIN_PASSWORD"]),
            timeout=3600,
            allow_redirects=False,
        )
        reply.raise_for_status()
    print(f"packed: history older than {days} days removed")


def last_backup_age(layout: dict) -> float | None:
    """Seconds since the newest complete backup, or None when there is none."""
    root = backup_dir(layout)
    candidates = list((root / "pg").glob("saiyo-*.dump")) + [
        path for path in (root / "blobs").glob("*") if path.is_dir() and not path.name.endswith(".partial")
    ]
    if not candidates:
        return None
    newest = max(
        datetime.strptime(path.name.removeprefix("saiyo-").removesuffix(".dump"), STAMP)
        for path in candidates
    )
    return (datetime.now() - newest) / timedelta(seconds=1)


def log_backup(layout: dict, line: str) -> None:
    """One line per 'saiyo backup' run in var/log/backup.log; 'saiyo check' alerts on FAILED lines."""
    path = Path(layout["base"]) / "var" / "log" / "backup.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as log:
        log.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {line}\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="saiyo", description="Back up, restore and pack the deployment")
    parser.add_argument("command", choices=["backup", "restore", "pack", "backups"])
    parser.add_argument("--base", type=Path, default=INSTANCE)
    parser.add_argument("--full", action="store_true", help="a full repozo backup now")
    parser.add_argument("--full-every", type=int, default=7, help="days between full repozo backups")
    parser.add_argument("--keep-full", type=int, default=4, help="full repozo chains to keep")
    parser.add_argument("--keep", type=int, default=14, help="blob snapshots / pg dumps to keep")
    parser.add_argument("--date", help="restore the state of this time (YYYY-MM-DD-HH-MM-SS)")
    parser.add_argument("--archive", type=Path, help="restore from this encrypted backup zip")
    parser.add_argument("--days", type=float, help="pack: keep this many days of history")
    args = parser.parse_args(argv)
    layout = read_layout(args.base)
    if args.command == "backup":
        try:
            encryption.passphrase()  # a wrong setting fails before any work
            target = backup(layout, args.full, args.full_every, args.keep_full, args.keep)
        except BaseException as error:
            log_backup(layout, f"FAILED backup: {error.__class__.__name__}: {error}")
            raise
        log_backup(layout, f"OK backup {target}")
    elif args.command == "restore":
        restore(layout, args.date, args.archive)
    elif args.command == "pack":
        pack(layout, args.days)
    else:
        for path in sorted(backup_dir(layout).rglob("*")):
            if path.is_file() and "blobs" not in path.parts:
                print(path)
        age = last_backup_age(layout)
        print(f"last backup: {'none' if age is None else f'{age / 3600:.1f} hours ago'}")
    return 0
