"""Builders of the schema.org graphs (JSON-LD) of the site's pages.

Every builder takes what it needs (the content object, URLs, already computed
breadcrumbs) and returns a plain dict; ``dumps`` turns a graph into text that is
safe inside ``<script type="application/ld+json">``.

Dates are written in ISO 8601 with the Tokyo offset (+09:00). A naive datetime is
taken to be Tokyo local time (what Plone's forms store on this site); an aware one
(what plone.restapi stores) is converted to Tokyo.
"""

from datetime import date
from datetime import datetime
from html import escape
from html.parser import HTMLParser
from kagoshima.saiyo import dates
from kagoshima.saiyo.dates import TOKYO

import json
import re


SCHEMA = "https://schema.org"

SITE_NAME = "鹿児島県職員採用"
PREFECTURE = "鹿児島県"
PREFECTURE_URL = "https://www.pref.kagoshima.jp/"
ORGANIZER_NAME = "鹿児島県人事委員会事務局"
IDENTIFIER_NAME = "鹿児島県人事委員会"

# 鹿児島県庁 (the prefectural office, where the personnel commission sits).
OFFICE_ADDRESS = {
    "@type": "PostalAddress",
    "postalCode": "890-8577",
    "addressRegion": PREFECTURE,
    "addressLocality": "鹿児島市",
    "streetAddress": "鴨池新町10番1号",
    "addressCountry": "JP",
}

ATTENDANCE_MODES = {
    "venue": f"{SCHEMA}/OfflineEventAttendanceMode",
    "online": f"{SCHEMA}/OnlineEventAttendanceMode",
    "hybrid": f"{SCHEMA}/MixedEventAttendanceMode",
}


# Serialisation ---------------------------------------------------------------


def dumps(graph: dict) -> str:
    """JSON text that cannot end the script element it is written into.

    ``</`` becomes ``<\\/`` (so no ``</script>`` can appear) and ``<!--`` becomes
    ``\\u003c!--`` (so the HTML parser never enters its "escaped" script states);
    both are plain JSON escapes, ``json.loads`` gives the original text back.
    """
    text = json.dumps(graph, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "\\u003c!--")


def script(graph: dict) -> str:
    return f'<script type="application/ld+json">{dumps(graph)}</script>'


# Values ----------------------------------------------------------------------


def to_tokyo(value):
    """A datetime in Asia/Tokyo from a datetime, a date (its start) or a Zope DateTime; None otherwise."""
    if isinstance(value, datetime) or hasattr(value, "asdatetime"):
        return dates.to_tokyo(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=TOKYO)
    return None


def iso(value) -> str | None:
    """ISO 8601 with +09:00, without microseconds; None for a missing value."""
    value = to_tokyo(value)
    return value.replace(microsecond=0).isoformat() if value is not None else None


_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
_SKIP_TAGS = frozenset(("script", "style", "template"))


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str | None) -> str:
    """Plain text of an HTML fragment: no tags, entities decoded, one line per block."""
    if not html:
        return ""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = (re.sub(r"[ \t\r\f\v\u3000]+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def rich_text(context, value) -> str:
    """Plain text of a RichText field value (``RichTextValue``) of ``context``."""
    if value is None:
        return ""
    try:
        html = value.output_relative_to(context)
    except Exception:  # a broken transform must not break the page head
        html = getattr(value, "raw", "") or ""
    return html_to_text(html)


def _text_paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())


# Organisations ---------------------------------------------------------------


def prefecture(logo_url: str | None = None) -> dict:
    organization = {
        "@type": "GovernmentOrganization",
        "name": PREFECTURE,
        "sameAs": PREFECTURE_URL,
    }
    if logo_url:
        organization["logo"] = logo_url
    return organization


def organizer(site_url: str) -> dict:
    return {"@type": "GovernmentOrganization", "name": ORGANIZER_NAME, "url": site_url}


# Graphs ----------------------------------------------------------------------


def job_posting(notice, url: str, uid: str, logo_url: str | None, labels=None) -> dict:
    """JobPosting of an ExamNotice.

    ``labels`` maps a 職種 token to its label (``occupationalCategory``); the
    caller looks them up so that this module stays free of the registry.
    """
    labels = labels or {}
    title = notice.Title()
    summary = (notice.Description() or "").strip()
    divisions = [row for row in getattr(notice, "divisions", None) or () if row]
    eligibility = rich_text(notice, getattr(notice, "eligibility", None))

    html = _text_paragraphs(summary)
    if divisions:
        items = []
        for row in divisions:
            headcount = row.get("headcount")
            count = f"{headcount}人" if headcount is not None else "若干名"
            items.append(f"<li>{escape(row.get('name') or '')}：{escape(count)}</li>")
        html += f"<h3>試験区分と採用予定人数</h3><ul>{''.join(items)}</ul>"
    if eligibility:
        html += f"<h3>受験資格（概要）</h3>{_text_paragraphs(eligibility)}"
    if not html:
        html = f"<p>{escape(title)}</p>"

    posted = getattr(notice, "effective_date", None) or getattr(notice, "creation_date", None)
    graph = {
        "@context": SCHEMA,
        "@type": "JobPosting",
        "title": title,
        "description": html,
        "datePosted": iso(posted),
        "hiringOrganization": prefecture(logo_url),
        "jobLocation": {"@type": "Place", "address": dict(OFFICE_ADDRESS)},
        "employmentType": "FULL_TIME",
        "directApply": False,
        "identifier": {"@type": "PropertyValue", "name": IDENTIFIER_NAME, "value": uid},
        "url": url,
    }
    valid_through = iso(getattr(notice, "application_end", None))
    if valid_through:
        graph["validThrough"] = valid_through
    headcounts = [row.get("headcount") for row in divisions if row.get("headcount") is not None]
    if headcounts:
        graph["totalJobOpenings"] = sum(headcounts)
    categories = []
    for row in divisions:
        label = labels.get(row.get("job_type")) if row.get("job_type") else None
        if label and label not in categories:
            categories.append(label)
    if categories:
        graph["occupationalCategory"] = "、".join(categories)
    if graph["datePosted"] is None:
        del graph["datePosted"]
    return graph


def event(
    accessor,
    facts,
    url: str,
    site_url: str,
    now: datetime | None = None,
) -> dict:
    """Event of a plone.app.event Event.

    ``accessor`` is plone.app.event's ``IEventAccessor`` of the event; ``facts``
    its ``IRecruitmentEvent`` adapter (or None when the behaviour is missing).
    """
    event_format = getattr(facts, "event_format", None) or "venue"
    application_url = getattr(facts, "application_url", None)
    deadline = to_tokyo(getattr(facts, "application_deadline", None))
    online_url = getattr(accessor, "event_url", None) or application_url or url

    place = {
        "@type": "Place",
        "name": (getattr(accessor, "location", None) or "").strip() or PREFECTURE,
        "address": {"@type": "PostalAddress", "addressRegion": PREFECTURE, "addressCountry": "JP"},
    }
    virtual = {"@type": "VirtualLocation", "url": online_url}
    if event_format == "online":
        location = virtual
    elif event_format == "hybrid":
        location = [place, virtual]
    else:
        location = place

    now = now or datetime.now(TOKYO)
    in_stock = deadline is None or now <= deadline
    offers = {
        "@type": "Offer",
        "url": application_url or url,
        "price": 0,
        "priceCurrency": "JPY",
        "availability": f"{SCHEMA}/InStock" if in_stock else f"{SCHEMA}/SoldOut",
    }
    if deadline is not None:
        offers["validThrough"] = iso(deadline)

    graph = {
        "@context": SCHEMA,
        "@type": "Event",
        "name": accessor.title or "",
        "startDate": iso(accessor.start),
        "endDate": iso(accessor.end),
        "eventStatus": f"{SCHEMA}/EventScheduled",
        "eventAttendanceMode": ATTENDANCE_MODES.get(event_format, ATTENDANCE_MODES["venue"]),
        "location": location,
        "organizer": organizer(site_url),
        "offers": offers,
        "url": url,
    }
    description = (accessor.description or "").strip()
    if description:
        graph["description"] = description
    for key in ("startDate", "endDate"):
        if graph[key] is None:
            del graph[key]
    return graph


def faq_page(items, url: str) -> dict:
    """FAQPage from ``[(question, answer_text), ...]``."""
    return {
        "@context": SCHEMA,
        "@type": "FAQPage",
        "url": url,
        "mainEntity": [
            {
                "@type": "Question",
                "name": question,
                "acceptedAnswer": {"@type": "Answer", "text": answer},
            }
            for question, answer in items
        ],
    }


def breadcrumb_list(home_name: str, home_url: str, crumbs) -> dict:
    """BreadcrumbList: the home item, then Plone's breadcrumbs (``Title``/``absolute_url``)."""
    entries = [(home_name, home_url)] + [(crumb["Title"], crumb["absolute_url"]) for crumb in crumbs]
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": item_url}
            for position, (name, item_url) in enumerate(entries, start=1)
        ],
    }


def website(site_url: str) -> dict:
    return {
        "@context": SCHEMA,
        "@type": "WebSite",
        "name": SITE_NAME,
        "url": site_url,
        "inLanguage": "ja",
        "publisher": prefecture(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": f"{site_url}/@@search?SearchableText={{search_term_string}}",
            },
            "query-input": "required name=search_term_string",
        },
    }
