"""Build the Japanese manuals in docs/manuals/*.md into Word files (.docx) with pandoc.

    python -m backend.build_manuals [--output build/manuals]

Each Markdown file becomes one .docx with a table of contents. The Word styles come from
pandoc's own reference document with the fonts switched to Japanese ones (游ゴシック / Yu Gothic,
which every Windows 10/11 PC with Word has) and the proofing language set to Japanese, so the
files open in Word without font substitution or red spelling marks. pandoc is Debian's
``pandoc`` package (.ci/run installs it).
"""

from pathlib import Path

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile


ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "docs" / "manuals"
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
            subprocess.run(
                [
                    "pandoc",
                    str(source),
                    "--from=markdown",
                    "--to=docx",
                    "--toc",
                    "--toc-depth=2",
                    f"--reference-doc={reference}",
                    f"--resource-path={SOURCES}",
                    f"--output={target}",
                ],
                check=True,
            )
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
