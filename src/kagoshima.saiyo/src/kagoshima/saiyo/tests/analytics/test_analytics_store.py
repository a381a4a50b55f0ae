"""The page-view store, tokens, user-agent classes and the collector's decisions (no Plone needed)."""

from datetime import date
from datetime import datetime
from datetime import timezone
from kagoshima.saiyo.analytics import classify
from kagoshima.saiyo.analytics import collector
from kagoshima.saiyo.analytics import store
from kagoshima.saiyo.analytics import token
from kagoshima.saiyo.wsgi import pageviews as wsgi
from pathlib import Path

import io
import multiprocessing
import sqlite3
import tempfile
import time_machine
import unittest


UID = "0123456789abcdef0123456789abcdef"
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Mobile/15E148 Safari/604.1"
)
ANDROID_PHONE = (
    "Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
ANDROID_TABLET = "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)
CRAWLERS = (
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
    "python-requests/2.32.3",
    "curl/8.5.0",
    "Wget/1.21.3",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "",
)


def beacon_environ(**extra):
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/@@pv",
        "HTTP_HOST": "saiyo.example.jp",
        "HTTP_USER_AGENT": CHROME,
        "HTTP_SEC_FETCH_SITE": "same-origin",
    }
    environ.update(extra)
    return environ


def hammer(directory: str, uid: str, count: int, start) -> None:
    """Child process: wait for the start signal, then add ``count`` views one by one."""
    own = store.PageViewStore(Path(directory) / store.FILE_NAME)
    own.secret()
    start.wait(30)
    for number in range(count):
        own.add("2026-11-02", uid, ("mobile", "desktop")[number % 2])
        own.add("2026-11-02", f"{uid}-{number % 7}", "tablet")
    own.close()


class StoreTestCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.store = store.PageViewStore(Path(self.tmp.name) / store.FILE_NAME)
        self.addCleanup(self.store.close)


class TestMonths(unittest.TestCase):
    def test_month_arithmetic(self):
        self.assertEqual(store.shift_month("2026-01", -1), "2025-12")
        self.assertEqual(store.shift_month("2026-12", 1), "2027-01")
        self.assertEqual(store.previous_month(date(2026, 1, 1)), "2025-12")
        self.assertEqual(store.month_bounds("2026-12"), ("2026-12-01", "2027-01-01"))
        self.assertEqual(store.months_ending("2026-02", 3), ["2025-12", "2026-01", "2026-02"])

    def test_valid_month(self):
        self.assertTrue(store.valid_month("2026-11"))
        for bad in ("2026-13", "2026-1", "202611", "'; DROP TABLE daily_views; --", None, 202611):
            self.assertFalse(store.valid_month(bad), bad)
        with self.assertRaises(ValueError):
            store.month_bounds("2026-13")


class TestStore(StoreTestCase):
    def test_counts_per_day_page_and_device_roll_up_into_months(self):
        self.store.add("2026-10-31", UID, "mobile")
        for _ in range(3):
            self.store.add("2026-11-01", UID, "mobile")
        self.store.add("2026-11-30", UID, "desktop")
        self.store.add("2026-12-01", UID, "tablet")
        self.assertEqual(self.store.month_counts("2026-11"), {UID: {"mobile": 3, "desktop": 1}})
        self.assertEqual(self.store.monthly_totals(["2026-10", "2026-11", "2026-12", "2027-01"]),
                         {"2026-10": 1, "2026-11": 4, "2026-12": 1, "2027-01": 0})  # fmt: skip
        self.assertEqual(self.store.daily_totals("2026-11"), {"2026-11-01": 3, "2026-11-30": 1})
        self.assertEqual(self.store.first_month(), "2026-10")
        self.assertEqual(self.store.total_views(), 6)

    def test_one_row_per_day_page_and_device(self):
        for _ in range(50):
            self.store.add("2026-11-01", UID, "mobile")
        rows = self.store.connection().execute("SELECT day, uid, device, views FROM daily_views").fetchall()
        self.assertEqual(rows, [("2026-11-01", UID, "mobile", 50)])

    def test_wal_mode_and_nothing_personal_in_the_schema(self):
        self.store.add("2026-11-01", UID, "mobile")
        connection = sqlite3.connect(self.store.path)
        self.addCleanup(connection.close)
        self.assertEqual(connection.execute("PRAGMA journal_mode").fetchone()[0], "wal")
        columns = {row[1] for row in connection.execute("PRAGMA table_info(daily_views)")}
        self.assertEqual(columns, {"day", "uid", "device", "views"})

    def test_secret_is_made_once_and_kept(self):
        first = self.store.secret()
        self.assertEqual(len(first), 32)
        other = store.PageViewStore(self.store.path)
        self.addCleanup(other.close)
        self.assertEqual(other.secret(), first)

    def test_default_directory_from_the_environment(self):
        import os

        previous = os.environ.get(store.DIRECTORY_ENV)
        os.environ[store.DIRECTORY_ENV] = self.tmp.name
        try:
            self.assertEqual(store.default_directory(), Path(self.tmp.name))
            self.assertEqual(store.get_store().path, Path(self.tmp.name) / store.FILE_NAME)
        finally:
            if previous is None:
                del os.environ[store.DIRECTORY_ENV]
            else:
                os.environ[store.DIRECTORY_ENV] = previous


class TestTwoProcessesAtOnce(StoreTestCase):
    def test_two_processes_writing_at_once_lose_nothing(self):
        context = multiprocessing.get_context("spawn")
        start = context.Event()
        count = 5000
        workers = [
            context.Process(target=hammer, args=(self.tmp.name, UID, count, start)),
            context.Process(target=hammer, args=(self.tmp.name, UID, count, start)),
        ]
        for worker in workers:
            worker.start()
        start.set()
        for worker in workers:
            worker.join(120)
            self.assertEqual(worker.exitcode, 0)
        counts = self.store.month_counts("2026-11")
        self.assertEqual(counts[UID], {"mobile": count, "desktop": count})
        self.assertEqual(sum(counts[f"{UID}-{n}"]["tablet"] for n in range(7)), 2 * count)
        self.assertEqual(self.store.total_views(), 4 * count)
        # both processes made or read the secret: there is exactly one
        rows = self.store.connection().execute("SELECT COUNT(*) FROM settings").fetchone()[0]
        self.assertEqual(rows, 1)


class TestToken(unittest.TestCase):
    def test_sign_and_verify(self):
        secret = b"k" * 32
        signed = token.sign(UID, secret)
        self.assertTrue(signed.startswith(UID + "."))
        self.assertEqual(token.verify(signed, secret), UID)

    def test_forged_or_broken_tokens_are_refused(self):
        secret = b"k" * 32
        signed = token.sign(UID, secret)
        forged = token.sign("fedcba9876543210fedcba9876543210", b"other secret")
        for bad in (forged, signed[:-1] + ("0" if signed[-1] != "0" else "1"), signed[:-2], UID, "", None,
                    f"{UID}.{'g' * 32}", "../../etc." + "0" * 32, signed + " "):  # fmt: skip
            self.assertIsNone(token.verify(bad, secret), bad)


class TestClassify(unittest.TestCase):
    def test_device_classes(self):
        self.assertEqual(classify.classify(CHROME), "desktop")
        self.assertEqual(classify.classify(IPHONE), "mobile")
        self.assertEqual(classify.classify(ANDROID_PHONE), "mobile")
        self.assertEqual(classify.classify(ANDROID_TABLET), "tablet")
        self.assertEqual(classify.classify(IPAD), "tablet")
        self.assertEqual(
            classify.classify("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                              "Version/17.5 Safari/605.1.15"),
            "desktop",
        )  # fmt: skip

    def test_crawlers_and_empty_user_agents_are_none(self):
        for agent in CRAWLERS:
            self.assertIsNone(classify.classify(agent), agent)


class TestCollector(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.collector = collector.Collector(self.tmp.name)
        self.addCleanup(self.collector.store.close)
        self.body = f"t={token.sign(UID, self.collector.store.secret())}".encode()

    def views(self):
        return self.collector.store.total_views()

    def test_a_real_page_view_is_counted_in_tokyo_time(self):
        # 15:30 UTC on 30 November is already 1 December in Tokyo.
        with time_machine.travel(datetime(2026, 11, 30, 15, 30, tzinfo=timezone.utc), tick=False):
            self.assertEqual(self.collector.handle(beacon_environ(), self.body), (204, "counted"))
            self.assertTrue(self.collector.handle(beacon_environ(HTTP_USER_AGENT=IPHONE), self.body).counted)
        self.assertEqual(self.collector.store.month_counts("2026-12"), {UID: {"desktop": 1, "mobile": 1}})
        self.assertEqual(self.collector.store.month_counts("2026-11"), {})

    def test_origin_header_is_enough_for_browsers_without_sec_fetch_site(self):
        environ = beacon_environ(HTTP_ORIGIN="https://saiyo.example.jp")
        del environ["HTTP_SEC_FETCH_SITE"]
        self.assertEqual(self.collector.handle(environ, self.body), collector.COUNTED)
        # behind the reverse proxy: the public host is in the VirtualHostBase path
        environ = beacon_environ(
            HTTP_ORIGIN="https://saiyo.pref.kagoshima.example",
            HTTP_HOST="127.0.0.1:8080",
            PATH_INFO="/VirtualHostBase/https/saiyo.pref.kagoshima.example:443/Plone/VirtualHostRoot/@@pv",
        )
        del environ["HTTP_SEC_FETCH_SITE"]
        self.assertEqual(self.collector.handle(environ, self.body), collector.COUNTED)
        self.assertEqual(self.views(), 2)

    def test_everything_else_is_refused_and_stores_nothing(self):
        # a refused POST is still answered 204 (no error in the visitor's console); the
        # X-Pageview header says why; other methods and oversized bodies are HTTP errors
        no_origin = beacon_environ()
        del no_origin["HTTP_SEC_FETCH_SITE"]
        cases = {
            "HEAD": (beacon_environ(REQUEST_METHOD="HEAD"), self.body, 405),
            "GET": (beacon_environ(REQUEST_METHOD="GET"), self.body, 405),
            "prefetch": (beacon_environ(HTTP_SEC_PURPOSE="prefetch"), self.body, 204),
            "prerender": (beacon_environ(HTTP_SEC_PURPOSE="prefetch;prerender"), self.body, 204),
            "old prefetch": (beacon_environ(HTTP_PURPOSE="prefetch"), self.body, 204),
            "firefox prefetch": (beacon_environ(HTTP_X_MOZ="prefetch"), self.body, 204),
            "cross-site": (beacon_environ(HTTP_SEC_FETCH_SITE="cross-site"), self.body, 204),
            "same-site": (beacon_environ(HTTP_SEC_FETCH_SITE="same-site"), self.body, 204),
            "foreign origin": ({**no_origin, "HTTP_ORIGIN": "https://evil.example"}, self.body, 204),
            "no origin at all": (no_origin, self.body, 204),
            "logged in (cookie)": (beacon_environ(HTTP_COOKIE='a=b; __ac="abc"'), self.body, 204),
            "logged in (REST token)": (beacon_environ(HTTP_COOKIE="auth_token=abc"), self.body, 204),
            "logged in (basic auth)": (beacon_environ(HTTP_AUTHORIZATION="Basic YTpi"), self.body, 204),
            "crawler": (beacon_environ(HTTP_USER_AGENT=CRAWLERS[0]), self.body, 204),
            "no user agent": (beacon_environ(HTTP_USER_AGENT=""), self.body, 204),
            "no token": (beacon_environ(), b"", 204),
            "forged token": (beacon_environ(), f"t={token.sign(UID, b'guess')}".encode(), 204),
            "too large": (beacon_environ(), None, 413),
        }
        for name, (environ, body, status) in cases.items():
            with self.subTest(name):
                outcome = self.collector.handle(environ, body)
                self.assertEqual(outcome.status, status)
                self.assertFalse(outcome.counted)
                self.assertTrue(outcome.note.startswith("refused: "))
        self.assertEqual(self.views(), 0)


class TestMiddleware(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.passed = []
        self.app = wsgi.make_filter({}, directory=self.tmp.name)(self.downstream)
        self.addCleanup(self.app.collector.store.close)
        self.body = f"t={token.sign(UID, self.app.collector.store.secret())}".encode()

    def downstream(self, environ, start_response):
        self.passed.append(environ["PATH_INFO"])
        start_response("200 OK", [])
        return [b"page"]

    def call(self, environ, body=b""):
        statuses = []
        environ = {"wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)), **environ}
        result = self.app(environ, lambda status, headers: statuses.append((status, dict(headers))))
        return statuses[0], b"".join(result)

    def test_beacons_are_answered_before_zope(self):
        (status, headers), body = self.call(beacon_environ(), self.body)
        self.assertEqual((status, body), ("204 No Content", b""))
        self.assertEqual((headers["Cache-Control"], headers["X-Pageview"]), ("no-store", "counted"))
        (status, headers), _ = self.call(beacon_environ(HTTP_USER_AGENT=CRAWLERS[0]), self.body)
        self.assertEqual(
            (status, headers["X-Pageview"]), ("204 No Content", "refused: crawler or no user agent")
        )
        (status, _), _ = self.call(
            beacon_environ(
                PATH_INFO="/VirtualHostBase/https/saiyo.example.jp:443/Plone/VirtualHostRoot/@@pv"
            ),
            self.body,
        )
        self.assertEqual(status, "204 No Content")
        (status, headers), _ = self.call(beacon_environ(REQUEST_METHOD="HEAD"))
        self.assertEqual((status, headers["Allow"]), ("405 Method Not Allowed", "POST"))
        (status, _), _ = self.call(beacon_environ(), b"t=" + b"0" * 300)
        self.assertEqual(status, "413 Payload Too Large")
        self.assertEqual(self.passed, [])
        self.assertEqual(self.app.collector.store.total_views(), 2)

    def test_other_paths_pass_through(self):
        for path in ("/", "/news/pv", "/@@pv/more", "/@@pvx"):
            (status, _), body = self.call({"REQUEST_METHOD": "GET", "PATH_INFO": path})
            self.assertEqual((status, body), ("200 OK", b"page"))
        self.assertEqual(self.passed, ["/", "/news/pv", "/@@pv/more", "/@@pvx"])

    def test_standalone_collector_app(self):
        app = wsgi.make_app({}, directory=self.tmp.name)
        statuses = []
        environ = {"wsgi.input": io.BytesIO(b""), "REQUEST_METHOD": "GET", "PATH_INFO": "/"}
        app(environ, lambda status, headers: statuses.append(status))
        self.assertEqual(statuses, ["404 Not Found"])
