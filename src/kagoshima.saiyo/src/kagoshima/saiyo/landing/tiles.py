"""Tiles with the site's live data, for landing pages built in the Mosaic editor.

Every tile is a transient plone.tiles tile: its settings travel in the tile's URL inside
the page's layout, so showing a page never writes to the database. Each tile reads the
catalog when the page is rendered (試験案内 with its status computed at that moment),
and renders the same markup as the theme's own blocks (``saiyo-block``, ``saiyo-exam-card``…).
"""

from datetime import datetime
from kagoshima.saiyo.browser.exams import query_notices
from kagoshima.saiyo.browser.exams import summaries
from kagoshima.saiyo.browser.people import StaffSummary
from kagoshima.saiyo.content import exam_status
from kagoshima.saiyo.dates import to_tokyo
from kagoshima.saiyo.dates import TOKYO
from kagoshima.saiyo.dates import wareki
from kagoshima.saiyo.vocabularies import term_title
from plone import api
from plone.app.z3cform.widgets.contentbrowser import ContentBrowserFieldWidget
from plone.autoform import directives
from plone.supermodel import model
from plone.tiles import Tile
from z3c.form.browser.checkbox import CheckBoxFieldWidget
from zope import schema
from zope.interface import Invalid
from zope.interface import invariant

import re


def _choices(vocabulary):
    return schema.List(
        value_type=schema.Choice(vocabulary=vocabulary), required=False, default=[], missing_value=[]
    )


# Check boxes: z3c.form's default "ordered select" for a list of choices runs inline scripts and
# onclick handlers, which the site's Content-Security-Policy blocks in the editor.


def _uids(portal_type, title, description):
    field = schema.List(
        title=title,
        description=description,
        value_type=schema.Choice(vocabulary="plone.app.vocabularies.Catalog"),
        required=False,
        default=[],
        missing_value=[],
    )
    return field


class ITileHeading(model.Schema):
    heading = schema.TextLine(
        title="見出し",
        description="このブロックの見出し（ページの中の第2レベルの見出しになります）。",
        required=True,
    )


class IExamsTile(ITileHeading):
    job_types = _choices("kagoshima.saiyo.JobTypes")
    job_types.title = "職種"
    job_types.description = "選んだ職種を募集する試験だけを表示します。選ばなければすべての職種。"
    audiences = _choices("kagoshima.saiyo.Audiences")
    audiences.title = "対象"
    audiences.description = "選んだ対象者向けの試験だけを表示します。選ばなければすべて。"
    statuses = schema.List(
        title="状態",
        description="表示する試験の状態。選ばなければ「受付中」「受付前」「準備中」。",
        value_type=schema.Choice(vocabulary="kagoshima.saiyo.ExamStatuses"),
        required=False,
        default=[],
        missing_value=[],
    )
    directives.widget("job_types", CheckBoxFieldWidget)
    directives.widget("audiences", CheckBoxFieldWidget)
    directives.widget("statuses", CheckBoxFieldWidget)
    limit = schema.Int(title="表示する件数", min=1, max=20, default=6, required=True)


class IInterviewsTile(ITileHeading):
    chosen = _uids(
        "StaffProfile",
        "表示する職員インタビュー",
        "選んだインタビューをこの順に表示します。選ばなければ下の条件で新しい順に表示します。",
    )
    directives.widget(
        "chosen", ContentBrowserFieldWidget, pattern_options={"selectableTypes": ["StaffProfile"]}
    )
    job_types = _choices("kagoshima.saiyo.JobTypes")
    job_types.title = "職種"
    job_types.description = "選んだ職種の職員のインタビューだけを表示します。"
    career_types = _choices("kagoshima.saiyo.CareerTypes")
    career_types.title = "経歴"
    career_types.description = "新卒・社会人経験者・UIターンで絞り込みます。"
    directives.widget("job_types", CheckBoxFieldWidget)
    directives.widget("career_types", CheckBoxFieldWidget)
    limit = schema.Int(title="表示する件数", min=1, max=12, default=3, required=True)


class IEventsTile(ITileHeading):
    audiences = _choices("kagoshima.saiyo.Audiences")
    audiences.title = "対象"
    audiences.description = "選んだ対象者向けのイベントだけを表示します。"
    event_formats = _choices("kagoshima.saiyo.EventFormats")
    event_formats.title = "開催形式"
    event_formats.description = "会場・オンラインなどで絞り込みます。"
    directives.widget("audiences", CheckBoxFieldWidget)
    directives.widget("event_formats", CheckBoxFieldWidget)
    limit = schema.Int(title="表示する件数", min=1, max=12, default=3, required=True)


class IFaqTile(ITileHeading):
    category = schema.Choice(
        title="カテゴリ",
        description="このカテゴリの質問を表示します。",
        vocabulary="kagoshima.saiyo.FaqCategories",
        required=False,
    )
    chosen = _uids("FAQ", "表示する質問", "選んだ質問をこの順に表示します（カテゴリより優先します）。")
    directives.widget("chosen", ContentBrowserFieldWidget, pattern_options={"selectableTypes": ["FAQ"]})
    limit = schema.Int(title="表示する件数", min=1, max=30, default=5, required=True)


SAFE_URL = re.compile(r"^(https?://|/|mailto:|#)[^\s\"'<>]*$")


class ICallToActionTile(model.Schema):
    label = schema.TextLine(
        title="ボタンの文字", description="例: 「試験案内を見る」「説明会に申し込む」", required=True
    )
    url = schema.TextLine(
        title="リンク先",
        description="https:// で始まるアドレス、またはこのサイトの中のパス（/shiken/annai など）。",
        required=True,
    )
    lead = schema.Text(title="ボタンの前の文（任意）", required=False)

    @invariant
    def url_is_safe(data):
        if getattr(data, "url", None) and not SAFE_URL.match(data.url.strip()):
            raise Invalid(
                "リンク先は https:// で始まるアドレスか、/ で始まるこのサイトのパスで入力してください。"
            )


class IKeyVisualTile(model.Schema):
    image = schema.Choice(
        title="画像",
        description="サイトにアップロード済みの画像を選びます。",
        vocabulary="plone.app.vocabularies.Catalog",
        required=True,
    )
    directives.widget("image", ContentBrowserFieldWidget, pattern_options={"selectableTypes": ["Image"]})
    alt = schema.TextLine(
        title="代替テキスト",
        description="画像を見られない方に読み上げられる説明です（例: 「桜島を背に橋の点検をする職員」）。",
        required=True,
    )
    catch = schema.TextLine(title="キャッチコピー", required=False)
    lead = schema.Text(title="リード文", required=False)


class SaiyoTile(Tile):
    """Common helpers; ``data`` comes from the tile's URL (or is set directly, see rendering.py)."""

    def value(self, name, default=None):
        value = self.data.get(name)
        return default if value in (None, "", []) else value

    @property
    def heading(self):
        return self.value("heading", "")

    @property
    def anchor(self):
        return f"tile-{self.id}" if self.id else "tile"

    @property
    def site_url(self):
        return api.portal.get().absolute_url()


class ExamsTile(SaiyoTile):
    """試験案内: the exams for the chosen 職種・対象, in the chosen states, open ones first."""

    def exams(self):
        criteria = {}
        if self.value("job_types"):
            criteria["job_types"] = list(self.value("job_types"))
        if self.value("audiences"):
            criteria["audiences"] = list(self.value("audiences"))
        wanted = list(self.value("statuses") or exam_status.AHEAD)
        notices = [n for n in summaries(query_notices(**criteria)) if n.status in wanted]
        rank = {token: number for number, token in enumerate(exam_status.AHEAD + exam_status.PAST)}
        far = datetime.max.replace(tzinfo=TOKYO)

        def key(notice):
            start = notice.application_start
            start = to_tokyo(start) if start else far
            return (rank.get(notice.status, len(rank)), start)

        return sorted(notices, key=key)[: self.value("limit", 6)]

    def list_url(self):
        params = []
        for key in ("job_types", "audiences"):
            for token in self.value(key) or ():
                params.append(f"{'job_type' if key == 'job_types' else 'audience'}={token}")
        query = "&".join(params[:1])  # the list filters one value per kind
        return f"{self.site_url}/shiken/annai" + (f"?{query}" if query else "")


class InterviewsTile(SaiyoTile):
    def people(self):
        limit = self.value("limit", 3)
        chosen = self.value("chosen")
        if chosen:
            brains = api.content.find(UID=list(chosen), portal_type="StaffProfile")
            by_uid = {brain.UID: brain for brain in brains}
            return [StaffSummary(by_uid[uid]) for uid in chosen if uid in by_uid][:limit]
        query = {"portal_type": "StaffProfile", "sort_on": "effective", "sort_order": "descending"}
        if self.value("job_types"):
            query["job_types"] = list(self.value("job_types"))
        if self.value("career_types"):
            query["career_type"] = list(self.value("career_types"))
        return [StaffSummary(brain) for brain in api.content.find(**query)[:limit]]


class EventsTile(SaiyoTile):
    def items(self):
        query = {
            "portal_type": "Event",
            "end": {"query": datetime.now(TOKYO), "range": "min"},
            "sort_on": "start",
        }
        if self.value("audiences"):
            query["audiences"] = list(self.value("audiences"))
        if self.value("event_formats"):
            query["event_format"] = list(self.value("event_formats"))
        brains = api.content.find(**query)[: self.value("limit", 3)]
        return [
            {
                "title": brain.Title,
                "url": brain.getURL(),
                "date": wareki.format_date(to_tokyo(brain.start).date(), weekday=True) if brain.start else "",
                "iso": to_tokyo(brain.start).date().isoformat() if brain.start else "",
                "format": term_title(
                    "kagoshima.saiyo.EventFormats", getattr(brain, "event_format", None) or ""
                ),
            }
            for brain in brains
        ]


class FaqTile(SaiyoTile):
    def questions(self):
        limit = self.value("limit", 5)
        chosen = self.value("chosen")
        if chosen:
            by_uid = {b.UID: b for b in api.content.find(UID=list(chosen), portal_type="FAQ")}
            brains = [by_uid[uid] for uid in chosen if uid in by_uid]
        else:
            query = {"portal_type": "FAQ", "sort_on": "getObjPositionInParent"}
            if self.value("category"):
                query["faq_category"] = self.value("category")
            brains = list(api.content.find(**query))
        result = []
        for brain in brains[:limit]:
            item = brain.getObject()
            answer = getattr(item, "answer", None)
            result.append(
                {
                    "id": brain.getId,
                    "question": brain.Title,
                    "url": brain.getURL(),
                    "answer": answer.output_relative_to(item) if answer is not None else "",
                }
            )
        return result

    def more_url(self):
        return f"{self.site_url}/faq"


class CallToActionTile(SaiyoTile):
    @property
    def href(self):
        url = (self.value("url", "") or "").strip()
        if not SAFE_URL.match(url):
            return ""
        if url.startswith("/") and not url.startswith("//"):
            return self.site_url + url
        return url


class KeyVisualTile(SaiyoTile):
    def image(self):
        uid = self.value("image")
        if not uid:
            return None
        brains = api.content.find(UID=uid)
        if not brains:
            return None
        url = brains[0].getURL()
        scales = api.content.get_view("images", brains[0].getObject(), self.request)
        scale = scales.scale("image", scale="great")
        return {
            "src": scale.url if scale is not None else f"{url}/@@images/image",
            "width": getattr(scale, "width", None),
            "height": getattr(scale, "height", None),
            "srcset": ", ".join(
                f"{s.url} {s.width}w"
                for s in (scales.scale("image", scale=n) for n in ("preview", "larger", "great"))
                if s is not None
            ),
        }
