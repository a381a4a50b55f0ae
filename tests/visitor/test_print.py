"""Printing: A4 portrait, content only, link targets printed, nothing wider than the printable area."""

from pypdf import PdfReader
from tests.visitor.pages import open_page
from tests.visitor.pages import PAGES
from tests.visitor.pages import ROOT
from tests.visitor.pages import visitor
from unicodedata import normalize

import io
import re


A4_POINTS = (595.28, 841.89)  # 210 × 297 mm
MARGIN_MM = 12  # left and right, as @page in saiyo.css
PRINTABLE_PX = round((210 - 2 * MARGIN_MM) / 25.4 * 96)  # CSS pixels across the printable area
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")
PDF_OUTPUT = ROOT / "test-output" / "print"


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [(float(w), float(h)) for w, h in MEDIA_BOX.findall(pdf)]


def test_every_page_prints_on_a4_portrait(plone, chromium):
    wrong = {}
    PDF_OUTPUT.mkdir(parents=True, exist_ok=True)
    with visitor(chromium) as page:
        for name in PAGES:
            open_page(page, plone, name)
            pdf = page.pdf(prefer_css_page_size=True, print_background=False)
            (PDF_OUTPUT / f"{name}.pdf").write_bytes(pdf)
            sizes = page_sizes(pdf)
            bad = [s for s in sizes if abs(s[0] - A4_POINTS[0]) > 1 or abs(s[1] - A4_POINTS[1]) > 1]
            if not sizes or bad:
                wrong[name] = sizes[:3]
    assert wrong == {}


def test_printed_text_stays_inside_the_printable_area(plone, chromium):
    """Laid out at the printable width with print styles, no text box reaches past the right edge."""
    too_wide = {}
    with visitor(chromium, PRINTABLE_PX, 1000, media="print") as page:
        for name in PAGES:
            open_page(page, plone, name)
            boxes = page.evaluate(
                """limit => [...document.body.querySelectorAll('*')]
                    .filter(e => e.getClientRects().length && [...e.childNodes].some(
                        n => n.nodeType === 3 && n.textContent.trim()))
                    .map(e => [e.tagName + (e.id ? '#' + e.id : ''), Math.round(e.getBoundingClientRect().right)])
                    .filter(([, right]) => right > limit + 1)
                    .slice(0, 5)""",
                PRINTABLE_PX,
            )
            if boxes:
                too_wide[name] = boxes
    assert too_wide == {}


def test_print_hides_navigation_and_prints_link_targets(plone, chromium):
    with visitor(chromium, media="print") as page:
        open_page(page, plone, "page")
        for selector in ("#mainnavigation-wrapper", ".saiyo-utility", ".saiyo-footer", "#portal-breadcrumbs"):
            # On the page but not printed (a selector that matches nothing would prove nothing).
            assert page.locator(selector).count() > 0, f"{selector} is not on the page"
            assert not page.locator(selector).first.is_visible(), selector
        links = page.locator("#content-core a[href^='http']")
        assert links.count() > 0, "the page has no link to print the target of"
        link = links.first
        after = link.evaluate("a => getComputedStyle(a, '::after').content")
        assert link.get_attribute("href") in after


def test_faq_answers_are_printed_and_closed_again(plone, chromium):
    """よくある質問 opens as <details>: a printout of /faq and of a landing page's FAQ tile has the
    answers, and the questions the visitor had closed are closed again after printing."""
    with visitor(chromium) as page:
        for name in ("faq", "landing"):
            open_page(page, plone, name)
            answers = page.locator("#content details .saiyo-faq__answer")
            assert answers.count() > 0, f"{name}: no question opens as <details>"
            first = "".join(answers.first.text_content().split())[:20]
            pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
            # NFKC: the PDF's text layer names some kanji by their radical code points (⽬ for 目).
            printed = normalize("NFKC", "".join("".join(p.extract_text().split()) for p in pdf.pages))
            assert normalize("NFKC", first) in printed, f"{name}: the answer «{first}» is not printed"
            assert page.locator("#content details[open]").count() == 0, f"{name}: left open after printing"
