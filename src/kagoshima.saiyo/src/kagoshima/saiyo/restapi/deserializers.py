"""Date-times of the recruitment fields are stored aware, in Asia/Tokyo, whoever writes them.

The edit forms store them aware in Asia/Tokyo (``default_timezone`` on the widgets).
plone.restapi would store a new value aware in UTC and an existing naive one as naive
UTC, so a date written through the API would show nine hours off in the form, and
comparing a form value with an API value would fail. This deserializer gives both paths
the same result.
"""

from kagoshima.saiyo.behaviors.recruitment_event import IRecruitmentEvent
from kagoshima.saiyo.content.exam_notice import IExamNotice
from kagoshima.saiyo.dates import to_tokyo
from plone.dexterity.interfaces import IDexterityContent
from plone.restapi.deserializer.dxfields import DatetimeFieldDeserializer
from plone.restapi.interfaces import IFieldDeserializer
from zope.component import adapter
from zope.interface import implementer
from zope.publisher.interfaces.browser import IBrowserRequest
from zope.schema.interfaces import IDatetime

import dateutil.parser


OWN_SCHEMAS = (IExamNotice, IRecruitmentEvent)


@implementer(IFieldDeserializer)
@adapter(IDatetime, IDexterityContent, IBrowserRequest)
class TokyoDatetimeFieldDeserializer(DatetimeFieldDeserializer):
    def __call__(self, value):
        if self.field.interface not in OWN_SCHEMAS:
            return super().__call__(value)
        if value is None:
            self.field.validate(value)
            return None
        try:
            parsed = dateutil.parser.isoparse(value)
        except (TypeError, ValueError):
            raise ValueError(
                f"日時の形式が正しくありません（例: 2025-05-01T09:00:00+09:00）: {value}"
            ) from None
        # storable: pytz, which the ZODB can pickle, as Plone's own date-times use
        result = to_tokyo(parsed, storable=True)
        self.field.validate(result)
        return result
