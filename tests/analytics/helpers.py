"""Helpers of the page-view tests: read the counts as an administrator does, send beacons."""

from datetime import datetime
from zoneinfo import ZoneInfo

import csv
import io
import re
import requests


TOKYO = ZoneInfo("Asia/Tokyo")
TOKEN = re.compile(r'<meta name="saiyo-pv" content="([^"]+)"')
DESKTOP = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Mobile/15E148 Safari/604.1"
)
GOOGLEBOT = (
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.6778.204 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
)


def this_month() -> str:
    return datetime.now(TOKYO).strftime("%Y-%m")


def counts(base_url: str, admin, month: str | None = None) -> dict[str, dict]:
    """{path: row} of アクセス集計's CSV for a month, fetched as the administrator."""
    response = requests.get(
        f"{base_url}/@@saiyo-pageviews", params={"month": month or this_month(), "format": "csv"}, auth=admin
    )
    response.raise_for_status()
    assert response.content.startswith(b"\xef\xbb\xbf"), "the CSV starts with a UTF-8 byte-order mark"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    return {row["パス"]: row for row in rows}


def views(table: dict, path: str) -> int:
    row = table.get(path)
    return int(row["閲覧数"]) if row else 0


def token_of(base_url: str, path: str, session=None) -> str:
    html = (session or requests).get(base_url + path, headers={"User-Agent": DESKTOP}).text
    match = TOKEN.search(html)
    assert match, f"{path} has no page-view token"
    return match.group(1)


def beacon(session, url: str, token: str, agent: str = DESKTOP, method: str = "POST", **headers):
    return session.request(
        method,
        url,
        data={"t": token} if method == "POST" else None,
        headers={"User-Agent": agent, "Sec-Fetch-Site": "same-origin", **headers},
    )
