"""Serve the page-view collector alone, beside Zope, for the reverse proxy to route beacons to.

    python -m backend.pageview_collector [--etc instance/etc] [--port 8090] [--threads 2]

Every Zope process answers ``POST /@@pv`` itself (the ``pageviews`` filter in zope.ini), so
this is optional. It is for a site that grows: the proxy sends the beacons here instead,
e.g. with nginx ``location = /@@pv { proxy_pass http://127.0.0.1:8090; }``, and the Zope
processes then spend no time at all on them (``make bench`` measures both ways). It writes
to the same store as the Zope processes (``<var>/pageviews``, or ``$SAIYO_PAGEVIEWS_DIR``,
or ``--directory``); SQLite serialises the writers, so nothing is lost. Run it under the
same user as Zope, e.g. as a systemd service with ``Restart=on-failure``.
"""

from pathlib import Path

import argparse
import logging
import os
import sys
import tomllib


ROOT = Path(__file__).resolve().parent.parent


def store_directory(etc: Path) -> Path:
    configured = os.environ.get("SAIYO_PAGEVIEWS_DIR")
    if configured:
        return Path(configured)
    info = etc / "instance.toml"
    if not info.is_file():
        raise SystemExit(
            f"エラー: {etc} にインスタンスがありません。先に make instance を実行してください。\n"
            f"Error: no rendered instance in {etc}; run 'make instance' first."
        )
    return Path(tomllib.loads(info.read_text(encoding="utf-8"))["var"]) / "pageviews"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--etc", type=Path, default=ROOT / "instance" / "etc")
    parser.add_argument("--directory", type=Path, help="the store's folder (default: <var>/pageviews)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)

    from kagoshima.saiyo.wsgi.pageviews import make_app

    import waitress

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s [%(name)s] %(message)s")
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth" at every burst
    directory = args.directory or store_directory(args.etc)
    print(f"page-view collector on http://{args.host}:{args.port}/@@pv, store {directory}", flush=True)
    waitress.serve(
        make_app({}, directory=str(directory)), host=args.host, port=args.port, threads=args.threads
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
