"""Marker interfaces of the add-on."""

from zope.publisher.interfaces.browser import IDefaultBrowserLayer


class IKagoshimaSaiyoLayer(IDefaultBrowserLayer):
    """Browser layer: views and resources that apply only where the add-on is installed."""
