"""Write last month's page-view report (アクセス集計) as CSV and .xlsx, for a scheduled job.

    make report                                     # the previous month, into instance/var/reports/
    python -m backend.pageview_report [--month 2026-10] [--etc instance/etc] [--output DIR] [--site-url URL]
    zconsole run instance/etc/zope.conf backend/pageview_report.py [--month 2026-10] [--output DIR]

It writes ``pageviews-YYYY-MM.csv`` (UTF-8 with BOM, opens in Excel) and
``pageviews-YYYY-MM.xlsx`` — the same figures as サイト設定 → アクセス集計, made by the same
code (``kagoshima.saiyo.analytics.report``) — into ``<var>/reports/`` unless ``--output``
says otherwise. "The previous month" is the month before today in Asia/Tokyo, whatever the
server's time zone. Titles and paths come from the site's catalog, so the Zope
configuration is loaded; ``python -m backend.pageview_report`` opens the database
**read-only**, which takes no lock and therefore runs while the site is being served (a
FileStorage is locked by the running Zope, so ``zconsole run`` works only when the server
is stopped or the storage is ZEO/RelStorage). Nothing is written to the database.

Schedule it for the first day of each month, for example at 06:00 Japan time.

cron (``crontab -e`` as the user that runs the site; cron uses the server's clock, so
set ``CRON_TZ`` where cron supports it, or convert to the server's time zone)::

    CRON_TZ=Asia/Tokyo
    0 6 1 * *  cd /srv/saiyo && .venv/bin/python -m backend.pageview_report >> instance/var/log/report.log 2>&1

systemd (``/etc/systemd/system/saiyo-pageview-report.service`` and ``.timer``)::

    [Unit]
    Description=kagoshima.saiyo monthly page-view report

    [Service]
    Type=oneshot
    User=saiyo
    WorkingDirectory=/srv/saiyo
    ExecStart=/srv/saiyo/.venv/bin/python -m backend.pageview_report

    # saiyo-pageview-report.timer
    [Timer]
    OnCalendar=*-*-01 06:00:00 Asia/Tokyo
    Persistent=true

    [Install]
    WantedBy=timers.target

then ``systemctl enable --now saiyo-pageview-report.timer``. The exit status is 0 when
both files were written; the files of a month are overwritten when it is run again.
"""

from pathlib import Path

import argparse
import os
import sys
import tomllib


ROOT = Path(__file__).resolve().parent.parent


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--month", help="YYYY-MM (default: the previous month in Asia/Tokyo)")
    parser.add_argument("--etc", type=Path, default=ROOT / "instance" / "etc", help="the rendered instance")
    parser.add_argument("--output", type=Path, help="folder for the files (default: <var>/reports)")
    parser.add_argument(
        "--site-url",
        default=os.environ.get("SAIYO_SITE_URL", ""),
        help="public address of the site, for the URL column (default: $SAIYO_SITE_URL; none: no URLs)",
    )
    return parser.parse_args(argv)


def instance_settings(etc: Path | None) -> dict:
    """etc/instance.toml (site id, var), or the running Zope's configuration."""
    from App.config import getConfiguration

    config = getConfiguration()
    for candidate in (
        etc / "instance.toml" if etc else None,
        Path(config.instancehome) / "etc" / "instance.toml",
    ):
        if candidate is not None and candidate.is_file():
            return tomllib.loads(candidate.read_text(encoding="utf-8"))
    return {"site_id": "Plone", "var": config.clienthome}


def make_read_only(factory) -> None:
    """Set read-only on a storage section and on the storage a <blobstorage> wraps."""
    config = factory.config
    base = getattr(config, "base", None)
    if base is not None:
        make_read_only(base)
    if hasattr(config, "read_only"):
        config.read_only = True


def open_read_only(zope_conf: Path):
    """Zope's application root with every database opened read-only (no lock taken)."""
    from AccessControl.SecurityManagement import newSecurityManager
    from AccessControl.users import system
    from App.config import setConfiguration
    from Testing.makerequest import makerequest
    from zope.globalrequest import setRequest
    from Zope2.Startup import get_wsgi_starter
    from Zope2.Startup.handlers import handleWSGIConfig
    from Zope2.Startup.options import ZopeWSGIOptions

    import Zope2

    starter = get_wsgi_starter()
    options = ZopeWSGIOptions(configfile=str(zope_conf))()
    for database in options.configroot.databases:
        make_read_only(database.config.storage)
    handleWSGIConfig(options.configroot, options.confighandlers)
    setConfiguration(options.configroot)
    starter.setConfiguration(options.configroot)
    starter.prepare()
    app = makerequest(Zope2.app())
    app.REQUEST["PARENTS"] = [app]
    setRequest(app.REQUEST)
    newSecurityManager(None, system)
    return app


def write_report(app, args) -> int:
    from kagoshima.saiyo.analytics import report
    from kagoshima.saiyo.analytics import store
    from zope.component.hooks import setSite

    settings = instance_settings(args.etc)
    site = app.get(settings["site_id"])
    if site is None:
        print(
            f"エラー: サイト {settings['site_id']!r} がありません / no site {settings['site_id']!r}",
            file=sys.stderr,
        )
        return 2
    setSite(site)
    if args.site_url:
        from backend.zope_request import serve_at

        serve_at(site, args.site_url)
    month = args.month or store.previous_month()
    if not store.valid_month(month):
        print(
            f"エラー: 月は YYYY-MM の形で指定してください / --month must be YYYY-MM, got {month!r}",
            file=sys.stderr,
        )
        return 2
    result = report.build_report(site, month)
    if not args.site_url:
        for row in result.rows:
            row.url = ""  # a script has no public address: "http://nohost/Plone/..." helps nobody
    output = args.output or Path(settings["var"]) / "reports"
    output.mkdir(parents=True, exist_ok=True)
    for extension, data in (("csv", report.to_csv(result)), ("xlsx", report.to_xlsx(result))):
        target = output / report.file_name(month, extension)
        partial = target.with_name(target.name + ".part")
        partial.write_bytes(data)
        partial.replace(target)
        print(f"wrote {target}")
    print(f"{month}: {result.total:,} page views of {result.pages:,} pages")
    return 0


def main(argv=None) -> int:
    args = parse(argv)
    zope_conf = args.etc / "zope.conf"
    if not zope_conf.is_file():
        print(
            f"エラー: {zope_conf} がありません。先に make instance を実行してください。\n"
            f"Error: no {zope_conf}; run 'make instance' first.",
            file=sys.stderr,
        )
        return 2
    return write_report(open_read_only(zope_conf.resolve()), args)


if __name__ == "__main__":
    if "app" in globals():
        # Run by "zconsole run <zope.conf> <this script>" (or "bin/instance run"), which binds "app".
        arguments = parse(sys.argv[1:])
        arguments.etc = None
        sys.exit(write_report(app, arguments))  # noqa: F821
    sys.exit(main())
