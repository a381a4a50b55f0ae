"""The ``ja`` URL normalizer: romaji ids for content with Japanese titles.

How Plone names new content: plone.app.content's NormalizingNameChooser takes the
title and calls ``IUserPreferredURLNormalizer(request).normalize(title)``. That
adapter asks ``IUserPreferredLanguages(request)`` for the language, which on a
site request is the language bound by plone.i18n's language negotiation (the
site language, ``ja`` here), and calls the default ``IURLNormalizer`` utility
with ``locale="ja"``. The default utility first hands the text to the
``IURLNormalizer`` utility named after the locale, then cleans the result and
crops it to 255 characters; the name chooser finally makes it unique in the
folder by appending -1, -2 ….

plone.i18n's own ``ja`` utility replaces any non-ASCII title with a hash of six
random-looking characters. This one, registered in its place in
``overrides.zcml``, returns a romaji slug instead. ``IIDNormalizer`` is not
involved in content ids (Plone uses it for CSS classes), so it is left alone.
"""

from kagoshima.saiyo.slugs.romaji import DEFAULT_MAX_LENGTH
from kagoshima.saiyo.slugs.romaji import slugify
from plone.i18n.normalizer import urlnormalizer
from plone.i18n.normalizer.interfaces import IURLNormalizer
from zope.interface import implementer

import re
import unicodedata


# A file name's extension, kept as is like Plone does: 「試験案内.pdf」 → shiken-annai.pdf
_EXTENSION_RE = re.compile(r"^(.+)\.([A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*)$")


@implementer(IURLNormalizer)
class JapaneseURLNormalizer:
    """Romaji slugs for non-ASCII text, Plone's default URL normalizer otherwise."""

    def normalize(self, text, locale=None, max_length=None):
        """A URL-safe name for ``text``.

        ``max_length`` defaults to 60 characters for romaji slugs, and to Plone's
        default for text handed to Plone's normalizer (ASCII text, or text of
        which nothing could be romanised).
        """
        text = text or ""
        if not text.isascii():
            slug = _slug_with_extension(text, max_length or DEFAULT_MAX_LENGTH)
            if slug:
                return slug
        # Without the locale: with it, Plone's normalizer would call this one again.
        if max_length is None:
            return urlnormalizer.normalize(text)
        return urlnormalizer.normalize(text, max_length=max_length)


def _slug_with_extension(text: str, max_length: int) -> str:
    match = _EXTENSION_RE.match(unicodedata.normalize("NFKC", text).strip())
    if match is None or len(match.group(2)) > 4:
        return slugify(text, max_length=max_length)
    extension = "." + match.group(2).lower()
    if max_length <= len(extension):
        return slugify(text, max_length=max_length)
    base = slugify(match.group(1), max_length=max_length - len(extension))
    return base + extension if base else ""


normalizer = JapaneseURLNormalizer()
