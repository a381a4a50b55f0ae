"""Instance start-up time and idle memory (resident set size).

    make bench            (or: python -m benchmarks.startup [--runs 3])

Creates a throwaway instance with the site as 'make run' makes it, then starts it
``--runs`` times and reports, for each start: seconds from launching waitress to the first
HTTP 200 on "/", the resident memory right after that first page, and after 20 more page
views and a short idle pause. Results are printed and written to
test-output/bench-startup.json.
"""

from pathlib import Path
from tests.support.throwaway import make_demo_site

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request


ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PAGES = ["/", "/search?SearchableText=試験", "/sitemap", "/contact-info", "/accessibility-info"]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        return response.status


def one_start(instance) -> dict:
    began = time.monotonic()
    process = subprocess.Popen(
        [str(BIN / "runwsgi"), str(instance.etc / "zope.ini")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                if get(instance.url + "/") == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() - began > 180:
                raise RuntimeError("instance did not start")
            time.sleep(0.05)
        ready = time.monotonic() - began
        after_first = rss_mb(process.pid)
        for _ in range(4):
            for path in PAGES:
                get(instance.url + urllib.parse.quote(path, safe="/?="))
        time.sleep(2)
        return {
            "startup_s": round(ready, 2),
            "rss_first_page_mb": round(after_first, 1),
            "rss_idle_after_20_pages_mb": round(rss_mb(process.pid), 1),
        }
    finally:
        process.terminate()
        process.wait(timeout=60)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="saiyo-bench-") as tmp:
        instance = make_demo_site(Path(tmp))
        runs = [one_start(instance) for _ in range(args.runs)]
    for number, run in enumerate(runs, 1):
        print(
            f"run {number}: start-up {run['startup_s']:.2f} s, RSS after first page "
            f"{run['rss_first_page_mb']:.0f} MB, idle after 20 pages {run['rss_idle_after_20_pages_mb']:.0f} MB"
        )
    summary = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    print(
        f"median: start-up {summary['startup_s']:.2f} s, RSS {summary['rss_first_page_mb']:.0f} MB "
        f"-> {summary['rss_idle_after_20_pages_mb']:.0f} MB"
    )
    output = ROOT / "test-output"
    output.mkdir(exist_ok=True)
    (output / "bench-startup.json").write_text(json.dumps({"runs": runs, "median": summary}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
