"""Site search at scale: 5,000 generated Japanese pages, the site's index next to the stock one.

    python -m benchmarks.search [--pages 5000] [--queries 300]      (part of make bench; minutes)

A throwaway demo site is created as 'make run' creates it; inside Zope (zconsole), the script
``benchmarks/search_inside.py`` adds ``--pages`` generated pages (sentences of the demo content,
recombined with the domain's words, about 1,500 characters each, seeded so that every run
builds the same pages), commits them in batches, and measures side by side, in the same
process and on the same pages:

- indexing time per page of the site's ``SearchableText`` index and of Plone's stock ZCTextIndex
  (``plone_lexicon``), and the whole-site reindex time of each;
- search latency p50/p95 over ``--queries`` queries (the judged queries of the add-on's search
  quality test and words drawn from the pages), as an anonymous visitor, the query munged as
  the search page munges it, the first 20 results fetched;
- the assistant's p95 over its questions;
- the process's resident memory before and after, and the size of each index.

The target on this 2-core machine is a search p95 of at most 150 ms. Figures go to
test-output/bench-search.json; the machine is shared, so compare figures of the same run.
"""

from pathlib import Path
from tests.support.throwaway import make_demo_site

import argparse
import json
import sys
import tempfile


ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "test-output" / "bench-search.json"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.search")
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="saiyo-bench-search-") as tmp:
        print(f"creating a throwaway demo site and {args.pages} generated pages …", flush=True)
        instance = make_demo_site(Path(tmp))
        result = instance.zconsole(
            ROOT / "benchmarks" / "search_inside.py",
            "--pages",
            str(args.pages),
            "--queries",
            str(args.queries),
        )
        if result.returncode != 0:
            print(result.stdout + result.stderr, file=sys.stderr)
            return 1
        figures = json.loads(result.stdout.strip().splitlines()[-1])
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    site, stock = figures["site"], figures["stock"]
    rows = [
        ("indexing per page (ms)", "index_ms_per_page"),
        ("whole reindex (s)", "reindex_seconds"),
        ("search p50 (ms)", "search_p50_ms"),
        ("search p95 (ms)", "search_p95_ms"),
        ("index size (entries)", "index_entries"),
    ]
    print(
        f"\nsearch over {figures['pages']} generated pages + the demo site ({figures['documents']} documents)"
    )
    print(f"  {'':<26} {'stock ZCTextIndex':>18} {'site search':>14}")
    for label, key in rows:
        print(f"  {label:<26} {stock[key]:>18} {site[key]:>14}")
    print(f"  assistant p50 / p95 (ms): {figures['assistant_p50_ms']} / {figures['assistant_p95_ms']}")
    print(f"  resident memory (MB): {figures['rss_mb_before']} before, {figures['rss_mb_after']} after")
    print(f"  search p95 target ≤ 150 ms: {'met' if site['search_p95_ms'] <= 150 else 'NOT met'}")
    print(f"figures in {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
