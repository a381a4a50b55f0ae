"""Interfaces of the add-on shared by its feature packages."""

from zope.interface import Interface
from zope.publisher.interfaces.browser import IDefaultBrowserLayer


class IKagoshimaSaiyoLayer(IDefaultBrowserLayer):
    """Browser layer: views and resources that apply only where the add-on is installed."""


class IInlineScripts(Interface):
    """A feature's inline ``<script>`` bodies, as a named utility (see ``inline_scripts``).

    The Content-Security-Policy allows exactly the scripts these utilities return.
    """

    def scripts():
        """The bodies (the text between ``<script>`` and ``</script>``) this feature may
        inline in the current site's pages."""
