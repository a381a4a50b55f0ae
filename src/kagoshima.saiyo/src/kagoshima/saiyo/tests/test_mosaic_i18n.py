"""The Mosaic editor in Japanese (mosaic_i18n/): registry labels, the plone.app.mosaic catalog, upgrade 1018.

The browser side (every label of the editor as Chromium shows it) is tests/landing/test_mosaic_editor_japanese.py
of the project.
"""

from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_INTEGRATION_TESTING
from plone.registry.interfaces import IRegistry
from zope.component import getMultiAdapter
from zope.component import getUtility
from zope.i18n import translate

import json
import re
import unittest


# Records plone.app.mosaic 4.2's script never shows (it builds the rich text toolbar from TinyMCE's settings).
UNSHOWN = (
    "plone.app.mosaic.richtext_toolbar.",
    "plone.app.mosaic.richtext_contextmenu.",
    "plone.app.mosaic.tinymce_categories.",
)
NAMES = {"RSS"}


def english_words(text):
    return set(re.findall(r"[A-Za-z]{2,}", text)) - NAMES


class TestMosaicInJapanese(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        self.registry = getUtility(IRegistry)

    def labels(self):
        return {
            name: self.registry[name]
            for name in self.registry.records.keys()
            if name.startswith("plone.app.mosaic.")
            and name.endswith(".label")
            and not name.startswith(UNSHOWN)
        }

    def test_every_label_the_editor_shows_is_japanese(self):
        labels = self.labels()
        self.assertGreater(len(labels), 40)
        english = {name: label for name, label in labels.items() if english_words(label or "")}
        self.assertEqual(english, {})
        self.assertEqual(labels["plone.app.mosaic.secondary_actions.insert.label"], "挿入")
        self.assertEqual(labels["plone.app.mosaic.app_tiles.plone_app_standardtiles_html.label"], "テキスト")

    def test_names_the_script_builds_classes_from_stay(self):
        self.assertEqual(self.registry["plone.app.mosaic.primary_actions.preview.fieldset"], "Layout")
        self.assertEqual(self.registry["plone.app.mosaic.tiles_categories.applications.name"], "applications")
        self.assertEqual(
            self.registry["plone.app.mosaic.app_tiles.kagoshima_saiyo_exams.category"], "applications"
        )

    def test_the_script_is_a_bundle_for_staff_only(self):
        prefix = "plone.bundles/saiyo-mosaic-i18n"
        self.assertTrue(self.registry[f"{prefix}.enabled"])
        self.assertEqual(self.registry[f"{prefix}.expression"], "python: member is not None")
        path = self.registry[f"{prefix}.jscompilation"]
        # served by mosaic_i18n's resource directory
        self.assertIsNotNone(self.portal.restrictedTraverse(path))

    def test_catalog_of_the_script_strings(self):
        def ja(msgid):
            return translate(msgid, domain="plone.app.mosaic", target_language="ja")

        self.assertEqual(ja("Edit"), "設定")
        self.assertEqual(ja("Delete"), "削除")
        self.assertEqual(ja("Manage custom layouts"), "レイアウトの管理")
        self.assertEqual(ja("Reset (${columns})"), "幅を自動に戻す（${columns}/12）")

    def test_the_browser_reads_the_catalog_like_mockup(self):
        request = self.layer["request"]
        view = getMultiAdapter((self.portal, request), name="plonejsi18n")
        view(domain="plone.app.mosaic", language="ja")
        catalog = json.loads(request.response.getBody())
        self.assertEqual(catalog["Select Layout"], "レイアウトを選ぶ")
        untranslated = [msgid for msgid, msgstr in catalog.items() if msgid and not msgstr]
        self.assertEqual(untranslated, [])

    def test_properties_layout_tab_of_plone_app_blocks(self):
        def ja(msgid):
            return translate(msgid, domain="plone", target_language="ja")

        self.assertEqual(ja("Layout"), "レイアウト")
        self.assertEqual(ja("Content Layout"), "選んだレイアウト")
        self.assertEqual(ja("Custom layout"), "カスタマイズしたレイアウト")

    def test_upgrade_1018_translates_a_site_of_1017(self):
        from kagoshima.saiyo.upgrades import v20261204018

        self.registry["plone.app.mosaic.secondary_actions.insert.label"] = "Insert"
        self.registry["plone.app.mosaic.tiles_categories.structure.label"] = "Structure"
        for name in [
            name
            for name in self.registry.records.keys()
            if name.startswith("plone.bundles/saiyo-mosaic-i18n.")
        ]:
            del self.registry.records[name]
        landing = self.registry["plone.app.mosaic.app_tiles.kagoshima_saiyo_exams.label"]

        v20261204018.upgrade()

        self.assertEqual(self.registry["plone.app.mosaic.secondary_actions.insert.label"], "挿入")
        self.assertEqual(self.registry["plone.app.mosaic.tiles_categories.structure.label"], "文章・構成")
        self.assertEqual(
            self.registry["plone.bundles/saiyo-mosaic-i18n.jscompilation"],
            "++resource++kagoshima.saiyo.mosaic_i18n/mosaic-i18n.js",
        )
        self.assertEqual(self.registry["plone.app.mosaic.app_tiles.kagoshima_saiyo_exams.label"], landing)
