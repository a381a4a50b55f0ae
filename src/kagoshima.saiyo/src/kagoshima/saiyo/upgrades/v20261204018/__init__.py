"""1018: the Mosaic editor in Japanese (mosaic_i18n/).

Imports the default profile's registry/mosaic_i18n.xml itself, so the upgrade and a new site
read the one file: Japanese labels for Mosaic's toolbar, menus and Plone's own blocks, and the
bundle of mosaic-i18n.js. Nothing else of the registry is imported again.
"""

from pathlib import Path
from plone.app.registry.exportimport.handler import RegistryImporter
from plone.registry.interfaces import IRegistry
from zope.component import getUtility

import logging


RECORDS = Path(__file__).parent.parent.parent / "profiles" / "default" / "registry" / "mosaic_i18n.xml"


class _Environ:
    """The little of a GenericSetup import context that RegistryImporter asks for."""

    def getLogger(self, name):
        return logging.getLogger(name)

    def shouldPurge(self):
        return False


def upgrade(setup_tool=None):
    RegistryImporter(getUtility(IRegistry), _Environ()).importDocument(RECORDS.read_bytes())
