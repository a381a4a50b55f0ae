"""Cached-page throughput through the proxy vs. nginx serving a static copy of the same page.

    python -m benchmarks.proxy_throughput [--requests 4000] [--concurrency 16] [--rounds 3]

Renders and starts a throwaway production deployment (one Zope client, FileStorage,
nginx from profiles/production.toml with a self-signed certificate) in a temporary folder,
warms the cache for the front page, saves the page nginx returned as a static file served
by the same nginx (same TLS, same keep-alive, another server name), then runs ApacheBench
(``ab -k``, HTTPS) against both, alternating, and prints requests per second of each and
their ratio (target: proxied ≥ 50 % of static).

Two kinds of visitor are measured: a browser (``Accept-Encoding: gzip``; the cache holds the
page compressed once, the static copy is a pre-compressed ``index.html.gz`` with
``gzip_static``), and a client without gzip (nginx unpacks the cached page for it, the static
copy is the plain file).
"""

from __future__ import annotations

from pathlib import Path
from saiyo_backend import cluster
from saiyo_backend.cluster import loopback
from tests.support.throwaway import free_port

import argparse
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


PUBLIC = "saiyo.pref.kagoshima.jp"
STATIC = "static.bench.invalid"


def ab(port: int, host: str, requests: int, concurrency: int, gzip: bool = False) -> float:
    output = subprocess.run(
        [
            "ab",
            "-k",
            "-q",
            "-n",
            str(requests),
            "-c",
            str(concurrency),
            "-H",
            f"Host: {host}",
            *(["-H", "Accept-Encoding: gzip"] if gzip else []),
            f"https://127.0.0.1:{port}/",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    failed = int(re.search(r"Failed requests:\s+(\d+)", output).group(1))
    non2xx = re.search(r"Non-2xx responses:\s+(\d+)", output)
    if failed or non2xx:
        raise RuntimeError(f"ab saw errors against {host}:\n{output}")
    return float(re.search(r"Requests per second:\s+([\d.]+)", output).group(1))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    if not shutil.which("ab"):
        print(
            "ab (ApacheBench) is missing: apt-get install apache2-utils / dnf install httpd-tools",
            file=sys.stderr,
        )
        return 2
    base = Path(tempfile.mkdtemp(prefix="saiyo-bench-proxy-"))
    os.environ.setdefault("SAIYO_ADMIN_PASSWORD", secrets.token_urlsafe(16))
    https = free_port()
    layout = cluster.render(
        "production",
        base,
        [f"server.port={free_port()}", "server.host='127.0.0.1'", "cluster.clients=1", "proxy.listen='127.0.0.1'",
         f"proxy.http_port={free_port()}", f"proxy.https_port={https}", f"proxy.purge_port={free_port()}",
         "proxy.certificate=''", "proxy.worker_processes=1"],
    )  # fmt: skip
    try:
        if cluster.start(layout, demo=True):
            return 1
        first = loopback.request(https, PUBLIC, "/")
        page = loopback.request(https, PUBLIC, "/")
        assert page.status == 200 and page.headers.get("x-cache-status") == "HIT", (
            first.headers,
            page.headers,
        )
        packed = loopback.request(https, PUBLIC, "/", headers={"Accept-Encoding": "gzip"})
        assert packed.headers.get("content-encoding") == "gzip", packed.headers
        static_root = base / "static"
        static_root.mkdir()
        (static_root / "index.html").write_bytes(page.body)
        (static_root / "index.html.gz").write_bytes(packed.body)
        proxy = layout["proxy"]
        (Path(layout["nginx"]["etc"]) / "conf.d" / "static-bench.conf").write_text(
            f"""server {{
    listen 127.0.0.1:{https} ssl http2;
    server_name {STATIC};
    ssl_certificate {proxy["certificate"]};
    ssl_certificate_key {proxy["certificate_key"]};
    root {static_root};
    gzip_static on;
    location / {{ default_type text/html; try_files /index.html =404; }}
}}
""",
            encoding="utf-8",
        )
        cluster.start_nginx(layout)
        # a reload takes effect a moment later
        deadline = time.monotonic() + 30
        while True:
            try:
                if loopback.request(https, STATIC, "/").body == page.body:
                    break
            except ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("nginx did not serve the static copy after its reload")
            time.sleep(0.5)
        assert loopback.request(https, STATIC, "/", headers={"Accept-Encoding": "gzip"}).body == packed.body
        print(
            f"page: {len(page.body)} bytes ({len(packed.body)} gzipped), {args.requests} requests x {args.rounds}"
            f" rounds, concurrency {args.concurrency}, HTTPS keep-alive, 1 nginx worker"
        )
        for label, gzip in (("browsers (gzip)", True), ("clients without gzip", False)):
            proxied, static = [], []
            for _ in range(args.rounds):
                static.append(ab(https, STATIC, args.requests, args.concurrency, gzip))
                proxied.append(ab(https, PUBLIC, args.requests, args.concurrency, gzip))
            p, s = statistics.median(proxied), statistics.median(static)
            print(f"{label}:")
            print(
                f"  static copy (nginx):  {s:9.0f} req/s  (rounds: {', '.join(f'{v:.0f}' for v in static)})"
            )
            print(
                f"  cached via proxy:     {p:9.0f} req/s  (rounds: {', '.join(f'{v:.0f}' for v in proxied)})"
            )
            print(f"  proxied / static:     {p / s * 100:9.1f} %   (target >= 50 %)")
        return 0
    finally:
        cluster.stop(layout)
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
