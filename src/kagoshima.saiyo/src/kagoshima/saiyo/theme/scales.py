"""Image scales are made when an image is saved, never while a page renders.

Plone stores an image's scales (an annotation of the page) the first time a page asks for
one: the lead image, the sharing image (og:image), a staff photo's srcset. The first anonymous
GET of a page with an image then wrote to the ZODB. Every allowed size (Plone's 画像の処理
settings) of each image field is made here instead, when the page is added or edited, and for
pages already stored by the 1011 upgrade step. A scale stays valid until its image changes.
"""

from Acquisition import aq_base
from plone.namedfile.interfaces import INamedImage
from plone.namedfile.scaling import ImageScaling
from Products.CMFCore.utils import getToolByName
from zope.globalrequest import getRequest

import logging


logger = logging.getLogger("kagoshima.saiyo.theme")


def image_fields(obj) -> list[str]:
    """The names of the object's fields that hold an image now."""
    return [
        name
        for name, value in vars(aq_base(obj)).items()
        if not name.startswith("_") and INamedImage.providedBy(value) and value.getSize()
    ]


def make_scales(obj, request=None) -> int:
    """Make every allowed scale of every image of ``obj`` that is not stored yet; how many were asked for."""
    fields = image_fields(obj)
    if not fields:
        return 0
    # Plone's own @@images class, made directly: saves without a request (site creation,
    # scripts) make scales too, and only the stored scales are wanted, not their views' URLs.
    images = ImageScaling(obj, request if request is not None else getRequest())
    count = 0
    for field in fields:
        for name in images.available_sizes:
            try:
                images.scale(field, scale=name)
            except Exception:
                # A broken image must not stop the save: Plone shows its own error where it is used.
                logger.exception("kagoshima.saiyo: could not scale %s of %s", field, obj.absolute_url())
                break
            count += 1
    return count


def content_saved(obj, event) -> None:
    """Subscriber (IDexterityContent, IObjectAddedEvent / IObjectModifiedEvent)."""
    make_scales(obj)


def make_all_scales(portal) -> int:
    """Scales of every image of the site (the upgrade step); the number of images."""
    catalog = getToolByName(portal, "portal_catalog")
    done = 0
    for brain in catalog.unrestrictedSearchResults():
        obj = brain._unrestrictedGetObject()
        if make_scales(obj):
            done += 1
    logger.info("kagoshima.saiyo: scales made for the images of %d pages", done)
    return done
