"""Reading the security settings from the registry, with the schema's defaults as fallback."""

from kagoshima.saiyo.security.interfaces import ISecuritySettings
from plone.registry.interfaces import IRegistry
from zope.component import queryUtility


PREFIX = "kagoshima.saiyo.security"


def setting(name, default=None):
    """One value of ISecuritySettings; the field's default when the registry lacks it."""
    registry = queryUtility(IRegistry)
    field = ISecuritySettings[name]
    fallback = field.default if default is None else default
    if registry is None:
        return fallback
    value = registry.get(f"{PREFIX}.{name}", None)
    return fallback if value is None else value
