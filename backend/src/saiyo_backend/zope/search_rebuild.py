"""Rebuild the site search's index: every page's terms, stored text and meaning vector.

    make search-rebuild                      (the server stopped, or ZEO/RelStorage)
    saiyo search-rebuild [--etc instance/etc]

The index (``SearchableText``, a ``SaiyoTextIndex`` of ``kagoshima.saiyo.search``) lives in the
catalog in the database, so every Zope client of a ZEO or RelStorage deployment sees the same
one; edits keep it current by themselves. Rebuild it after restoring an old backup into a newer
version of the add-on, after a change of the analyser or the vectors, or when a check finds it
out of step. A running single-process site can do the same through ``@@saiyo-search-rebuild``
(POST, Manager). Prints the counts and the time taken.
"""

from saiyo_backend.zope.runner import from_console
from saiyo_backend.zope.runner import open_site

import sys


def main(app, argv) -> int:
    from kagoshima.saiyo.search.setup import rebuild

    if argv:
        print("usage: saiyo search-rebuild [--etc ETC]", file=sys.stderr)
        return 2
    site, _request = open_site(app)
    result = rebuild(site)
    print(
        f"site search rebuilt: {result['pages']} pages, {result['terms']} terms, "
        f"{result['vectors']} meaning vectors in {result['seconds']} s",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(from_console(main, globals(), "search_rebuild.py"))
