"""Places the site search and the assistant leave out: the old site's holding folder (/kyu-site).

The migration puts pages that are neither exams, FAQ nor news into a folder the personnel office
reviews before deciding where each belongs; until then they keep answering their old URLs but must
not crowd the search results. The import marks such a folder (or page) with ``IHiddenFromSearch``;
moving a page out of it makes the page searchable again, with no setting to remember.
"""

from zope.interface import Interface


class IHiddenFromSearch(Interface):
    """A folder or page whose contents the site search and the assistant do not list."""


def hidden_paths(catalog) -> tuple[str, ...]:
    """The physical paths of every marked folder or page (one small catalog query)."""
    brains = catalog.unrestrictedSearchResults(object_provides=IHiddenFromSearch.__identifier__)
    return tuple(brain.getPath() for brain in brains)


def is_hidden(path: str, hidden: tuple[str, ...]) -> bool:
    return any(path == top or path.startswith(top + "/") for top in hidden)


def visible(brains, catalog) -> list:
    """brains without those inside a hidden place, order kept (a list when anything is hidden)."""
    hidden = hidden_paths(catalog)
    if not hidden:
        return brains
    return [brain for brain in brains if not is_hidden(brain.getPath(), hidden)]
