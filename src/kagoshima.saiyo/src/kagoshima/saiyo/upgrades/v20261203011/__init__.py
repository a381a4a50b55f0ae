"""1011: a visitor's first GET writes nothing: portlet settings and image scales are made now."""

from kagoshima.saiyo.theme.portlets import ensure_assignment_settings
from kagoshima.saiyo.theme.scales import make_all_scales
from plone import api


def upgrade(setup_tool=None):
    portal = api.portal.get()
    ensure_assignment_settings(portal)
    make_all_scales(portal)
