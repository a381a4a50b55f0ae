"""The test-results page: the manual checklist, its merge with an axe-core run, the page itself."""

from kagoshima.saiyo.accessibility import results
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING
from pathlib import Path
from plone.testing.zope import Browser

import tempfile
import unittest


WCAG20_A_AA = (
    "1.1.1 1.2.1 1.2.2 1.2.3 1.2.4 1.2.5 1.3.1 1.3.2 1.3.3 1.4.1 1.4.2 1.4.3 1.4.4 1.4.5 "
    "2.1.1 2.1.2 2.2.1 2.2.2 2.3.1 2.4.1 2.4.2 2.4.3 2.4.4 2.4.5 2.4.6 2.4.7 "
    "3.1.1 3.1.2 3.2.1 3.2.2 3.2.3 3.2.4 3.3.1 3.3.2 3.3.3 3.3.4 4.1.1 4.1.2"
).split()


def axe_run(violations=()):
    """An axe report as saiyo a11y-report writes it."""
    return {
        "date": "2026-12-02T10:15:00+09:00",
        "tool": "axe-core 4.10.3",
        "browser": "Chromium 156",
        "viewports": [375, 1280],
        "rules": {
            "color-contrast": ["cat.color", "wcag2aa", "wcag143"],
            "image-alt": ["cat.text-alternatives", "wcag2a", "wcag111", "section508"],
            "html-has-lang": ["cat.language", "wcag2a", "wcag311"],
        },
        "pages": [
            {
                "path": "/",
                "viewport": 375,
                "violations": [{"id": rule, "help": "説明", "nodes": 2} for rule in violations],
                "passes": [
                    rule
                    for rule in ("image-alt", "html-has-lang", "color-contrast")
                    if rule not in violations
                ],
                "incomplete": [],
            }
        ],
    }


class TestChecklist(unittest.TestCase):
    def test_every_wcag20_a_and_aa_criterion_once(self):
        checklist = results.load_checklist()
        self.assertEqual([entry["id"] for entry in checklist["criteria"]], WCAG20_A_AA)
        self.assertEqual(checklist["standard"], "JIS X 8341-3:2016")
        self.assertEqual(checklist["level"], "AA")
        self.assertIn("/", [page["path"] for page in checklist["pages"]])

    def test_a_wrong_result_is_refused_in_japanese(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "checklist.yaml"
            path.write_text(
                "pages: [{path: /, name: トップ}]\ncriteria:\n"
                "  - {id: 1.1.1, name: 非テキスト, level: A, result: たぶん, method: 目視}\n",
                encoding="utf-8",
            )
            with self.assertRaises(results.ChecklistError) as raised:
                results.load_checklist(path)
        self.assertIn("判定は 適合・不適合・該当なし", str(raised.exception))


class TestMerge(unittest.TestCase):
    def setUp(self):
        self.checklist = results.load_checklist()

    def row(self, report, criterion):
        return next(row for row in report["rows"] if row["id"] == criterion)

    def test_clean_run_keeps_the_manual_results(self):
        report = results.merge(self.checklist, axe_run())
        self.assertEqual(report["conformance"], "準拠")
        self.assertEqual(self.row(report, "1.4.3")["result"], "適合")
        self.assertEqual(self.row(report, "1.4.3")["automated_rules"], ["color-contrast"])
        # Live media (1.2.4) is not on the site: no automated rule and no manual finding changes that
        self.assertEqual(self.row(report, "1.2.4")["result"], "該当なし")
        self.assertEqual(self.row(report, "1.2.4")["applicable"], "いいえ")
        self.assertEqual(sum(report["counts"].values()), 38)
        self.assertEqual(results.tested_on(report["tested"]), "2026年12月2日")

    def test_an_automated_violation_makes_the_criterion_fail(self):
        report = results.merge(self.checklist, axe_run(violations=["color-contrast"]))
        row = self.row(report, "1.4.3")
        self.assertEqual(row["manual"], "適合")
        self.assertEqual(row["result"], "不適合")
        self.assertEqual(row["violations"][0]["rule"], "color-contrast")
        self.assertEqual(report["conformance"], "一部準拠")
        self.assertEqual(self.row(report, "1.1.1")["result"], "適合")

    def test_without_a_run_there_is_no_conformance_claim(self):
        report = results.merge(self.checklist, None)
        self.assertIsNone(report["conformance"])
        self.assertIsNone(report["tested"])


class TestResultsPage(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING

    def test_page_in_the_form_of_the_guideline(self):
        browser = Browser(self.layer["app"])
        browser.open(self.layer["portal"].absolute_url() + "/@@accessibility-test-results")
        html = browser.contents
        for expected in (
            "規格の規格番号及び改正年",
            "JIS X 8341-3:2016",
            "目標とする適合レベル",
            "対応度",
            "試験の実施日",
            "対象範囲",
            "依存したウェブコンテンツ技術",
            "試験の対象ページ",
            "達成基準チェックリスト",
            "非テキストコンテンツ",
            "名前（name）・役割（role）及び値（value）",
        ):
            self.assertIn(expected, html)
        self.assertEqual(html.count('<tr id="sc-'), 38)
