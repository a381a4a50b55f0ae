"""The top page's key visual: administrators replace it (image, alt text, focal point); authors cannot."""

from io import BytesIO
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_INTEGRATION_TESTING
from kagoshima.saiyo.theme import keyvisual
from PIL import Image
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.cachepurging.interfaces import IPurger
from plone.namedfile.file import NamedBlobImage
from plone.testing.zope import Browser
from zope.annotation.interfaces import IAnnotations
from zope.component import getGlobalSiteManager
from zope.interface import implementer

import json
import lxml.html
import transaction
import unittest


PASSWORD = "keyvisual-password-2026"


def picture(kind="PNG", size=(1600, 900)) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, (30, 120, 190)).save(out, kind)
    return out.getvalue()


class TestValidation(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def test_photos_pass(self):
        for kind, name in (("PNG", "hero.png"), ("JPEG", "hero.jpg"), ("WEBP", "hero.webp")):
            self.assertIsNone(keyvisual.image_problem(NamedBlobImage(picture(kind), filename=name)), name)

    def test_other_types_are_refused_in_japanese_and_logged_in_english(self):
        gif = NamedBlobImage(picture("GIF"), filename="hero.gif")
        with self.assertLogs("kagoshima.saiyo.theme", "WARNING") as logged:
            with self.assertRaises(keyvisual.KeyVisualUploadError) as raised:
                keyvisual.check_image(gif)
        self.assertIn("JPEG・PNG・WebP の画像だけです", str(raised.exception))
        self.assertIn("refused key visual upload 'hero.gif'", logged.output[0])

    def test_large_images_are_refused(self):
        big = NamedBlobImage(picture(), filename="hero.png")
        big.getSize = lambda: (keyvisual.MAX_MB * 1024 * 1024) + 1
        self.assertIn("5 MB 以下", keyvisual.image_problem(big))

    def test_image_needs_alt_text(self):
        data = type("Data", (), {"key_visual_image": NamedBlobImage(picture(), filename="a.png")})()
        data.key_visual_alt = "  "
        with self.assertRaises(Exception) as raised:
            keyvisual.IKeyVisual.validateInvariants(data)
        self.assertIn("代替テキスト", str(raised.exception))
        data.key_visual_alt = "桜島を背に橋の点検をする職員"
        keyvisual.IKeyVisual.validateInvariants(data)


class TestInstalled(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]

    def test_site_root_has_the_fields_and_the_control_panel(self):
        fti = api.portal.get_tool("portal_types")["Plone Site"]
        self.assertIn("kagoshima.saiyo.top_key_visual", fti.behaviors)
        self.assertTrue(keyvisual.IKeyVisual.providedBy(self.portal))
        ids = [action.getId() for action in api.portal.get_tool("portal_controlpanel").listActions()]
        self.assertIn("saiyo-key-visual", ids)

    def test_without_image_the_drawn_default_stays(self):
        html = self.portal.restrictedTraverse("@@saiyo-top")()
        hero = lxml.html.fromstring(html).cssselect(".saiyo-hero")[0]
        self.assertEqual(hero.cssselect("img"), [])
        self.assertEqual(len(hero.cssselect("svg.saiyo-hero__visual")), 1)

    def test_only_site_setup_holders_may_write(self):
        # Editor on the site root may change the site's content, but not its key visual.
        api.user.create(email="editor@example.com", username="henshu", password=PASSWORD)
        api.user.grant_roles(username="henshu", obj=self.portal, roles=["Editor"])
        api.user.create(email="kanri@example.com", username="kanri", password=PASSWORD)
        api.group.add_user(groupname="administrators", username="kanri")
        with api.env.adopt_user(username="henshu"):
            self.assertTrue(api.user.has_permission("Modify portal content", obj=self.portal))
            self.assertFalse(api.user.has_permission(keyvisual.WRITE_PERMISSION_TITLE, obj=self.portal))
        with api.env.adopt_user(username="kanri"):
            self.assertTrue(api.user.has_permission(keyvisual.WRITE_PERMISSION_TITLE, obj=self.portal))

    def test_rest_api_writes_need_the_permission_too(self):
        from plone.restapi.interfaces import IDeserializeFromJson
        from zope.component import getMultiAdapter

        api.user.create(email="editor@example.com", username="henshu", password=PASSWORD)
        api.user.grant_roles(username="henshu", obj=self.portal, roles=["Editor"])
        request = self.layer["request"]
        request["BODY"] = json.dumps(
            {"key_visual_alt": "作成者が書いた説明", "description": "作成者の説明", "language": "ja"}
        )
        with api.env.adopt_user(username="henshu"):
            getMultiAdapter((self.portal, request), IDeserializeFromJson)()
        self.assertEqual(self.portal.Description(), "作成者の説明")
        self.assertNotEqual(getattr(self.portal.aq_base, "key_visual_alt", None), "作成者が書いた説明")
        request["BODY"] = json.dumps({"key_visual_alt": "管理者が書いた説明", "language": "ja"})
        with api.env.adopt_roles(["Site Administrator"]):
            getMultiAdapter((self.portal, request), IDeserializeFromJson)()
        self.assertEqual(self.portal.key_visual_alt, "管理者が書いた説明")

    def test_upgrade_1017_adds_behavior_and_control_panel(self):
        from kagoshima.saiyo.upgrades import v20261204017

        fti = api.portal.get_tool("portal_types")["Plone Site"]
        fti.behaviors = tuple(name for name in fti.behaviors if name != "kagoshima.saiyo.top_key_visual")
        api.portal.get_tool("portal_controlpanel").unregisterConfiglet("saiyo-key-visual")
        v20261204017.upgrade()
        self.assertIn("kagoshima.saiyo.top_key_visual", fti.behaviors)
        ids = [action.getId() for action in api.portal.get_tool("portal_controlpanel").listActions()]
        self.assertIn("saiyo-key-visual", ids)


@implementer(IPurger)
class RecordingPurger:
    def __init__(self):
        self.urls = []

    def purgeAsync(self, url, httpVerb="PURGE"):
        self.urls.append(url)

    def purgeSync(self, url, httpVerb="PURGE"):
        self.urls.append(url)
        return 200, "", ""

    def stopThreads(self, wait=False):
        return True


class TestForm(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING

    def setUp(self):
        self.app, self.portal = self.layer["app"], self.layer["portal"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        api.user.create(email="kanri@example.com", username="kanri", password=PASSWORD)
        api.group.add_user(groupname="administrators", username="kanri")
        api.user.create(email="sakusei@example.com", username="sakusei", password=PASSWORD)
        api.group.add_user(groupname="authors", username="sakusei")
        api.user.grant_roles(username="sakusei", obj=self.portal, roles=["Editor"])
        transaction.commit()

    def browser(self, user):
        browser = Browser(self.app)
        browser.handleErrors = False
        browser.addHeader("Authorization", f"Basic {user}:{PASSWORD}")
        return browser

    def submit(self, browser, data, filename, alt, focus="right"):
        browser.open(f"{self.portal.absolute_url()}/@@saiyo-key-visual")
        browser.getControl(name="form.widgets.key_visual_image").add_file(data, "image/png", filename)
        browser.getControl(name="form.widgets.key_visual_alt").value = alt
        browser.getControl(name="form.widgets.key_visual_focus:list").value = [focus]
        browser.getControl(name="form.buttons.save").click()

    def test_administrator_replaces_the_visual_and_the_top_page_is_purged(self):
        # Deployments import the caching profile, which purges the site root ("Plone Site") when it changes.
        self.portal.portal_setup.runAllImportStepsFromProfile(
            "profile-kagoshima.saiyo:caching", purge_old=False
        )
        registry = "plone.cachepurging.interfaces.ICachePurgingSettings"
        api.portal.set_registry_record(f"{registry}.enabled", True)
        api.portal.set_registry_record(f"{registry}.cachingProxies", ("http://127.0.0.1:9999",))
        transaction.commit()
        purger = RecordingPurger()
        manager = getGlobalSiteManager()
        original = manager.queryUtility(IPurger)
        manager.registerUtility(purger, IPurger)

        def restore():
            manager.unregisterUtility(purger, IPurger)
            if original is not None:
                manager.registerUtility(original, IPurger)

        self.addCleanup(restore)
        self.submit(
            self.browser("kanri"), picture(), "sakurajima.png", "桜島を背に橋の点検をする職員", "right"
        )
        self.assertIn("http://127.0.0.1:9999/plone", [url.rstrip("/") for url in purger.urls])
        transaction.begin()
        portal = self.layer["app"].plone
        self.assertEqual(portal.key_visual_image.filename, "sakurajima.png")
        self.assertIn("plone.scale", IAnnotations(portal), "scales are made when saved, not by a visitor")

        page = Browser(self.app)
        page.open(f"{portal.absolute_url()}/@@saiyo-top")
        img = lxml.html.fromstring(page.contents).cssselect(".saiyo-hero img")[0]
        self.assertEqual(img.get("alt"), "桜島を背に橋の点検をする職員")
        self.assertIn("saiyo-focus--right", img.get("class"))
        self.assertIn("/@@images/", img.get("src"))
        self.assertGreaterEqual(img.get("srcset").count("w,") + 1, 2)
        self.assertFalse(lxml.html.fromstring(page.contents).cssselect(".saiyo-hero svg"))
        page.open(img.get("src"))
        self.assertEqual(page.headers["Content-Type"], "image/png")
        # A visitor's top page writes nothing: the scales were made when it was saved.
        before = self.app._p_jar.db().lastTransaction()
        Browser(self.app).open(f"{portal.absolute_url()}/@@saiyo-top")
        self.assertEqual(self.app._p_jar.db().lastTransaction(), before)

        # Keeping the image while emptying its alt text is refused as well.
        browser = self.browser("kanri")
        browser.open(f"{portal.absolute_url()}/@@saiyo-key-visual")
        browser.getControl(name="form.widgets.key_visual_image.action").value = ["nochange"]
        browser.getControl(name="form.widgets.key_visual_alt").value = ""
        browser.getControl(name="form.buttons.save").click()
        self.assertIn(keyvisual.ALT_MESSAGE, browser.contents)
        # Removing the image brings the drawn default back.
        browser.getControl(name="form.widgets.key_visual_image.action").value = ["remove"]
        browser.getControl(name="form.buttons.save").click()
        page.open(f"{portal.absolute_url()}/@@saiyo-top")
        hero = lxml.html.fromstring(page.contents).cssselect(".saiyo-hero")[0]
        self.assertEqual((hero.cssselect("img"), len(hero.cssselect("svg"))), ([], 1))

    def test_bad_input_gets_a_japanese_message_and_nothing_is_stored(self):
        browser = self.browser("kanri")
        self.submit(browser, picture(), "hero.png", "")
        self.assertIn(keyvisual.ALT_MESSAGE, browser.contents)
        self.submit(browser, picture("GIF"), "hero.gif", "説明")
        self.assertIn("JPEG・PNG・WebP の画像だけです", browser.contents)
        transaction.begin()
        self.assertIsNone(getattr(self.layer["app"].plone.aq_base, "key_visual_image", None))

    def test_authors_cannot_change_it(self):
        browser = self.browser("sakusei")
        browser.handleErrors = True
        browser.raiseHttpErrors = False
        browser.open(f"{self.portal.absolute_url()}/@@saiyo-key-visual")
        self.assertNotIn("form.widgets.key_visual_image", browser.contents)
        self.assertIn("insufficient-privileges", browser.url)
        # The administrator's browser gets the form (the test above submits it).
        browser = self.browser("kanri")
        browser.open(f"{self.portal.absolute_url()}/@@saiyo-key-visual")
        self.assertIn("form.widgets.key_visual_image", browser.contents)
