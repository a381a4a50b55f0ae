"""Uncached page rendering: every page type visitors and editors use, against the stock Plone front page.

    make bench            (or: python -m benchmarks.render [--requests 15] [--seconds 6] [--connections 4])

Creates a throwaway instance in production mode (``instance.debug_mode=false``; ``--debug``
measures the development profile's debug mode instead) with the demo site as 'make run' makes
it, adds a stock Plone ``classic`` site with Plone's example content next to it in the same
database (``benchmarks/render_stock_site.py``), starts one Zope process and, for every page of
``PAGES``: warms it, takes the median and p95 of ``--requests`` sequential requests, then the
requests per second of ``--connections`` keep-alive connections for ``--seconds`` seconds. Each
figure is also given as a ratio to the stock front page measured in the same run (at the start
and again at the end; the ratio uses their mean, the drift is printed). No cache sits in front:
this is what Zope renders on a cache miss, for editors and in the single-process profile.

Targets (issue 15): visitor pages <= 1.2x, editor pages <= 1.5x the stock front page; the Mosaic
landing page (issue 20) <= 1.5x.
Results are printed as a Markdown table and written to test-output/bench-render.json.

Pages are ``Page(label, path, editor)``; a path may name a ``{ExamNotice}``-style placeholder,
resolved to the first published item of that portal type. More pages: append to ``PAGES`` or
pass ``--page "label=/path"`` (``--page "label=/path@editor"`` for a logged-in page).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from tests.support.throwaway import Instance
from tests.support.throwaway import make_instance

import argparse
import base64
import http.client
import json
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse


ROOT = Path(__file__).resolve().parent.parent
STOCK_SITE = "stock"


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    editor: bool = False
    # The page's own target (× the stock front page) where its issue sets one; else by audience.
    target: float | None = None


# The reference: Plone's own front page of the stock site, anonymous.
REFERENCE = Page("stock Plone front page (reference)", f"stock:{STOCK_SITE}/")

PAGES: list[Page] = [
    Page("top page", "/"),
    Page("exam notice", "{ExamNotice}"),
    Page("exam list", "/shiken/annai"),
    Page("exam schedule", "/shiken/schedule"),
    Page("job category", "{JobCategory}"),
    Page("staff interview", "{StaffProfile}"),
    Page("interview list", "/hito/interview"),
    Page("FAQ list", "/faq"),
    Page("event", "{Event}"),
    Page("news item", "{News Item}"),
    Page("news listing", "/news"),
    Page("search results", "/@@search?SearchableText=" + urllib.parse.quote("試験")),
    Page("sitemap", "/sitemap"),
    # A Mosaic landing page of the demo (issue 20: at most 1.5x, its tiles rendered in the request)
    Page("landing page (Mosaic)", "/tokushu/gijutsu", target=1.5),
    Page("stock front page, logged in", f"stock:{STOCK_SITE}/", editor=True),
    Page("edit form (exam notice)", "{ExamNotice}/edit", editor=True),
    Page("folder contents", "/shiken/annai/folder_contents", editor=True),
    Page("@@ok (trivial)", "/@@ok"),
]

TARGET_VISITOR = 1.2
TARGET_EDITOR = 1.5


class Client:
    """HTTP/1.1 keep-alive GETs against one instance, as a visitor or as the administrator."""

    def __init__(self, instance: Instance, editor: bool):
        self.port = instance.port
        self.host = f"localhost:{instance.port}"
        self.headers = {"Host": self.host, "Accept": "text/html", "Accept-Language": "ja"}
        if editor:
            token = base64.b64encode(":".join(instance.admin).encode()).decode()
            self.headers["Authorization"] = f"Basic {token}"
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def url(self, path: str) -> str:
        if path.startswith("stock:"):
            # The stock site is reached the way nginx reaches ours: through the VirtualHostMonster.
            site, _, rest = path[len("stock:") :].partition("/")
            return f"/VirtualHostBase/http/{self.host}/{site}/VirtualHostRoot/{rest}"
        return path

    def get(self, path: str) -> tuple[int, bytes]:
        for attempt in (1, 2):
            try:
                self.connection.request("GET", self.url(path), headers=self.headers)
                response = self.connection.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        self.connection.close()


def resolve(instance: Instance, path: str) -> str:
    """Replace a ``{Portal Type}`` placeholder with the path of the first published item of that type."""
    match = re.search(r"\{([^}]+)\}", path)
    if not match:
        return path
    client = Client(instance, editor=False)
    client.headers["Accept"] = "application/json"
    query = urllib.parse.urlencode({"portal_type": match.group(1), "sort_on": "path", "b_size": 1})
    status, body = client.get(f"/++api++/@search?{query}")
    client.close()
    items = json.loads(body).get("items", []) if status == 200 else []
    if not items:
        raise SystemExit(f"no published {match.group(1)} on the demo site (HTTP {status})")
    found = urllib.parse.urlsplit(items[0]["@id"]).path
    return path.replace(match.group(0), found)


def check(page: Page, status: int, body: bytes) -> None:
    if status != 200:
        raise SystemExit(f"{page.label}: HTTP {status} for {page.path}")
    if not page.path.endswith("@@ok") and b"</html>" not in body:
        raise SystemExit(f"{page.label}: not an HTML page ({body[:200]!r})")


def latency(instance: Instance, page: Page, requests: int, warm: int) -> tuple[list[float], list[float]]:
    """Milliseconds of ``requests`` sequential GETs of the page and of the reference, alternating.

    Alternating keeps the ratio fair on a machine whose load changes during the run.
    """
    client, reference = Client(instance, page.editor), Client(instance, REFERENCE.editor)
    try:
        for _ in range(warm):
            check(page, *client.get(page.path))
        times: dict[str, list[float]] = {"page": [], "reference": []}
        for _ in range(requests):
            for key, who, what in (("reference", reference, REFERENCE), ("page", client, page)):
                began = time.perf_counter()
                status, body = who.get(what.path)
                times[key].append((time.perf_counter() - began) * 1000)
                check(what, status, body)
        return times["page"], times["reference"]
    finally:
        client.close()
        reference.close()


def throughput(instance: Instance, page: Page, connections: int, seconds: float) -> float:
    done = [0] * connections
    errors: list[str] = []
    stop = time.perf_counter() + seconds

    def worker(index: int) -> None:
        client = Client(instance, page.editor)
        try:
            while time.perf_counter() < stop:
                status, _ = client.get(page.path)
                if status != 200:
                    errors.append(f"HTTP {status}")
                    return
                done[index] += 1
        except Exception as error:  # reported below; a benchmark must not count failures as speed
            errors.append(repr(error))
        finally:
            client.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"{page.label}: {errors[0]}")
    return sum(done) / (time.perf_counter() - began)


def warm_up(instance: Instance, pages: list[Page], connections: int, rounds: int) -> None:
    """Every page ``rounds`` times on each of ``connections`` parallel connections.

    Each waitress thread has its own ZODB connection and object cache; a page first requested
    on a cold one costs far more, which would count against whichever page comes first.
    """

    def worker() -> None:
        visitor, editor = Client(instance, False), Client(instance, True)
        try:
            for _ in range(rounds):
                for page in pages:
                    check(page, *(editor if page.editor else visitor).get(page.path))
        finally:
            visitor.close()
            editor.close()

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def measure(instance: Instance, page: Page, args) -> dict:
    times, reference = latency(instance, page, args.requests, args.warm)
    rate = throughput(instance, page, args.connections, args.seconds)
    figures = {
        "label": page.label,
        "path": page.path,
        "editor": page.editor,
        "median_ms": statistics.median(times),
        "p95_ms": p95(times),
        "req_s": rate,
        "reference_median_ms": statistics.median(reference),
    }
    figures["x_median"] = figures["median_ms"] / figures["reference_median_ms"]
    print(
        f"  {page.label:<36} median {figures['median_ms']:7.1f} ms  p95 {figures['p95_ms']:7.1f} ms"
        f"  {rate:6.1f} req/s   (stock front page alongside: {figures['reference_median_ms']:.1f} ms,"
        f" x{figures['x_median']:.2f})",
        flush=True,
    )
    return figures


def measure_reference(instance: Instance, args) -> dict:
    client = Client(instance, REFERENCE.editor)
    try:
        for _ in range(args.warm):
            check(REFERENCE, *client.get(REFERENCE.path))
        times = []
        for _ in range(args.requests):
            began = time.perf_counter()
            check(REFERENCE, *client.get(REFERENCE.path))
            times.append((time.perf_counter() - began) * 1000)
    finally:
        client.close()
    rate = throughput(instance, REFERENCE, args.connections, args.seconds)
    print(
        f"  {REFERENCE.label:<36} median {statistics.median(times):7.1f} ms  p95 {p95(times):7.1f} ms"
        f"  {rate:6.1f} req/s",
        flush=True,
    )
    return {"median_ms": statistics.median(times), "p95_ms": p95(times), "req_s": rate}


def prepare(base: Path, debug: bool) -> Instance:
    instance = make_instance(base, settings=(f"instance.debug_mode={'true' if debug else 'false'}",))
    created = instance.create_site("--demo")
    if created.returncode != 0:
        raise SystemExit(f"site creation failed:\n{created.stdout}{created.stderr}")
    stock = instance.zconsole(ROOT / "benchmarks" / "render_stock_site.py", STOCK_SITE)
    if stock.returncode != 0:
        raise SystemExit(f"stock site creation failed:\n{stock.stdout}{stock.stderr}")
    return instance


def run(instance: Instance, pages: list[Page], args) -> dict:
    """Measure the reference, every page beside it, and the reference again; return figures and ratios."""
    pages = [Page(p.label, resolve(instance, p.path), p.editor, p.target) for p in pages]
    print(f"warming every page on {args.connections} connections …", flush=True)
    warm_up(instance, [REFERENCE, *pages], args.connections, 2)
    print(f"measuring {len(pages)} pages (+ the reference before and after) …", flush=True)
    before = measure_reference(instance, args)
    rows = [measure(instance, page, args) for page in pages]
    after = measure_reference(instance, args)
    reference = {
        "median_ms": statistics.median(r["reference_median_ms"] for r in rows),
        "p95_ms": max(before["p95_ms"], after["p95_ms"]),
        "req_s": (before["req_s"] + after["req_s"]) / 2,
    }
    for page, row in zip(pages, rows, strict=True):
        row["x_req_s"] = reference["req_s"] / row["req_s"]
        row["target"] = (
            None
            if row["path"].endswith("@@ok")
            else page.target or (TARGET_EDITOR if row["editor"] else TARGET_VISITOR)
        )
        row["ok"] = row["target"] is None or row["x_median"] <= row["target"]
    return {"reference": {"before": before, "after": after, **reference}, "pages": rows}


def table(result: dict, args) -> str:
    ref = result["reference"]
    lines = [
        f"| page | median | p95 | req/s ({args.connections} conn.) | × stock (median) | × stock (req/s) | target |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        f"| {REFERENCE.label} | {ref['median_ms']:.0f} ms | {ref['p95_ms']:.0f} ms | {ref['req_s']:.1f}"
        " | 1.00 | 1.00 | |",
    ]
    for row in result["pages"]:
        target = "—" if row["target"] is None else f"≤ {row['target']}{' ✓' if row['ok'] else ' ✗'}"
        who = " (editor)" if row["editor"] else ""
        lines.append(
            f"| {row['label']}{who} | {row['median_ms']:.0f} ms | {row['p95_ms']:.0f} ms | {row['req_s']:.1f}"
            f" | {row['x_median']:.2f} | {row['x_req_s']:.2f} | {target} |"
        )
    lines.append("")
    lines.append(
        "× stock (median): the page's median over the stock front page's median of requests alternating with it;"
    )
    lines.append(
        f"× stock (req/s): stock front page at start {ref['before']['req_s']:.1f} req/s,"
        f" at end {ref['after']['req_s']:.1f} req/s (their mean) over the page's req/s"
    )
    return "\n".join(lines)


def parse_pages(extra: list[str]) -> list[Page]:
    pages = list(PAGES)
    for spec in extra:
        label, _, path = spec.partition("=")
        editor = path.endswith("@editor")
        pages.append(Page(label, path.removesuffix("@editor"), editor))
    return pages


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=15, help="sequential requests per page (median, p95)")
    parser.add_argument("--warm", type=int, default=5, help="requests per page before measuring")
    parser.add_argument("--seconds", type=float, default=6.0, help="duration of the throughput run per page")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--debug", action="store_true", help="measure with Zope's debug mode on (make run)")
    parser.add_argument("--page", action="append", default=[], help='another page: "label=/path[@editor]"')
    parser.add_argument(
        "--keep", type=Path, help="build the instance in this folder and keep it (reused when it is there)"
    )
    parser.add_argument("--output", type=Path, default=ROOT / "test-output" / "bench-render.json")
    args = parser.parse_args(argv)
    pages = parse_pages(args.page)
    with tempfile.TemporaryDirectory(prefix="saiyo-bench-render-") as tmp:
        base = args.keep or Path(tmp)
        if (base / "instance.json").exists():
            instance = Instance(**{**json.loads((base / "instance.json").read_text()), "etc": base / "etc",
                                   "var": base / "var"})  # fmt: skip
        else:
            print("creating a throwaway demo site and a stock Plone site beside it …", flush=True)
            instance = prepare(base, args.debug)
            if args.keep:
                saved = {"port": instance.port, "admin_password": instance.admin_password}
                (base / "instance.json").write_text(json.dumps(saved))
        if instance.start() != 0:
            print("the instance did not start", file=sys.stderr)
            return 1
        try:
            result = run(instance, pages, args)
        finally:
            instance.stop()
    mode = "debug mode ON (development profile)" if args.debug else "production mode (debug mode off)"
    print()
    print(f"one Zope process, {mode}, {args.requests} sequential requests after {args.warm} warm-up ones,")
    print(f"then {args.connections} keep-alive connections for {args.seconds:g} s per page")
    print()
    print(table(result, args))
    failed = [r["label"] for r in result["pages"] if not r["ok"]]
    if failed:
        print(f"over target: {', '.join(failed)}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps({"mode": mode, **result}, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    print(f"figures: {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
