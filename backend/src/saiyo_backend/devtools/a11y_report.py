"""Run axe-core in Chromium over the accessibility test pages and write the automated results.

    make a11y-report                              # against http://localhost:8080 (make start first)
    make a11y-report SITE_URL=https://saiyo.example.jp
    saiyo a11y-report --site-url URL [--output FILE] [--viewport 375 --viewport 1280]

The pages are the ``pages`` of the manual checklist
(``src/kagoshima.saiyo/src/kagoshima/saiyo/accessibility/checklist.yaml``). Each is opened
at each viewport width and checked with the rules tagged wcag2a and wcag2aa (JIS X 8341-3:2016
is WCAG 2.0). The JSON (default: ``accessibility/axe-results.json`` of the add-on, shown by the
page ``/accessibility/@@accessibility-test-results`` merged with the checklist) keeps, per page
and viewport, every violated rule with the number of elements and every passed rule; ``rules``
gives each rule's axe tags, which name the success criteria it tests (``wcag111`` is 1.1.1). Commit the file to publish the run.

axe-core is the pinned copy of ``make node-tools`` (tools/node); Chromium is Debian's
(``CHROMIUM`` overrides the path). Use the host name visitors use (``localhost``, not
``127.0.0.1``, which Plone serves unthemed).
"""

from datetime import datetime
from kagoshima.saiyo.dates import TOKYO
from pathlib import Path
from saiyo_backend.config import ROOT

import argparse
import json
import logging
import os
import sys


PACKAGE = ROOT / "src" / "kagoshima.saiyo" / "src" / "kagoshima" / "saiyo" / "accessibility"
AXE = ROOT / "tools" / "node" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
TAGS = ["wcag2a", "wcag2aa"]
VIEWPORTS = [375, 1280]
logger = logging.getLogger("a11y_report")

RUN_AXE = """async wanted => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: wanted}, resultTypes: ['violations']});
  const brief = rule => ({id: rule.id, tags: rule.tags, impact: rule.impact, help: rule.help, nodes: rule.nodes.length,
                          targets: rule.nodes.slice(0, 5).map(node => node.target.join(' '))});
  const tags = {};
  for (const rule of [...result.violations, ...result.passes, ...result.incomplete]) tags[rule.id] = rule.tags;
  return {version: axe.version, tags, violations: result.violations.map(brief),
          passes: result.passes.map(rule => rule.id), incomplete: result.incomplete.map(rule => rule.id)};
}"""


def run(site_url: str, pages: list[dict], viewports=VIEWPORTS, axe_path: Path = AXE) -> dict:
    """Open every page at every width, run axe-core, return the report (nothing written)."""
    from playwright.sync_api import sync_playwright

    site_url = site_url.rstrip("/")
    results, version, rule_tags = [], None, {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox"]
        )
        try:
            for width in viewports:
                # bypass_csp: axe-core is injected as an inline script, which the site's policy forbids.
                context = browser.new_context(
                    locale="ja-JP",
                    timezone_id="Asia/Tokyo",
                    viewport={"width": width, "height": 900},
                    bypass_csp=True,
                )
                page = context.new_page()
                for entry in pages:
                    url = site_url + entry["path"]
                    response = page.goto(url, wait_until="networkidle")
                    if response is None or response.status >= 400:
                        raise RuntimeError(f"{url} answered {response.status if response else 'nothing'}")
                    page.add_script_tag(path=str(axe_path))
                    found = page.evaluate(RUN_AXE, TAGS)
                    version = found.pop("version")
                    rule_tags.update(found.pop("tags"))
                    results.append(
                        {"path": entry["path"], "name": entry.get("name", ""), "viewport": width, **found}
                    )
                    logger.info("%s at %d px: %d violations", url, width, len(found["violations"]))
                context.close()
            browser_version = browser.version
        finally:
            browser.close()
    return {
        "date": datetime.now(TOKYO).isoformat(timespec="seconds"),
        "site_url": site_url,
        "tool": f"axe-core {version}",
        "browser": f"Chromium {browser_version}",
        "tags": TAGS,
        "viewports": list(viewports),
        "rules": dict(sorted(rule_tags.items())),
        "pages": results,
    }


def main(argv=None) -> int:
    from kagoshima.saiyo.accessibility.results import ChecklistError
    from kagoshima.saiyo.accessibility.results import load_checklist

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-url", default=os.environ.get("SITE_URL") or "http://localhost:8080")
    parser.add_argument("--output", type=Path, default=PACKAGE / "axe-results.json")
    parser.add_argument("--checklist", type=Path, default=PACKAGE / "checklist.yaml")
    parser.add_argument("--viewport", type=int, action="append", help="width in px (repeatable)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    if not AXE.exists():
        print("エラー: axe-core がありません。先に make node-tools を実行してください。", file=sys.stderr)
        logger.error("missing %s", AXE)
        return 2
    try:
        checklist = load_checklist(args.checklist)
    except (ChecklistError, OSError) as error:
        print(f"エラー: チェックリストを読めません: {error}", file=sys.stderr)
        logger.error("checklist unusable: %s", error)
        return 2
    try:
        report = run(args.site_url, checklist["pages"], args.viewport or VIEWPORTS)
    except Exception as error:  # the site is down, a page is missing, Chromium failed
        print(
            f"エラー: 自動試験を実行できませんでした（{args.site_url}）。サイトが起動しているか確認してください。",
            file=sys.stderr,
        )
        logger.error("axe run failed: %s", error)
        return 1
    # write a temporary file and rename it: never a half-written report
    temporary = args.output.with_suffix(".tmp")
    temporary.write_text(
        json.dumps(report, ensure_ascii=False, indent=1, sort_keys=False) + "\n", encoding="utf-8"
    )
    temporary.replace(args.output)
    total = sum(len(page["violations"]) for page in report["pages"])
    print(f"{len(report['pages'])} page views checked, {total} violated rules → {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
