"""JobCategory and StaffProfile pages, and the interview list with filters."""

from datetime import date
from kagoshima.saiyo.browser.exams import query_notices
from kagoshima.saiyo.browser.exams import summaries
from kagoshima.saiyo.content import exam_status
from kagoshima.saiyo.dates import wareki
from kagoshima.saiyo.vocabularies import CAREER_TYPES
from kagoshima.saiyo.vocabularies import editable_terms
from kagoshima.saiyo.vocabularies import term_title
from plone import api
from Products.Five.browser import BrowserView
from zope.component import getMultiAdapter


class JobCategoryView(BrowserView):
    """職種紹介: the work, whom it suits, where, its exams (open and past) and its staff."""

    @property
    def job_type_label(self):
        return term_title("kagoshima.saiyo.JobTypes", self.context.job_type)

    def _exams(self):
        return summaries(query_notices(job_types=self.context.job_type)) if self.context.job_type else []

    def open_exams(self):
        return [n for n in self._exams() if n.status in exam_status.AHEAD]

    def past_exams(self):
        return [n for n in self._exams() if n.status in exam_status.PAST]

    def interviews(self):
        if not self.context.job_type:
            return []
        return [
            StaffSummary(brain)
            for brain in api.content.find(
                portal_type="StaffProfile", job_types=self.context.job_type, sort_on="joined_year"
            )
        ]


class StaffSummary:
    """An interview teaser from catalog data."""

    def __init__(self, brain):
        self.title = brain.Title
        self.description = brain.Description
        self.url = brain.getURL()
        self.job_type_label = term_title("kagoshima.saiyo.JobTypes", (brain.job_types or [""])[0])
        self.career_label = term_title("kagoshima.saiyo.CareerTypes", brain.career_type)
        self.joined_year = brain.joined_year or None
        self.joined_label = f"{wareki.year_label(self.joined_year)}入庁" if self.joined_year else ""
        self.image_url = f"{self.url}/@@images/photo/thumb"


class StaffProfileView(BrowserView):
    """職員インタビュー: profile, Q&A, the day as a timeline, message."""

    @property
    def job_type_label(self):
        return term_title("kagoshima.saiyo.JobTypes", self.context.job_type)

    @property
    def career_label(self):
        return term_title("kagoshima.saiyo.CareerTypes", self.context.career_type)

    @property
    def joined_label(self):
        year = self.context.joined_year
        return f"{wareki.year_label(year)}入庁" if year else ""

    @property
    def photo_url(self):
        if not self.context.photo:
            return None
        return f"{self.context.absolute_url()}/@@images/photo/preview"

    @property
    def photo_alt(self):
        return f"{self.context.display_name}の写真"

    # Shown 400 CSS px wide from tablets up, the full column on phones.
    PHOTO_SIZES = "(min-width: 576px) 400px, calc(100vw - 1.5rem)"

    def photo_tag(self):
        """The photo as ``<img srcset sizes>``: phones with dense screens get a sharp scale."""
        if not self.context.photo:
            return None
        images = getMultiAdapter((self.context, self.request), name="images")
        return images.srcset(
            "photo",
            scale_in_src="preview",
            sizes=self.PHOTO_SIZES,
            alt=self.photo_alt,
            css_class="saiyo-profile__photo",
            title=None,
            decoding="async",
        )

    def job_category_url(self):
        if not self.context.job_type:
            return None
        brains = api.content.find(portal_type="JobCategory", job_types=self.context.job_type)
        return brains[0].getURL() if brains else None

    def related_exam(self):
        relation = self.context.related_exam
        if relation is None or relation.isBroken():
            return None
        target = relation.to_object
        if target is None or not api.user.has_permission("View", obj=target):
            return None
        return {"title": target.Title(), "url": target.absolute_url()}


# 入庁年次 buckets: years of service counted as Japanese offices do (入庁1年目 = the first year).
SERVICE_BUCKETS = (
    ("1-3", "1～3年目", 1, 3),
    ("4-10", "4～10年目", 4, 10),
    ("11-", "11年目以上", 11, 99),
)


def service_year(joined_year, today=None):
    today = today or date.today()
    return wareki.fiscal_year(today) - joined_year + 1


class InterviewListView(BrowserView):
    """職員インタビューの一覧: filter by 職種, 入庁年次 and 経歴 (a GET form, no JavaScript needed)."""

    def selected(self, key):
        value = self.request.form.get(key, "")
        return value if isinstance(value, str) else ""

    def filters(self):
        def options(terms, key):
            return [{"value": t, "title": title, "selected": t == self.selected(key)} for t, title in terms]

        return [
            {
                "key": "job_type",
                "id": "filter-job_type",
                "label": "職種",
                "options": options(editable_terms("kagoshima.saiyo.JobTypes"), "job_type"),
            },
            {
                "key": "service",
                "id": "filter-service",
                "label": "入庁年次",
                "options": options([(key, label) for key, label, _l, _h in SERVICE_BUCKETS], "service"),
            },
            {
                "key": "career",
                "id": "filter-career",
                "label": "経歴",
                "options": options(CAREER_TYPES, "career"),
            },
        ]

    def results(self):
        query = {"portal_type": "StaffProfile", "sort_on": "joined_year", "sort_order": "descending"}
        if self.selected("job_type"):
            query["job_types"] = self.selected("job_type")
        if self.selected("career"):
            query["career_type"] = self.selected("career")
        people = [StaffSummary(brain) for brain in api.content.find(**query)]
        bucket = {key: (low, high) for key, _label, low, high in SERVICE_BUCKETS}.get(
            self.selected("service")
        )
        if bucket:
            low, high = bucket
            people = [p for p in people if p.joined_year and low <= service_year(p.joined_year) <= high]
        return people
