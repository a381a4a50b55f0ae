"""The demo content of kagoshima.saiyo:demo: the site tree and sample pages.

The content lives in the YAML files of ``data/``; this module only interprets them.
``data/index.yaml`` gives the site's title and description (set only when the site
has none) and the files to read, in order. Each file looks like::

    parent: shiken/annai          # where its items go, relative to the site ("" = the site)
    items:
      - id: daigaku-{{fy}}        # readable ASCII id; placeholders allowed
        type: ExamNotice
        title: "{{nendo}} 鹿児島県職員採用試験（大学卒業程度）"
        fiscal_year: {fy: 0}
        application_start: {days: -5, time: "09:00"}
        children: []              # items inside this one

Item keys: ``id``, ``type``, ``title`` and ``children``; ``state`` (workflow state,
default ``published``); ``effective`` (publication date, a relative date); ``layout``
(the display view, e.g. ``exam-list`` for the folder of exam notices); every other
key is a field of the type or of one of its behaviours (``description``, ``text``,
``exclude_from_nav``, ``image`` …). An unknown key is reported, not ignored silently.
The order of the items in a folder is its navigation order.

Values
------
Relative dates count days from the day the site is created, in Asia/Tokyo, so that the
exam notices are 受付前 / 受付中 / 受付終了 on whatever day that is:

``{days: -5}``
    a date (for a Date field);
``{days: -5, time: "09:00"}``
    a date and time (for a Datetime field; 00:00 when ``time`` is left out). Event
    start/end and the recruitment date-times (申込受付, 申込締切) become aware Asia/Tokyo
    datetimes, as their edit forms and the REST API store them; other Datetime fields naive Tokyo
    time, as Plone's forms store them;
``{days: 30, next: sunday}``
    moved forward to the first ``sunday`` (or ``monday`` … ``saturday``, or ``weekday``
    for Monday–Friday) on or after that day. (The key is not ``on``: YAML reads a bare
    ``on`` as the boolean true.);
``{days: 95, text: "{period}（予定）"}``
    a text for a TextLine field: ``{date}`` 令和7年11月20日, ``{date_w}`` 令和7年11月20日（木）,
    ``{period}`` 令和7年11月下旬, ``{month}`` 11月.

Fiscal years (年度, April–March) are relative to the fiscal year of the creation day:
``{fy: 0}`` is this fiscal year (e.g. 2025), ``{fy: -1}`` last year's. An item with a
``fiscal_year`` is "of" that year for the placeholders below, and so are its children.

Rich-text fields take HTML. Images are drawn by ``images.py``:
``{draw: staff, seed: 3}`` or ``{draw: landscape, motif: bridge, colour: "#2a6f97"}``.
File fields take a file committed under ``data/``: ``{file: media/interview.mp4}``.
Relation fields take the path of their target (``shiken/annai/daigaku-{{fy}}``).

Placeholders, in any text:

``{{fy}}``, ``{{fy-1}}``, ``{{fy+1}}``
    the Western fiscal year: 2025 (the item's, otherwise this year's);
``{{nendo}}``, ``{{nendo-1}}``, ``{{nendo+1}}``
    the same as 「令和7年度」;
``{{hire_date}}``
    令和8年4月1日: April 1 after the fiscal year, the day successful candidates are hired;
``{{born_from:29}}``, ``{{born_to:22}}``
    the birthday range of people aged at most 29 / at least 22 on the hiring day
    (平成8年4月2日 / 平成16年4月1日), as exam notices state age limits;
``{{date:+12}}``, ``{{date:+30:sunday}}``
    a day counted from the creation day, 令和7年12月7日（日）;
``{{link:faq}}``
    for ``href``: a link to the content at that path (``resolveuid/…``, resolved once
    everything exists);
``{{uid:hito/images/sakurajima}}``
    in a plain text field (a Mosaic layout's tile settings): the UID of the content at
    that path, resolved once everything exists.

Running the loader again creates nothing that exists already (same id in the same
folder); it only fills in what is missing.
"""

from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from kagoshima.saiyo.behaviors.recruitment_event import IRecruitmentEvent
from kagoshima.saiyo.content.exam_notice import IExamNotice
from kagoshima.saiyo.dates import to_tokyo
from kagoshima.saiyo.dates import TOKYO
from kagoshima.saiyo.dates import wareki
from kagoshima.saiyo.demo import images
from pathlib import Path
from plone import api
from plone.app.event.dx.behaviors import IEventBasic
from plone.app.textfield import RichText
from plone.app.textfield.value import RichTextValue
from plone.dexterity.utils import iterSchemataForType
from plone.namedfile.file import NamedBlobFile
from plone.namedfile.file import NamedBlobImage
from Products.CMFCore.indexing import processQueue
from Products.CMFCore.utils import getToolByName
from Products.GenericSetup.interfaces import ISetupContext
from z3c.relationfield.interfaces import IRelationChoice
from zope.component import queryMultiAdapter
from zope.container.interfaces import INameChooser
from zope.globalrequest import getRequest
from zope.schema import Date
from zope.schema import Datetime
from zope.schema import getFieldsInOrder
from zope.schema import Int
from zope.schema.interfaces import ValidationError

import logging
import mimetypes
import re
import yaml


# Date-times stored aware in Asia/Tokyo (the others, like Plone's own, naive Tokyo time).
AWARE_SCHEMAS = (IEventBasic, IExamNotice, IRecruitmentEvent)


logger = logging.getLogger("kagoshima.saiyo.demo")

DATA = Path(__file__).parent / "data"
DEFAULT_STATE = "published"
# Item keys that are not fields.
RESERVED = {"id", "type", "title", "children", "state", "effective", "layout"}
DATE_KEYS = {"days", "time", "next", "text"}
WEEKDAY_TARGETS = {
    name: number
    for number, name in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
}
PLACEHOLDER = re.compile(r"\{\{([^{}]+)\}\}")
LINK = re.compile(r"\{\{link:([^{}]+)\}\}")
UID = re.compile(r"\{\{uid:([^{}]+)\}\}")


def load(context):
    """post_handler of the demo profile.

    GenericSetup passes its tool (or an import context); both lead to the site.
    """
    if ISetupContext.providedBy(context):
        site = context.getSite()
    else:
        site = getToolByName(context, "portal_url").getPortalObject()
    report = load_into(site)
    logger.info("demo content: created %s", report["created"] or "nothing (everything exists)")


def load_into(site, today: date | None = None) -> dict:
    """Create the demo content in ``site``, dates counted from ``today`` (default: today in Tokyo).

    Returns ``{"created": {portal_type: count}, "paths": [...], "warnings": [...], "today": date}``.
    """
    return DemoLoader(site, today or today_in_tokyo()).run()


def today_in_tokyo() -> date:
    """The creation day: today's date in Asia/Tokyo (tests replace this to freeze the day)."""
    return datetime.now(TOKYO).date()


def read_data(name: str):
    with open(DATA / name, encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def nendo(fiscal_year: int) -> str:
    """「令和7年度」 for fiscal 2025 (the era of December 31, as wareki.fiscal_year_label)."""
    return wareki.fiscal_year_label(fiscal_year, western=False)


def period_of(day: date) -> str:
    """「令和7年11月下旬」."""
    part = "上旬" if day.day <= 10 else "中旬" if day.day <= 20 else "下旬"
    return f"{wareki.era_year_text(day)}{day.month}月{part}"


def snap(day: date, target: str | None) -> date:
    """The first ``target`` day (a weekday name such as "sunday", or "weekday") on or after ``day``."""
    if not target:
        return day
    if target == "weekday":
        return day + timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day
    if target not in WEEKDAY_TARGETS:
        raise ValueError(f"unknown 'next' value {target!r}: use a weekday name (monday … sunday) or weekday")
    return day + timedelta(days=(WEEKDAY_TARGETS[target] - day.weekday()) % 7)


def shadows_view(container, name: str) -> bool:
    """True when ``container/name`` is a view (``@@name``) that an item of that id would hide."""
    request = getattr(container, "REQUEST", None) or getRequest()
    if request is None:
        return False
    return queryMultiAdapter((container, request), name=name) is not None


class DemoLoader:
    def __init__(self, site, today: date):
        self.site = site
        self.today = today
        self.this_fy = wareki.fiscal_year(today)
        self.created: dict[str, int] = {}
        self.paths: list[str] = []
        self.warnings: list[str] = []
        self.orders: dict[str, list[str]] = {}  # container path -> ids in YAML order
        self.touched: set[str] = set()  # containers that got new items
        self.deferred_links: list[tuple] = []  # (obj, field name)
        self.deferred_relations: list[tuple] = []  # (obj, field name, target path)
        self.deferred_uids: list[tuple] = []  # (obj, field name) of plain text with {{uid:…}}
        self._fields: dict[str, dict] = {}

    # --- driver --------------------------------------------------------------------

    def run(self) -> dict:
        index = read_data("index.yaml")
        self.set_site_texts(index.get("site") or {})
        for name in index["files"]:
            data = read_data(name)
            parent_path = (data.get("parent") or "").strip("/")
            parent = self.site.unrestrictedTraverse(parent_path) if parent_path else self.site
            self.create_items(parent, data.get("items") or [], self.this_fy)
        self.apply_orders()
        self.resolve_relations()
        self.resolve_links()
        self.resolve_uids()
        # Index now, while the site is set up: a queue left for the commit may be
        # processed where workflow variables (review_state) cannot be looked up.
        processQueue()
        for warning in self.warnings:
            logger.warning("demo content: %s", warning)
        return {
            "created": dict(self.created),
            "paths": list(self.paths),
            "warnings": list(self.warnings),
            "today": self.today,
        }

    def warn(self, text: str) -> None:
        self.warnings.append(text)

    def set_site_texts(self, texts: dict) -> None:
        if texts.get("title") and not (self.site.Title() or "").strip():
            self.site.setTitle(texts["title"])
        if texts.get("description") and not (self.site.Description() or "").strip():
            self.site.setDescription(texts["description"])

    def path_of(self, obj) -> str:
        site_path = len(self.site.getPhysicalPath())
        return "/".join(obj.getPhysicalPath()[site_path:])

    # --- items ---------------------------------------------------------------------

    def create_items(self, container, items: list, fiscal_year: int) -> None:
        container_path = self.path_of(container)
        order = self.orders.setdefault(container_path, [])
        for item in items:
            item_fy = fiscal_year
            if isinstance(item.get("fiscal_year"), dict) and "fy" in item["fiscal_year"]:
                item_fy = self.this_fy + int(item["fiscal_year"]["fy"])
            obj = self.create_item(container, item, item_fy)
            if obj is None:
                continue
            order.append(obj.getId())
            if item.get("children"):
                self.create_items(obj, item["children"], item_fy)

    def create_item(self, container, item: dict, fiscal_year: int):
        item_id = self.expand(str(item["id"]), fiscal_year)
        if item_id in container.objectIds():
            return container[item_id]
        where = f"{self.path_of(container) or '(site)'}/{item_id}"
        if not INameChooser(container).checkName(item_id, None):
            self.warn(f"{where}: the id is reserved or invalid here; the item was not created")
            return None
        if shadows_view(container, item_id):
            # e.g. "sitemap": an item of that name would hide Plone's own page at that URL
            self.warn(f"{where}: the id is the name of a page of Plone here; the item was not created")
            return None
        portal_type = item["type"]
        fields = self.fields_of(portal_type)
        values = {}
        for key, raw in item.items():
            if key in RESERVED:
                continue
            field = fields.get(key)
            if field is None:
                self.warn(f"{where}: {portal_type} has no field {key!r}; ignored")
                continue
            values[key] = self.convert(field, key, raw, fiscal_year, item_id)
        deferred = {key: values.pop(key) for key in list(values) if IRelationChoice.providedBy(fields[key])}
        title = self.expand(str(item.get("title") or item_id), fiscal_year)
        # The id was checked above with the same rules Plone's id chooser applies, so it is
        # created as is. (safe_id=True would create the item under a random id and rename
        # it, which logs an "unsuccessfully attempted to uncatalog" error for every item.)
        obj = api.content.create(
            container=container, type=portal_type, id=item_id, title=title, safe_id=False, **values
        )
        for key, path in deferred.items():
            self.deferred_relations.append((obj, key, path))
        for key, value in values.items():
            if isinstance(value, RichTextValue) and "{{link:" in value.raw:
                self.deferred_links.append((obj, key))
            if isinstance(value, str) and "{{uid:" in value:
                self.deferred_uids.append((obj, key))
        self.validate(obj, fields, values, where)
        if "effective" in item:
            self.set_dates(obj, self.resolve_date(item["effective"], want_time=True, aware=True))
        if item.get("layout"):
            obj.setLayout(item["layout"])
        self.publish(obj, item.get("state", DEFAULT_STATE), where)
        obj.reindexObject()
        self.created[portal_type] = self.created.get(portal_type, 0) + 1
        self.paths.append(self.path_of(obj))
        self.touched.add(self.path_of(container))
        return obj

    def fields_of(self, portal_type: str) -> dict:
        if portal_type not in self._fields:
            fields = {}
            for schema in iterSchemataForType(portal_type):
                for name, field in getFieldsInOrder(schema):
                    fields.setdefault(name, field)
            self._fields[portal_type] = fields
        return self._fields[portal_type]

    def validate(self, obj, fields: dict, values: dict, where: str) -> None:
        """Report values their field refuses (a misspelt vocabulary token, a bad URL …)."""
        for key, value in values.items():
            if value is None or isinstance(value, (RichTextValue, NamedBlobImage, NamedBlobFile)):
                continue
            try:
                fields[key].bind(obj).validate(value)
            except (ValidationError, ValueError, TypeError) as error:
                self.warn(f"{where}: field {key!r} refuses {value!r}: {error!r}")

    def publish(self, obj, state: str, where: str) -> None:
        if not state or api.content.get_state(obj, default=None) in (None, state):
            return
        try:
            api.content.transition(obj=obj, to_state=state)
        except Exception as error:  # another workflow: try its usual transition name
            try:
                api.content.transition(obj=obj, transition="publish")
            except Exception:
                self.warn(f"{where}: could not bring it to {state!r}: {error}")

    def set_dates(self, obj, moment: datetime) -> None:
        """Publication (and creation) date of a dated item such as a News Item."""
        from DateTime import DateTime

        stamp = DateTime(moment.isoformat())
        obj.setEffectiveDate(stamp)
        obj.creation_date = stamp
        obj.setModificationDate(stamp)

    # --- values --------------------------------------------------------------------

    def convert(self, field, key: str, raw, fiscal_year: int, item_id: str):
        if isinstance(raw, dict) and "draw" in raw:
            params = {k: v for k, v in raw.items() if k != "draw"}
            data = images.draw(raw["draw"], **params)
            return NamedBlobImage(data=data, contentType="image/jpeg", filename=f"{item_id}-{key}.jpg")
        if isinstance(raw, dict) and "file" in raw:  # a file committed under data/ (media/interview.mp4)
            path = DATA / raw["file"]
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if path.suffix == ".vtt":
                content_type = "text/vtt"
            if "Image" in type(field).__name__:
                return NamedBlobImage(data=path.read_bytes(), contentType=content_type, filename=path.name)
            return NamedBlobFile(data=path.read_bytes(), contentType=content_type, filename=path.name)
        if isinstance(raw, dict) and "fy" in raw and isinstance(field, Int):
            return self.this_fy + int(raw["fy"])
        if isinstance(raw, dict) and "days" in raw:
            if "text" in raw:
                return self.date_text(raw)
            if isinstance(field, Datetime):
                return self.resolve_date(raw, want_time=True, aware=field.interface in AWARE_SCHEMAS)
            if isinstance(field, Date):
                return self.resolve_date(raw, want_time=False)
        value = self.expand_all(raw, fiscal_year)
        if isinstance(field, RichText) and isinstance(value, str):
            return RichTextValue(value.strip(), "text/html", "text/x-html-safe")
        if IRelationChoice.providedBy(field):
            return value
        field_value_type = getattr(field, "value_type", None)
        row_schema = getattr(field_value_type, "schema", None)
        if row_schema is not None and isinstance(value, list):  # DataGrid rows: every key present
            names = [name for name, _ in getFieldsInOrder(row_schema)]
            value = [{name: row.get(name) for name in names} for row in value]
        return value

    def relative_day(self, spec: dict) -> date:
        unknown = set(spec) - DATE_KEYS
        if unknown:
            self.warn(
                f"unknown keys {sorted(map(str, unknown))} in the relative date {spec!r}; known: {sorted(DATE_KEYS)}"
            )
        return snap(self.today + timedelta(days=int(spec["days"])), spec.get("next"))

    def resolve_date(self, spec: dict, want_time: bool, aware: bool = False):
        day = self.relative_day(spec)
        if not want_time:
            return day
        hour, minute = (int(part) for part in str(spec.get("time", "00:00")).split(":"))
        moment = datetime.combine(day, time(hour, minute))
        return to_tokyo(moment, storable=True) if aware else moment

    def date_text(self, spec: dict) -> str:
        day = self.relative_day(spec)
        return spec["text"].format(
            date=wareki.format_date(day),
            date_w=wareki.format_date(day, weekday=True),
            period=period_of(day),
            month=f"{day.month}月",
        )

    def expand_all(self, value, fiscal_year: int):
        if isinstance(value, str):
            return self.expand(value, fiscal_year)
        if isinstance(value, list):
            return [self.expand_all(v, fiscal_year) for v in value]
        if isinstance(value, dict):
            return {k: self.expand_all(v, fiscal_year) for k, v in value.items()}
        return value

    def expand(self, text: str, fiscal_year: int) -> str:
        """Replace the placeholders (see the module docstring); links are left for later."""

        def replace(match):
            return self.placeholder(match.group(1).strip(), fiscal_year, match.group(0))

        previous = None
        while previous != text:  # inner placeholders first: {{link:annai/daigaku-{{fy}}}}
            previous = text
            text = PLACEHOLDER.sub(replace, text)
        return text

    def placeholder(self, expression: str, fiscal_year: int, original: str) -> str:
        name, _, argument = expression.partition(":")
        offset_match = re.fullmatch(r"([a-z_]+)([+-]\d+)?", name)
        if not offset_match:
            self.warn(f"unknown placeholder {original}")
            return original
        name, offset = offset_match.group(1), int(offset_match.group(2) or 0)
        hire_year = fiscal_year + 1
        if name in ("link", "uid"):
            return original
        if name == "fy":
            return str(fiscal_year + offset)
        if name == "nendo":
            return nendo(fiscal_year + offset)
        if name == "hire_date":
            return wareki.format_date(date(hire_year, 4, 1))
        if name == "born_from":
            return wareki.format_date(date(hire_year - int(argument) - 1, 4, 2))
        if name == "born_to":
            return wareki.format_date(date(hire_year - int(argument), 4, 1))
        if name == "date":
            days, _, on = argument.partition(":")
            day = snap(self.today + timedelta(days=int(days)), on or None)
            return wareki.format_date(day, weekday=True)
        self.warn(f"unknown placeholder {original}")
        return original

    # --- after everything exists ---------------------------------------------------

    def apply_orders(self) -> None:
        """Put the YAML items of each folder that got new items in the YAML order, first."""
        for container_path in self.touched:
            container = self.site.unrestrictedTraverse(container_path) if container_path else self.site
            move = getattr(container, "moveObjectToPosition", None)
            if move is None:
                continue
            for position, item_id in enumerate(self.orders.get(container_path, [])):
                move(item_id, position, suppress_events=True)
            if hasattr(container, "reindexObject"):
                for item_id in self.orders.get(container_path, []):
                    container[item_id].reindexObject(idxs=["getObjPositionInParent"])

    def resolve_relations(self) -> None:
        for obj, key, path in self.deferred_relations:
            target = self.site.unrestrictedTraverse(path.strip("/"), None)
            if target is None:
                self.warn(f"{self.path_of(obj)}: {key} points to missing {path!r}")
                continue
            api.relation.create(source=obj, target=target, relationship=key)
            obj.reindexObject()

    def resolve_uids(self) -> None:
        for obj, key in self.deferred_uids:

            def replace(match, obj=obj, key=key):
                path = match.group(1).strip().strip("/")
                target = self.site.unrestrictedTraverse(path, None)
                if target is None or not hasattr(target, "UID"):
                    self.warn(f"{self.path_of(obj)}: {key} names missing {path!r}")
                    return ""
                return target.UID()

            setattr(obj, key, UID.sub(replace, getattr(obj, key)))
            obj.reindexObject()

    def resolve_links(self) -> None:
        for obj, key in self.deferred_links:
            value = getattr(obj, key)

            def replace(match, obj=obj):
                path = match.group(1).strip().strip("/")
                target = self.site.unrestrictedTraverse(path, None)
                if target is None or not hasattr(target, "UID"):
                    self.warn(f"{self.path_of(obj)}: link to missing {path!r}")
                    return "/" + path
                return f"resolveuid/{target.UID()}"

            raw = LINK.sub(replace, value.raw)
            setattr(obj, key, RichTextValue(raw, value.mimeType, value.outputMimeType))
            obj.reindexObject()
