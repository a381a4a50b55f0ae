"""No staff login names or e-mail addresses in anonymous answers; editors still see them.

A page written by the staff member ``tanaka-h2026`` (e-mail ``tanaka.h2026@pref.example.jp``),
published in a folder whose feed is on. Every public surface is fetched over HTTP from the
test server, as a visitor and as an editor: plone.restapi (the page, @search with all
metadata and full objects, the folder's items), the HTML page (Dublin Core metadata), the
RSS and Atom feeds, sitemap.xml.gz and the site search's JSON.
"""

from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.base.interfaces.syndication import IFeedSettings

import gzip
import requests
import transaction
import unittest


LOGIN = "tanaka-h2026"
EMAIL = "tanaka.h2026@pref.example.jp"
FULLNAME = "田中 花子"
JSON = {"Accept": "application/json"}


class TestStaffNames(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING

    def setUp(self):
        portal = self.layer["portal"]
        setRoles(portal, TEST_USER_ID, ["Manager"])
        api.user.create(
            email=EMAIL, username=LOGIN, password="secret-pass-2026-x", properties={"fullname": FULLNAME}
        )
        folder = api.content.create(container=portal, type="Folder", id="oshirase", title="お知らせ")
        page = api.content.create(
            container=folder,
            type="Document",
            id="setsumeikai",
            title="説明会のお知らせ",
            description="職員採用説明会",
        )
        page.setCreators([LOGIN])
        page.reindexObject()
        for item in (folder, page):
            api.content.transition(item, to_state="published")
        settings = IFeedSettings(folder)
        settings.enabled = True
        transaction.commit()
        self.portal_url = portal.absolute_url()
        self.page_url = page.absolute_url()
        self.folder_url = folder.absolute_url()
        self.editor = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)

    def get(self, url, auth=None, **kwargs):
        reply = requests.get(url, auth=auth, timeout=60, **kwargs)
        self.assertEqual(reply.status_code, 200, url)
        return reply

    def assertNoStaff(self, text, where):
        for secret in (LOGIN, EMAIL, FULLNAME):
            self.assertNotIn(secret, text, f"{where} shows {secret!r} to a visitor")

    def test_rest_api_page(self):
        reply = self.get(self.page_url, headers=JSON)
        self.assertEqual(reply.json()["creators"], [])
        self.assertNoStaff(reply.text, "the REST page")
        editor = self.get(self.page_url, auth=self.editor, headers=JSON).json()
        self.assertEqual(editor["creators"], [LOGIN])

    def test_rest_api_search_and_items(self):
        query = f"{self.portal_url}/@search?SearchableText=説明会&metadata_fields=_all"
        visitor = self.get(query, headers=JSON)
        [item] = visitor.json()["items"]
        self.assertEqual(item["title"], "説明会のお知らせ")  # the page is found, only its creator is left out
        self.assertNotIn("Creator", item)
        self.assertNotIn("listCreators", item)
        self.assertNoStaff(visitor.text, "@search")
        self.assertNoStaff(self.get(query + "&fullobjects=1", headers=JSON).text, "@search with full objects")
        folder = self.get(f"{self.folder_url}?metadata_fields=Creator", headers=JSON)
        self.assertNoStaff(folder.text, "the folder's items")
        [editor] = self.get(query, auth=self.editor, headers=JSON).json()["items"]
        self.assertEqual(editor["Creator"], LOGIN)
        self.assertEqual(editor["listCreators"], [LOGIN])

    def test_html_page_metadata(self):
        self.assertNoStaff(self.get(self.page_url).text, "the page's HTML")

    def test_feeds(self):
        for feed in ("RSS", "atom.xml", "rss.xml"):
            reply = self.get(f"{self.folder_url}/{feed}")
            self.assertIn("説明会のお知らせ", reply.text)  # the feed lists the page ...
            self.assertNoStaff(reply.text, feed)  # ... without its author

    def test_sitemap_and_site_search_json(self):
        index = gzip.decompress(self.get(f"{self.portal_url}/sitemap.xml.gz").content).decode()
        self.assertNoStaff(index, "sitemap.xml.gz")
        sitemap = gzip.decompress(self.get(f"{self.portal_url}/sitemap.xml.gz?page=1").content).decode()
        self.assertIn("setsumeikai", sitemap)
        self.assertNoStaff(sitemap, "sitemap.xml.gz")
        search = self.get(f"{self.portal_url}/@@ajax-search?SearchableText=説明会")
        self.assertIn("説明会のお知らせ", search.json()["items"][0]["title"])
        self.assertNoStaff(search.text, "the site search's JSON")

    def test_upgrade_1013_switches_the_feeds_author_off(self):
        from kagoshima.saiyo.upgrades import v20261203013

        api.portal.set_registry_record(v20261203013.RECORD, True)
        v20261203013.upgrade()
        self.assertIs(api.portal.get_registry_record(v20261203013.RECORD), False)

    def test_author_page_is_for_staff_only(self):
        visitor = requests.get(f"{self.portal_url}/author/{LOGIN}", timeout=60)
        self.assertNotIn(EMAIL, visitor.text)
        self.assertNotIn(FULLNAME, visitor.text)
        self.assertIn("__ac_name", visitor.text)  # Plone asks for a login instead
        editor = self.get(f"{self.portal_url}/author/{LOGIN}", auth=self.editor)
        self.assertIn(FULLNAME, editor.text)
