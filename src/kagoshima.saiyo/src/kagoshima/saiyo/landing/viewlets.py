"""Top-page block 「特集」: the published landing pages, so a visitor reaches each in one click."""

from kagoshima.saiyo.landing.purge import ILandingPage
from kagoshima.saiyo.theme.top import TopBlock
from plone import api


class FeaturesBlock(TopBlock):
    def update(self):
        super().update()
        brains = api.content.find(
            object_provides=ILandingPage.__identifier__, sort_on="getObjPositionInParent"
        )
        self.items = [{"title": b.Title, "url": b.getURL(), "description": b.Description} for b in brains[:6]]
