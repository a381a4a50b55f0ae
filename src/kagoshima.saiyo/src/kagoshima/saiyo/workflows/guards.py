"""Helpers the workflow definition's guard expressions call."""

from plone.app.iterate.interfaces import IWorkingCopy
from Products.Five import BrowserView


class IsWorkingCopy(BrowserView):
    """``here/@@saiyo-is-working-copy``: a working copy is approved by check-in, not by 公開."""

    def __call__(self):
        return IWorkingCopy.providedBy(self.context)
