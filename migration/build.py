"""Build step: old pages → collective.exportimport JSON, redirects and the first report.

Nothing here touches Plone: the output folder holds everything the import needs
(``content.json``, ``redirects.json``, ``pages.json``), so a run can be inspected and
replayed. UIDs are derived from the old URLs, so a second run gives the same objects.
"""

from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field
from migration import encoding
from migration import exam
from migration import faq
from migration.extract import extract
from migration.source import Fetched
from pathlib import Path
from urllib.parse import urljoin
from urllib.parse import urlsplit

import base64
import hashlib
import html
import json
import logging
import posixpath
import re
import uuid
import yaml


log = logging.getLogger("migration.build")
RULES = Path(__file__).with_name("rules.yaml")
UID_NAMESPACE = uuid.UUID("6c0e7a56-5f59-4d4b-9d0e-6b6167736869")
SITE = "http://site"  # placeholder root of @id values; the importer maps it to the real site


@dataclass
class PageReport:
    path: str
    kind: str = "page"  # page / asset / other
    fate: str = ""  # structured / plain / skipped / failed / asset
    reason: str = ""
    target_type: str = ""
    target: str = ""  # new path(s) relative to the site
    rule: str = ""
    encoding: str = ""
    encoding_source: str = ""
    warnings: list[str] = field(default_factory=list)
    broken_links: list[str] = field(default_factory=list)
    missing_assets: list[str] = field(default_factory=list)
    unrecognised_labels: list[str] = field(default_factory=list)  # exam rows no field was found for
    import_status: str = ""  # created / updated / unchanged / failed (set by the import)
    error: str = ""


def load_rules(path: Path | None = None) -> dict:
    return yaml.safe_load((path or RULES).read_text(encoding="utf-8"))


def canonical(path: str) -> str:
    """One key for the forms of an old path: no index.html, no trailing slash, no .html."""
    path = urlsplit(path).path or "/"
    path = re.sub(r"/index\.s?html?$", "/", path)
    path = re.sub(r"\.s?html?$", "", path)
    return path.rstrip("/") or "/"


def uid_for(key: str) -> str:
    return uuid.uuid5(UID_NAMESPACE, key).hex


def slug(text: str) -> str:
    text = re.sub(r"\.[a-z0-9]+$", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "page"


def _shape(main) -> str:
    if not main.get_text(strip=True) and not main.find("img"):
        return "empty"
    if exam.looks_like_exam(main):
        return "exam_summary"
    if faq.looks_like_faq(main):
        return "faq"
    if main.find("form"):
        return "form"
    if re.search(r"掲載日", main.get_text()):
        return "news"
    return "document"


def classify(path: str, shape: str, rules: dict) -> dict:
    for rule in rules["rules"]:
        if rule.get("path") and not re.search(rule["path"], path):
            continue
        if rule.get("shape") and rule["shape"] != shape:
            continue
        return rule
    return {
        "name": "default",
        "type": "Document",
        "container": "kyu-site",
        "reason": "どのルールにも当たりません",
    }


def _richtext(html: str) -> dict:
    return {"data": html, "content-type": "text/html", "encoding": "utf-8"}


def _blob(asset: Fetched) -> dict:
    return {
        "data": base64.b64encode(asset.data).decode("ascii"),
        "encoding": "base64",
        "filename": posixpath.basename(asset.path),
        "content-type": asset.mimetype,
    }


class Builder:
    def __init__(self, fetched: list[Fetched], rules: dict):
        self.rules = rules
        self.host = rules.get("site_host", "")
        self.pages = [f for f in fetched if f.kind == "page"]
        self.assets = {canonical(f.path): f for f in fetched if f.kind == "asset"}
        self.others = [f for f in fetched if f.kind == "other"]
        self.reports: dict[str, PageReport] = {}
        self.items: list[dict] = []  # content items, parents before children
        self.groups: dict[str, list[str]] = {}  # old page path -> UIDs of its items (imported together)
        self.targets: dict[str, tuple[str, str]] = {}  # canonical old path -> (UID, new path)
        self.redirects: dict[str, str] = {}  # old path -> UID
        self.asset_home: dict[str, str] = {}  # canonical asset path -> container path
        self.asset_owner: dict[str, str] = {}  # canonical asset path -> the first page using it
        self.emitted: set[str] = set()
        # folders named in the rules are never taken by a page's id
        self.used_ids: set[str] = {r["container"] for r in rules["rules"] if r.get("container")} | {
            "kyu-site/files"
        }

    # ---------------------------------------------------------------- ids and paths
    def _unique(self, container: str, wanted: str) -> str:
        candidate, number = wanted, 2
        while f"{container}/{candidate}" in self.used_ids:
            candidate = f"{wanted}-{number}"
            number += 1
        self.used_ids.add(f"{container}/{candidate}")
        return f"{container}/{candidate}".strip("/")

    def _item(self, portal_type: str, new_path: str, key: str, title: str, **fields) -> dict:
        parent = posixpath.dirname(new_path)
        item = {
            "@id": f"{SITE}/{new_path}",
            "@type": portal_type,
            "id": posixpath.basename(new_path),
            "UID": uid_for(key),
            "parent": {"@id": f"{SITE}/{parent}".rstrip("/"), "@type": "Folder" if parent else "Plone Site"},
            "title": title,
            "review_state": "published",
            "language": "ja",
        }
        item.update(fields)
        return item

    def _internal(self, url: str, base: str) -> str | None:
        """The old path a link points to when it is a link inside the old site, else None."""
        if url.startswith(("mailto:", "tel:", "javascript:", "#")):
            return None
        absolute = urljoin(f"https://{self.host}{base}", url)
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https") or parts.hostname != self.host:
            return None
        return parts.path or "/"

    # ---------------------------------------------------------------- pages
    def run(self) -> None:
        seen_content: dict[str, str] = {}
        converted = []
        for fetched in self.pages:
            report = PageReport(path=fetched.path)
            self.reports[fetched.path] = report
            try:
                decoded = encoding.decode(fetched.data, fetched.content_type)
                report.encoding, report.encoding_source = decoded.encoding, decoded.source
                if decoded.warning:
                    report.warnings.append(decoded.warning)
                page = extract(decoded.text, self.rules) if fetched.data.strip() else None
                shape = _shape(page.main) if page is not None else "empty"
                fingerprint = hashlib.sha256(page.main.encode() if page else b"").hexdigest()
                if page is not None and shape != "empty" and fingerprint in seen_content:
                    original = seen_content[fingerprint]
                    report.fate, report.rule = "skipped", "重複"
                    report.reason = f"{original} と同じ内容のため、そちらへ転送します"
                    converted.append((fetched, report, None, {"duplicate_of": original}))
                    continue
                seen_content.setdefault(fingerprint, fetched.path)
                rule = classify(fetched.path, shape, self.rules)
                report.rule = rule["name"]
                converted.append((fetched, report, page, rule))
            except Exception as error:  # one page never stops the run
                log.exception("page %s failed", fetched.path)
                report.fate, report.error = "failed", f"{type(error).__name__}: {error}"
        # first pass: decide every page's new place (links need all of them)
        plans = []
        for fetched, report, page, rule in converted:
            try:
                plans.append((fetched, report, page, rule, self._plan(fetched, report, page, rule)))
            except Exception as error:
                log.exception("page %s failed", fetched.path)
                report.fate, report.error = "failed", f"{type(error).__name__}: {error}"
        for fetched, report, _page, _rule, plan in plans:
            if plan and plan.get("duplicate_of"):
                original = self.targets.get(canonical(plan["duplicate_of"]))
                if original:
                    self.targets[canonical(fetched.path)] = original
                    self.redirects[fetched.path] = original[0]
                    report.target = original[1]
        # second pass: items with rewritten links
        for fetched, report, page, _rule, plan in plans:
            if not plan or plan.get("duplicate_of") or report.fate == "skipped":
                continue
            try:
                self._emit(fetched, report, page, plan)
            except Exception as error:
                log.exception("page %s failed", fetched.path)
                report.fate, report.error = "failed", f"{type(error).__name__}: {error}"
                for uid in self.groups.pop(fetched.path, []):
                    self.items = [item for item in self.items if item["UID"] != uid]
        self._orphan_assets()
        for other in self.others:
            self.reports[other.path] = PageReport(
                path=other.path,
                kind="other",
                fate="skipped",
                reason="ページでもファイルでもないため移行しません（CSS など）",
            )

    def _plan(self, fetched, report, page, rule) -> dict | None:
        if "duplicate_of" in rule:
            return rule
        if rule["type"] == "skip":
            report.fate, report.reason = "skipped", rule.get("reason", "")
            if rule.get("redirect") is not None:
                self.redirects[fetched.path] = "path:" + rule["redirect"]
            return None
        plan = {"type": rule["type"], "container": rule.get("container", "kyu-site")}
        name = slug(posixpath.basename(fetched.path.rstrip("/")) or "top")
        if fetched.path.rstrip("/").endswith("index.html") or fetched.path.endswith("/"):
            name = slug(posixpath.basename(posixpath.dirname(fetched.path.rstrip("/"))) or "top")
        placed = self._place(rule, page, name)
        plan["container"], name = placed["container"], placed["name"]
        plan["placement"] = placed["note"]
        if rule["type"] == "ExamNotice":
            result = exam.extract_exam(page.title, fetched.path, page.main, self.rules)
            if result.plain_reason:
                plan.update(type="Document", container="kyu-site", reason=result.plain_reason)
            else:
                plan["exam"] = result
                fields = result.fields
                name = f"{fields['exam_type']}-{fields['fiscal_year']}"
        if rule["type"] == "FAQ":
            plan["questions"] = faq.split_questions(page.main)
            plan["path"] = plan["container"]
            plan["uid"] = uid_for("container:" + plan["container"])
        else:
            plan["path"] = self._unique(plan["container"], name)
            plan["uid"] = uid_for(fetched.path)
        if plan["type"] == "Document":
            plan["reason"] = plan.get("reason") or rule.get("reason", "")
        plan["hidden"] = self.hidden(plan["path"], rule)
        if plan.get("placement"):
            plan["reason"] = " ".join(filter(None, (plan.get("reason", ""), plan["placement"])))
        if plan["hidden"]:
            plan["reason"] = " ".join(
                filter(None, (plan.get("reason", ""), "（ナビゲーションとサイト内検索には出しません）"))
            )
        self.targets[canonical(fetched.path)] = (plan["uid"], plan["path"])
        self.redirects[fetched.path] = plan["uid"]
        report.target_type, report.target = plan["type"], plan["path"]
        # where this page's images and files go: inside an exam notice, else beside the page
        home = plan["path"] if plan["type"] == "ExamNotice" else plan["container"]
        for element in page.main.find_all(["a", "img"]):
            target = self._internal(element.get("href") or element.get("src") or "", fetched.path)
            if target and canonical(target) in self.assets and canonical(target) not in self.asset_home:
                self.asset_home[canonical(target)] = home
                self.asset_owner[canonical(target)] = fetched.path
        return plan

    def hidden(self, path: str, rule: dict) -> bool:
        """True when a page placed at path stays out of navigation and site search (rule or folder)."""
        if rule.get("hidden"):
            return True
        return any(
            path == folder or path.startswith(folder + "/")
            for folder in self.rules.get("hidden_containers", [])
        )

    def _job_type(self, title: str) -> tuple[str, str] | None:
        """(token, label) of the job the page's title names (longest label first: 「土木」 before 「木」)."""
        for label, token in sorted(self.rules.get("job_types", {}).items(), key=lambda kv: -len(kv[0])):
            if label in title:
                return token, label
        return None

    def _place(self, rule: dict, page, name: str) -> dict:
        """The container and id a rule gives a page; ``{job_type}`` in either is the job its title names.

        A rule that maps an old section next to the matching 職種紹介 page (``container:
        shigoto/shokushu``, ``id: "{job_type}-kyu"``) falls back to ``fallback_container`` when
        the title names no job, and says so in the report.
        """
        container, wanted = rule.get("container", "kyu-site"), rule.get("id") or name
        if "{job_type}" not in container + wanted:
            return {"container": container, "name": wanted, "note": ""}
        job = self._job_type(page.title or "")
        if job is None:
            fallback = rule.get("fallback_container", "kyu-site")
            return {
                "container": fallback,
                "name": name,
                "note": f"題名から職種が分からないため {fallback} に置きました",
            }
        token, label = job
        container, wanted = container.replace("{job_type}", token), slug(wanted.replace("{job_type}", token))
        beside = rule.get("beside", "").replace("{job_type}", token)
        note = f"職種「{label}」のページとして {container}/{wanted} に置きました"
        return {
            "container": container,
            "name": wanted,
            "note": note + (f"（{beside} の隣）" if beside else ""),
        }

    def _rewrite(self, fetched, report, main) -> None:
        for element in main.find_all(["a", "img"]):
            attribute = "href" if element.name == "a" else "src"
            url = element.get(attribute)
            if not url:
                continue
            target = self._internal(url, fetched.path)
            if target is None:
                continue
            fragment = urlsplit(url).fragment
            key = canonical(target)
            if key in self.targets or key in self.assets:
                uid = self.targets[key][0] if key in self.targets else self._asset_uid(key)
                suffix = "/@@images/image" if element.name == "img" else ""
                element[attribute] = f"resolveuid/{uid}{suffix}" + (f"#{fragment}" if fragment else "")
            elif element.name == "img" or posixpath.splitext(key)[1] in (
                ".png",
                ".jpg",
                ".jpeg",
                ".gif",
                ".pdf",
            ):
                report.missing_assets.append(target)
            else:
                report.broken_links.append(target)

    def _asset_uid(self, key: str) -> str:
        return uid_for("asset:" + key)

    def _emit(self, fetched, report, page, plan) -> None:
        self._rewrite(fetched, report, page.main)
        group = self.groups.setdefault(fetched.path, [])
        kind = plan["type"]
        if kind == "ExamNotice":
            result = plan["exam"]
            fields = dict(result.fields)
            title = fields.pop("title")
            lead = page.main.find("p")
            description = lead.get_text(strip=True) if lead is not None else ""
            extra_links = [
                f'<li><a href="{html.escape(a["href"])}">{html.escape(a.get_text(strip=True))}</a></li>'
                for a in page.main.find_all("a")
                if a.get("href") and "音声読み上げ" not in a.get_text()
            ]
            if extra_links:
                fields["eligibility"] = (
                    fields.get("eligibility", "")
                    + "\n<h3>関連リンク</h3>\n<ul>"
                    + "".join(extra_links)
                    + "</ul>"
                ).strip()
            if "eligibility" in fields:
                fields["eligibility"] = _richtext(fields["eligibility"])
            item = self._item(
                "ExamNotice", plan["path"], fetched.path, title, description=description, **fields
            )
            report.fate = "structured"
            report.warnings.extend(result.warnings)
            report.unrecognised_labels.extend(result.unrecognised_labels)
        elif kind == "FAQ":
            report.fate = "structured"
            targets = []
            for number, (question, answer) in enumerate(plan["questions"], 1):
                path = self._unique(
                    plan["container"], f"{slug(posixpath.basename(canonical(fetched.path)))}-q{number:02d}"
                )
                category = self._faq_category(question)
                faq_item = self._item(
                    "FAQ",
                    path,
                    f"{fetched.path}#q{number}",
                    question,
                    answer=_richtext(answer),
                    faq_category=category,
                )
                faq_item["_migration"] = {"source": fetched.path, "hash": _hash(faq_item)}
                self.items.append(faq_item)
                group.append(faq_item["UID"])
                targets.append(path)
            report.target = f"{plan['container']}（{len(targets)}問: {', '.join(posixpath.basename(t) for t in targets)}）"
            if not targets:
                report.fate, report.reason = "failed", "質問が見つかりません"
            self._emit_assets(fetched, report, page, group)
            return
        else:
            for heading in page.main.find_all("h1"):
                heading.decompose()
            body = "".join(str(child) for child in page.main.children).strip()
            fields = {"text": _richtext(body)}
            if kind == "News Item":
                match = re.search(r"掲載日\s*[:：]?\s*(\S+?日)", page.main.get_text())
                if match:
                    from migration import dates

                    parsed = dates.parse(match.group(1))
                    if parsed.is_date:
                        fields["effective"] = parsed.start.isoformat()
                    report.warnings.extend(parsed.warnings)
                report.fate = "structured"
            else:
                report.fate = "plain"
                report.reason = plan.get("reason", "")
            item = self._item(
                kind, plan["path"], fetched.path, page.title or posixpath.basename(fetched.path), **fields
            )
        item["UID"] = plan["uid"]
        if plan.get("hidden"):
            item["exclude_from_nav"] = True
        item["_migration"] = {"source": fetched.path, "hash": _hash(item), "hidden": bool(plan.get("hidden"))}
        self.items.append(item)
        group.append(item["UID"])
        self._emit_assets(fetched, report, page, group)

    def _faq_category(self, question: str) -> str:
        for entry in self.rules.get("faq_categories", []):
            if any(word in question for word in entry["match"]):
                return entry["token"]
        return self.rules.get("faq_category_default", "sonota")

    def _emit_assets(self, fetched, report, page, group) -> None:
        """The images and files this page was the first to use, next to it."""
        for key, owner in list(self.asset_owner.items()):
            if owner == fetched.path and key not in self.emitted:
                self._emit_asset(key, self.asset_home[key], fetched.path)
                group.append(uid_for("asset:" + key))

    def _emit_asset(self, key: str, home: str, used_by: str) -> None:
        self.emitted.add(key)
        asset = self.assets[key]
        is_image = asset.mimetype.startswith("image/")
        path = self._unique(
            home, slug(posixpath.basename(asset.path)) + posixpath.splitext(asset.path)[1].lower()
        )
        item = self._item(
            "Image" if is_image else "File",
            path,
            "asset:" + key,
            posixpath.basename(asset.path),
            **({"image": _blob(asset)} if is_image else {"file": _blob(asset)}),
        )
        item["_migration"] = {"source": asset.path, "hash": _hash(item)}
        self.items.append(item)
        self.targets[key] = (item["UID"], path)
        self.redirects[asset.path] = item["UID"]
        self.reports[asset.path] = PageReport(
            path=asset.path,
            kind="asset",
            fate="asset",
            target_type=item["@type"],
            target=path,
            reason=f"{used_by} から参照"
            if used_by
            else "どのページからも参照されていません（旧サイトのファイルとして移行）",
        )

    def _orphan_assets(self) -> None:
        for key, asset in self.assets.items():
            if key in self.emitted:
                continue
            self._emit_asset(key, "kyu-site/files", "")
            self.groups.setdefault(asset.path, []).append(uid_for("asset:" + key))


def _hash(item: dict) -> str:
    material = {k: v for k, v in item.items() if k != "_migration"}
    return hashlib.sha256(json.dumps(material, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def containers(items: list[dict], hidden: tuple[str, ...] | list[str] = ()) -> list[dict]:
    """Folders the items need (kyu-site, kyu-site/files, …), as import items, parents first.

    A folder in ``hidden`` (rules.yaml ``hidden_containers``) is left out of the navigation and
    marked for the import so that the site search and the assistant leave its pages out.
    """
    titles = {
        "kyu-site": "旧サイトのページ",
        "kyu-site/files": "旧サイトのファイル",
        "kyu-site/info": "採用試験情報（旧サイト）",
    }
    needed = set()
    item_paths = {item["@id"][len(SITE) + 1 :] for item in items}
    for item in items:
        parent = item["parent"]["@id"][len(SITE) + 1 :] if item["parent"]["@id"] != SITE else ""
        while parent and parent not in item_paths:
            needed.add(parent)
            parent = posixpath.dirname(parent)
    folders = []
    for path in sorted(needed, key=lambda p: (p.count("/"), p)):
        parent = posixpath.dirname(path)
        folders.append(
            {
                "@id": f"{SITE}/{path}",
                "@type": "Folder",
                "id": posixpath.basename(path),
                "UID": uid_for("container:" + path),
                "parent": {
                    "@id": f"{SITE}/{parent}".rstrip("/"),
                    "@type": "Folder" if parent else "Plone Site",
                },
                "title": titles.get(path, posixpath.basename(path)),
                "review_state": "published",
                "language": "ja",
                "_migration": {"source": "", "container_only": True, "hidden": path in hidden},
            }
        )
        if path in hidden:
            folders[-1]["exclude_from_nav"] = True
    return folders


def write(builder: Builder, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    folders = containers(builder.items, builder.rules.get("hidden_containers", []))
    (out / "content.json").write_text(
        json.dumps(folders + builder.items, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    uid_paths = {item["UID"]: item["@id"][len(SITE) + 1 :] for item in folders + builder.items}
    redirects = {}
    for old, target in sorted(builder.redirects.items()):
        new = target[5:] if target.startswith("path:") else uid_paths.get(target)
        if new is None:
            continue
        redirects[old] = {"uid": None if target.startswith("path:") else target, "path": new}
    (out / "redirects.json").write_text(json.dumps(redirects, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "pages.json").write_text(
        json.dumps(
            {"groups": builder.groups, "pages": [asdict(r) for r in builder.reports.values()]},
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
