"""make a11y-report (saiyo a11y-report): axe-core in Chromium over the real site, and the
test-results page that shows its output merged with the manual checklist."""

from pathlib import Path
from saiyo_backend.devtools import a11y_report
from tests.support.throwaway import free_port

import json
import pytest
import requests
import shutil
import subprocess
import sys
import yaml


CHECKLIST = a11y_report.PACKAGE / "checklist.yaml"


def report(*args: str) -> subprocess.CompletedProcess:
    """The script as make a11y-report runs it (its own process: Playwright's sync API allows one per thread)."""
    command = [sys.executable, "-m", "saiyo_backend", "a11y-report", *args]
    return subprocess.run(command, cwd=a11y_report.ROOT, capture_output=True, text=True, timeout=600)


@pytest.fixture
def small_checklist(tmp_path) -> Path:
    """The maintained checklist with two pages, so that the run stays short."""
    data = yaml.safe_load(CHECKLIST.read_text(encoding="utf-8"))
    data["pages"] = [
        {"path": "/", "name": "トップページ"},
        {"path": "/shiken/annai", "name": "試験案内の一覧"},
    ]
    path = tmp_path / "checklist.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_report_of_the_running_site(plone, small_checklist, tmp_path):
    if not a11y_report.AXE.exists():
        pytest.fail("axe-core is missing: run 'make node-tools'")
    output = tmp_path / "axe-results.json"
    args = ["--site-url", plone.url, "--checklist", str(small_checklist), "--output", str(output)]
    done = report(*args, "--viewport", "375", "--viewport", "1280")
    assert done.returncode == 0, done.stdout + done.stderr
    written = json.loads(output.read_text(encoding="utf-8"))
    assert written["tool"].startswith("axe-core 4.")
    assert written["browser"].startswith("Chromium")
    assert written["tags"] == ["wcag2a", "wcag2aa"]
    assert written["date"].endswith("+09:00")
    assert [(page["path"], page["viewport"]) for page in written["pages"]] == [
        ("/", 375),
        ("/shiken/annai", 375),
        ("/", 1280),
        ("/shiken/annai", 1280),
    ]
    for page in written["pages"]:
        assert "html-has-lang" in page["passes"]  # lang="ja" is checked on every page
        for rule in page["violations"]:
            assert rule["nodes"] > 0 and rule["help"]
    assert "wcag311" in written["rules"]["html-has-lang"]
    assert not list(tmp_path.glob("*.tmp"))

    # the merge of this run with the checklist, as the page shows it
    from kagoshima.saiyo.accessibility import results

    merged = results.merge(results.load_checklist(small_checklist), written)
    row = next(row for row in merged["rows"] if row["id"] == "3.1.1")
    assert "html-has-lang" in row["automated_rules"]
    assert merged["conformance"] in ("準拠", "一部準拠")


def test_an_unreachable_site_writes_nothing(small_checklist, tmp_path):
    output = tmp_path / "axe-results.json"
    nothing_there = f"http://localhost:{free_port()}"
    done = report("--site-url", nothing_there, "--checklist", str(small_checklist), "--output", str(output))
    assert done.returncode == 1
    assert "サイトが起動しているか確認してください" in done.stderr
    assert "ERR_CONNECTION_REFUSED" in done.stderr  # the operator's line says why
    assert not output.exists()


def test_a_broken_checklist_is_refused(tmp_path, capsys):
    broken = tmp_path / "checklist.yaml"
    shutil.copy(CHECKLIST, broken)
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("result: 適合", "result: OK", 1), encoding="utf-8"
    )
    assert a11y_report.main(["--checklist", str(broken), "--output", str(tmp_path / "out.json")]) == 2
    assert "チェックリストを読めません" in capsys.readouterr().err


def test_policy_page_links_to_the_results(plone, page):
    page.goto(plone.url + "/accessibility", wait_until="networkidle")
    assert page.get_by_role("heading", level=1).inner_text().strip() == "ウェブアクセシビリティ方針"
    page.get_by_role("link", name="ウェブアクセシビリティ試験の結果").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text().strip() == "ウェブアクセシビリティ試験の結果"
    table = page.get_by_role("table", name="JIS X 8341-3:2016 の適合レベル A・AA の達成基準ごとの結果")
    assert table.locator("tbody tr").count() == 38
    summary = page.get_by_role("table", name="試験の概要（JIS X 8341-3:2016 の試験結果の表記）").inner_text()
    assert "JIS X 8341-3:2016" in summary and "適合レベル AA" in summary
    assert requests.get(plone.url + "/@@accessibility-test-results").status_code == 200
    assert not page.errors
