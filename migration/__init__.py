"""Old-site migration: read a mirror or crawl the old site, classify and extract its pages,
write collective.exportimport JSON, import it into Plone with redirects, and report.

Run with ``make migrate SOURCE=<folder-or-url>`` (see README.md).
"""
