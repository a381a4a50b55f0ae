"""The add-on installs, configures a Japanese site and uninstalls cleanly."""

from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_INTEGRATION_TESTING
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.browserlayer.utils import registered_layers
from plone.testing.zope import Browser

import transaction
import unittest


class TestInstall(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]

    def test_product_installed(self):
        from plone.base.utils import get_installer

        installer = get_installer(self.portal, self.layer["request"])
        self.assertTrue(installer.is_product_installed("kagoshima.saiyo"))

    def test_dependencies_installed(self):
        from plone.base.utils import get_installer

        installer = get_installer(self.portal, self.layer["request"])
        for name in ("plone.app.mosaic", "plone.restapi", "plone.app.caching"):
            self.assertTrue(installer.is_product_installed(name), name)

    def test_browserlayer(self):
        from kagoshima.saiyo.interfaces import IKagoshimaSaiyoLayer

        self.assertIn(IKagoshimaSaiyoLayer, registered_layers())

    def test_japanese_site_in_tokyo(self):
        self.assertEqual(api.portal.get_registry_record("plone.default_language"), "ja")
        self.assertEqual(api.portal.get_registry_record("plone.available_languages"), ["ja"])
        self.assertEqual(api.portal.get_registry_record("plone.portal_timezone"), "Asia/Tokyo")
        self.assertEqual(api.portal.get_registry_record("plone.first_weekday"), 6)

    def test_profile_version(self):
        setup = api.portal.get_tool("portal_setup")
        self.assertEqual(setup.getLastVersionForProfile("kagoshima.saiyo:default"), ("1007",))


class TestUninstall(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def setUp(self):
        from plone.base.utils import get_installer

        self.portal = self.layer["portal"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        self.installer = get_installer(self.portal, self.layer["request"])
        self.installer.uninstall_product("kagoshima.saiyo")

    def test_product_uninstalled(self):
        self.assertFalse(self.installer.is_product_installed("kagoshima.saiyo"))

    def test_browserlayer_removed(self):
        from kagoshima.saiyo.interfaces import IKagoshimaSaiyoLayer

        self.assertNotIn(IKagoshimaSaiyoLayer, registered_layers())


class TestAddonsControlPanel(unittest.TestCase):
    """An administrator can activate the add-on from the Add-ons control panel."""

    layer = KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING

    def test_activate_from_control_panel(self):
        from plone.base.utils import get_installer

        portal = self.layer["portal"]
        get_installer(portal, self.layer["request"]).uninstall_product("kagoshima.saiyo")
        transaction.commit()

        browser = Browser(self.layer["app"])
        browser.handleErrors = False
        browser.addHeader("Authorization", f"Basic {SITE_OWNER_NAME}:{SITE_OWNER_PASSWORD}")
        browser.open(portal.absolute_url() + "/prefs_install_products_form")
        index = 0
        while True:
            form = browser.getForm(index=index)  # LookupError ends the test: not offered
            controls = [c for c in form.controls if c.name == "install_product"]
            if controls and controls[0].value == "kagoshima.saiyo":
                break
            index += 1
        form.getControl(name="form.submitted").click()

        transaction.begin()
        installer = get_installer(self.layer["portal"], self.layer["request"])
        self.assertTrue(installer.is_product_installed("kagoshima.saiyo"))
