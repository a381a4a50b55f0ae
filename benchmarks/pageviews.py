"""Page-view collector: beacon throughput, and page rendering with and without beacon load.

    make bench            (or: python -m benchmarks.pageviews [--beacons 20000] [--rate 1000])

Creates a throwaway instance with the site as 'make run' makes it (development profile:
one Zope process, 4 waitress threads, the collector middleware in its WSGI pipeline),
starts it, and from other processes on loopback measures two ways of serving beacons:

A. **in Zope's process**: ``POST /@@pv`` to the Zope port, answered by the middleware
   (the default: nothing else to run);
B. **dedicated collector**: ``saiyo collector`` on its own port, writing to the
   same store (what the reverse proxy can route ``/@@pv`` to when the site grows).

For each: the throughput of ``--beacons`` beacons sent as fast as ``--clients`` processes
with keep-alive connections can, checked against the store (every beacon counted); a
10-second run paced at ``--rate`` per second; and the top page rendered ``--pages`` times
in a row while the beacons go on at ``--rate``, compared with the idle figure. Every loop
is bounded by a count and by time. Figures are printed and written to
test-output/bench-pageviews.json. The machine (2 cores) is shared by Zope, the collector
and the load generator itself: compare figures from the same run, not across runs.
"""

from pathlib import Path
from saiyo_backend.instance.server import wait_until_up
from tests.support.throwaway import free_port
from tests.support.throwaway import make_demo_site

import argparse
import http.client
import json
import multiprocessing
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time


ROOT = Path(__file__).resolve().parent.parent
USER_AGENTS = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
    "Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
    "Safari/537.36 Edg/131.0.0.0",
)
TOKEN = re.compile(r'<meta name="saiyo-pv" content="([^"]+)"')
MAX_SECONDS = 120  # no phase runs longer than this
PACED_SECONDS = 10


def connection(port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", port, timeout=30)


def get_page(conn, port: int, path: str = "/") -> tuple[int, bytes]:
    conn.request("GET", path, headers={"Host": f"localhost:{port}", "User-Agent": USER_AGENTS[2]})
    response = conn.getresponse()
    return response.status, response.read()


def page_latencies(port: int, count: int) -> list[float]:
    """Seconds to render the top page, ``count`` times in a row on one keep-alive connection."""
    conn = connection(port)
    latencies = []
    deadline = time.monotonic() + MAX_SECONDS
    for _ in range(count):
        began = time.perf_counter()
        status, _ = get_page(conn, port)
        latencies.append(time.perf_counter() - began)
        if status != 200:
            raise RuntimeError(f"top page answered {status}")
        if time.monotonic() > deadline:
            break
    conn.close()
    return latencies


def beacon_client(port, token, count, rate, seconds, number, results, stop) -> None:
    """Send up to ``count`` beacons (``rate`` per second if rate > 0) for at most ``seconds``,
    or until ``stop`` is set; report (sent, refused, seconds)."""
    conn = connection(port)
    body = f"t={token}".encode("ascii")
    headers = {
        "Host": f"localhost:{port}",
        "User-Agent": USER_AGENTS[number % len(USER_AGENTS)],
        "Sec-Fetch-Site": "same-origin",
        "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
    }
    sent = refused = 0
    began = time.perf_counter()
    deadline = began + seconds
    while sent < count and not stop.is_set():
        now = time.perf_counter()
        if now > deadline:
            break
        if rate > 0:
            due = began + sent / rate
            if due > now:
                time.sleep(due - now)
        conn.request("POST", "/@@pv", body, headers)
        response = conn.getresponse()
        response.read()
        sent += 1
        if response.getheader("X-Pageview") != "counted":
            refused += 1
    results.put((sent, refused, time.perf_counter() - began))
    conn.close()


class Load:
    """Beacon clients in ``clients`` processes; ``finish()`` stops them and sums up."""

    def __init__(self, port, token, clients, total, rate=0.0, seconds=MAX_SECONDS):
        self.results = multiprocessing.Queue()
        self.stop = multiprocessing.Event()
        self.processes = [
            multiprocessing.Process(
                target=beacon_client,
                args=(port, token, total // clients, rate / clients, seconds, n, self.results, self.stop),
            )
            for n in range(clients)
        ]
        for process in self.processes:
            process.start()

    def finish(self, stop=False) -> dict:
        if stop:
            self.stop.set()
        outcomes = [self.results.get(timeout=MAX_SECONDS + 60) for _ in self.processes]
        for process in self.processes:
            process.join(timeout=60)
        sent = sum(outcome[0] for outcome in outcomes)
        seconds = max(outcome[2] for outcome in outcomes)
        return {
            "sent": sent,
            "refused": sum(outcome[1] for outcome in outcomes),
            "seconds": round(seconds, 2),
            "per_second": round(sent / seconds) if seconds else 0,
        }


def summary(latencies: list[float]) -> dict:
    ordered = sorted(latencies)
    return {
        "renders": len(ordered),
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def stored_views(var: Path) -> int:
    database = var / "pageviews" / "pageviews.sqlite"
    if not database.is_file():
        return 0
    with sqlite3.connect(database) as conn:
        return conn.execute("SELECT COALESCE(SUM(views), 0) FROM daily_views").fetchone()[0]


def measure(zope_port, beacon_port, token, args, var) -> dict:
    """Throughput, a paced run and page latency under paced beacons, for one beacon port."""
    before = stored_views(var)
    throughput = Load(beacon_port, token, args.clients, args.beacons).finish()
    throughput["counted"] = stored_views(var) - before

    before = stored_views(var)
    paced = Load(beacon_port, token, args.clients, int(args.rate * PACED_SECONDS), args.rate).finish()
    paced["counted"] = stored_views(var) - before

    load = Load(beacon_port, token, args.clients, 10**9, args.rate)
    time.sleep(1.0)  # let the load settle
    loaded = summary(page_latencies(zope_port, args.pages))
    loaded["beacons_per_second"] = load.finish(stop=True)["per_second"]
    return {"throughput": throughput, "paced": paced, "top_page_under_paced_beacons": loaded}


def start_collector(instance) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "saiyo_backend", "collector", "--etc", str(instance.etc), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # a GET is refused (405) by the collector: enough to know that it answers
    if not wait_until_up(f"http://127.0.0.1:{port}/@@pv", 30, process):
        process.kill()
        raise RuntimeError("the dedicated collector did not start")
    return process, port


def report(result: dict, args) -> None:
    idle = result["top_page_idle"]
    print(
        f"top page, idle: median {idle['median_ms']:.1f} ms, p95 {idle['p95_ms']:.1f} ms, "
        f"max {idle['max_ms']:.1f} ms ({idle['renders']} renders)"
    )
    for key, title in (
        ("in_zope", "A. beacons to Zope's process"),
        ("dedicated", "B. beacons to a dedicated collector"),
    ):
        figures = result[key]
        fast, paced, loaded = figures["throughput"], figures["paced"], figures["top_page_under_paced_beacons"]
        print(f"{title}:")
        print(
            f"  as fast as {args.clients} keep-alive clients go: {fast['sent']:,} in {fast['seconds']:.1f} s "
            f"= {fast['per_second']:,} req/s; refused {fast['refused']}, counted {fast['counted']:,}"
        )
        print(
            f"  paced at {args.rate:,.0f}/s for {PACED_SECONDS} s: {paced['sent']:,} in {paced['seconds']:.1f} s "
            f"= {paced['per_second']:,} req/s; refused {paced['refused']}, counted {paced['counted']:,}"
        )
        print(
            f"  top page while beacons go on at {loaded['beacons_per_second']:,}/s: median "
            f"{loaded['median_ms']:.1f} ms, p95 {loaded['p95_ms']:.1f} ms, max {loaded['max_ms']:.1f} ms "
            f"(idle median {idle['median_ms']:.1f} ms)"
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--beacons", type=int, default=20000, help="beacons for each throughput run")
    parser.add_argument("--clients", type=int, default=2, help="client processes sending beacons")
    parser.add_argument("--rate", type=float, default=1000, help="beacons per second in the paced runs")
    parser.add_argument("--pages", type=int, default=60, help="top-page renders per latency measurement")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="saiyo-bench-pv-") as tmp:
        instance = make_demo_site(Path(tmp))
        if instance.start() != 0:
            return 1
        collector = None
        try:
            port = instance.port
            conn = connection(port)
            _, html = get_page(conn, port)
            conn.close()
            match = TOKEN.search(html.decode("utf-8"))
            if match is None:
                print("the top page has no page-view token", file=sys.stderr)
                return 1
            token = match.group(1)
            page_latencies(port, 10)  # warm the caches
            result = {"top_page_idle": summary(page_latencies(port, args.pages))}
            result["in_zope"] = measure(port, port, token, args, instance.var)
            collector, collector_port = start_collector(instance)
            result["dedicated"] = measure(port, collector_port, token, args, instance.var)
        finally:
            if collector is not None:
                collector.terminate()
                collector.wait(timeout=30)
            instance.stop()
    report(result, args)
    output = ROOT / "test-output"
    output.mkdir(exist_ok=True)
    (output / "bench-pageviews.json").write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
