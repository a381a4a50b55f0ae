"""Apply 公開日時 and 公開終了日時: publish reserved pages whose time has come, expire ended ones.

    make schedule
    saiyo schedule [--etc instance/etc] [--site-url URL]
    bin/instance run backend/src/saiyo_backend/zope/publish_schedule.py [--site-url URL]    (the buildout instance)

It calls ``kagoshima.saiyo.workflows.schedule.apply_schedule`` on the site, commits, and prints
one line, e.g. ``scheduled publishing: 1 published, 2 expired, 0 failed`` (exit status 1 when a
transition failed). What it does and why (公開予約 by an administrator, ``expire`` after
公開終了日時) is described in that module. Publishing mails the author as usual; give
``--site-url https://saiyo.pref.kagoshima.example`` (the public address) so the links in that
mail point at the public site rather than at ``http://foo``.

Run it every 5 minutes. Which way depends on the storage:

**ZEO or RelStorage** (``PROFILE=zeo`` / ``relstorage``): this script is a client of its own
and runs beside the serving instance. cron (``crontab -e`` as the user that runs the site)::

    */5 * * * *  cd /srv/saiyo && make -s schedule >> instance/var/log/schedule.log 2>&1

or systemd (``saiyo-schedule.service`` + ``saiyo-schedule.timer``)::

    [Service]
    Type=oneshot
    User=saiyo
    WorkingDirectory=/srv/saiyo
    ExecStart=/srv/saiyo/.venv/bin/saiyo schedule --etc /srv/saiyo/instance/etc

    [Timer]
    OnCalendar=*:0/5
    Persistent=true

**FileStorage** (the single-node ``production`` and ``development`` profiles): the serving Zope
holds the lock of ``Data.fs``, so this script only runs while the server is stopped. While it
is served, the job runs inside the instance: POST to the site's ``@@saiyo-run-schedule`` view,
which only the Zope ``Manager`` role may call (permission ``kagoshima.saiyo: Run schedule``),
with a Zope account that has it (e.g. ``admin``), on the server itself::

    curl -fsS -X POST -u admin:PASSWORD http://127.0.0.1:8080/Plone/@@saiyo-run-schedule

In cron keep the password out of the command line (other users can list processes) with a
``.netrc`` file of mode 0600 holding ``machine 127.0.0.1 login admin password …``::

    */5 * * * *  curl -fsS -X POST --netrc-file /srv/saiyo/.schedule-netrc http://127.0.0.1:8080/Plone/@@saiyo-run-schedule >> /srv/saiyo/instance/var/log/schedule.log 2>&1

The systemd variant is the timer above with ``ExecStart=/usr/bin/curl -fsS -X POST --netrc-file …``.
A GET answers 405. Either way the answer is the same summary line.

**Several machines** (the profile's ``[stores]`` in PostgreSQL): start the timer on every machine.
The run takes the deployment-wide lock (``kagoshima.saiyo.stores.run_once``): while one machine
runs it, the others print ``skipped`` and exit 0, and a run that started in a minute another
machine already served does nothing either.
"""

from saiyo_backend.zope.runner import from_console
from saiyo_backend.zope.runner import open_site
from saiyo_backend.zope.runner import serve_at

import argparse
import sys
import time


# When this process started (before Zope is loaded, which takes seconds): the run's slot.
STARTED = time.time()


def main(app, argv) -> int:
    from datetime import datetime
    from kagoshima.saiyo import stores
    from kagoshima.saiyo.dates import TOKYO

    parser = argparse.ArgumentParser(prog="saiyo schedule", description=__doc__.splitlines()[0])
    parser.add_argument("--site-url", help="the site's public address, for the links in mail")
    args = parser.parse_args(argv)
    # One run per minute of the timer, whichever machine's timer fires first.
    slot = datetime.fromtimestamp(STARTED, TOKYO).strftime("%Y-%m-%dT%H:%M")
    try:
        with stores.run_once("schedule", slot):
            return _apply(app, args)
    except (stores.JobAlreadyRunning, stores.JobAlreadyDone) as reason:
        print(f"公開予約の処理は他のマシンが実行中または実行済みです / skipped: {reason}", flush=True)
        return 0


def _apply(app, args) -> int:
    from kagoshima.saiyo.workflows.schedule import apply_schedule
    from kagoshima.saiyo.workflows.schedule import summary

    import transaction

    # No user: apply_schedule makes the transitions itself, as it does in @@saiyo-run-schedule.
    site, _request = open_site(app, user=None)
    if args.site_url:
        serve_at(site, args.site_url)
    counts = apply_schedule(site)
    print(summary(counts), flush=True)
    # A failed transition is rolled back by apply_schedule itself; the others are kept.
    if counts["failed"]:
        return _commit_and_fail()
    transaction.get().note("saiyo schedule")
    transaction.commit()  # inside the deployment-wide lock
    return 0


def _commit_and_fail() -> int:
    import transaction

    transaction.get().note("saiyo schedule")
    transaction.commit()
    return 1


if __name__ == "__main__":
    sys.exit(from_console(main, globals(), "publish_schedule.py"))
