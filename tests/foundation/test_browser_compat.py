"""The site's CSS and JavaScript use only what the supported browsers have (Edge 124 and the latest ones)."""

from saiyo_backend.devtools import browser_compat

import json
import shutil
import subprocess


def test_browserslist_names_the_prefectures_edge_and_current_browsers():
    config = json.loads((browser_compat.NODE / "package.json").read_text(encoding="utf-8"))
    assert "Edge >= 124" in config["browserslist"]
    resolved = subprocess.run(
        [str(browser_compat.NODE / "node_modules" / ".bin" / "browserslist")],
        cwd=browser_compat.NODE,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    for family in ("edge 124", "chrome", "firefox", "safari", "ios_saf"):
        assert any(line.startswith(family) for line in resolved), family


def test_css_and_javascript_fit_every_supported_browser():
    failed, output = browser_compat.run()
    assert failed == 0, output


def test_the_check_finds_what_a_supported_browser_lacks():
    """The linters really read the browser list: an API Safari and Firefox lack is reported."""
    probe = browser_compat.ROOT / "test-output" / "compat-probe"
    shutil.rmtree(probe, ignore_errors=True)
    probe.mkdir(parents=True)
    try:
        (probe / "probe.js").write_text('new URLPattern({ pathname: "/shiken/*" });\n', encoding="utf-8")
        (probe / "probe.css").write_text(".x { cursor: not-allowed; }\n", encoding="utf-8")
        failed, output = browser_compat.run(probe)
        assert failed == 2
        assert "URLPattern is not supported in Safari" in output
        assert "css3-cursors" in output
    finally:
        shutil.rmtree(probe)
