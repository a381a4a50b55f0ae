"""Where the old pages come from: a local mirror (as ``wget --mirror`` leaves it) or a crawl.

Both give :class:`Fetched` records: the old URL path, the bytes, the HTTP Content-Type
(None for a mirror file) and whether it is a page or an asset.

The crawl stays on the base URL's host, honours robots.txt, waits ``delay`` seconds
between requests and keeps every response in ``cache`` (a mirror layout plus a
``.headers.json`` next to each file), so an interrupted crawl resumes where it stopped.
"""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote
from urllib.parse import urljoin
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import json
import logging
import mimetypes
import re
import time


log = logging.getLogger("migration.source")
PAGE_SUFFIXES = {".html", ".htm", ".shtml", ""}
ASSET_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".pdf", ".doc", ".docx", ".xls", ".xlsx"}
SKIP_SUFFIXES = {".css", ".js", ".ico", ".txt", ".json", ".xml"}
_LINK = re.compile(rb"""(?:href|src)\s*=\s*["']?([^"'\s>]+)""", re.I)


@dataclass
class Fetched:
    path: str  # old URL path, e.g. "/info/about_test/index.html"
    data: bytes
    content_type: str | None = None
    file: str = ""  # where it was read from (mirror file or cache file)

    @property
    def suffix(self) -> str:
        return Path(self.path.split("?")[0].rstrip("/")).suffix.lower()

    @property
    def kind(self) -> str:
        """ "page", "asset" or "other"."""
        if self.content_type:
            ct = self.content_type.split(";")[0].strip().lower()
            if ct in ("text/html", "application/xhtml+xml"):
                return "page"
            if ct.startswith("image/") or ct == "application/pdf" or ct.startswith("application/vnd"):
                return "asset"
            return "other"
        if self.path.endswith("/") or self.suffix in PAGE_SUFFIXES:
            head = self.data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
            return "page" if self.suffix != "" or head[:1] in (b"<", b"") else "other"
        if self.suffix in ASSET_SUFFIXES:
            return "asset"
        return "other"

    @property
    def mimetype(self) -> str:
        if self.content_type:
            return self.content_type.split(";")[0].strip().lower()
        return mimetypes.guess_type(self.path)[0] or "application/octet-stream"


def url_path(relative: str) -> str:
    """The old URL path of a mirror file: ``info/index.html`` → ``/info/index.html``."""
    return "/" + relative.replace("\\", "/").lstrip("/")


def find_host_root(folder: Path, host: str | None = None) -> tuple[Path, str]:
    """The folder that holds the site's files, and its host name (wget puts them in ``<host>/``)."""
    if host and (folder / host).is_dir():
        return folder / host, host
    children = [child for child in folder.iterdir() if child.is_dir() and "." in child.name]
    if len(children) == 1 and not (folder / "index.html").exists():
        return children[0], children[0].name
    return folder, host or ""


def read_mirror(folder: Path, host: str | None = None):
    """Every file of a mirror, sorted by path (so runs are reproducible)."""
    root, host = find_host_root(folder, host)
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = file.relative_to(root).as_posix()
        if relative.endswith(".headers.json") or relative == "robots.txt" or relative.startswith(".crawl"):
            continue
        headers = file.with_name(file.name + ".headers.json")
        content_type = None
        if headers.exists():
            content_type = json.loads(headers.read_text(encoding="utf-8")).get("content-type")
        yield Fetched(
            path=url_path(relative), data=file.read_bytes(), content_type=content_type, file=str(file)
        )


def _cache_file(cache: Path, path: str) -> Path:
    relative = unquote(path).lstrip("/")
    if not relative or relative.endswith("/"):
        relative += "index.html"
    return cache / relative


def crawl(
    base_url: str,
    cache: Path,
    delay: float = 1.0,
    limit: int = 5000,
    session=None,
    user_agent=None,
    also_hosts=(),
):
    """Crawl ``base_url`` into ``cache/<host>/`` (resumable).

    Returns that folder (read it with :func:`read_mirror`) and ``{path: (fate, reason)}`` for
    the URLs not fetched (``skipped`` by robots.txt, ``failed`` with the HTTP error).
    Links to ``also_hosts`` (the site's own name in absolute links, either scheme) are
    fetched from the base URL too.
    """
    import requests

    session = session or requests.Session()
    agent = user_agent or "kagoshima.saiyo-migration/1.0 (+old-site migration)"
    session.headers["User-Agent"] = agent
    parts = urlsplit(base_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    host_cache = cache / parts.hostname
    host_cache.mkdir(parents=True, exist_ok=True)
    robots = RobotFileParser()
    try:
        response = session.get(origin + "/robots.txt", timeout=30)
        robots.parse(response.text.splitlines() if response.status_code == 200 else [])
    except requests.RequestException:
        robots.parse([])
    state_file = host_cache / ".crawl-state.json"
    state = json.loads(state_file.read_text(encoding="utf-8")) if state_file.exists() else {}
    queue = state.get("queue") or [parts.path or "/"]
    seen = set(state.get("seen") or queue)
    failed = state.get("failed") or {}
    skipped = state.get("skipped") or {}
    fetched_count = 0
    while queue and fetched_count < limit:
        path = queue.pop(0)
        target = _cache_file(host_cache, path)
        headers_file = target.with_name(target.name + ".headers.json")
        if target.exists() and headers_file.exists():
            data = target.read_bytes()
            content_type = json.loads(headers_file.read_text(encoding="utf-8")).get("content-type")
        elif not robots.can_fetch(agent, origin + path):
            skipped[path] = "robots.txt で禁止されているため取得しません"
            continue
        else:
            time.sleep(delay)
            try:
                response = session.get(origin + path, timeout=30, allow_redirects=False)
            except requests.RequestException as error:
                failed[path] = f"取得できません: {error}"
                continue
            fetched_count += 1
            if response.status_code in (301, 302, 303, 307, 308):
                location = urljoin(origin + path, response.headers.get("Location", ""))
                if urlsplit(location).netloc == parts.netloc:
                    new = urlsplit(location).path or "/"
                    if new not in seen:
                        seen.add(new)
                        queue.append(new)
                continue
            if response.status_code in (404, 410):
                # a dead link of the old site: reported with the page that links it
                skipped[path] = f"旧サイトにありません（HTTP {response.status_code}、リンク切れ）"
                continue
            if response.status_code != 200:
                failed[path] = f"HTTP {response.status_code}"
                continue
            data = response.content
            content_type = response.headers.get("Content-Type")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            headers_file.write_text(json.dumps({"content-type": content_type, "url": path}), encoding="utf-8")
        if content_type and "html" in content_type:
            for raw in _LINK.findall(data):
                link = urljoin(origin + path, raw.decode("ascii", errors="ignore"))
                link_parts = urlsplit(link)
                same = link_parts.netloc == parts.netloc or link_parts.hostname in also_hosts
                if not same or link_parts.scheme not in ("http", "https"):
                    continue
                new = link_parts.path or "/"
                if new not in seen:
                    seen.add(new)
                    queue.append(new)
        state_file.write_text(
            json.dumps(
                {"queue": queue, "seen": sorted(seen), "failed": failed, "skipped": skipped},
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
    log.info("crawl: %d fetched, %d queued, %d failed", fetched_count, len(queue), len(failed))
    notes = {path: ("failed", reason) for path, reason in failed.items()}
    notes.update({path: ("skipped", reason) for path, reason in skipped.items()})
    return host_cache, notes
