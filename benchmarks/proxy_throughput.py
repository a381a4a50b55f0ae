"""Cached-page throughput through the proxy vs. nginx serving a static copy of the same page.

    python -m benchmarks.proxy_throughput [--requests 4000] [--concurrency 16] [--rounds 3]

Renders and starts a throwaway production deployment (one Zope client, FileStorage,
nginx from profiles/production.toml with a self-signed certificate) in a temporary folder,
warms the cache for the front page, saves the page nginx returned as a static file served
by the same nginx (same TLS, same keep-alive, another server name), then runs ApacheBench
(``ab -k``, HTTPS) against both, alternating, and prints requests per second of each and
their ratio (target: proxied ≥ 50 % of static).
"""

from __future__ import annotations

from backend import cluster
from backend import loopback
from backend.throwaway import free_port
from pathlib import Path

import argparse
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile


PUBLIC = "saiyo.pref.kagoshima.jp"
STATIC = "static.bench.invalid"


def ab(port: int, host: str, requests: int, concurrency: int) -> float:
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
        static_root = base / "static"
        static_root.mkdir()
        (static_root / "index.html").write_bytes(page.body)
        proxy = layout["proxy"]
        (Path(layout["nginx"]["etc"]) / "conf.d" / "static-bench.conf").write_text(
            f"""server {{
    listen 127.0.0.1:{https} ssl http2;
    server_name {STATIC};
    ssl_certificate {proxy["certificate"]};
    ssl_certificate_key {proxy["certificate_key"]};
    root {static_root};
    location / {{ default_type text/html; try_files /index.html =404; }}
}}
""",
            encoding="utf-8",
        )
        cluster.start_nginx(layout)
        assert loopback.request(https, STATIC, "/").body == page.body
        proxied, static = [], []
        for _ in range(args.rounds):
            static.append(ab(https, STATIC, args.requests, args.concurrency))
            proxied.append(ab(https, PUBLIC, args.requests, args.concurrency))
        p, s = statistics.median(proxied), statistics.median(static)
        print(
            f"page: {len(page.body)} bytes, {args.requests} requests x {args.rounds} rounds, concurrency {args.concurrency}, HTTPS keep-alive, 1 nginx worker"
        )
        print(f"static copy (nginx):  {s:9.0f} req/s  (rounds: {', '.join(f'{v:.0f}' for v in static)})")
        print(f"cached via proxy:     {p:9.0f} req/s  (rounds: {', '.join(f'{v:.0f}' for v in proxied)})")
        print(f"proxied / static:     {p / s * 100:9.1f} %   (target >= 50 %)")
        return 0
    finally:
        cluster.stop(layout)
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
