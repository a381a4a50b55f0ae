"""The ``saiyo`` command: every entry point of the backend, one sub-command each.

The Makefile's targets call these; operators and cron/systemd can call them directly::

    saiyo instance [--profile development] [--etc DIR] [--var DIR] [--set KEY=VALUE ...]
    saiyo run | start | stop | status [--etc DIR] [--timeout S]
    saiyo create-site | schedule | report | export | import | migrate-import | configure-caching
          | search-rebuild | training
          [--etc DIR] ...               scripts run inside Zope (saiyo_backend.zope.runner)
    saiyo collector [--etc DIR] ...     the page-view collector beside Zope
    saiyo stores-migrate [--etc DIR]    page views and audit trail from SQLite into PostgreSQL
    saiyo cluster render | start | stop | status [--profile P] [--base DIR] [--set ...] [--demo]
    saiyo backup | restore | pack | backups [--base DIR] ...
    saiyo check [--base DIR] ...        monitoring (Nagios exit codes)
    saiyo wheelhouse build | verify | install ...   the offline wheelhouse (closed network)
    saiyo audit [--db FILE] [--download] ...         vulnerability check of the lock (offline)
    saiyo preflight python | port | database | command ...
    saiyo translations | manuals | brand-images | a11y-report | buildout-versions | test-report

``--etc`` defaults to the repository's ``instance/etc`` and ``--base`` to ``instance``.
"""

from __future__ import annotations

from pathlib import Path
from saiyo_backend import config
from saiyo_backend import preflight

import argparse
import os
import sys


# Scripts run inside Zope: sub-command -> (module, open the database read-only)
ZOPE_SCRIPTS = {
    "create-site": ("saiyo_backend.zope.create_site", False),
    "schedule": ("saiyo_backend.zope.publish_schedule", False),
    "report": ("saiyo_backend.zope.pageview_report", True),
    "configure-caching": ("saiyo_backend.zope.configure_caching", False),
    "search-rebuild": ("saiyo_backend.zope.search_rebuild", False),
    "training": ("saiyo_backend.zope.training", False),
    "migrate-import": ("saiyo_backend.zope.migrate_import", False),
    "export": ("saiyo_backend.handover.export", False),
    "import": ("saiyo_backend.handover.importer", False),
}
DEVTOOLS = {
    "translations": "saiyo_backend.devtools.translations",
    "manuals": "saiyo_backend.devtools.manuals",
    "brand-images": "saiyo_backend.devtools.brand_images",
    "a11y-report": "saiyo_backend.devtools.a11y_report",
    "buildout-versions": "saiyo_backend.devtools.buildout_versions",
    "test-report": "saiyo_backend.devtools.test_report",
}
SERVER = ("run", "start", "stop", "status")
MAINTENANCE = ("backup", "restore", "pack", "backups")
DEFAULT_ETC = config.INSTANCE / "etc"


def take_option(argv: list[str], name: str, default):
    """Remove ``name VALUE`` (or ``name=VALUE``) from ``argv`` and return VALUE (or ``default``)."""
    for index, arg in enumerate(argv):
        if arg == name and index + 1 < len(argv):
            value = argv[index + 1]
            del argv[index : index + 2]
            return value
        if arg.startswith(name + "="):
            del argv[index]
            return arg.split("=", 1)[1]
    return default


def instance(argv) -> int:
    from saiyo_backend.instance.render import render_instance

    parser = argparse.ArgumentParser(prog="saiyo instance", description="Render instance/etc from a profile")
    parser.add_argument("--profile", default=os.environ.get("PROFILE", "development"))
    parser.add_argument("--etc", type=Path, default=DEFAULT_ETC)
    parser.add_argument("--var", type=Path, default=config.INSTANCE / "var")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args(argv)
    try:
        written = render_instance(args.profile, args.etc, args.var, args.overrides)
    except config.ProfileError as error:
        print(f"プロファイルを読めません / cannot render profile {args.profile!r}: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"rendered {path.relative_to(config.ROOT) if path.is_relative_to(config.ROOT) else path}")
    return 0


def server(command, argv) -> int:
    from saiyo_backend.instance import server

    parser = argparse.ArgumentParser(prog=f"saiyo {command}", description="Run the Zope instance")
    parser.add_argument("--etc", type=Path, default=DEFAULT_ETC)
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args(argv)
    etc = args.etc.resolve()
    try:
        if command == "run":
            return server.run(etc)
        if command == "start":
            return server.start(etc, args.timeout)
        if command == "stop":
            return server.stop(etc)
        return server.status(etc)
    except config.NoInstance as error:
        if command in ("stop", "status"):
            print("not running")
            return 0 if command == "stop" else 3
        return preflight.fail(error.japanese, error.english)


def zope_script(command, argv) -> int:
    from importlib import import_module
    from saiyo_backend.zope import runner

    module, read_only = ZOPE_SCRIPTS[command]
    etc = Path(take_option(argv, "--etc", DEFAULT_ETC))
    try:
        record = config.read_instance(etc)
    except config.NoInstance as error:
        return preflight.fail(error.japanese, error.english)
    # A database another process holds, or one that does not open, is named before Zope starts
    # (a read-only report needs no lock and may run beside the server).
    if not read_only and record.get("data_fs") and preflight.check_database(record["data_fs"]):
        return 1
    return runner.run(import_module(module).main, argv, etc, command, read_only=read_only)


def collector(argv) -> int:
    from saiyo_backend.instance import collector

    etc = Path(take_option(argv, "--etc", DEFAULT_ETC))
    try:
        return collector.main(argv, etc)
    except config.NoInstance as error:
        return preflight.fail(error.japanese, error.english)


def deployment(argv) -> int:
    from saiyo_backend import cluster

    parser = argparse.ArgumentParser(
        prog="saiyo cluster", description="Run a deployment (ZEO, Zope clients, nginx)"
    )
    parser.add_argument("command", choices=["render", "start", "stop", "status"])
    parser.add_argument("--profile", default=os.environ.get("PROFILE", "production"))
    parser.add_argument("--base", type=Path, default=config.INSTANCE)
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--demo", action="store_true", help="add the demo content when creating the site")
    args = parser.parse_args(argv)
    if args.command in ("stop", "status"):
        try:
            layout = config.read_layout(args.base)
        except config.NoInstance as error:
            return preflight.fail(error.japanese, error.english)
        return cluster.stop(layout) if args.command == "stop" else cluster.status(layout)
    try:
        layout = cluster.render(args.profile, args.base, args.overrides)
    except config.ProfileError as error:
        print(f"プロファイルを読めません / cannot render profile {args.profile!r}: {error}", file=sys.stderr)
        return 2
    for path in layout["written"]:
        print(f"rendered {path}")
    if args.command == "render":
        return 0
    return cluster.start(layout, demo=args.demo)


def maintenance(command, argv) -> int:
    from saiyo_backend.cluster import maintenance

    try:
        return maintenance.main([command, *argv])
    except config.NoInstance as error:
        return preflight.fail(error.japanese, error.english)


def check(argv) -> int:
    from saiyo_backend.cluster import check

    return check.main(argv)


def devtool(command, argv) -> int:
    from importlib import import_module

    module = import_module(DEVTOOLS[command])
    return module.main(argv) or 0


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "instance":
        return instance(rest)
    if command in SERVER:
        return server(command, rest)
    if command in ZOPE_SCRIPTS:
        return zope_script(command, rest)
    if command == "collector":
        return collector(rest)
    if command == "stores-migrate":
        from saiyo_backend.instance import stores_migrate

        try:
            return stores_migrate.main(rest, Path(take_option(rest, "--etc", DEFAULT_ETC)).resolve())
        except config.NoInstance as error:
            return preflight.fail(error.japanese, error.english)
    if command == "cluster":
        return deployment(rest)
    if command in MAINTENANCE:
        return maintenance(command, rest)
    if command == "check":
        return check(rest)
    if command == "wheelhouse":
        from saiyo_backend.deploy import wheelhouse

        return wheelhouse.main(rest)
    if command == "audit":
        from saiyo_backend.deploy import audit

        return audit.main(rest)
    if command == "preflight":
        return preflight.main(rest)
    if command in DEVTOOLS:
        return devtool(command, rest)
    print(f"saiyo: unknown command {command!r} (saiyo --help lists them)", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
