"""Staff downloads: one helper, Japanese file names as RFC 6266/5987 say, content type and nosniff.

The header value is checked by the helper's own tests, the three CSV downloads through the
publisher (a real request with a logged-in Manager), and the name a browser saves the file
as by the standard library's RFC 2231 decoder (what mail and HTTP clients use).
"""

from email.message import Message
from email.utils import collapse_rfc2231_value
from kagoshima.saiyo.browser import downloads
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.testing.zope import Browser

import re
import transaction
import unittest


def saved_name(header: str) -> str:
    """The file name a browser saves as: ``filename*`` when present (RFC 6266 4.3), else ``filename``.

    The parameters are parsed and percent-decoded by the standard library (RFC 2231).
    """
    message = Message()
    message["Content-Disposition"] = header
    names = [value for key, value in message.get_params(header="content-disposition") if key == "filename"]
    extended = [value for value in names if isinstance(value, tuple)]
    return collapse_rfc2231_value(extended[0]) if extended else names[0]


class TestHeader(unittest.TestCase):
    def test_japanese_name_has_ascii_fallback_and_utf8_name(self):
        header = downloads.content_disposition("操作履歴_20261203-2100.csv")
        self.assertEqual(
            header,
            'attachment; filename="20261203-2100.csv"; '
            "filename*=UTF-8''%E6%93%8D%E4%BD%9C%E5%B1%A5%E6%AD%B4_20261203-2100.csv",
        )
        self.assertEqual(saved_name(header), "操作履歴_20261203-2100.csv")
        header.encode("latin-1")  # an HTTP header must be ISO-8859-1: no raw Japanese

    def test_fallbacks(self):
        self.assertEqual(downloads.ascii_fallback("回答できなかった質問.csv"), "download.csv")
        self.assertEqual(downloads.ascii_fallback("ＳＰＩ試験 案内.xlsx"), "SPI.xlsx")
        self.assertEqual(downloads.ascii_fallback('a"b;c.csv'), "a_b_c.csv")
        # Quotes, semicolons, line breaks and slashes cannot break out of the header.
        header = downloads.content_disposition('x";\r\nSet-Cookie: a=b/../y.csv')
        self.assertNotIn("\r", header)
        self.assertNotIn("\n", header)
        self.assertEqual(header.count('"'), 2)
        self.assertEqual(saved_name(header), 'x";\r\nSet-Cookie: a=b_.._y.csv')


class TestStaffDownloads(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer["portal"]
        transaction.commit()
        self.browser = Browser(self.layer["app"])
        self.browser.handleErrors = False
        self.browser.addHeader("Authorization", f"Basic {SITE_OWNER_NAME}:{SITE_OWNER_PASSWORD}")

    def download(self, view: str):
        self.browser.open(f"{self.portal.absolute_url()}/{view}")
        return self.browser.headers, self.browser._response.body  # bytes as sent

    def check(self, view: str, name: re.Pattern, content_type: str):
        headers, body = self.download(view)
        self.assertEqual(headers["Content-Type"], content_type)
        self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(headers["Cache-Control"], "no-store")
        self.assertRegex(
            headers["Content-Disposition"], r'^attachment; filename="[A-Za-z0-9._-]+"; filename\*='
        )
        self.assertRegex(saved_name(headers["Content-Disposition"]), name)
        self.assertEqual(int(headers["Content-Length"]), len(body))
        return body

    def test_audit_csv(self):
        self.check("@@saiyo-audit?format=csv", re.compile(r"^操作履歴_\d{8}-\d{4}\.csv$"), downloads.CSV)

    def test_unanswered_questions_csv(self):
        self.check(
            "@@saiyo-assistant-unanswered?format=csv",
            re.compile(r"^回答できなかった質問_\d{8}-\d{4}\.csv$"),
            downloads.CSV,
        )

    def test_page_view_report_csv_and_xlsx(self):
        body = self.check(
            "@@saiyo-pageviews?month=2026-10&format=xlsx",
            re.compile(r"^アクセス集計_2026-10\.xlsx$"),
            downloads.XLSX,
        )
        self.assertTrue(body.startswith(b"PK"))  # a zip: an xlsx file
        self.check(
            "@@saiyo-pageviews?month=2026-10&format=csv",
            re.compile(r"^アクセス集計_2026-10\.csv$"),
            downloads.CSV,
        )
