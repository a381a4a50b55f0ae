"""Small things an author sees: no format drop-down under rich text, the events portlet's dates."""

from datetime import datetime
from datetime import timedelta
from kagoshima.saiyo.browser.event_dates import event_start_text
from kagoshima.saiyo.dates import TOKYO
from kagoshima.saiyo.dates import TOKYO_PYTZ
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_INTEGRATION_TESTING
from plone import api
from plone.app.event.portlets.portlet_events import Assignment as EventsAssignment
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.portlets.interfaces import IPortletManager
from plone.portlets.interfaces import IPortletRenderer
from zope.component import getMultiAdapter
from zope.component import getUtility

import lxml.html
import unittest


class TestEventStartText(unittest.TestCase):
    def test_wareki_with_weekday_and_24_hour_time(self):
        start = datetime(2026, 12, 7, 13, 0, tzinfo=TOKYO)
        self.assertEqual(event_start_text(start), "令和8年12月7日（月）13時00分")
        self.assertEqual(event_start_text(start, whole_day=True), "令和8年12月7日（月）")
        self.assertEqual(event_start_text(None), "")


class TestAuthorDetails(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.request = self.layer["request"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])

    def test_rich_text_has_no_format_drop_down(self):
        self.assertEqual(api.portal.get_registry_record("plone.allowed_types"), ("text/html",))
        form = self.portal.restrictedTraverse("++add++Document")
        html = form()
        page = lxml.html.fromstring(html)
        self.assertTrue(page.cssselect('textarea[name="form.widgets.IRichTextBehavior.text"]'))
        self.assertEqual(page.cssselect('select[name$=".mimeType"]'), [])
        self.assertNotIn("textareamimetypeselector", html)

    def test_events_portlet_prints_dates_as_the_site_does(self):
        start = (datetime.now(TOKYO_PYTZ) + timedelta(days=10)).replace(
            hour=13, minute=0, second=0, microsecond=0
        )
        event = api.content.create(
            self.portal, "Event", title="採用説明会", start=start, end=start.replace(hour=15)
        )
        api.content.transition(event, to_state="published")
        manager = getUtility(IPortletManager, name="plone.rightcolumn", context=self.portal)
        view = self.portal.restrictedTraverse("@@view")
        assignment = EventsAssignment(count=5, state=("published",), search_base_uid=None)
        renderer = getMultiAdapter((self.portal, self.request, view, manager, assignment), IPortletRenderer)
        renderer.update()
        html = renderer.render()
        self.assertIn("採用説明会", html)
        self.assertIn(event_start_text(start), html)  # 「令和8年12月13日（日）13時00分」
        self.assertIn(f'datetime="{start.date().isoformat()}T13:00+09:00"', html)
        self.assertNotIn("Asia/Tokyo", html)


class TestPhrases(unittest.TestCase):
    def test_headings_break_between_japanese_phrases(self):
        from kagoshima.saiyo.theme.phrases import phrase_html

        self.assertEqual(
            str(phrase_html("鹿児島の未来を、ここから。")), "鹿児島の<wbr>未来を、<wbr>ここから。"
        )
        self.assertNotIn("<b>", str(phrase_html("<b>県の</b>仕事")))
        self.assertEqual(str(phrase_html("")), "")


class TestSnsIcon(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def test_square_profile_icon_is_served(self):
        from PIL import Image

        resource = self.layer["portal"].restrictedTraverse("++plone++kagoshima.saiyo/sns-icon-400.png")
        self.assertEqual(resource.getContentType(), "image/png")
        with Image.open(resource.path) as image:
            self.assertEqual((image.format, image.size), ("PNG", (400, 400)))
            # the corners are the mark's blue ground (nothing a circular crop would cut off)
            self.assertEqual(image.convert("RGB").getpixel((2, 2)), (0x0B, 0x4F, 0x8A))
