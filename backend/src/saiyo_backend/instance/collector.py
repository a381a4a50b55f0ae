"""Serve the page-view collector alone, beside Zope, for the reverse proxy to route beacons to.

    saiyo collector [--etc instance/etc] [--port 8090] [--threads 2]

Every Zope process answers ``POST /@@pv`` itself (the ``pageviews`` filter in zope.ini), so
this is optional. It is for a site that grows: the proxy sends the beacons here instead,
e.g. with nginx ``location = /@@pv { proxy_pass http://127.0.0.1:8090; }``, and the Zope
processes then spend no time at all on them (``make bench`` measures both ways). It writes
to the same store as the Zope processes (the add-on's rule, ``store.default_directory``, applied
to the instance's zope.conf: ``$SAIYO_PAGEVIEWS_DIR`` or ``<var>/pageviews``; or ``--directory``); SQLite serialises the writers, so nothing is lost. When the profile's
``[stores]`` puts the stores in PostgreSQL, it counts there, as every Zope client of every machine
does. Run it under the same user as Zope, e.g. as a systemd service with ``Restart=on-failure``.
"""

from pathlib import Path

import argparse
import logging


def store_directory(etc: Path) -> Path | None:
    """Where the instance's Zope processes keep the page views: the add-on decides, from zope.conf.

    None when they keep them in PostgreSQL (zope.conf's ``SAIYO_STORES_DSN``)."""
    from kagoshima.saiyo import stores
    from kagoshima.saiyo.analytics.store import default_directory
    from saiyo_backend.config import read_instance
    from saiyo_backend.zope.runner import configure

    import os

    read_instance(etc)  # says "run make instance first" when there is nothing rendered
    options = configure(Path(etc).resolve() / "zope.conf")
    os.environ.update(options.configroot.environment or {})  # zope.conf's <environment>, as runwsgi does
    if stores.configured_dsn():
        return None
    return default_directory()


def main(argv, etc: Path) -> int:
    parser = argparse.ArgumentParser(prog="saiyo collector", description=__doc__.split("\n\n")[0])
    parser.add_argument("--directory", type=Path, help="the store's folder (default: <var>/pageviews)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)

    from kagoshima.saiyo.wsgi.pageviews import make_app

    import waitress

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s [%(name)s] %(message)s")
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth" at every burst
    directory = args.directory or store_directory(etc)
    where = directory or "PostgreSQL (the profile's [stores])"
    print(f"page-view collector on http://{args.host}:{args.port}/@@pv, store {where}", flush=True)
    waitress.serve(
        make_app({}, directory=str(directory) if directory else None),
        host=args.host,
        port=args.port,
        threads=args.threads,
    )
    return 0
