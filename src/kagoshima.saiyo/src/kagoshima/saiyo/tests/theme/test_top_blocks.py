"""Administrators arrange the top page's blocks in @@manage-top-blocks, with Plone's own controls."""

from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.testing.zope import Browser
from urllib.error import HTTPError

import lxml.html
import re
import transaction
import unittest


PASSWORD = "secret-123-Kagoshima"
NEWS = "kagoshima.saiyo.top.news"
EVENTS = "kagoshima.saiyo.top.events"
EVENTS_TITLE = "これからのイベント・説明会"


class TestManageTopBlocks(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING

    def setUp(self):
        self.app, self.portal = self.layer["app"], self.layer["portal"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])
        self.portal.setLayout("saiyo-top")
        api.user.create(email="kanri@example.com", username="kanri", password=PASSWORD)
        api.group.add_user(groupname="administrators", username="kanri")
        api.user.create(email="sakusei@example.com", username="sakusei", password=PASSWORD)
        api.group.add_user(groupname="authors", username="sakusei")
        api.user.grant_roles(username="sakusei", obj=self.portal, roles=["Editor"])
        transaction.commit()
        self.manage_url = f"{self.portal.absolute_url()}/@@manage-top-blocks"

    def browser(self, user=None):
        browser = Browser(self.app)
        browser.handleErrors = False
        if user:
            browser.addHeader("Authorization", f"Basic {user}:{PASSWORD}")
        return browser

    def block_titles(self):
        """The headings of the top page's blocks, in order, as a visitor sees them."""
        browser = self.browser()
        browser.open(self.portal.absolute_url())
        return [
            h.text_content().strip()
            for h in lxml.html.fromstring(browser.contents).cssselect("h2.saiyo-block__title")
        ]

    def link(self, browser, action, viewlet):
        """The control's link on the page (Plone's, with its CSRF token), made for this view."""
        pattern = rf'href="([^"]*/@@manage-top-blocks\?{action}=kagoshima\.saiyo\.topblocks%3A{re.escape(viewlet)}[^"]*)"'
        found = re.search(pattern, browser.contents)
        self.assertIsNotNone(found, f"no {action} control for {viewlet}")
        self.assertIn("_authenticator=", found.group(1))
        return found.group(1).replace("&amp;", "&")

    def test_administrator_moves_and_hides_a_block_and_visitors_see_it(self):
        before = self.block_titles()
        self.assertLess(before.index("お知らせ"), before.index(EVENTS_TITLE))
        browser = self.browser("kanri")
        browser.open(self.manage_url)
        self.assertNotIn("/@@manage-viewlets?", browser.contents)  # every control leads back here
        self.assertEqual(browser.contents.count('class="managedViewlets"'), 1)  # the blocks' only
        browser.open(self.link(browser, "move_below", NEWS))
        self.assertEqual(browser.url.split("?")[0], self.manage_url)
        after = self.block_titles()
        self.assertGreater(after.index("お知らせ"), after.index(EVENTS_TITLE))

        browser.open(self.link(browser, "hide", EVENTS))
        self.assertEqual(browser.url.split("?")[0], self.manage_url)
        self.assertNotIn(EVENTS_TITLE, self.block_titles())
        browser.open(self.link(browser, "show", EVENTS))
        self.assertIn(EVENTS_TITLE, self.block_titles())

    def test_a_control_without_the_token_changes_nothing(self):
        browser = self.browser("kanri")
        browser.open(self.manage_url)
        forged = re.sub(r"&_authenticator=[^#&]*", "", self.link(browser, "hide", EVENTS))
        browser.handleErrors = True
        try:
            browser.open(forged)
        except HTTPError:
            pass
        transaction.begin()
        self.assertIn(EVENTS_TITLE, self.block_titles())

    def test_authors_and_visitors_cannot_open_it(self):
        for user in ("sakusei", None):
            browser = self.browser(user)
            browser.handleErrors = True
            browser.raiseHttpErrors = False
            browser.open(self.manage_url)
            # Plone answers Unauthorized with its login form, or for a logged-in user without the right
            # with its insufficient-privileges page
            self.assertRegex(browser.url, r"/(require_login|login\?came_from=|insufficient-privileges)", user)
            self.assertNotIn("managedViewlets", browser.contents, user)
