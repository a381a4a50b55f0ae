"""Recruitment-event facts for plone.app.event's Event (説明会・インターンシップ等)."""

from kagoshima.saiyo.content import validators
from plone.autoform import directives
from plone.autoform.interfaces import IFormFieldProvider
from plone.supermodel import model
from z3c.form.browser.checkbox import CheckBoxFieldWidget
from zope import schema
from zope.interface import provider


@provider(IFormFieldProvider)
class IRecruitmentEvent(model.Schema):
    """対象, 形式, 申込URL, 定員, 申込締切."""

    model.fieldset(
        "recruitment",
        label="募集情報",
        fields=["audiences", "event_format", "application_url", "capacity", "application_deadline"],
    )
    audiences = schema.List(
        title="対象",
        value_type=schema.Choice(vocabulary="kagoshima.saiyo.Audiences"),
        required=False,
        default=[],
    )
    directives.widget("audiences", CheckBoxFieldWidget)
    event_format = schema.Choice(
        title="開催形式",
        vocabulary="kagoshima.saiyo.EventFormats",
        required=False,
    )
    application_url = schema.URI(
        title="申込URL",
        required=False,
        constraint=validators.http_url,
    )
    capacity = schema.Int(
        title="定員",
        description="定員がない場合は空欄にします。",
        required=False,
        constraint=validators.not_negative,
    )
    application_deadline = schema.Datetime(title="申込締切", required=False)
    directives.widget("application_deadline", default_timezone="Asia/Tokyo")
