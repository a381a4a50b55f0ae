"""Back up, change, restore: the restored site equals the backed-up one (ZEO: repozo + blob
snapshot; RelStorage: pg_dump), content, history-relevant dates and file (blob) bytes."""

from saiyo_backend import cluster
from saiyo_backend.cluster import maintenance

import base64
import pytest
import requests
import shutil
import zipfile


JSON = {"Accept": "application/json", "Content-Type": "application/json"}
PDF = b"%PDF-1.4\n% saiyo backup test\n" + bytes(range(256)) * 64


@pytest.fixture(params=["zeo", "relstorage"])
def deployment(request):
    return request.getfixturevalue(f"{request.param}_cluster")


def state(deployment) -> list:
    url = deployment.client_url(1)
    reply = requests.get(
        f"{url}/@search",
        params={"b_size": 5000, "sort_on": "path", "metadata_fields": ["modified", "UID", "review_state"]},
        headers=JSON,
        auth=deployment.admin,
        timeout=120,
    )
    reply.raise_for_status()
    return [
        (item["@id"], item["UID"], item["title"], item["modified"], item["review_state"])
        for item in reply.json()["items"]
    ]


def test_restore_brings_back_the_backed_up_site(deployment, monkeypatch, tmp_path):
    """The backup is made with the prefecture's passphrase set and restored from its encrypted
    zip alone: the unencrypted backup folder is moved away before the restore."""
    passphrase = tmp_path / "archive-passphrase"
    passphrase.write_text("県の保管するパスフレーズ-2026\n", encoding="utf-8")
    monkeypatch.setenv("SAIYO_ARCHIVE_PASSPHRASE_FILE", str(passphrase))
    url, admin = deployment.client_url(1), deployment.admin
    added = requests.post(
        f"{url}/shiken",
        json={
            "@type": "File",
            "id": "backup-test-guide",
            "title": "バックアップ試験用の案内PDF",
            "file": {
                "data": base64.b64encode(PDF).decode(),
                "encoding": "base64",
                "filename": "guide.pdf",
                "content-type": "application/pdf",
            },
        },
        headers=JSON,
        auth=admin,
        timeout=120,
    )
    assert added.status_code == 201, added.text
    before = state(deployment)
    maintenance.backup(deployment.layout, full=True)

    # Change everything a backup must undo: a title, a deleted file, a new page.
    assert (
        requests.patch(
            f"{url}/shiken", json={"title": "変更後"}, headers=JSON, auth=admin, timeout=60
        ).status_code
        == 204
    )
    assert (
        requests.delete(f"{url}/shiken/backup-test-guide", headers=JSON, auth=admin, timeout=60).status_code
        == 204
    )
    assert (
        requests.post(
            f"{url}/news",
            json={"@type": "News Item", "title": "復元で消えるお知らせ"},
            headers=JSON,
            auth=admin,
            timeout=60,
        ).status_code
        == 201
    )
    assert state(deployment) != before

    sealed = sorted((maintenance.backup_dir(deployment.layout) / "encrypted").glob("saiyo-backup-*.zip"))[-1]
    with zipfile.ZipFile(sealed) as archive:
        assert all(info.flag_bits & 0x1 for info in archive.infolist())  # every entry encrypted
    carried = tmp_path / sealed.name
    shutil.copy2(sealed, carried)
    plain = maintenance.backup_dir(deployment.layout)
    shutil.move(plain, tmp_path / "plain-backup")
    try:
        cluster.stop(deployment.layout)
        monkeypatch.setenv("SAIYO_ARCHIVE_PASSPHRASE", "a-wrong-passphrase")
        monkeypatch.delenv("SAIYO_ARCHIVE_PASSPHRASE_FILE")
        with pytest.raises(SystemExit) as refused:
            maintenance.restore(deployment.layout, archive=carried)
        assert "パスフレーズが違います" in str(refused.value)
        monkeypatch.setenv("SAIYO_ARCHIVE_PASSPHRASE_FILE", str(passphrase))
        maintenance.restore(deployment.layout, archive=carried)
    finally:
        shutil.rmtree(plain, ignore_errors=True)
        shutil.move(tmp_path / "plain-backup", plain)  # the other tests' backups
        # Started again whatever happened above: the tests after this one need the deployment.
        started = cluster.start(deployment.layout, create_site=False)
    assert started == 0

    assert state(deployment) == before
    download = requests.get(f"{url}/shiken/backup-test-guide/@@download/file", auth=admin, timeout=60)
    assert download.status_code == 200
    assert download.content == PDF


def test_restore_refuses_while_the_site_runs(deployment):
    with pytest.raises(SystemExit) as refused:
        maintenance.restore(deployment.layout)
    assert "make cluster-stop" in str(refused.value)


def test_backups_are_incremental_and_snapshots_share_files(zeo_cluster):
    maintenance.backup(zeo_cluster.layout, full=True)
    # repozo writes an incremental backup only when the database changed.
    url, admin = zeo_cluster.client_url(1), zeo_cluster.admin
    assert requests.patch(
        f"{url}/shiken", json={"description": "増分の確認"}, headers=JSON, auth=admin, timeout=60
    ).ok
    maintenance.backup(zeo_cluster.layout)
    repozo = maintenance.backup_dir(zeo_cluster.layout) / "repozo"
    assert list(repozo.glob("*.deltafs*")), "the second backup should be incremental"
    snapshots = sorted(
        p for p in (maintenance.backup_dir(zeo_cluster.layout) / "blobs").iterdir() if p.is_dir()
    )
    newest, previous = snapshots[-1], snapshots[-2]
    shared = [
        p
        for p in newest.rglob("*.blob")
        if (previous / p.relative_to(newest)).stat().st_ino == p.stat().st_ino
    ]
    assert shared, "unchanged blobs are hard links to the previous snapshot"
    assert maintenance.last_backup_age(zeo_cluster.layout) < 600


def test_monitoring_check_says_ok_with_nagios_exit_codes(zeo_cluster, capsys):
    from pathlib import Path
    from saiyo_backend.cluster import check as check_saiyo

    base = ["--base", zeo_cluster.layout["base"]]
    maintenance.backup(zeo_cluster.layout)
    # The first run reads the logs so far (other tests provoke errors on purpose); the next
    # reads only what came since.
    check_saiyo.main(base)
    capsys.readouterr()
    assert check_saiyo.main(base) == check_saiyo.OK, capsys.readouterr().out
    out = capsys.readouterr().out
    assert out.startswith("SAIYO OK - site 200, 2/2 clients")
    assert "logs clean" in out
    assert "| clients=2" in out
    # The check's own requests went through nginx and are counted; an error in a client's
    # event log is a WARNING once.
    check_saiyo.main(base)
    assert "requests=0;" not in capsys.readouterr().out
    event_log = Path(zeo_cluster.layout["clients"][0]["var"]) / "log" / "event.log"
    with event_log.open("a", encoding="utf-8") as log:
        log.write("2026-12-03 21:00:00 ERROR [Zope.SiteErrorLog:17][waitress-0] written by the test\n")
    assert check_saiyo.main(base) == check_saiyo.WARNING
    assert "1 log errors (last: 2026-12-03 21:00:00 ERROR" in capsys.readouterr().out
    # An impossible disk threshold is CRITICAL, a stale backup a WARNING.
    assert check_saiyo.main([*base, "--disk-crit", "101"]) == check_saiyo.CRITICAL
    assert check_saiyo.main([*base, "--backup-warn-hours", "0"]) == check_saiyo.WARNING
    assert (
        check_saiyo.main(["--base", str(Path(zeo_cluster.layout["base"]) / "nowhere")]) == check_saiyo.UNKNOWN
    )


def test_a_relstorage_restore_removes_tables_made_after_the_backup(private_postgres, tmp_path):
    """The stores create their tables when first used (the page views' at the first visitor): a backup
    taken before that must still restore, as it was, into a database that has them by now."""
    import psycopg2

    dsn = private_postgres.createdb(f"restore_{tmp_path.name[-20:].lower()}")
    layout = {"base": str(tmp_path), "clients": [], "storage": {"kind": "relstorage", "dsn": dsn}}

    def sql(*statements) -> list:
        with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
            return cursor.fetchall() if cursor.description else []

    sql(
        "CREATE TABLE object_state (zoid BIGINT PRIMARY KEY, state TEXT)",
        "INSERT INTO object_state VALUES (1, 'backed up')",
        "CREATE SCHEMA saiyo_stores",
        "CREATE TABLE saiyo_stores.events (id SERIAL PRIMARY KEY, action TEXT)",
        "INSERT INTO saiyo_stores.events (action) VALUES ('edited')",
    )
    maintenance.backup(layout)
    sql(
        "UPDATE object_state SET state = 'changed'",
        "INSERT INTO saiyo_stores.events (action) VALUES ('deleted')",
        "CREATE TABLE saiyo_stores.daily_views (day TEXT, uid TEXT, views INTEGER)",
        "CREATE TABLE saiyo_stores.settings (name TEXT PRIMARY KEY, value TEXT)",
    )
    maintenance.restore(layout)
    assert sql("SELECT state FROM object_state") == [("backed up",)]
    assert sql("SELECT action FROM saiyo_stores.events") == [("edited",)]
    tables = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'saiyo_stores'"
    assert sql(tables) == [("events",)]
