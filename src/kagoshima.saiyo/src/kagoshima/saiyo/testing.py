"""plone.app.testing layers for the add-on's tests."""

from plone.app.testing import applyProfile
from plone.app.testing import FunctionalTesting
from plone.app.testing import IntegrationTesting
from plone.app.testing import PLONE_FIXTURE
from plone.app.testing import PloneSandboxLayer
from plone.testing.zope import WSGI_SERVER_FIXTURE

import kagoshima.saiyo


class KagoshimaSaiyoLayer(PloneSandboxLayer):
    defaultBases = (PLONE_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        # Load the ZCML of the add-on and of everything it depends on, as
        # plone.autoinclude would in a real instance.
        import collective.z3cform.datagridfield
        import plone.app.caching
        import plone.app.mosaic
        import plone.restapi

        for package in (plone.app.mosaic, plone.restapi, plone.app.caching, collective.z3cform.datagridfield):
            self.loadZCML(package=package)
        self.loadZCML(package=kagoshima.saiyo)
        self.loadZCML(package=kagoshima.saiyo, name="overrides.zcml")

    def setUpPloneSite(self, portal):
        applyProfile(portal, "kagoshima.saiyo:default")


KAGOSHIMA_SAIYO_FIXTURE = KagoshimaSaiyoLayer()

KAGOSHIMA_SAIYO_INTEGRATION_TESTING = IntegrationTesting(
    bases=(KAGOSHIMA_SAIYO_FIXTURE,),
    name="KagoshimaSaiyoLayer:IntegrationTesting",
)

KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING = FunctionalTesting(
    bases=(KAGOSHIMA_SAIYO_FIXTURE, WSGI_SERVER_FIXTURE),
    name="KagoshimaSaiyoLayer:FunctionalTesting",
)
