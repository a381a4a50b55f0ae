"""The recovery commands of the incident chapter (docs/operations/incidents.md), run as an
operator runs them: the ``saiyo`` console script against a running ZEO deployment.

A stopped client is seen by ``cluster status`` (exit 3) and ``check`` (WARNING) and comes back
with the start that 'make cluster' runs; ``pack`` and a pruning ``backup`` free space, and
``backups`` lists what is left (disk full); ``cluster stop`` and ``restore --date`` bring the
site back as it was between two backups, on a server whose clock is Japan's (a damaged
database, an intrusion). Restoring the last backup is proven in test_backup_restore.py.
"""

from datetime import datetime
from pathlib import Path
from saiyo_backend import cluster
from saiyo_backend.cluster import maintenance
from saiyo_backend.instance import server

import os
import requests
import subprocess
import sys
import time
import zoneinfo


SAIYO = Path(sys.executable).parent / "saiyo"
JSON = {"Accept": "application/json", "Content-Type": "application/json"}
JAPAN = {**os.environ, "TZ": "Asia/Tokyo"}


def saiyo(deployment, *args, env=None):
    base = ["--base", deployment.layout["base"]]
    command = (
        [str(SAIYO), *args[:2], *base, *args[2:]]
        if args[0] == "cluster"
        else [str(SAIYO), args[0], *base, *args[1:]]
    )
    return subprocess.run(command, capture_output=True, text=True, timeout=600, env=env)


def test_a_stopped_client_is_seen_and_brought_back(zeo_cluster):
    client2 = zeo_cluster.layout["clients"][1]
    saiyo(zeo_cluster, "check")  # reads the logs so far (other tests provoke errors on purpose)
    assert server.stop(Path(client2["etc"])) == 0
    try:
        status = saiyo(zeo_cluster, "cluster", "status")
        assert status.returncode == 3, status.stdout
        assert f"{client2['name']}: not running" in status.stdout
        checked = saiyo(zeo_cluster, "check")
        # nginx passes the public request to the client that answers: the site still works.
        assert checked.returncode in (1, 2), checked.stdout  # WARNING (CRITICAL if its logs say so)
        assert checked.stdout.startswith(
            f"SAIYO {'WARNING' if checked.returncode == 1 else 'CRITICAL'} - site 200"
        )
        assert f"{client2['name']} down" in checked.stdout and "1/2 clients" in checked.stdout
    finally:
        # What 'make cluster' runs after rendering: starts what is stopped, leaves the rest.
        assert cluster.start(zeo_cluster.layout, create_site=False) == 0
    status = saiyo(zeo_cluster, "cluster", "status")
    assert status.returncode == 0, status.stdout
    assert "not running" not in status.stdout
    assert "2/2 clients" in saiyo(zeo_cluster, "check").stdout


def test_pack_and_fewer_backup_generations_free_space(zeo_cluster):
    for _ in range(2):
        done = saiyo(zeo_cluster, "backup", "--full")
        assert done.returncode == 0, done.stderr
    root = maintenance.backup_dir(zeo_cluster.layout)
    snapshots = [path for path in (root / "blobs").iterdir() if path.is_dir()]
    assert len(snapshots) >= 2

    packed = saiyo(zeo_cluster, "pack", "--days", "0")
    assert packed.returncode == 0, packed.stderr
    assert "packed: history older than 0.0 days removed" in packed.stdout

    pruned = saiyo(zeo_cluster, "backup", "--full", "--keep-full", "1", "--keep", "1")
    assert pruned.returncode == 0, pruned.stderr
    assert len([path for path in (root / "blobs").iterdir() if path.is_dir()]) == 1
    assert len(list((root / "repozo").glob("*.fsz")) + list((root / "repozo").glob("*.fs"))) == 1

    listed = saiyo(zeo_cluster, "backups")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[-1].startswith("last backup: 0.0 hours ago")


def test_restore_to_a_date_between_two_backups_on_a_server_in_japan(zeo_cluster):
    url, admin = zeo_cluster.client_url(1), zeo_cluster.admin
    page = f"{url}/news/restore-to-a-date"
    created = requests.post(
        f"{url}/news",
        json={
            "@type": "Document",
            "id": "restore-to-a-date",
            "title": "日時指定の復元",
            "description": "戻る説明",
        },
        headers=JSON,
        auth=admin,
        timeout=120,
    )
    assert created.status_code == 201, created.text
    # Backups named in Japan's time (repozo names its files in UTC whatever the clock).
    assert saiyo(zeo_cluster, "backup", "--full", env=JAPAN).returncode == 0
    time.sleep(2)
    date = datetime.now(zoneinfo.ZoneInfo("Asia/Tokyo")).strftime("%Y-%m-%d-%H-%M-%S")
    time.sleep(2)
    changed = requests.patch(page, json={"description": "消える説明"}, headers=JSON, auth=admin, timeout=60)
    assert changed.status_code == 204
    assert saiyo(zeo_cluster, "backup", env=JAPAN).returncode == 0  # incremental, after the date

    stopped = saiyo(zeo_cluster, "cluster", "stop")
    assert stopped.returncode == 0, stopped.stderr
    try:
        restored = saiyo(zeo_cluster, "restore", "--date", date, env=JAPAN)
        assert restored.returncode == 0, restored.stderr
    finally:
        assert cluster.start(zeo_cluster.layout, create_site=False) == 0
    item = requests.get(page, headers=JSON, auth=admin, timeout=60)
    assert item.status_code == 200
    assert item.json()["description"] == "戻る説明"
    requests.delete(page, headers=JSON, auth=admin, timeout=60)


def test_restore_dates_are_the_servers_local_time():
    japan = subprocess.run(
        [
            sys.executable,
            "-c",
            "from saiyo_backend.cluster import maintenance as m; print(m.repozo_date('2026-12-01-11'))",
        ],
        capture_output=True,
        text=True,
        env=JAPAN,
        check=True,
    )
    assert japan.stdout.strip() == "2026-12-01-02-00-00"  # repozo's file names are UTC
