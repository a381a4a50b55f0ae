"""No staff login names or e-mail addresses to anonymous visitors through plone.restapi.

plone.restapi serialises the Dublin Core ``creators`` and ``contributors`` of every page
(``"creators": ["admin"]``) and, in summaries (``@search``, listings, ``items``) with
``metadata_fields``, the catalog's ``Creator`` and ``listCreators``: login names of the staff,
handed to anyone. For an anonymous request both are left out (an empty list for the fields,
the keys dropped from summaries), through plone.restapi's own extension points: a field
serializer for this add-on's browser layer and a summary-metadata utility whose
``blocklisted_attributes`` the summary serializer honours. Logged-in staff see them as before.
The feeds' author (name and e-mail) is switched off by Plone's syndication setting
``show_author_info`` (profile registry, upgrade 1013).
"""

from kagoshima.saiyo.interfaces import IKagoshimaSaiyoLayer
from plone import api
from plone.app.dexterity.behaviors.metadata import IOwnership
from plone.dexterity.interfaces import IDexterityContent
from plone.restapi.interfaces import IFieldSerializer
from plone.restapi.interfaces import IJSONSummarySerializerMetadata
from plone.restapi.serializer.dxfields import CollectionFieldSerializer
from zope.component import adapter
from zope.interface import implementer
from zope.schema.interfaces import ICollection


# Catalog columns and attributes that name the staff who wrote or changed a page.
STAFF_NAMES = frozenset({"Creator", "listCreators", "creators", "Contributors", "contributors"})


def staff_names_hidden() -> bool:
    return api.user.is_anonymous()


@adapter(ICollection, IDexterityContent, IKagoshimaSaiyoLayer)
@implementer(IFieldSerializer)
class OwnershipFieldSerializer(CollectionFieldSerializer):
    """``creators``/``contributors`` of the Ownership behaviour: empty for anonymous requests."""

    def __call__(self):
        if (
            self.field.__name__ in STAFF_NAMES
            and self.field.interface is not None
            and self.field.interface.isOrExtends(IOwnership)
            and staff_names_hidden()
        ):
            return []
        return super().__call__()


@implementer(IJSONSummarySerializerMetadata)
class AnonymousSummaryMetadata:
    """Summaries for anonymous requests never carry the staff's login names."""

    def blocklisted_attributes(self):
        return STAFF_NAMES if staff_names_hidden() else set()
