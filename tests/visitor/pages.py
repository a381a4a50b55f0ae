"""The page types a visitor can reach, and helpers shared by the visitor tests."""

from contextlib import contextmanager
from pathlib import Path

import requests


ROOT = Path(__file__).resolve().parent.parent.parent
AXE = ROOT / "tools" / "node" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-output" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# name → path; the exam notice is looked up (its id carries the fiscal year).
PAGES = {
    "top": "/",
    "folder": "/kankyo",
    "page": "/kankyo/kyuyo",
    "exam-list": "/shiken/annai",
    "exam-notice": None,
    "exam-schedule": "/shiken/schedule",
    "job-category": "/shigoto/shokushu/gyosei",
    "interview-list": "/hito/interview",
    "interview": "/hito/interview/gyosei-kt",
    "event": "/event/setsumeikai-kagoshima",
    "landing": "/tokushu/gijutsu",
    "news-item": "/news/tandai-guide",
    "faq": "/faq",
    "contact": "/contact",
    "search": "/@@search?SearchableText=%E8%A9%A6%E9%A8%93",
    "sitemap": "/sitemap",
    "not-found": "/kono-page-wa-arimasen",
    "login": "/login",
}
SCHEMES = ("", "contrast")


def page_path(instance, name: str) -> str:
    path = PAGES[name]
    if path is None:
        found = requests.get(
            instance.url + "/@search",
            params={"portal_type": "ExamNotice", "sort_on": "getObjPositionInParent", "b_size": 1},
            headers={"Accept": "application/json"},
            timeout=60,
        ).json()
        path = found["items"][0]["@id"].removeprefix(instance.url)
    return path


def open_page(context_page, instance, name: str, scheme: str = "", size: str = ""):
    """Open a page as a visitor whose settings (配色, 文字サイズ) are stored in localStorage."""
    context_page.goto(instance.url + "/robots.txt")
    context_page.evaluate(
        """([scheme, size]) => {
            scheme ? localStorage.setItem("saiyo.scheme", scheme) : localStorage.removeItem("saiyo.scheme");
            size ? localStorage.setItem("saiyo.size", size) : localStorage.removeItem("saiyo.size");
        }""",
        [scheme, size],
    )
    return context_page.goto(instance.url + page_path(instance, name), wait_until="load")


def run_axe(context_page) -> list[dict]:
    context_page.add_script_tag(path=str(AXE))
    result = context_page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def horizontal_overflow(context_page) -> int:
    return context_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@contextmanager
def visitor(chromium, width: int = 1280, height: int = 900, media: str | None = None):
    """A fresh browser page of a Japanese visitor (own storage), at the given window size."""
    # bypass_csp: axe-core is injected as an inline script, which the site's policy forbids.
    context = chromium.new_context(
        locale="ja-JP", viewport={"width": width, "height": height}, bypass_csp=True
    )
    page = context.new_page()
    if media:
        page.emulate_media(media=media)
    try:
        yield page
    finally:
        context.close()
