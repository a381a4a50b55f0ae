"""The top page, as a visitor's browser gets it."""


def test_top_page_loads_in_japanese_without_console_errors(plone, page):
    response = page.goto(plone.url + "/", wait_until="networkidle")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "ja"
    assert "鹿児島県職員採用" in page.title()
    # The site itself, not Zope's root or a "site not found" page.
    assert page.locator("body.portaltype-plone-site").count() == 1
    assert page.errors == []
