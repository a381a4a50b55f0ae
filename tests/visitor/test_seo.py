"""Titles, descriptions, canonical URLs, sharing cards, sitemap.xml.gz and robots.txt."""

from tests.visitor.pages import page_path

import gzip
import requests


SITE = "鹿児島県職員採用"


def head_of(plone, path: str):
    from lxml import html

    response = requests.get(plone.url + path, timeout=60)
    assert response.status_code == 200, path
    return html.fromstring(response.content)


def meta(tree, key: str) -> str | None:
    found = tree.xpath(f"//meta[@property='{key}' or @name='{key}']/@content")
    return found[0] if found else None


def test_titles_are_page_name_then_site(plone):
    assert head_of(plone, "/").findtext(".//title") == SITE
    assert head_of(plone, "/kankyo/kyuyo").findtext(".//title") == f"給与・手当 | {SITE}"
    assert head_of(plone, "/sitemap").findtext(".//title") == f"サイトマップ | {SITE}"


def test_description_canonical_and_sharing_tags(plone):
    path = page_path(plone, "exam-notice")
    tree = head_of(plone, path)
    title = tree.findtext(".//title")
    assert title.endswith(f" | {SITE}")
    assert meta(tree, "description")
    assert meta(tree, "og:description") == meta(tree, "description")
    assert tree.xpath("//link[@rel='canonical']/@href") == [plone.url + path]
    assert meta(tree, "og:title") == title.removesuffix(f" | {SITE}")
    assert meta(tree, "og:url") == plone.url + path
    assert meta(tree, "twitter:card") == "summary_large_image"
    # the exam notice has a lead image: its own picture, not the default one
    assert "@@images/" in meta(tree, "og:image")
    assert requests.get(meta(tree, "og:image"), timeout=60).headers["Content-Type"].startswith("image/")


def test_pages_without_an_image_share_the_default_picture(plone):
    tree = head_of(plone, "/kankyo/kyuyo")
    image = meta(tree, "og:image")
    assert image.endswith("++plone++kagoshima.saiyo/ogp-default.png")
    assert (meta(tree, "og:image:width"), meta(tree, "og:image:height")) == ("1200", "630")
    response = requests.get(image, timeout=60)
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/png"


def test_icons(plone):
    tree = head_of(plone, "/")
    for rel in ("icon", "Apple-Touch-Icon"):
        href = tree.xpath(f"//link[@rel='{rel}']/@href")[0]
        assert requests.get(href, timeout=60).status_code == 200, rel


def test_sitemap_and_robots(plone):
    response = requests.get(plone.url + "/sitemap.xml.gz", timeout=60)
    assert response.status_code == 200
    xml = gzip.decompress(response.content).decode()
    if "<sitemapindex" in xml:  # Plone lists pages of the sitemap
        first = xml.split("<loc>")[1].split("</loc>")[0].replace("&amp;", "&")
        xml = gzip.decompress(requests.get(first, timeout=60).content).decode()
    assert "<urlset" in xml and f"{plone.url}/kankyo/kyuyo" in xml
    robots = requests.get(plone.url + "/robots.txt", timeout=60).text
    assert f"Sitemap: {plone.url}/sitemap.xml.gz" in robots
