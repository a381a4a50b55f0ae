"""Catalog indexers: the structured fields the listings filter and sort on.

Each index is defined for the types that have the field; for everything else the
indexer raises AttributeError so that, for example, an Image inside an ExamNotice does
not acquire the notice's fiscal year.
"""

from kagoshima.saiyo.behaviors.recruitment_event import IRecruitmentEvent
from kagoshima.saiyo.content.exam_notice import IExamNotice
from kagoshima.saiyo.content.faq import IFAQ
from kagoshima.saiyo.content.job_category import IJobCategory
from kagoshima.saiyo.content.staff_profile import IStaffProfile
from plone.indexer import indexer
from zope.interface import Interface


def _none(obj):
    raise AttributeError("not indexed for this type")


def _attribute(interface, name, transform=None):
    @indexer(interface)
    def index(obj):
        value = getattr(interface(obj, None), name, None)
        if value is None or value == [] or value == "":
            raise AttributeError(name)
        return transform(value) if transform else value

    return index


@indexer(IExamNotice)
def exam_job_types(obj):
    tokens = sorted({row.get("job_type") for row in obj.divisions or () if row.get("job_type")})
    if not tokens:
        raise AttributeError("job_types")
    return tokens


job_category_job_types = _attribute(IJobCategory, "job_type", lambda token: [token])
staff_job_types = _attribute(IStaffProfile, "job_type", lambda token: [token])
any_job_types = indexer(Interface)(_none)

fiscal_year = _attribute(IExamNotice, "fiscal_year")
exam_type = _attribute(IExamNotice, "exam_type")
exam_audiences = _attribute(IExamNotice, "audiences")
event_audiences = _attribute(IRecruitmentEvent, "audiences")
guide_release_date = _attribute(IExamNotice, "guide_release_date")
application_start = _attribute(IExamNotice, "application_start")
application_end = _attribute(IExamNotice, "application_end")
first_exam_date = _attribute(IExamNotice, "first_exam_date")
second_exam_start = _attribute(IExamNotice, "second_exam_start")
second_exam_end = _attribute(IExamNotice, "second_exam_end")
faq_category = _attribute(IFAQ, "faq_category")
career_type = _attribute(IStaffProfile, "career_type")
joined_year = _attribute(IStaffProfile, "joined_year")
event_format = _attribute(IRecruitmentEvent, "event_format")

# The same names for every other object: nothing, and no acquisition from a parent.
NAMES = (
    "fiscal_year exam_type audiences guide_release_date application_start application_end "
    "first_exam_date second_exam_start second_exam_end faq_category career_type joined_year "
    "event_format"
).split()
none = indexer(Interface)(_none)
