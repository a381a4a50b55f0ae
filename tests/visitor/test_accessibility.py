"""axe-core finds no WCAG 2.0/2.1 A/AA violation on any page type, at 375 and 1280 px, in both 配色."""

from tests.visitor.pages import open_page
from tests.visitor.pages import PAGES
from tests.visitor.pages import run_axe
from tests.visitor.pages import SCHEMES
from tests.visitor.pages import visitor

import pytest


@pytest.mark.parametrize("scheme", SCHEMES, ids=["standard", "contrast"])
@pytest.mark.parametrize("width", [375, 1280])
def test_axe_reports_no_violations(plone, chromium, width, scheme):
    found = {}
    with visitor(chromium, width, 900) as page:
        for name in PAGES:
            open_page(page, plone, name, scheme=scheme)
            if scheme:
                assert page.locator("html").get_attribute("data-saiyo-scheme") == scheme
            violations = run_axe(page)
            if violations:
                found[name] = violations
    assert found == {}
