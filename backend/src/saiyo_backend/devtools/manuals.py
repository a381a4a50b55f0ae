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

Screens: a line ``<!-- figure: ID -->`` in a manual is replaced by the screenshot of the journey
step ID (``saiyo_backend.devtools.journeys``), numbered 図 1, 図 2 … per document, with the step's
caption under it and its alt text as the picture's alternative text in Word. ``saiyo manuals``
creates a throwaway demo site (the same ``saiyo create-site --demo`` as ``make run``), serves it on a
free loopback port, drives every journey in Chromium, builds the documents and stops the site. Every
build takes new screenshots; ``verify`` then checks each Word file: every figure there, each with a
caption and alt text, none older than the build. ``--figures DIR`` reuses screenshots already taken
(a quicker rebuild of the text); ``--site URL`` takes them on a demo site already running.
"""

from pathlib import Path
from saiyo_backend.config import ROOT

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import zipfile


DOCS = ROOT / "docs"
SOURCES = DOCS / "manuals"
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
LINKED_DOCUMENT = re.compile(r"\[([^\]]+)\]\(([\w.-]+\.md)\)")
DEFAULT_OUTPUT = ROOT / "build" / "manuals"
SLIDES = DOCS / "training"
FONT_LATIN = "Yu Gothic"
FONT_EAST_ASIA = "游ゴシック"
FIGURE_MARKER = re.compile(r"^<!-- figure: ([\w-]+) -->$", re.M)
FIGURE_WIDTH = {"phone": "6cm", "pc": "15cm", "diagram": "16cm"}
CONTENT_TREE = "<!-- content-tree -->"
DIAGRAMS = SOURCES / "diagrams"
DIAGRAM_TEXT = re.compile(r"^// (caption|alt): (.+)$", re.M)
TYPE_NAMES = {
    "Folder": "フォルダー",
    "Document": "ページ",
    "ExamNotice": "試験案内",
    "JobCategory": "職種紹介",
    "StaffProfile": "職員インタビュー",
    "FAQ": "よくある質問",
    "News Item": "ニュース",
    "Event": "イベント",
    "File": "ファイル",
    "Image": "画像",
    "Collection": "コレクション",
    "Link": "リンク",
    "Plone Site": "サイト",
}


class MissingFigure(Exception):
    """A manual places a figure that the journeys did not produce."""


def figure_ids(markdown: str) -> list[str]:
    return FIGURE_MARKER.findall(markdown)


def place_figures(markdown: str, figures: dict) -> str:
    """Replace each figure marker with the numbered picture, its caption (図 N　…) and alt text."""
    counter = iter(range(1, 10_000))

    def figure(match):
        key = match.group(1)
        if key not in figures:
            raise MissingFigure(f"figure {key!r} is placed in the manual but no journey step made it")
        entry = figures[key]
        number = next(counter)
        caption = entry["caption"].replace("[", "［").replace("]", "］")
        alt = entry["alt"].replace('"', "”")
        width = FIGURE_WIDTH.get(entry.get("device", "pc"), "15cm")
        return f'![図 {number}　{caption}]({entry["path"]} "{alt}"){{width={width}}}'

    return FIGURE_MARKER.sub(figure, markdown)


def draw_diagrams(folder: Path) -> dict:
    """Render docs/manuals/diagrams/*.dot with Graphviz ``dot`` into PNG figures ``diagram-<name>``.

    Each .dot file names its caption and alt text in ``// caption:`` and ``// alt:`` lines.
    """
    if shutil.which("dot") is None:
        raise SystemExit(
            "エラー: Graphviz の dot がありません。'apt-get install graphviz' で入れてください。\n"
            "Error: Graphviz 'dot' is not installed ('apt-get install graphviz')."
        )
    folder.mkdir(parents=True, exist_ok=True)
    figures = {}
    for source in sorted(DIAGRAMS.glob("*.dot")):
        text = dict(DIAGRAM_TEXT.findall(source.read_text(encoding="utf-8")))
        if set(text) != {"caption", "alt"}:
            raise ValueError(f"{source.name} needs a '// caption:' and an '// alt:' line")
        target = folder / f"diagram-{source.stem}.png"
        subprocess.run(["dot", "-Tpng", "-Gdpi=150", str(source), "-o", str(target)], check=True)
        figures[f"diagram-{source.stem}"] = {**text, "path": str(target), "device": "diagram"}
    return figures


def content_tree(base_url: str, admin: tuple[str, str]) -> str:
    """The site's whole content tree as a nested Markdown list (title, type, address), from the REST API."""
    import requests

    items, url = (
        [],
        f"{base_url}/@search?sort_on=path&b_size=500&metadata_fields=portal_type&metadata_fields=review_state",
    )
    while url:
        answer = requests.get(url, headers={"Accept": "application/json"}, auth=admin, timeout=120)
        answer.raise_for_status()
        data = answer.json()
        items.extend(data["items"])
        url = data.get("batching", {}).get("next")
    lines = []
    for item in sorted(items, key=lambda item: item["@id"].split("/")):
        path = item["@id"].removeprefix(base_url) or "/"
        depth = 0 if path == "/" else path.count("/")  # the site itself, then its folders below it
        kind = TYPE_NAMES.get(item["@type"], item["@type"])
        lines.append(f"{'    ' * depth}- {item['title']}（{kind}、`{path}`）")
    return "\n".join(lines) + "\n"


def japanese_slides(target: Path) -> None:
    """Set the slide theme's East Asian fonts to 游ゴシック (pandoc's default theme leaves them empty)."""
    scratch = target.with_suffix(".tmp")
    with zipfile.ZipFile(target) as source, zipfile.ZipFile(scratch, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("ppt/theme/") and item.filename.endswith(".xml"):
                text = data.decode("utf-8")
                text = re.sub(r'<a:ea typeface="[^"]*"\s*/>', f'<a:ea typeface="{FONT_EAST_ASIA}"/>', text)
                data = text.encode("utf-8")
            out.writestr(item, data)
    scratch.replace(target)


def alt_texts_as_descriptions(target: Path) -> None:
    """Word reads a picture's alternative text from ``descr``; pandoc puts the caption there and the
    Markdown image title (our alt text) in ``title``. Move the alt text to ``descr``."""
    scratch = target.with_suffix(".tmp")
    with zipfile.ZipFile(target) as source, zipfile.ZipFile(scratch, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                text = re.sub(
                    r'<wp:docPr descr="[^"]*" title="([^"]*)"', r'<wp:docPr descr="\1" title="\1"', text
                )
                data = text.encode("utf-8")
            out.writestr(item, data)
    scratch.replace(target)


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


def pandoc(source: Path, target: Path, reference: Path | None, resources: Path, to: str = "docx") -> None:
    subprocess.run(
        [
            "pandoc",
            str(source),
            "--from=markdown",
            f"--to={to}",
            *(["--toc", "--toc-depth=2", f"--reference-doc={reference}"] if to == "docx" else []),
            f"--resource-path={resources}",
            f"--output={target}",
        ],
        check=True,
    )


def build(
    output: Path, figures: dict | None = None, tree: str | None = None, sources: list[Path] | None = None
) -> list[Path]:
    """Build every document into ``output``; ``figures`` (id -> entry) fills the figure markers.

    Without ``figures`` the markers are left out (a text-only build: pandoc drops HTML comments);
    ``tree`` (``content_tree``) replaces the ``<!-- content-tree -->`` line of the design document.
    ``sources`` builds only those Markdown files (nothing else), e.g. a test's small document.
    """
    if shutil.which("pandoc") is None:
        raise SystemExit(
            "エラー: pandoc がありません。'apt-get install pandoc' で入れてください。\n"
            "Error: pandoc is not installed ('apt-get install pandoc')."
        )
    output.mkdir(parents=True, exist_ok=True)
    built = []
    with tempfile.TemporaryDirectory() as scratch:
        reference = reference_document(Path(scratch))
        for source in sources or sorted(SOURCES.glob("*.md")):
            target = output / f"{source.stem}.docx"
            markdown = source.read_text(encoding="utf-8")
            if figures is not None:
                markdown = place_figures(markdown, figures)
            if tree is not None:
                markdown = markdown.replace(CONTENT_TREE, tree)
            placed = Path(scratch) / source.name
            placed.write_text(markdown, encoding="utf-8")
            pandoc(placed, target, reference, source.parent)
            alt_texts_as_descriptions(target)
            built.append(target)
        if sources:
            return built
        for folder in books():
            combined = Path(scratch) / f"{folder.name}.md"
            combined.write_text(book_markdown(folder), encoding="utf-8")
            target = output / f"{folder.name}.docx"
            pandoc(combined, target, reference, folder)
            built.append(target)
        for source in sorted(SLIDES.glob("*.md")):
            target = output / f"{source.stem}.pptx"
            pandoc(source, target, None, SLIDES, to="pptx")
            japanese_slides(target)
            built.append(target)
    return built


def docx_figures(path: Path) -> list[dict]:
    """The pictures of a Word file: alt text, caption under it, and the embedded file's size."""
    with zipfile.ZipFile(path) as docx:
        document = docx.read("word/document.xml").decode("utf-8")
        media = {
            name: docx.getinfo(name).file_size for name in docx.namelist() if name.startswith("word/media/")
        }
    found = []
    paragraphs = re.findall(r"<w:p>.*?</w:p>|<w:p .*?</w:p>", document, flags=re.S)
    for index, paragraph in enumerate(paragraphs):
        for descr in re.findall(r'<wp:docPr descr="([^"]*)"', paragraph):
            caption = ""
            following = paragraphs[index + 1] if index + 1 < len(paragraphs) else ""
            if '<w:pStyle w:val="ImageCaption" />' in following:
                caption = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", following))
            found.append({"alt": descr, "caption": caption})
    return found if media else []


def verify(output: Path, manifest: dict, sources: list[Path] | None = None) -> list[str]:
    """Problems of a build: a placed figure missing, without caption or alt text, or older than the build."""
    problems = []
    started = manifest["started"]
    for key, entry in manifest["figures"].items():
        path = Path(entry["path"])
        if not path.is_file():
            problems.append(f"figure {key}: screenshot missing ({path.name})")
        elif path.stat().st_mtime < started:
            problems.append(f"figure {key}: screenshot older than the build")
    for source in sources or sorted(SOURCES.glob("*.md")):
        placed = figure_ids(source.read_text(encoding="utf-8"))
        target = output / f"{source.stem}.docx"
        if not target.is_file() or target.stat().st_mtime < started:
            problems.append(f"{target.name}: not built by this build")
            continue
        if CONTENT_TREE in source.read_text(encoding="utf-8"):
            tree = manifest.get("tree") or ""
            with zipfile.ZipFile(target) as docx:
                document = docx.read("word/document.xml").decode("utf-8")
            if tree.count("\n") < 20 or "`/shiken`" not in tree or "/shiken</w:t>" not in document:
                problems.append(f"{target.name}: the content tree from the site is missing")
        pictures = docx_figures(target)
        if len(pictures) < len(placed):
            problems.append(f"{target.name}: {len(placed)} figures placed, {len(pictures)} in the Word file")
        for number, (key, picture) in enumerate(zip(placed, pictures, strict=False), start=1):
            entry = manifest["figures"].get(key, {})
            if (
                not picture["caption"].startswith(f"図 {number}　")
                or entry.get("caption", "?") not in picture["caption"]
            ):
                problems.append(f"{target.name}: figure {number} ({key}) has no caption 図 {number}")
            if not picture["alt"] or picture["alt"] != entry.get("alt"):
                problems.append(f"{target.name}: figure {number} ({key}) has no alt text")
    return problems


def capture_figures(folder: Path, base_url: str, admin: tuple[str, str], journeys=None) -> dict:
    """Run the journeys against a site; return the figure entries for ``place_figures``."""
    from saiyo_backend.devtools import journeys as scripted

    chosen = journeys or scripted.JOURNEYS
    devices = {step.id: journey.device for journey in chosen for step in journey.steps}
    figures = scripted.capture(base_url, admin, folder, chosen)
    return {
        key: {"caption": f.caption, "alt": f.alt, "path": str(f.path), "device": devices[key]}
        for key, f in figures.items()
    }


class DemoSite:
    """A throwaway instance with the demo site, created and served as 'make run' does."""

    def __init__(self, base: Path):
        from saiyo_backend.instance.render import render_instance

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.etc, self.var = base / "etc", base / "var"
        self.password = secrets.token_urlsafe(16)
        render_instance(
            "development", self.etc, self.var, [f"server.port={self.port}", "server.host='127.0.0.1'"]
        )

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"  # localhost: 127.0.0.1 is served unthemed

    def __enter__(self):
        from saiyo_backend.instance import server

        env = {**os.environ, "SAIYO_ADMIN_PASSWORD": self.password}
        saiyo = Path(sys.executable).parent / "saiyo"
        created = subprocess.run(
            [str(saiyo), "create-site", "--etc", str(self.etc), "--demo"],
            capture_output=True,
            text=True,
            env=env,
        )
        if created.returncode != 0:
            raise SystemExit(
                f"デモサイトを作れませんでした / demo site creation failed:\n{created.stdout}{created.stderr}"
            )
        if server.start(self.etc.resolve(), 180) != 0:
            raise SystemExit("デモサイトを起動できませんでした / the demo site did not start")
        return self

    def __exit__(self, *exc):
        from saiyo_backend.instance import server

        server.stop(self.etc.resolve())


def main(argv=None) -> int:
    from saiyo_backend.devtools.journeys import JourneyFailed

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--figures", type=Path, help="reuse the screenshots (and figures.json) of an earlier build"
    )
    parser.add_argument(
        "--site",
        help="take the screens on this running demo site (admin password in SAIYO_ADMIN_PASSWORD) instead of "
        "a throwaway one; the journeys add their people and an exam notice to it",
    )
    args = parser.parse_args(argv)
    # Stopped by SIGTERM (CI timeout, kill): unwind, so the throwaway site's server is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.time()
    folder = args.output / "figures"
    if args.figures:
        manifest = json.loads((args.figures / "figures.json").read_text(encoding="utf-8"))
    else:
        if folder.exists():
            shutil.rmtree(folder)
        try:
            if args.site:
                admin = ("admin", os.environ.get("SAIYO_ADMIN_PASSWORD", ""))
                tree = content_tree(args.site.rstrip("/"), admin)
                figures = capture_figures(folder, args.site.rstrip("/"), admin)
            else:
                with (
                    tempfile.TemporaryDirectory(prefix="saiyo-manuals-") as base,
                    DemoSite(Path(base)) as site,
                ):
                    print(f"demo site at {site.url} ({time.time() - started:.0f} s)", flush=True)
                    # The tree first: the demo content as 'make run' creates it, before the journeys add to it.
                    tree = content_tree(site.url, ("admin", site.password))
                    figures = capture_figures(folder, site.url, ("admin", site.password))
        except JourneyFailed as error:
            print(f"エラー: 画面の操作手順を実行できません。/ Error: {error}", file=sys.stderr)
            return 1
        figures.update(draw_diagrams(folder))
        manifest = {"started": started, "figures": figures, "tree": tree}
        (folder / "figures.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    try:
        built = build(args.output, manifest["figures"], manifest.get("tree"))
    except MissingFigure as error:
        print(f"エラー: {error}", file=sys.stderr)
        return 1
    for path in built:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    problems = verify(
        args.output, {**manifest, "started": started if not args.figures else manifest["started"]}
    )
    for problem in problems:
        print(f"エラー: 図の検査 / figure check: {problem}", file=sys.stderr)
    print(f"{len(manifest['figures'])} figures, {time.time() - started:.0f} s", flush=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
