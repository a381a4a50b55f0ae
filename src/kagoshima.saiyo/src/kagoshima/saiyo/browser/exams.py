"""Exam notices for the views: catalog queries, computed statuses and filters.

Statuses are computed from catalog metadata at view time (never stored), so a listing
shows the right 受付中 badge on the day applications open without any write.
"""

from kagoshima.saiyo.content import exam_status
from kagoshima.saiyo.dates import wareki
from kagoshima.saiyo.vocabularies import term_title
from plone import api


# Bootstrap colour utilities (contrast ≥ 4.5:1 in Barceloneta) per status, until the
# site theme styles .saiyo-status--<token> itself.
BADGE_CLASSES = {
    exam_status.OPEN: "text-bg-success",
    exam_status.UPCOMING: "text-bg-primary",
    exam_status.PREPARING: "text-bg-secondary",
    exam_status.CLOSED: "text-bg-warning",
    exam_status.FINISHED: "text-bg-dark",
}


def badge_class(status: str) -> str:
    return f"badge saiyo-status saiyo-status--{status} {BADGE_CLASSES.get(status, 'text-bg-secondary')}"


def status_of_brain(brain, now=None) -> str:
    return exam_status.compute_status(
        now=now, **{name: getattr(brain, name, None) or None for name in exam_status.FIELDS}
    )


def query_notices(**criteria):
    """Published (for visitors: visible) ExamNotice brains, newest fiscal year first."""
    query = {"portal_type": "ExamNotice", "sort_on": "fiscal_year", "sort_order": "descending"}
    query.update({key: value for key, value in criteria.items() if value})
    return api.portal.get_tool("portal_catalog")(**query)


class NoticeSummary:
    """What a listing shows of one notice (built from the brain, no object wake-up)."""

    def __init__(self, brain, now=None):
        self.brain = brain
        self.title = brain.Title
        self.description = brain.Description
        self.url = brain.getURL()
        self.uid = brain.UID
        self.fiscal_year = brain.fiscal_year
        self.fiscal_year_label = wareki.fiscal_year_label(brain.fiscal_year) if brain.fiscal_year else ""
        self.exam_type = brain.exam_type
        self.exam_type_label = term_title("kagoshima.saiyo.ExamTypes", brain.exam_type)
        self.audience_labels = [
            term_title("kagoshima.saiyo.Audiences", token) for token in brain.audiences or ()
        ]
        self.status = status_of_brain(brain, now)
        self.status_label = exam_status.label(self.status)
        self.badge_class = badge_class(self.status)
        self.application_start = brain.application_start or None
        self.application_end = brain.application_end or None
        self.first_exam_date = brain.first_exam_date or None

    @property
    def application_period(self) -> str:
        if not self.application_start:
            return ""
        start = wareki.format_datetime(self.application_start)
        end = wareki.format_datetime(self.application_end) if self.application_end else ""
        return f"{start} ～ {end}" if end else start

    @property
    def first_exam(self) -> str:
        return wareki.format_date(self.first_exam_date, weekday=True) if self.first_exam_date else ""


def summaries(brains, now=None) -> list[NoticeSummary]:
    return [NoticeSummary(brain, now) for brain in brains]
