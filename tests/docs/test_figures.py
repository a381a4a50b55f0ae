"""The manuals' screens: every figure the manuals place is a step of a scripted journey (or a drawn
diagram), every journey step is placed next to text that names its controls, and a small real
capture against the session's demo site becomes a Word file with numbered, captioned figures whose
alt texts Word reads. The full capture (every journey, about 55 screens) runs in 'make manuals',
which fails when a step cannot be performed; it is kept out of 'make test' for the CI budget.
"""

from pathlib import Path
from saiyo_backend.devtools import journeys
from saiyo_backend.devtools import manuals

import pytest
import re
import threading
import time


ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "manuals"
STEPS = {step.id: (journey, step) for journey in journeys.JOURNEYS for step in journey.steps}
DIAGRAMS = {f"diagram-{path.stem}" for path in (DOCS / "diagrams").glob("*.dot")}
# Which document must show each journey's screens.
HOME = {
    "author": "author",
    "administrator": "administrator",
    "author-revise": "author",
    "scenario-student": "design",
    "scenario-career": "design",
    "scenario-disability": "design",
    "scenario-parent": "design",
    "page-types-phone": "design",
    "page-types-pc": "design",
}


def placed(stem: str) -> list[str]:
    return manuals.figure_ids((DOCS / f"{stem}.md").read_text(encoding="utf-8"))


def test_every_placed_figure_is_a_journey_step_or_a_diagram():
    for source in sorted(DOCS.glob("*.md")):
        unknown = [key for key in placed(source.stem) if key not in STEPS and key not in DIAGRAMS]
        assert unknown == [], (source.name, unknown)


def test_every_journey_step_is_placed_in_its_document_once():
    assert sorted(HOME) == sorted(journey.name for journey in journeys.JOURNEYS)
    for key, (journey, _step) in STEPS.items():
        assert placed(HOME[journey.name]).count(key) == 1, (HOME[journey.name], key)
    assert DIAGRAMS == {"diagram-architecture", "diagram-dataflow"}
    for key in DIAGRAMS:
        assert placed("design").count(key) == 1, key


def test_design_document_places_the_content_tree_and_four_scenarios():
    design = (DOCS / "design.md").read_text(encoding="utf-8")
    assert design.count(manuals.CONTENT_TREE) == 1
    scenarios = [name for name in HOME if name.startswith("scenario-")]
    assert len(scenarios) == 4
    for heading in ("大学生", "社会人経験者", "障害のある方", "保護者"):
        assert re.search(rf"^## {heading}（(スマートフォン|PC)）$", design, flags=re.M), heading


def test_steps_have_captions_alt_texts_and_a_device():
    for key, (journey, step) in STEPS.items():
        assert journey.device in journeys.VIEWPORTS, key
        assert step.caption and step.alt and step.caption != step.alt, key
        assert re.fullmatch(r"[a-z0-9-]+", key), key
    assert len({step.alt for _journey, step in STEPS.values()}) == len(STEPS)


def test_controls_named_in_a_caption_are_named_in_the_manual_text():
    """A step that presses 「承認依頼」 sits in a manual that tells the reader to press 「承認依頼」."""
    for stem in ("author", "administrator"):
        text = (DOCS / f"{stem}.md").read_text(encoding="utf-8")
        for key in placed(stem):
            _journey, step = STEPS[key]
            for label in re.findall(r"「([^」]+)」", step.caption):
                if label.startswith("例"):
                    continue
                assert f"「{label}」" in text or label in text, (stem, key, label)


def in_own_thread(function, *args, **kwargs):
    """Run ``function`` in a thread of its own and return its result or raise its exception.

    The journeys drive Chromium with Playwright's sync API, which refuses to start inside a
    running asyncio loop, and the session's shared ``chromium`` fixture keeps one running in the
    test thread once any browser test has used it.
    """
    outcome = {}

    def run():
        try:
            outcome["value"] = function(*args, **kwargs)
        except BaseException as error:  # re-raised in the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def test_a_step_that_cannot_be_performed_fails_loudly(plone, tmp_path):
    broken = journeys.Journey(
        "broken",
        "存在しない操作",
        "pc",
        None,
        [
            journeys.Step("ok-top", "トップページ", "トップページの画面", path="/"),
            journeys.Step(
                "gone", "なくなったボタンを押す", "なくなったボタン", highlight="#no-such-control", press=True
            ),
        ],
    )
    with pytest.raises(
        journeys.JourneyFailed, match=r"journey 'broken' step 2 \(gone: なくなったボタンを押す\)"
    ):
        in_own_thread(journeys.capture, plone.url, plone.admin, tmp_path, [broken], log=lambda _: None)


@pytest.fixture(scope="module")
def small_build(plone, tmp_path_factory):
    """Two anonymous journeys and the diagrams, captured now, in a small document built as 'make manuals' does."""
    started = time.time()
    folder = tmp_path_factory.mktemp("figures")
    chosen = [
        journey
        for journey in journeys.JOURNEYS
        if journey.name in ("scenario-student", "scenario-disability")
    ]
    figures = in_own_thread(manuals.capture_figures, folder, plone.url, plone.admin, chosen)
    figures.update(manuals.draw_diagrams(folder))
    source = folder / "small.md"
    markers = "\n\n".join(f"<!-- figure: {key} -->" for key in figures)
    source.write_text(
        f"---\ntitle: 図の試験\nlang: ja-JP\ntoc-title: 目次\n---\n\n# 画面\n\n{markers}\n", encoding="utf-8"
    )
    output = tmp_path_factory.mktemp("built")
    built = manuals.build(output, figures, sources=[source])
    return {"started": started, "figures": figures, "source": source, "output": output, "built": built}


def test_small_build_has_numbered_captioned_figures_with_alt_text(small_build):
    (target,) = small_build["built"]
    pictures = manuals.docx_figures(target)
    figures = small_build["figures"]
    assert len(pictures) == len(figures) == 8
    for number, (key, picture) in enumerate(zip(figures, pictures, strict=True), start=1):
        assert picture["caption"] == f"図 {number}　{figures[key]['caption']}", key
        assert picture["alt"] == figures[key]["alt"], key
    manifest = {"started": small_build["started"], "figures": figures}
    assert manuals.verify(small_build["output"], manifest, sources=[small_build["source"]]) == []


def test_verify_finds_a_missing_or_old_figure(small_build):
    figures = dict(small_build["figures"])
    manifest = {"started": small_build["started"], "figures": figures}
    old = Path(figures["phone-top"]["path"])
    later = {**manifest, "started": old.stat().st_mtime + 60}
    assert "figure phone-top: screenshot older than the build" in manuals.verify(
        small_build["output"], later, sources=[small_build["source"]]
    )
    figures["a11y-page"] = {**figures["a11y-page"], "path": str(old.parent / "gone.png")}
    assert "figure a11y-page: screenshot missing (gone.png)" in manuals.verify(
        small_build["output"], manifest, sources=[small_build["source"]]
    )


def test_screens_are_real_pngs_of_the_device_width(small_build):
    from PIL import Image

    for key, entry in small_build["figures"].items():
        with Image.open(entry["path"]) as image:
            width = image.size[0]
        if entry["device"] == "phone":
            assert width == 390 * 2, key  # device scale factor 2
        elif entry["device"] == "pc":
            assert width == 1366, key


def test_a_placed_figure_no_journey_made_stops_the_build(tmp_path):
    source = tmp_path / "lost.md"
    source.write_text("---\ntitle: t\n---\n\n# a\n\n<!-- figure: no-such-step -->\n", encoding="utf-8")
    with pytest.raises(manuals.MissingFigure, match="no-such-step"):
        manuals.build(tmp_path / "out", {}, sources=[source])


def test_content_tree_is_read_from_the_site_and_nested_by_path(plone):
    tree = manuals.content_tree(plone.url, plone.admin).splitlines()
    assert tree[0] == "- 鹿児島県職員採用（サイト、`/`）"
    assert "    - 採用試験情報（フォルダー、`/shiken`）" in tree
    # Every page below /shiken is listed one level deeper than its folder, after it.
    shiken = tree.index("    - 採用試験情報（フォルダー、`/shiken`）")
    below = [line for line in tree if "`/shiken/" in line]
    assert below and all(tree.index(line) > shiken for line in below)
    for line in tree[1:]:
        path = re.search(r"`(/[^`]*)`）$", line).group(1)
        assert line.startswith("    " * path.count("/") + "- "), line
    assert len(tree) > 100
