"""The gzip filter in front of Zope: text compressed with Vary, everything else untouched."""

from kagoshima.saiyo.wsgi.compress import Compress

import gzip
import unittest


def app_returning(content_type, body, extra_headers=()):
    def app(environ, start_response):
        start_response(
            "200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body))), *extra_headers]
        )
        return [body]

    return app


def call(app, accept="gzip, deflate", method="GET"):
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(Compress(app)({"HTTP_ACCEPT_ENCODING": accept, "REQUEST_METHOD": method}, start_response))
    return seen["headers"], body


class TestCompress(unittest.TestCase):
    html = ("<p>鹿児島県職員採用</p>" * 200).encode()

    def test_html_is_gzipped_with_vary_and_length(self):
        headers, body = call(app_returning("text/html; charset=utf-8", self.html))
        self.assertEqual(headers["Content-Encoding"], "gzip")
        self.assertEqual(headers["Vary"], "Accept-Encoding")
        self.assertEqual(int(headers["Content-Length"]), len(body))
        self.assertEqual(gzip.decompress(body), self.html)

    def test_images_and_clients_without_gzip_pass_through(self):
        headers, body = call(app_returning("image/png", b"\x89PNG" * 500))
        self.assertNotIn("Content-Encoding", headers)
        self.assertEqual(body, b"\x89PNG" * 500)
        headers, body = call(app_returning("text/html", self.html), accept="identity")
        self.assertNotIn("Content-Encoding", headers)
        self.assertEqual(body, self.html)

    def test_already_encoded_responses_are_left_alone(self):
        headers, body = call(app_returning("text/css", b"x" * 2000, [("Content-Encoding", "br")]))
        self.assertEqual(headers["Content-Encoding"], "br")
        self.assertEqual(body, b"x" * 2000)
