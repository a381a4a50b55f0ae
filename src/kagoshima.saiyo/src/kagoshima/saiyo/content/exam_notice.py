"""ExamNotice (試験案内): one exam of one fiscal year, with structured facts.

The exam's status (準備中 / 受付前 / 受付中 / 受付終了 / 試験終了) is never stored: it is
computed from the dates at view time by ``exam_status``.
"""

from collective.z3cform.datagridfield.datagridfield import DataGridFieldWidgetFactory
from collective.z3cform.datagridfield.row import DictRow
from kagoshima.saiyo.content import validators
from plone.app.textfield import RichText
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.namedfile.field import NamedBlobFile
from plone.supermodel import model
from z3c.form.browser.checkbox import CheckBoxFieldWidget
from zope import schema
from zope.interface import implementer
from zope.interface import Interface
from zope.interface import invariant


class IDivisionRow(Interface):
    """One row of 試験区分と採用予定人数."""

    name = schema.TextLine(title="試験区分", description="例: 行政、土木、UIターン枠（農業）")
    headcount = schema.Int(
        title="採用予定人数",
        description="人数が決まっていない場合は空欄にし、備考に「若干名」などと書きます。",
        required=False,
        constraint=validators.not_negative,
    )
    job_type = schema.Choice(
        title="職種",
        vocabulary="kagoshima.saiyo.JobTypes",
        required=False,
    )
    note = schema.TextLine(title="備考", required=False)


class IExamContentRow(Interface):
    """One row of 試験内容."""

    stage = schema.TextLine(title="段階", description="例: 第1次試験、第2次試験")
    subject = schema.TextLine(title="科目", description="例: 教養試験、個別面接")
    duration = schema.TextLine(title="時間", required=False, description="例: 2時間30分")
    detail = schema.Text(title="内容", required=False)


class IExamNotice(model.Schema):
    """試験案内."""

    fiscal_year = schema.Int(
        title="年度",
        description="西暦の年度を入力します（例: 2025 → 令和7年度）。",
        min=1989,
        max=2100,
    )
    exam_type = schema.Choice(title="試験種別", vocabulary="kagoshima.saiyo.ExamTypes")
    audiences = schema.List(
        title="対象",
        description="この試験を案内する対象者を選びます。",
        value_type=schema.Choice(vocabulary="kagoshima.saiyo.Audiences"),
        required=False,
        default=[],
    )
    directives.widget("audiences", CheckBoxFieldWidget)

    divisions = schema.List(
        title="試験区分と採用予定人数",
        value_type=DictRow(title="試験区分", schema=IDivisionRow),
        required=False,
        default=[],
    )
    directives.widget("divisions", DataGridFieldWidgetFactory, allow_reorder=True, auto_append=False)

    eligibility = RichText(
        title="受験資格（概要）",
        description="生年月日の範囲や必要な資格などを簡潔に書きます。詳細は試験案内PDFに載せます。",
        required=False,
    )

    model.fieldset(
        "schedule",
        label="日程",
        fields=[
            "guide_release_date",
            "application_start",
            "application_end",
            "first_exam_date",
            "first_exam_venues",
            "first_result_date",
            "second_exam_start",
            "second_exam_end",
            "second_exam_venues",
            "final_result_date",
            "final_result_note",
            "schedule_note",
        ],
    )
    guide_release_date = schema.Date(title="試験案内配布開始日", required=False)
    application_start = schema.Datetime(
        title="申込受付開始",
        description="この日時から「受付中」と表示されます。",
        required=False,
    )
    application_end = schema.Datetime(
        title="申込受付終了",
        description="この日時を過ぎると「受付終了」と表示されます。",
        required=False,
    )
    # Stored aware in Asia/Tokyo by the form, the same as through the REST API.
    directives.widget("application_start", default_timezone="Asia/Tokyo")
    directives.widget("application_end", default_timezone="Asia/Tokyo")
    first_exam_date = schema.Date(title="第1次試験日", required=False)
    first_exam_venues = schema.List(
        title="第1次試験の試験地",
        value_type=schema.Choice(vocabulary="kagoshima.saiyo.ExamVenues"),
        required=False,
        default=[],
    )
    directives.widget("first_exam_venues", CheckBoxFieldWidget)
    first_result_date = schema.Date(title="第1次試験合格発表日", required=False)
    second_exam_start = schema.Date(title="第2次試験 開始日", required=False)
    second_exam_end = schema.Date(title="第2次試験 終了日", required=False)
    second_exam_venues = schema.List(
        title="第2次試験の試験地",
        value_type=schema.Choice(vocabulary="kagoshima.saiyo.ExamVenues"),
        required=False,
        default=[],
    )
    directives.widget("second_exam_venues", CheckBoxFieldWidget)
    final_result_date = schema.Date(
        title="最終合格発表日",
        description="日付が決まっていない場合は空欄にし、下の「最終合格発表時期」に書きます。",
        required=False,
    )
    final_result_note = schema.TextLine(
        title="最終合格発表時期（文章）",
        description="例: 11月下旬（予定）",
        required=False,
    )
    schedule_note = schema.Text(
        title="日程の補足",
        description="日付で表せない情報（「○月下旬」など）や注意事項を書きます。",
        required=False,
    )

    model.fieldset(
        "contents",
        label="試験内容",
        fields=["exam_contents"],
    )
    exam_contents = schema.List(
        title="試験内容",
        value_type=DictRow(title="試験内容", schema=IExamContentRow),
        required=False,
        default=[],
    )
    directives.widget("exam_contents", DataGridFieldWidgetFactory, allow_reorder=True, auto_append=False)

    model.fieldset(
        "application",
        label="申込・資料",
        fields=["application_url", "guide_pdf", "audio_version_url"],
    )
    application_url = schema.URI(
        title="申込URL",
        description="電子申請のページのURL（https:// から始まるもの）。受付中の間だけ申込ボタンが表示されます。",
        required=False,
        constraint=validators.http_url,
    )
    guide_pdf = NamedBlobFile(title="試験案内（PDF）", required=False)
    audio_version_url = schema.URI(
        title="音声読み上げ対応版のURL",
        required=False,
        constraint=validators.http_url,
    )

    @invariant
    def application_period(data):
        validators.check_period(
            getattr(data, "application_start", None),
            getattr(data, "application_end", None),
            "申込受付終了は、申込受付開始より後の日時にしてください。",
        )

    @invariant
    def second_exam_period(data):
        validators.check_period(
            getattr(data, "second_exam_start", None),
            getattr(data, "second_exam_end", None),
            "第2次試験の終了日は、開始日以降の日付にしてください。",
        )


@implementer(IExamNotice)
class ExamNotice(Container):
    """試験案内 (holds its own PDFs and images)."""
