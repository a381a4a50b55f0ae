"""Date-times of the recruitment fields are stored aware, in Asia/Tokyo, whoever writes them.

The edit forms store them aware in Asia/Tokyo (``default_timezone`` on the widgets).
plone.restapi would store a new value aware in UTC and an existing naive one as naive
UTC, so a date written through the API would show nine hours off in the form, and
comparing a form value with an API value would fail. This deserializer gives both paths
the same result.
"""

from kagoshima.saiyo.behaviors.recruitment_event import IRecruitmentEvent
from kagoshima.saiyo.content.exam_notice import IExamNotice
from plone.dexterity.interfaces import IDexterityContent
from plone.restapi.deserializer.dxfields import DatetimeFieldDeserializer
from plone.restapi.interfaces import IFieldDeserializer
from zope.component import adapter
from zope.interface import implementer
from zope.publisher.interfaces.browser import IBrowserRequest
from zope.schema.interfaces import IDatetime

import dateutil.parser
import pytz


# pytz, not zoneinfo: ZODB cannot pickle zoneinfo's tzinfo objects, and Plone's own
# date-times (plone.app.event, the edit widgets) use pytz.
TOKYO = pytz.timezone("Asia/Tokyo")
OWN_SCHEMAS = (IExamNotice, IRecruitmentEvent)


def to_tokyo(value):
    """Aware in Asia/Tokyo; naive input is taken as Tokyo time (as a person types it)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return TOKYO.localize(value)
    return TOKYO.normalize(value.astimezone(TOKYO))


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
        result = to_tokyo(parsed)
        self.field.validate(result)
        return result
