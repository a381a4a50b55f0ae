"""Move an instance's SQLite stores (page views, audit trail) into the profile's PostgreSQL stores.

    make stores-migrate                       # instance/etc
    saiyo stores-migrate [--etc ETC] [--from DIR ...]

For a deployment that grows from one machine to several: render the instance with a profile
whose ``[stores]`` says ``kind = "postgresql"`` (``relstorage`` does), then run this once on
every machine that counted page views or wrote the audit trail before (its ``var/pageviews``
and ``var/audit``, or ``--from`` folders holding ``pageviews.sqlite``/``audit.sqlite``). The
servers may keep running: beacons counted into PostgreSQL meanwhile are added to, not replaced.

Nothing is lost or counted twice: each SQLite file gets a random id the first time it is
migrated, and its rows go into PostgreSQL in one transaction together with a record of that
id, so a second run (or a run after a crash) adds nothing and says so. The SQLite files are
left as they are (remove them once アクセス集計 and 操作履歴 show the data).
"""

from pathlib import Path

import argparse
import os
import sys


def configure_instance(etc: Path) -> None:
    """Zope's configuration (clienthome) and zope.conf's <environment>, without opening the ZODB."""
    from saiyo_backend.config import read_instance
    from saiyo_backend.zope.runner import configure

    read_instance(etc)  # says "run make instance first" when there is nothing rendered
    options = configure(Path(etc).resolve() / "zope.conf")
    os.environ.update(options.configroot.environment or {})


def migrate(folders: list[Path], dsn: str | None = None, schema: str | None = None) -> list[str]:
    """Migrate the stores found in ``folders``; one line per file for the operator."""
    from kagoshima.saiyo.analytics import store as pageviews
    from kagoshima.saiyo.security import audit

    lines = []
    target_views = pageviews.PostgresPageViewStore(dsn, schema)
    target_audit = audit.PostgresAuditStore(dsn, schema)
    for folder in folders:
        for name, source_class, target in (
            (pageviews.FILE_NAME, pageviews.PageViewStore, target_views),
            (audit.FILE_NAME, audit.AuditStore, target_audit),
        ):
            path = folder / name
            if not path.is_file():
                continue
            source = source_class(path)
            moved = target.migrate_from(source)
            source.connection().close()
            if moved is None:
                lines.append(f"{path}: migrated before, nothing added / 移行済みのため何もしません")
            else:
                lines.append(f"{path}: {moved} rows into PostgreSQL / {moved} 行を PostgreSQL へ移しました")
    return lines


def main(argv, etc: Path) -> int:
    from kagoshima.saiyo import stores

    parser = argparse.ArgumentParser(prog="saiyo stores-migrate", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--from",
        dest="folders",
        type=Path,
        action="append",
        default=[],
        help="a folder with pageviews.sqlite and/or audit.sqlite (default: the instance's)",
    )
    args = parser.parse_args(argv)
    configure_instance(etc)
    if not stores.configured_dsn():
        print(
            'エラー: プロファイルの [stores] が PostgreSQL ではありません（kind = "postgresql" と dsn を設定し、'
            "make instance をやり直してください） / the profile's [stores] is not PostgreSQL: nothing to migrate into",
            file=sys.stderr,
        )
        return 2
    folders = args.folders
    if not folders:  # where this instance kept them: $SAIYO_PAGEVIEWS_DIR/$SAIYO_AUDIT_DIR or <var>/…
        from kagoshima.saiyo.analytics import store as pageviews
        from kagoshima.saiyo.security import audit

        folders = [pageviews.default_directory(), audit.default_directory()]
    lines = migrate(folders)
    for line in lines or ["no SQLite stores found / SQLite のデータはありません"]:
        print(line)
    return 0
