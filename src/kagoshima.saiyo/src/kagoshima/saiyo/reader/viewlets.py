"""The reader's panel, above the content (after the breadcrumbs) of the pages visitors read."""

from kagoshima.saiyo.visitors import is_public_request
from plone.app.layout.viewlets import ViewletBase
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile


class ReaderViewlet(ViewletBase):
    """``<section id="saiyo-reader">``: play/pause, stop, speed and a live status line.

    Hidden until reader.js (the ``saiyo-reader`` bundle) shows it, so a browser without
    JavaScript shows no dead buttons. Not rendered on forms and management screens.
    """

    index = ViewPageTemplateFile("templates/reader.pt")

    def available(self) -> bool:
        return is_public_request(self.request)
