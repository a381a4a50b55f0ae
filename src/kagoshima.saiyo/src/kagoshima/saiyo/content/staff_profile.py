"""StaffProfile (職員インタビュー): one member of staff, their work and their day."""

from collective.z3cform.datagridfield.datagridfield import DataGridFieldWidgetFactory
from collective.z3cform.datagridfield.row import DictRow
from plone.app.vocabularies.catalog import CatalogSource
from plone.app.z3cform.widgets.relateditems import RelatedItemsFieldWidget
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.namedfile.field import NamedBlobImage
from plone.supermodel import model
from z3c.relationfield.schema import RelationChoice
from zope import schema
from zope.interface import implementer
from zope.interface import Interface


class IQuestionRow(Interface):
    question = schema.TextLine(title="質問")
    answer = schema.Text(title="回答")


class IScheduleRow(Interface):
    time = schema.TextLine(title="時刻", description="例: 8:30")
    activity = schema.TextLine(title="内容", description="例: 登庁、メールの確認")


class IStaffProfile(model.Schema):
    """職員インタビュー."""

    display_name = schema.TextLine(
        title="表示名",
        description="イニシャルでも構いません（例: K.T.さん）。",
    )
    photo = NamedBlobImage(
        title="写真",
        description="本人が写った写真。代替テキストは「表示名」から作られます。",
        required=False,
    )
    department = schema.TextLine(title="所属", description="例: 農政部 農業経営課")
    job_type = schema.Choice(title="職種", vocabulary="kagoshima.saiyo.JobTypes")
    joined_year = schema.Int(title="入庁年（西暦）", min=1960, max=2100)
    career_type = schema.Choice(title="経歴区分", vocabulary="kagoshima.saiyo.CareerTypes")
    related_exam = RelationChoice(
        title="関連する試験案内",
        description="この職員が受験した試験の、今年度の試験案内を選びます。",
        source=CatalogSource(portal_type="ExamNotice"),
        required=False,
    )
    directives.widget(
        "related_exam",
        RelatedItemsFieldWidget,
        vocabulary="plone.app.vocabularies.Catalog",
        pattern_options={"selectableTypes": ["ExamNotice"], "recentlyUsed": True},
    )
    is_sample = schema.Bool(
        title="サンプル（架空の人物）",
        description="デモ用の架空の職員の場合に選びます。ページに「サンプル」と表示されます。",
        required=False,
        default=False,
    )

    model.fieldset("interview", label="インタビュー", fields=["questions", "message"])
    questions = schema.List(
        title="インタビュー（質問と回答）",
        value_type=DictRow(title="質問と回答", schema=IQuestionRow),
        required=False,
        default=[],
    )
    directives.widget("questions", DataGridFieldWidgetFactory, allow_reorder=True, auto_append=False)
    message = schema.Text(title="受験を考えている方へのメッセージ", required=False)

    model.fieldset("day", label="1日のスケジュール", fields=["day_schedule"])
    day_schedule = schema.List(
        title="1日のスケジュール",
        value_type=DictRow(title="予定", schema=IScheduleRow),
        required=False,
        default=[],
    )
    directives.widget("day_schedule", DataGridFieldWidgetFactory, allow_reorder=True, auto_append=False)


@implementer(IStaffProfile)
class StaffProfile(Container):
    """職員インタビュー."""
