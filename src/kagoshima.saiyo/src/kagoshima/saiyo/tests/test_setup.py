"""The add-on installs and configures a Japanese site (uninstalling: test_uninstall.py)."""

from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_INTEGRATION_TESTING
from pathlib import Path
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.browserlayer.utils import registered_layers
from plone.testing.zope import Browser

import lxml.etree
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
        declared = setup.getVersionForProfile("kagoshima.saiyo:default")
        self.assertEqual(setup.getLastVersionForProfile("kagoshima.saiyo:default"), (declared,))

    def test_upgrade_steps_registered_in_the_order_they_run(self):
        """upgrades/configure.zcml reads as the history: each step starts where the one above ends."""
        zcml = lxml.etree.parse(str(Path(__file__).parent.parent / "upgrades" / "configure.zcml"))
        steps = [
            (node.get("source"), node.get("destination"))
            for node in zcml.getroot()
            if isinstance(node.tag, str) and node.tag.endswith(("}upgradeStep", "}upgradeDepends"))
        ]
        self.assertGreater(len(steps), 5)
        self.assertEqual(steps[0][0], "1000")
        for (_, previous), (source, _) in zip(steps, steps[1:], strict=False):
            self.assertEqual(source, previous, steps)

    def test_upgrade_steps_chain_from_first_release_to_current_version(self):
        """Every version from 1000 on has exactly one way forward, ending at metadata.xml's."""
        setup = api.portal.get_tool("portal_setup")
        declared = setup.getVersionForProfile("kagoshima.saiyo:default")
        steps = setup.listUpgrades("kagoshima.saiyo:default", show_old=True)
        steps = [step for step in steps if not isinstance(step, list)] + [
            inner for step in steps if isinstance(step, list) for inner in step
        ]
        forward = {}
        for step in steps:
            source = ".".join(step["ssource"]) if isinstance(step["ssource"], tuple) else step["ssource"]
            forward.setdefault(source, set()).add(step["sdest"])
        version, seen = "1000", []
        while version != declared:
            self.assertEqual(len(forward.get(version, ())), 1, f"upgrade steps leaving {version}: {forward}")
            version = next(iter(forward[version]))
            self.assertNotIn(version, seen)
            seen.append(version)
        self.assertNotIn(declared, forward, "an upgrade step leaves the current version")


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
