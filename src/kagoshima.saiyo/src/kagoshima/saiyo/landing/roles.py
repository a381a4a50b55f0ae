"""The local role 特集ページ作成可 on the 共有 (sharing) page."""

from plone.app.workflow.interfaces import ISharingPageRole
from zope.interface import implementer


@implementer(ISharingPageRole)
class LandingPageEditorRole:
    title = "特集ページのレイアウトを使える"
    # Only administrators (site setup) may hand it out.
    required_permission = "Plone Site Setup: Overview"
    required_interface = None
