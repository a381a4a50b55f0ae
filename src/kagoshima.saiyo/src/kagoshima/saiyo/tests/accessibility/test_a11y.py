"""The editor's accessibility check: the rules, the page's list and the 承認依頼 guard."""

from kagoshima.saiyo.accessibility.checks import findings
from kagoshima.saiyo.accessibility.guard import AccessibilityBlocked
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_INTEGRATION_TESTING
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.textfield.value import RichTextValue

import unittest


def checks(html):
    return [finding.check for finding in findings(html)]


class TestRules(unittest.TestCase):
    def test_clean_text_has_no_findings(self):
        html = (
            "<h2>試験日程</h2><h3>第1次試験</h3><p>2026年6月21日（日）</p>"
            '<p><img src="a.png" alt="試験会場の地図"></p>'
            "<table><tr><th>区分</th><th>人数</th></tr><tr><td>行政</td><td>30</td></tr></table>"
            '<p><a href="guide.pdf">受験案内（PDF）</a></p>'
        )
        self.assertEqual(findings(html), [])

    def test_image_without_alt(self):
        found = findings('<p><img src="photo.jpg"></p><p><img src="b.jpg" alt=""></p>')
        self.assertEqual([f.check for f in found], ["img-alt", "img-alt"])
        self.assertIn("photo.jpg", found[0].element)

    def test_heading_levels(self):
        self.assertEqual(checks("<h2>a</h2><h4>b</h4>"), ["heading-skip"])
        self.assertEqual(checks("<h3>a</h3>"), ["heading-skip"])
        self.assertEqual(checks("<h1>a</h1>"), ["heading-skip"])
        self.assertEqual(checks("<h2>a</h2><h3>b</h3><h2>c</h2>"), [])

    def test_table_without_header(self):
        self.assertEqual(checks("<table><tr><td>a</td></tr></table>"), ["table-header"])

    def test_link_texts(self):
        for text in ("こちら", "ここ", "詳しくはこちら", "こちら。", "Click here"):
            self.assertEqual(checks(f'<a href="x">{text}</a>'), ["link-text"], text)
        self.assertEqual(checks('<a href="x"></a>'), ["link-text"])
        self.assertEqual(checks('<a href="x"><img src="i.png" alt="受験案内"></a>'), [])

    def test_izon_moji_and_zenkaku(self):
        found = findings("<p>①申込み ㈱鹿児島 ㍻ ｶﾀｶﾅ ＳＰＩ試験 １２３</p>")
        kinds = [f.check for f in found]
        self.assertEqual(kinds.count("izon-moji"), 6)  # ① ㈱ ㍻ ｶ ﾀ ﾅ
        self.assertEqual(kinds.count("zenkaku-alnum"), 2)
        self.assertTrue(any("「1」など" in f.message for f in found))


class TestGuard(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        setRoles(self.portal, TEST_USER_ID, ["Manager"])

    def page(self, html):
        return api.content.create(
            self.portal, "Document", title="確認", text=RichTextValue(html, "text/html", "text/x-html-safe")
        )

    def test_blocking_finding_refuses_submit(self):
        page = self.page('<p><img src="a.png"></p>')
        with self.assertRaises(AccessibilityBlocked) as raised:
            api.portal.get_tool("portal_workflow").doActionFor(page, "submit")
        self.assertIn("承認依頼できません", str(raised.exception))
        self.assertEqual(api.content.get_state(page), "private")

    def test_non_blocking_finding_lets_submit_through(self):
        page = self.page("<p>ＳＰＩ</p>")
        api.content.transition(page, transition="submit")
        self.assertEqual(api.content.get_state(page), "pending")

    def test_blocking_kinds_are_configurable(self):
        api.portal.set_registry_record("kagoshima.saiyo.security.a11y_blocking_checks", ["zenkaku-alnum"])
        page = self.page('<p><img src="a.png"></p>')
        api.content.transition(page, transition="submit")
        self.assertEqual(api.content.get_state(page), "pending")
        other = self.page("<p>ＳＰＩ</p>")
        with self.assertRaises(AccessibilityBlocked):
            api.portal.get_tool("portal_workflow").doActionFor(other, "submit")

    def test_viewlet_lists_findings_for_editors(self):
        page = self.page('<h2>a</h2><h4>b</h4><p><a href="x">こちら</a></p>')
        api.content.transition(page, to_state="published")
        html = page()
        self.assertIn('id="saiyo-a11y-findings"', html)
        self.assertIn("見出しの順序", html)
        self.assertIn("&lt;a&gt;こちら&lt;/a&gt;", html)
