"""axe-core finds no WCAG 2.0/2.1 A/AA violation on any page type, at 375 and 1280 px, in both 配色."""

from tests.visitor.pages import open_page
from tests.visitor.pages import PAGES
from tests.visitor.pages import run_axe
from tests.visitor.pages import SCHEMES

import pytest


@pytest.mark.parametrize("scheme", SCHEMES, ids=["standard", "contrast"])
@pytest.mark.parametrize("width", [375, 1280])
def test_axe_reports_no_violations(plone, chromium, width, scheme):
    context = chromium.new_context(locale="ja-JP", viewport={"width": width, "height": 900})
    page = context.new_page()
    found = {}
    try:
        for name in PAGES:
            open_page(page, plone, name, scheme=scheme)
            if scheme:
                assert page.locator("html").get_attribute("data-saiyo-scheme") == scheme
            violations = run_axe(page)
            if violations:
                found[name] = violations
    finally:
        context.close()
    assert found == {}
