"""Smartphone to wide screen: no horizontal scrolling, large touch targets, screenshots of every page type."""

from tests.visitor.pages import horizontal_overflow
from tests.visitor.pages import open_page
from tests.visitor.pages import PAGES
from tests.visitor.pages import SCREENSHOTS
from tests.visitor.pages import visitor

import pytest


@pytest.mark.parametrize("width", [320, 375, 768, 1280, 1920])
def test_no_horizontal_scroll(plone, chromium, width):
    overflowing = {}
    with visitor(chromium, width, 900) as page:
        for name in PAGES:
            for size in ("", "xlarge"):
                open_page(page, plone, name, size=size)
                extra = horizontal_overflow(page)
                if extra > 0:
                    overflowing[f"{name} {size or 'standard'}"] = extra
            if width in (375, 768, 1280):
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                open_page(page, plone, name)
                page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    assert overflowing == {}


def test_touch_targets_of_header_and_utility_bar(plone, chromium):
    """The controls visitors use on every page are at least 44 px high on a phone."""
    with visitor(chromium, 375, 800) as page:
        open_page(page, plone, "page")
        controls = page.evaluate(
            """() => Object.fromEntries(['.saiyo-utility button, .saiyo-utility a', '.navbar-toggler',
                '#portal-logo', '.saiyo-footer li a'].map(selector => [selector,
                [...document.querySelectorAll(selector)]
                .filter(e => e.offsetParent !== null)
                .map(e => [e.textContent.trim(), e.getBoundingClientRect().height])]))"""
        )
    # Each kind of control is shown on a phone (an empty match would check nothing) ...
    assert {selector: len(found) for selector, found in controls.items() if not found} == {}
    # ... and none of them is lower than 44 px.
    small = {selector: [c for c in found if c[1] < 44] for selector, found in controls.items()}
    assert {selector: found for selector, found in small.items() if found} == {}


def test_mobile_menu_opens_with_the_keyboard(plone, chromium):
    with visitor(chromium, 375, 800) as page:
        open_page(page, plone, "page")
        nav = page.locator("#portal-globalnav")
        assert not nav.is_visible()
        page.locator(".navbar-toggler").focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(600)
        assert nav.is_visible()
        links = nav.locator("a.nav-link, > li > a")
        assert 1 <= links.count() <= 7
        page.keyboard.press("Escape")
        page.wait_for_timeout(600)
        assert not nav.is_visible()


def test_global_navigation_has_at_most_seven_sections(plone, chromium):
    with visitor(chromium, 1280, 800) as page:
        open_page(page, plone, "top")
        titles = page.locator("#portal-globalnav > li > a").all_inner_texts()
    assert [t.strip() for t in titles] == [
        "採用試験情報",
        "仕事を知る",
        "人を知る",
        "働く環境",
        "イベント・説明会",
        "よくある質問",
        "お知らせ",
    ]
