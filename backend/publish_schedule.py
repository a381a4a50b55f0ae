"""Apply 公開日時 and 公開終了日時: publish reserved pages whose time has come, expire ended ones.

    make schedule
    zconsole run instance/etc/zope.conf backend/publish_schedule.py [--site-url URL]
    bin/instance run backend/publish_schedule.py [--site-url URL]    (the buildout instance)

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
    ExecStart=/srv/saiyo/.venv/bin/zconsole run instance/etc/zope.conf backend/publish_schedule.py

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
"""

from pathlib import Path

import argparse
import sys
import tomllib
import transaction


def site_id() -> str:
    from App.config import getConfiguration

    recorded = Path(getConfiguration().instancehome) / "etc" / "instance.toml"
    if recorded.is_file():
        return tomllib.loads(recorded.read_text(encoding="utf-8")).get("site_id", "Plone")
    return "Plone"


def script_args(argv: list) -> list:
    """The arguments after this script's name: zconsole leaves its own in sys.argv.

    Also puts the repository on sys.path, so that ``backend`` imports as it does for
    ``python -m``: zconsole runs this file without its folder on the path.
    """
    for index, arg in enumerate(argv):
        if Path(arg).name == "publish_schedule.py":
            root = str(Path(arg).resolve().parent.parent)
            if root not in sys.path:
                sys.path.insert(0, root)
            return argv[index + 1 :]
    return argv[1:]


def main(app, argv) -> int:
    from backend.zope_request import serve_at
    from kagoshima.saiyo.workflows.schedule import apply_schedule
    from kagoshima.saiyo.workflows.schedule import summary
    from Testing.makerequest import makerequest
    from zope.component.hooks import setSite
    from zope.globalrequest import setRequest

    parser = argparse.ArgumentParser(prog="publish_schedule.py", description=__doc__.splitlines()[0])
    parser.add_argument("--site-url", help="the site's public address, for the links in mail")
    args = parser.parse_args(argv)
    app = makerequest(app)
    setRequest(app.REQUEST)
    name = site_id()
    site = app.get(name)
    if site is None:
        print(f"error: no site {name!r} in this database", file=sys.stderr)
        return 2
    setSite(site)
    if args.site_url:
        serve_at(site, args.site_url)
    counts = apply_schedule(site)
    transaction.get().note("backend/publish_schedule.py")
    transaction.commit()
    print(summary(counts), flush=True)
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    # Run by "zconsole run <zope.conf> <this script>" or "bin/instance run <this script>",
    # which both bind the Zope application root to the global "app".
    sys.exit(main(app, script_args(sys.argv)))  # noqa: F821
