"""The ExamNotice page and the exam list with filters."""

from kagoshima.saiyo.browser.exams import badge_class
from kagoshima.saiyo.browser.exams import query_notices
from kagoshima.saiyo.browser.exams import summaries
from kagoshima.saiyo.content import exam_status
from kagoshima.saiyo.dates import wareki
from kagoshima.saiyo.vocabularies import editable_terms
from kagoshima.saiyo.vocabularies import term_title
from plone import api
from Products.Five.browser import BrowserView
from urllib.parse import urlencode


def _date(value, weekday=True):
    return wareki.format_date(value, weekday=weekday) if value else ""


class ExamNoticeView(BrowserView):
    """試験案内: structured, printable, with the status badge and the application button."""

    @property
    def status(self):
        return exam_status.status_of(self.context)

    @property
    def status_label(self):
        return exam_status.label(self.status)

    @property
    def badge_class(self):
        return badge_class(self.status)

    @property
    def accepting(self):
        return self.status == "open" and bool(self.context.application_url)

    @property
    def fiscal_year_label(self):
        return wareki.fiscal_year_label(self.context.fiscal_year) if self.context.fiscal_year else ""

    @property
    def exam_type_label(self):
        return term_title("kagoshima.saiyo.ExamTypes", self.context.exam_type)

    @property
    def audience_labels(self):
        return [term_title("kagoshima.saiyo.Audiences", token) for token in self.context.audiences or ()]

    def job_category_urls(self):
        """{job type token: URL of its JobCategory page} for the division rows."""
        tokens = {row.get("job_type") for row in self.context.divisions or () if row.get("job_type")}
        if not tokens:
            return {}
        brains = api.content.find(portal_type="JobCategory", job_types=list(tokens))
        return {brain.job_types[0]: brain.getURL() for brain in brains if brain.job_types}

    def divisions(self):
        urls = self.job_category_urls()
        rows = []
        for row in self.context.divisions or ():
            headcount = row.get("headcount")
            rows.append(
                {
                    "name": row.get("name"),
                    "headcount": f"{headcount}人" if headcount is not None else "若干名",
                    "job_type": term_title("kagoshima.saiyo.JobTypes", row.get("job_type")),
                    "job_url": urls.get(row.get("job_type")),
                    "note": row.get("note") or "",
                }
            )
        return rows

    @property
    def total_headcount(self):
        counts = [row.get("headcount") for row in self.context.divisions or ()]
        known = [count for count in counts if count is not None]
        return sum(known) if known else None

    def _venues(self, tokens):
        labels = [term_title("kagoshima.saiyo.ExamVenues", token) for token in tokens or ()]
        return f"〔{'、'.join(labels)}〕" if labels else ""

    @property
    def application_period(self):
        context = self.context
        if not context.application_start:
            return ""
        start = wareki.format_datetime(context.application_start)
        end = wareki.format_datetime(context.application_end) if context.application_end else ""
        return f"{start} ～ {end}" if end else start

    def schedule(self):
        """(label, value) rows of the schedule table, in the order of the exam."""
        context = self.context
        rows = []
        if context.guide_release_date:
            rows.append(("試験案内配布開始日", _date(context.guide_release_date)))
        if context.application_start:
            rows.append(("申込受付期間", self.application_period))
        if context.first_exam_date:
            rows.append(
                ("第1次試験日", f"{_date(context.first_exam_date)} {self._venues(context.first_exam_venues)}")
            )
        if context.first_result_date:
            rows.append(("第1次試験合格発表日", _date(context.first_result_date)))
        if context.second_exam_start:
            period = _date(context.second_exam_start)
            if context.second_exam_end and context.second_exam_end != context.second_exam_start:
                period += f" ～ {_date(context.second_exam_end)}"
            rows.append(("第2次試験", f"{period} {self._venues(context.second_exam_venues)}"))
        if context.final_result_date or context.final_result_note:
            rows.append(("最終合格発表", _date(context.final_result_date) or context.final_result_note))
        return rows

    def exam_contents(self):
        """[(stage, [rows])] in the order the stages first appear."""
        stages = {}
        for row in self.context.exam_contents or ():
            stages.setdefault(row.get("stage") or "", []).append(row)
        return list(stages.items())

    def guide_pdf_url(self):
        pdf = self.context.guide_pdf
        if not pdf:
            return None
        return f"{self.context.absolute_url()}/@@download/guide_pdf/{pdf.filename}"

    def guide_pdf_size(self):
        pdf = self.context.guide_pdf
        return f"PDF {max(1, round(pdf.getSize() / 1024))}KB" if pdf else ""

    def interviews(self):
        """Staff interviews of the same job types (at most six)."""
        tokens = [row.get("job_type") for row in self.context.divisions or () if row.get("job_type")]
        if not tokens:
            return []
        return api.content.find(portal_type="StaffProfile", job_types=tokens, sort_on="sortable_title")[:6]


FILTERS = (
    # request key, catalog index (None: computed), vocabulary, label
    ("audience", "audiences", "kagoshima.saiyo.Audiences", "対象"),
    ("exam_type", "exam_type", "kagoshima.saiyo.ExamTypes", "試験種別"),
    ("job_type", "job_types", "kagoshima.saiyo.JobTypes", "職種"),
    ("status", None, "kagoshima.saiyo.ExamStatuses", "状態"),
)


class ExamListView(BrowserView):
    """試験案内の一覧: filters in the URL, a plain GET form that works without JavaScript."""

    def selected(self, key):
        value = self.request.form.get(key, "")
        return value if isinstance(value, str) else ""

    def filters(self):
        result = []
        for key, _index, vocabulary, label in FILTERS:
            if vocabulary == "kagoshima.saiyo.ExamStatuses":
                terms = list(exam_status.STATUSES)
            else:
                terms = editable_terms(vocabulary)
            current = self.selected(key)
            result.append(
                {
                    "key": key,
                    "id": f"filter-{key}",
                    "label": label,
                    "options": [{"value": t, "title": title, "selected": t == current} for t, title in terms],
                }
            )
        return result

    def active_filters(self):
        active = []
        for key, _index, vocabulary, label in FILTERS:
            value = self.selected(key)
            if value:
                others = {k: self.selected(k) for k, *_ in FILTERS if k != key and self.selected(k)}
                active.append(
                    {
                        "label": f"{label}: {term_title(vocabulary, value)}",
                        "remove_url": f"{self.context.absolute_url()}/@@exam-list"
                        + (f"?{urlencode(others)}" if others else ""),
                    }
                )
        return active

    def results(self):
        criteria = {index: self.selected(key) for key, index, _v, _l in FILTERS if index}
        notices = summaries(query_notices(**criteria))
        status = self.selected("status")
        if status:
            notices = [notice for notice in notices if notice.status == status]
        # Open first, then upcoming, preparing, closed, finished; newest year first within each.
        rank = {token: number for number, token in enumerate(exam_status.AHEAD + exam_status.PAST)}
        return sorted(notices, key=lambda n: (rank.get(n.status, len(rank)), -(n.fiscal_year or 0)))
