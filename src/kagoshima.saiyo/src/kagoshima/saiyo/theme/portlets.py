"""Portlet assignments get their settings when they are stored, never while a page renders.

plone.portlets creates an assignment's settings (an annotation: visible or hidden) the first
time anything asks for them, and every page asks (plone.app.mosaic's body class looks up the
portlets of the page). On a new site the first anonymous GET of a page then wrote to the ZODB,
and concurrent first visits conflicted on the same assignment. The settings are created here
instead: for each assignment when it is added, and for those already stored at install time
and by the 1011 upgrade step.
"""

from plone.portlets.constants import ASSIGNMENT_SETTINGS_KEY
from plone.portlets.constants import CONTEXT_ASSIGNMENT_KEY
from plone.portlets.interfaces import IPortletAssignmentSettings
from plone.portlets.interfaces import IPortletManager
from Products.CMFCore.utils import getToolByName
from zope.annotation.interfaces import IAnnotations
from zope.component import getSiteManager

import logging


logger = logging.getLogger("kagoshima.saiyo.theme")


def _ensure(assignment) -> bool:
    """Create the assignment's settings if it has none; True when they were created."""
    annotations = IAnnotations(assignment, None)
    if annotations is None or ASSIGNMENT_SETTINGS_KEY in annotations:
        return False
    IPortletAssignmentSettings(assignment)
    return True


def assignment_added(assignment, event) -> None:
    """Subscriber (IPortletAssignment, IObjectAddedEvent): settings in the transaction that adds it."""
    _ensure(assignment)


def _mappings(portal):
    """Every assignment mapping of the site: categories of the managers, then each object's own."""
    for _name, manager in getSiteManager(portal).getUtilitiesFor(IPortletManager):
        for category in manager.values():
            yield from category.values()
    catalog = getToolByName(portal, "portal_catalog")
    objects = [portal]
    objects.extend(brain._unrestrictedGetObject() for brain in catalog.unrestrictedSearchResults())
    for obj in objects:
        annotations = IAnnotations(obj, None)
        contextual = annotations.get(CONTEXT_ASSIGNMENT_KEY) if annotations is not None else None
        if contextual:
            yield from contextual.values()


def ensure_assignment_settings(portal) -> int:
    """Give every stored portlet assignment its settings; the number of assignments that had none."""
    created = 0
    for mapping in _mappings(portal):
        for assignment in mapping.values():
            created += _ensure(assignment)
    if created:
        logger.info("kagoshima.saiyo: settings created for %d portlet assignments", created)
    return created
