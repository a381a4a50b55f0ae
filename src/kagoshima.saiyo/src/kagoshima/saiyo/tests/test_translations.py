"""Messages Plone leaves in English on a Japanese site are filled in by the add-on's catalog."""

from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_INTEGRATION_TESTING
from zope.i18n import translate

import unittest


class TestPloneGaps(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def test_untranslated_plone_messages_read_japanese(self):
        expected = {
            "initial_version_changeNote": "初版",
            "Enable icalendar import": "iCalendarの取り込みを有効にする",
            "Disable icalendar import": "iCalendarの取り込みを無効にする",
            "Mosaic layout": "Mosaicレイアウト",
        }
        found = {msgid: translate(msgid, domain="plone", target_language="ja") for msgid in expected}
        self.assertEqual(found, expected)

    def test_plone_own_translations_still_win(self):
        # The add-on's catalog only fills gaps: Plone's own Japanese stays as it is.
        self.assertEqual(translate("Log in", domain="plone", target_language="ja"), "ログイン")
