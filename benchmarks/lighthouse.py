"""Lighthouse (mobile preset) on the top page, an exam notice and an interview, and the top page's weight.

    make bench            (or: python -m benchmarks.lighthouse [--url http://localhost:8080])

Without ``--url`` a throwaway instance with the demo site is created and started, exactly
as 'make run' makes it. Lighthouse 12.2.3 comes from tools/node ('make node-tools') and
drives Debian's Chromium (``CHROMIUM``, default /usr/bin/chromium). Pages are fetched from
http://localhost:<port>/ (127.0.0.1 is served unthemed). For each page the four category
scores are printed; for the top page also the bytes transferred and the number of requests
of a first (cold-cache) view. Results go to test-output/bench-lighthouse.json and the full
reports to test-output/lighthouse/.
"""

from pathlib import Path
from tests.support.throwaway import make_demo_site

import argparse
import json
import os
import subprocess
import sys
import tempfile
import urllib.request


ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "tools" / "node" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
OUTPUT = ROOT / "test-output"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def first_path(base_url: str, portal_type: str) -> str:
    request = urllib.request.Request(
        f"{base_url}/@search?portal_type={portal_type}&sort_on=getObjPositionInParent&b_size=1",
        headers={"Accept": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)["items"][0]["@id"]


def lighthouse(url: str, name: str) -> dict:
    report = OUTPUT / "lighthouse" / f"{name}.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "node",
            str(LIGHTHOUSE),
            url,
            "--output=json",
            f"--output-path={report}",
            f"--chrome-path={CHROMIUM}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            f"--only-categories={','.join(CATEGORIES)}",
            "--quiet",
        ],
        check=True,
    )
    data = json.loads(report.read_text())
    audits = data["audits"]
    failed = {
        category: [
            ref["id"]
            for ref in data["categories"][category]["auditRefs"]
            if ref["weight"]
            and (audits[ref["id"]].get("score") is not None)
            and audits[ref["id"]]["score"] < 1
        ]
        for category in ("accessibility", "best-practices", "seo")
    }
    return {
        "url": url,
        "scores": {category: round(data["categories"][category]["score"] * 100) for category in CATEGORIES},
        "bytes": audits["total-byte-weight"]["numericValue"],
        "requests": len(audits["network-requests"]["details"]["items"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "not_passed": {category: ids for category, ids in failed.items() if ids},
    }


def measure(base_url: str) -> dict:
    pages = {
        "top": base_url + "/",
        "exam-notice": first_path(base_url, "ExamNotice"),
        "interview": first_path(base_url, "StaffProfile"),
    }
    return {name: lighthouse(url, name) for name, url in pages.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="measure this running site instead of a throwaway one")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        print("Lighthouse がありません。'make node-tools' を実行してください / run 'make node-tools' first")
        return 1
    if args.url:
        results = measure(args.url.rstrip("/"))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            instance = make_demo_site(Path(tmp))
            if instance.start() != 0:
                print("the throwaway instance did not start")
                return 1
            try:
                results = measure(instance.url)
            finally:
                instance.stop()
    for name, result in results.items():
        scores = " ".join(f"{category} {score}" for category, score in result["scores"].items())
        print(
            f"{name:12} {scores}  {result['bytes'] / 1024:.0f} KB in {result['requests']} requests, LCP {result['lcp_ms']} ms"
        )
        for category, ids in result["not_passed"].items():
            print(f"{'':12} {category} audits not passed: {', '.join(ids)}")
    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / "bench-lighthouse.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
