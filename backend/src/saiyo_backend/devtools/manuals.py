"""Build the Japanese manuals in docs/ into Word files (.docx) with pandoc.

    saiyo manuals [--output build/manuals]

Each Markdown file of docs/manuals/ becomes one .docx with a table of contents. A folder of
docs/ with a README.md that has a title (docs/operations/: 運用マニュアル) is a book: its
README and the documents its README links to, in the order they are linked, become one
.docx named after the folder; each linked document's title becomes a chapter and its own
headings move one level down. The Word styles come from
pandoc's own reference document with the fonts switched to Japanese ones (游ゴシック / Yu Gothic,
which every Windows 10/11 PC with Word has) and the proofing language set to Japanese, so the
files open in Word without font substitution or red spelling marks. pandoc is Debian's
``pandoc`` package (.ci/run installs it).
"""

from pathlib import Path
from saiyo_backend.config import ROOT

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile


DOCS = ROOT / "docs"
SOURCES = DOCS / "manuals"
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
LINKED_DOCUMENT = re.compile(r"\[([^\]]+)\]\(([\w.-]+\.md)\)")
DEFAULT_OUTPUT = ROOT / "build" / "manuals"
FONT_LATIN = "Yu Gothic"
FONT_EAST_ASIA = "游ゴシック"


def japanese_styles(styles: str) -> str:
    """Return pandoc's styles.xml with Japanese fonts and language as the document defaults."""
    fonts = f'<w:rFonts w:ascii="{FONT_LATIN}" w:eastAsia="{FONT_EAST_ASIA}" w:hAnsi="{FONT_LATIN}" w:cs="{FONT_LATIN}" />'
    language = '<w:lang w:val="ja-JP" w:eastAsia="ja-JP" />'
    defaults = f"<w:rPrDefault><w:rPr>{fonts}{language}</w:rPr></w:rPrDefault>"
    styles, count = re.subn(r"<w:rPrDefault>.*?</w:rPrDefault>", defaults, styles, count=1, flags=re.S)
    if count != 1:
        raise ValueError("pandoc's reference styles.xml has no run defaults (w:rPrDefault)")
    # Headings and body text name theme fonts; point them at the document defaults instead.
    return re.sub(r"<w:rFonts w:asciiTheme=[^>]*/>", fonts, styles)


def reference_document(folder: Path) -> Path:
    """Write a reference.docx derived from pandoc's default one and return its path."""
    default = folder / "pandoc-reference.docx"
    with default.open("wb") as out:
        subprocess.run(["pandoc", "--print-default-data-file", "reference.docx"], stdout=out, check=True)
    reference = folder / "reference.docx"
    with zipfile.ZipFile(default) as source, zipfile.ZipFile(reference, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/styles.xml":
                data = japanese_styles(data.decode("utf-8")).encode("utf-8")
            target.writestr(item, data)
    return reference


def books() -> list[Path]:
    """Folders of docs/ (other than manuals/) whose README.md has front matter with a title."""
    found = []
    for readme in sorted(DOCS.glob("*/README.md")):
        match = FRONT_MATTER.match(readme.read_text(encoding="utf-8"))
        if readme.parent != SOURCES and match and re.search(r"^title: ", match.group(1), re.M):
            found.append(readme.parent)
    return found


def shift_headings(markdown: str) -> str:
    """Move every ATX heading one level down (outside fenced code blocks)."""
    lines, fenced = [], False
    for line in markdown.splitlines():
        if line.startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and re.match(r"#{1,5} ", line):
            line = "#" + line
        lines.append(line)
    return "\n".join(lines) + "\n"


def book_markdown(folder: Path) -> str:
    """The README of ``folder`` followed by the documents it links to, as one Markdown text."""
    readme = (folder / "README.md").read_text(encoding="utf-8")
    parts = list(dict.fromkeys(name for _, name in LINKED_DOCUMENT.findall(readme)))
    chapters = [readme]
    for name in parts:
        text = (folder / name).read_text(encoding="utf-8")
        match = FRONT_MATTER.match(text)
        if match is None or not re.search(r"^title: (.+)$", match.group(1), re.M):
            raise ValueError(f"{folder.name}/{name} has no front matter with a title")
        title = re.search(r"^title: (.+)$", match.group(1), re.M).group(1).strip()
        chapters.append(f"# {title}\n\n" + shift_headings(text[match.end() :]))
    # Links between the documents become the chapter names (one Word file has no other files).
    return LINKED_DOCUMENT.sub(lambda m: f"「{m.group(1).removesuffix('.md')}」", "\n\n".join(chapters))


def pandoc(source: Path, target: Path, reference: Path, resources: Path) -> None:
    subprocess.run(
        [
            "pandoc",
            str(source),
            "--from=markdown",
            "--to=docx",
            "--toc",
            "--toc-depth=2",
            f"--reference-doc={reference}",
            f"--resource-path={resources}",
            f"--output={target}",
        ],
        check=True,
    )


def build(output: Path) -> list[Path]:
    if shutil.which("pandoc") is None:
        raise SystemExit(
            "エラー: pandoc がありません。'apt-get install pandoc' で入れてください。\n"
            "Error: pandoc is not installed ('apt-get install pandoc')."
        )
    output.mkdir(parents=True, exist_ok=True)
    built = []
    with tempfile.TemporaryDirectory() as scratch:
        reference = reference_document(Path(scratch))
        for source in sorted(SOURCES.glob("*.md")):
            target = output / f"{source.stem}.docx"
            pandoc(source, target, reference, SOURCES)
            built.append(target)
        for folder in books():
            combined = Path(scratch) / f"{folder.name}.md"
            combined.write_text(book_markdown(folder), encoding="utf-8")
            target = output / f"{folder.name}.docx"
            pandoc(combined, target, reference, folder)
            built.append(target)
    return built


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    for path in build(args.output):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
