"""JobCategory (職種紹介): what a job is, what the work is like, whom it suits.

It is linked to its exams and interviews by its 職種 token: an ExamNotice names the
職種 of each of its 試験区分 rows and a StaffProfile names its 職種, and the catalog
finds them both ways (index ``job_types``).
"""

from plone.app.textfield import RichText
from plone.dexterity.content import Container
from plone.supermodel import model
from zope import schema
from zope.interface import implementer


class IJobCategory(model.Schema):
    """職種紹介."""

    job_type = schema.Choice(
        title="職種",
        description="このページで紹介する職種。試験案内と職員インタビューはこの職種で結び付きます。",
        vocabulary="kagoshima.saiyo.JobTypes",
    )
    main_work = RichText(title="主な仕事", required=False)
    ideal_candidate = RichText(title="求める人物像", required=False)
    workplaces = schema.List(
        title="勤務先の例",
        description="1行に1か所ずつ書きます（例: 県庁 農政部、大島支庁）。",
        value_type=schema.TextLine(),
        required=False,
        default=[],
    )


@implementer(IJobCategory)
class JobCategory(Container):
    """職種紹介."""
