"""Readable URLs for Japanese titles: romaji slugs instead of Plone's random ids."""
