"""Old-site migration speed: pages per second of the build step, and optionally of the import.

    make bench               (build only: python -m benchmarks.migration)
    python -m benchmarks.migration --import      (also imports into a throwaway demo site; minutes)

The build reads the fixture mirror (tests/migration/fixtures/mirror, 34 pages and 9 other
files), decodes, extracts, classifies and writes the exportimport JSON, ``--runs`` times; the
best and the median run are printed. With ``--import`` a throwaway site is created as
'make run' makes it, the JSON is imported twice (first run creates, second finds every page
unchanged) through 'saiyo migrate-import', and both rates are printed. Figures go to
test-output/bench-migration.json. The machine is shared: compare figures from the same run.
"""

from migration import build
from migration import source
from pathlib import Path
from tests.support.throwaway import make_demo_site

import argparse
import json
import statistics
import tempfile
import time


ROOT = Path(__file__).resolve().parent.parent
MIRROR = ROOT / "tests" / "migration" / "fixtures" / "mirror"


def build_once(out: Path) -> tuple[int, float]:
    started = time.perf_counter()
    rules = build.load_rules()
    builder = build.Builder(list(source.read_mirror(MIRROR, rules["site_host"])), rules)
    builder.run()
    build.write(builder, out)
    seconds = time.perf_counter() - started
    return sum(1 for r in builder.reports.values() if r.kind == "page"), seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.migration")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--import", dest="do_import", action="store_true")
    args = parser.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        times = []
        for _ in range(args.runs):
            pages, seconds = build_once(out)
            times.append(seconds)
        results["build"] = {
            "pages": pages,
            "best_seconds": round(min(times), 3),
            "median_seconds": round(statistics.median(times), 3),
            "pages_per_second_median": round(pages / statistics.median(times), 1),
        }
        print(
            f"build: {pages} pages, median {statistics.median(times):.2f} s = {pages / statistics.median(times):.1f} pages/s"
        )
        if args.do_import:
            site = make_demo_site(Path(tmp) / "site")
            for label in ("first import", "second import"):
                started = time.perf_counter()
                done = site.saiyo("migrate-import", str(out))
                seconds = time.perf_counter() - started
                speed = json.loads((out / "import-speed.json").read_text(encoding="utf-8"))
                results[label] = {**speed, "process_seconds": round(seconds, 1), "exit": done.returncode}
                print(
                    f"{label}: {speed['pages']} pages in {speed['seconds']} s inside Zope = "
                    f"{speed['pages_per_second']} pages/s ({seconds:.0f} s with Zope start-up)"
                )
    output = ROOT / "test-output"
    output.mkdir(exist_ok=True)
    (output / "bench-migration.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
