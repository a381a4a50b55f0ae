"""The Japanese manuals build into Word files that keep every chapter, and stay true to the Makefile."""

from pathlib import Path
from saiyo_backend.devtools import manuals as build_manuals

import pytest
import re
import shutil
import zipfile


ROOT = Path(__file__).resolve().parents[2]
MANUALS = sorted((ROOT / "docs" / "manuals").glob("*.md"))
OPERATIONS = ROOT / "docs" / "operations"
SLIDES = sorted((ROOT / "docs" / "training").glob("*.md"))


def headings(markdown: str, level: int) -> list[str]:
    """ATX headings of one level, outside fenced code blocks (where "# " starts a shell comment)."""
    prefix, found, fenced = "#" * level + " ", [], False
    for line in markdown.splitlines():
        if line.startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and line.startswith(prefix):
            found.append(line[len(prefix) :].strip())
    return found


def paragraphs(document_xml: str, style: str) -> list[str]:
    """Texts of the paragraphs with the given Word style, in order."""
    found = []
    for paragraph in re.findall(r"<w:p>.*?</w:p>|<w:p .*?</w:p>", document_xml, flags=re.S):
        if f'<w:pStyle w:val="{style}" />' in paragraph:
            found.append("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", paragraph)))
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if shutil.which("pandoc") is None:
        pytest.fail("pandoc is missing: install it with 'apt-get install pandoc' (.ci/run does)")
    output = tmp_path_factory.mktemp("manuals")
    return {path.stem: path for path in build_manuals.build(output)}


def test_every_manual_becomes_a_word_file(built):
    assert MANUALS, "docs/manuals has no manuals"
    assert sorted(built) == sorted([path.stem for path in MANUALS + SLIDES] + ["operations"])
    assert {path.suffix for stem, path in built.items()} == {".docx", ".pptx"}
    assert all(built[path.stem].suffix == ".pptx" for path in SLIDES)


def test_training_kit_has_a_booklet_and_a_slide_deck_for_ninety_minutes(built):
    booklet = (ROOT / "docs" / "manuals" / "training.md").read_text(encoding="utf-8")
    # The timetable's slots add up to the 90-minute session.
    slots = re.findall(r"^\| (\d):(\d\d)〜(\d):(\d\d) \|", booklet, flags=re.M)
    assert slots and slots[0][:2] == ("0", "00") and slots[-1][2:] == ("1", "30")
    for (_h1, _m1, h2, m2), following in zip(slots, slots[1:], strict=False):
        assert (h2, m2) == following[:2]
    assert "`make training" in booklet
    with zipfile.ZipFile(built["slides"]) as pptx:
        names = pptx.namelist()
        slides = [name for name in names if re.fullmatch(r"ppt/slides/slide\d+\.xml", name)]
        text = "".join(pptx.read(name).decode("utf-8") for name in slides)
        theme = "".join(pptx.read(name).decode("utf-8") for name in names if name.startswith("ppt/theme/"))
    assert len(slides) >= 12
    headings = headings_of(SLIDES[0].read_text(encoding="utf-8"))
    for heading in headings:
        assert heading in text, heading
    assert '<a:ea typeface="游ゴシック"/>' in theme


def headings_of(markdown: str) -> list[str]:
    return headings(markdown, 1)


def test_operations_manual_is_one_word_file_with_a_chapter_per_linked_document(built):
    readme = (OPERATIONS / "README.md").read_text(encoding="utf-8")
    linked = list(dict.fromkeys(re.findall(r"\]\(([\w.-]+\.md)\)", readme)))
    assert len(linked) >= 5, linked
    with zipfile.ZipFile(built["operations"]) as docx:
        document = docx.read("word/document.xml").decode("utf-8")
    chapters = paragraphs(document, "Heading1")
    sections = paragraphs(document, "Heading2")
    titles = []
    for name in linked:
        text = (OPERATIONS / name).read_text(encoding="utf-8")
        titles.append(re.search(r"^title: (.+)$", text, flags=re.M).group(1).strip())
        # Each document's own chapters are sections of its chapter, none lost.
        for heading in headings(text, 1):
            assert heading in sections, (name, heading)
    assert chapters == headings(readme, 1) + titles
    assert paragraphs(document, "Title") == [re.search(r"^title: (.+)$", readme, flags=re.M).group(1)]
    # No link points at a Markdown file that a Word reader does not have.
    assert ".md" not in "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", document))


@pytest.mark.parametrize("source", MANUALS, ids=lambda path: path.stem)
def test_word_file_keeps_every_chapter_and_section_in_order(built, source):
    markdown = source.read_text(encoding="utf-8")
    with zipfile.ZipFile(built[source.stem]) as docx:
        document = docx.read("word/document.xml").decode("utf-8")
        styles = docx.read("word/styles.xml").decode("utf-8")
    assert paragraphs(document, "Heading1") == headings(markdown, 1)
    assert paragraphs(document, "Heading2") == headings(markdown, 2)
    assert paragraphs(document, "TOCHeading") == ["目次"]
    title = re.search(r"^title: (.+)$", markdown, flags=re.M).group(1)
    assert paragraphs(document, "Title") == [title]
    # Japanese fonts and proofing language are the document defaults.
    assert 'w:eastAsia="游ゴシック"' in styles
    assert '<w:lang w:eastAsia="ja-JP" w:val="ja-JP" />' in styles


def test_make_targets_named_in_the_documents_exist():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-zA-Z0-9_-]+):", makefile, flags=re.M))
    documents = [*MANUALS, *sorted(OPERATIONS.glob("*.md")), ROOT / "README.md"]
    named = {
        (path.name, target)
        for path in documents
        for target in re.findall(r"`make ([a-z0-9_-]+)", path.read_text(encoding="utf-8"))
    }
    assert named, "no make targets are named in the documents"
    missing = sorted((name, target) for name, target in named if target not in targets)
    assert missing == []
