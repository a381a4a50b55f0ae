"""Backup names: one per second, never reused; interrupted snapshots are neither reused nor linked."""

from pathlib import Path
from saiyo_backend.cluster import maintenance

import os


def test_a_second_backup_in_the_same_second_waits_for_a_new_name(tmp_path, monkeypatch):
    seconds = iter(["2026-12-02-10-00-00", "2026-12-02-10-00-00", "2026-12-02-10-00-01"])
    monkeypatch.setattr(maintenance, "_now", lambda: next(seconds))
    monkeypatch.setattr(maintenance.time, "sleep", lambda _: None)
    (tmp_path / "blobs" / "2026-12-02-10-00-00").mkdir(parents=True)
    assert maintenance.unused_stamp(tmp_path) == "2026-12-02-10-00-01"


def test_snapshot_ignores_and_replaces_an_interrupted_one(tmp_path):
    blobs = tmp_path / "blobstorage"
    blobs.mkdir()
    (blobs / "a.blob").write_bytes(b"new")
    snapshots = tmp_path / "snapshots"
    interrupted = snapshots / "2026-12-02-10-00-00.partial"
    interrupted.mkdir(parents=True)
    (interrupted / "a.blob").write_bytes(b"half")
    (interrupted / "stale.blob").write_bytes(b"x")
    final = maintenance.snapshot_blobs(blobs, snapshots, "2026-12-02-10-00-00")
    assert final == snapshots / "2026-12-02-10-00-00"
    assert sorted(path.name for path in final.iterdir()) == ["a.blob"]
    assert (final / "a.blob").read_bytes() == b"new"
    assert not interrupted.exists()
    # The next snapshot links the unchanged file to this one, not to anything partial.
    second = maintenance.snapshot_blobs(blobs, snapshots, "2026-12-02-10-00-01")
    assert os.stat(second / "a.blob").st_ino == os.stat(final / "a.blob").st_ino
    assert Path(second).name == "2026-12-02-10-00-01"
