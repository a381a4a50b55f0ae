"""kagoshima.saiyo's backend: everything that runs beside Zope, behind the ``saiyo`` command.

- ``config``: the one reader of profiles and of the records rendering writes;
- ``render``: the one Jinja environment for every generated file;
- ``preflight``: checks before install and start, each with its fix;
- ``instance``: render one Zope instance, run it, the page-view collector beside it;
- ``cluster``: a whole deployment (ZEO, clients, nginx), backups, the monitoring check;
- ``zope``: scripts run inside Zope through ``zope.runner`` (site, request, admin, commit);
- ``handover``: the export of everything and its import into another site;
- ``devtools``: the lock, buildout versions, translations, manuals, images, a11y report.
"""
