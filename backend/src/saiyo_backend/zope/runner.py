"""The one way to run a script inside Zope: configuration, request, site, administrator, commit.

Every script of this package that works on the site (create_site, publish_schedule,
configure_caching, migrate_import, pageview_report, the handover export and import) has a
``main(app, argv) -> int`` and is run by ``saiyo <command> [--etc ETC] …``, which calls ``run``:
Zope is configured from ``<etc>/zope.conf`` in this process (as ``zconsole run`` does), the
application root gets a request, ``main`` opens the site with ``open_site`` (the site as local
site, the Zope administrator as the user), and the transaction is committed when ``main``
returns 0 and aborted otherwise. The same modules still run as files under
``bin/instance run <file>`` (the buildout instance) or ``zconsole run``, through ``from_console``.
"""

from __future__ import annotations

from pathlib import Path
from saiyo_backend.config import running_instance
from urllib.parse import urlsplit

import sys


ADMIN_USER = "admin"


class NoSite(Exception):
    """The database has no Plone site with the instance's site id."""


def configure(zope_conf: Path, read_only: bool = False):
    """Load ``zope.conf`` as runwsgi does and return its configuration root.

    With ``read_only`` every storage is opened read-only: no lock is taken, so the script runs
    while the server holds a FileStorage, and nothing can be written.
    """
    from App.config import setConfiguration
    from Zope2.Startup.options import ZopeWSGIOptions

    options = ZopeWSGIOptions(configfile=str(zope_conf))()
    if read_only:
        for database in options.configroot.databases:
            _make_read_only(database.config.storage)
    setConfiguration(options.configroot)
    return options


def _make_read_only(factory) -> None:
    """Set read-only on a storage section and on the storage a <blobstorage> wraps."""
    config = factory.config
    base = getattr(config, "base", None)
    if base is not None:
        _make_read_only(base)
    if hasattr(config, "read_only"):
        config.read_only = True


def open_app(zope_conf: Path, read_only: bool = False):
    """Zope's application root, with a request, from the instance configured by ``zope_conf``."""
    from Zope2.Startup import get_wsgi_starter
    from Zope2.Startup.handlers import handleWSGIConfig

    import Zope2

    options = configure(zope_conf, read_only)
    handleWSGIConfig(options.configroot, options.confighandlers)
    starter = get_wsgi_starter()
    starter.setConfiguration(options.configroot)
    starter.prepare()
    return with_request(Zope2.app())


def with_request(app):
    from Testing.makerequest import makerequest
    from zope.globalrequest import setRequest

    app = makerequest(app)
    app.REQUEST["PARENTS"] = [app]
    setRequest(app.REQUEST)
    return app


def site_id() -> str:
    """The id of the Plone site of this instance (recorded by the renderer; "Plone" otherwise)."""
    return running_instance().get("site_id", "Plone")


def act_as(app, user_id: str = ADMIN_USER) -> None:
    """Run as the Zope user ``user_id`` (the administrator), so history names a person, not anonymous."""
    from AccessControl.SecurityManagement import newSecurityManager

    user = app.acl_users.getUserById(user_id)
    if user is None:
        raise NoSite(f"no Zope user {user_id!r} in this database")
    newSecurityManager(None, user.__of__(app.acl_users))


def open_site(app, user: str | None = ADMIN_USER):
    """(site, request): the site as local site, run as ``user``.

    ``user`` is a Zope user id (the administrator by default), ``"system"`` for Zope's
    system user (reading everything), or None to leave the security context as it is.
    """
    from zope.component.hooks import setSite

    name = site_id()
    site = app.get(name)
    if site is None:
        raise NoSite(f"no site {name!r} in this database")
    setSite(site)
    if user == "system":
        from AccessControl.SecurityManagement import newSecurityManager
        from AccessControl.users import system

        newSecurityManager(None, system)
    elif user is not None:
        act_as(app, user)
    return site, app.REQUEST


def serve_at(site, url: str) -> None:
    """Make absolute_url() give addresses under ``url``, as the reverse proxy's virtual host does."""
    parts = urlsplit(url.rstrip("/"))
    request = site.REQUEST
    request.setServerURL(protocol=parts.scheme or "https", hostname=parts.hostname, port=parts.port)
    request.setVirtualRoot([part for part in parts.path.split("/") if part])
    request.other["VirtualRootPhysicalPath"] = site.getPhysicalPath()  # after: setVirtualRoot resets it


def call(main, app, argv, note: str, commit: bool = True) -> int:
    """``main(app, argv)``; commit with ``note`` when it returns 0 (and ``commit``), abort otherwise."""
    import transaction

    try:
        status = main(app, argv)
    except NoSite as error:
        transaction.abort()
        print(f"エラー: サイトがありません（make site で作成してください） / error: {error}", file=sys.stderr)
        return 2
    except BaseException:
        transaction.abort()
        raise
    if status or not commit:
        transaction.abort()
        return status
    transaction.get().note(note)
    transaction.commit()
    return 0


def run(main, argv, etc: Path, name: str, read_only: bool = False) -> int:
    """Run ``main`` inside the instance rendered in ``etc`` (``saiyo <name>``)."""
    zope_conf = Path(etc).resolve() / "zope.conf"
    if not zope_conf.is_file():
        print(
            f"\nエラー: {zope_conf} がありません。先に make instance を実行してください。\n"
            f"Error: no {zope_conf}; run 'make instance' first.\n",
            file=sys.stderr,
        )
        return 2
    app = open_app(zope_conf, read_only)
    connection = app._p_jar
    try:
        return call(main, app, argv, f"saiyo {name}", commit=not read_only)
    finally:
        # Closing the database writes FileStorage's index: the next start need not rebuild it.
        database = connection.db()
        connection.close()
        database.close()


def script_args(argv: list, file_name: str) -> list:
    """The arguments after the script's own name: ``zconsole run`` leaves its own in sys.argv."""
    for index, arg in enumerate(argv):
        if Path(arg).name == file_name:
            return argv[index + 1 :]
    return argv[1:]


def from_console(main, namespace: dict, file_name: str) -> int:
    """For ``bin/instance run <file>`` and ``zconsole run``, which bind the application root to ``app``."""
    return call(main, with_request(namespace["app"]), script_args(sys.argv, file_name), file_name)
