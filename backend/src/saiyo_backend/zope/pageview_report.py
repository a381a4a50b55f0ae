"""Write last month's page-view report (アクセス集計) as CSV and .xlsx, for a scheduled job.

    make report                                     # the previous month, into instance/var/reports/
    saiyo report [--etc instance/etc] [--month 2026-10] [--output DIR] [--site-url URL]

It writes ``pageviews-YYYY-MM.csv`` (UTF-8 with BOM, opens in Excel) and
``pageviews-YYYY-MM.xlsx`` — the same figures as サイト設定 → アクセス集計, made by the same
code (``kagoshima.saiyo.analytics.report``) — into ``<var>/reports/`` unless ``--output``
says otherwise. "The previous month" is the month before today in Asia/Tokyo, whatever the
server's time zone. Titles and paths come from the site's catalog, so the Zope
configuration is loaded; ``saiyo report`` opens the database **read-only**, which takes
no lock and therefore runs while the site is being served. Nothing is written to the database.

Schedule it for the first day of each month, for example at 06:00 Japan time. On a deployment
of several machines (the profile's ``[stores]`` in PostgreSQL) put the timer on every machine: the
first one writes the month's report into its ``<var>/reports``, the others print ``skipped``
(``--again`` writes it anyway).

cron (``crontab -e`` as the user that runs the site; cron uses the server's clock, so
set ``CRON_TZ`` where cron supports it, or convert to the server's time zone)::

    CRON_TZ=Asia/Tokyo
    0 6 1 * *  cd /srv/saiyo && .venv/bin/saiyo report >> instance/var/log/report.log 2>&1

systemd (``/etc/systemd/system/saiyo-pageview-report.service`` and ``.timer``)::

    [Unit]
    Description=kagoshima.saiyo monthly page-view report

    [Service]
    Type=oneshot
    User=saiyo
    WorkingDirectory=/srv/saiyo
    ExecStart=/srv/saiyo/.venv/bin/saiyo report --etc /srv/saiyo/instance/etc

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
from saiyo_backend.config import running_instance
from saiyo_backend.zope.runner import from_console
from saiyo_backend.zope.runner import open_site
from saiyo_backend.zope.runner import serve_at

import argparse
import os
import sys


def parse(argv):
    parser = argparse.ArgumentParser(prog="saiyo report", description=__doc__.split("\n\n")[0])
    parser.add_argument("--month", help="YYYY-MM (default: the previous month in Asia/Tokyo)")
    parser.add_argument("--output", type=Path, help="folder for the files (default: <var>/reports)")
    parser.add_argument(
        "--again",
        action="store_true",
        help="write the report even if a machine of the deployment already wrote this month's",
    )
    parser.add_argument(
        "--site-url",
        default=os.environ.get("SAIYO_SITE_URL", ""),
        help="public address of the site, for the URL column (default: $SAIYO_SITE_URL; none: no URLs)",
    )
    return parser.parse_args(argv)


def main(app, argv) -> int:
    from kagoshima.saiyo.analytics import store

    args = parse(argv)
    site, _request = open_site(app, user="system")
    if args.site_url:
        serve_at(site, args.site_url)
    month = args.month or store.previous_month()
    if not store.valid_month(month):
        print(
            f"エラー: 月は YYYY-MM の形で指定してください / --month must be YYYY-MM, got {month!r}",
            file=sys.stderr,
        )
        return 2
    from kagoshima.saiyo import stores

    try:
        # One report per month and deployment, whichever machine's timer starts first.
        with stores.run_once("report", None if args.again else month):
            return _write(site, month, args)
    except (stores.JobAlreadyRunning, stores.JobAlreadyDone) as reason:
        print(f"{month} のレポートは他のマシンが作成中または作成済みです / skipped: {reason}")
        return 0


def _write(site, month, args) -> int:
    from kagoshima.saiyo.analytics import report

    result = report.build_report(site, month)
    if not args.site_url:
        for row in result.rows:
            row.url = ""  # a script has no public address: "http://nohost/Plone/..." helps nobody
    output = args.output or Path(running_instance()["var"]) / "reports"
    output.mkdir(parents=True, exist_ok=True)
    for extension, data in (("csv", report.to_csv(result)), ("xlsx", report.to_xlsx(result))):
        target = output / report.file_name(month, extension)
        partial = target.with_name(target.name + ".part")
        partial.write_bytes(data)
        partial.replace(target)
        print(f"wrote {target}")
    print(f"{month}: {result.total:,} page views of {result.pages:,} pages")
    return 0


if __name__ == "__main__":
    sys.exit(from_console(main, globals(), "pageview_report.py"))
