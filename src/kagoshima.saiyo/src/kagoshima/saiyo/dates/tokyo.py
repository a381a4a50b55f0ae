"""Asia/Tokyo, the time zone of every date on the site, and the one rule for converting to it.

Naive means Tokyo: a naive datetime is what Plone stores for a site whose time zone is
Asia/Tokyo, and what a person types. Aware converts: 2025-03-31T15:30Z is 2025-04-01 00:30
here.
"""

from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

import pytz


TOKYO = ZoneInfo("Asia/Tokyo")
# What is stored in the ZODB is localized with pytz: ZODB (and CMFEditions' versions) cannot
# pickle zoneinfo time zones, and Plone's own date-times (plone.app.event, the widgets) use pytz.
TOKYO_PYTZ = pytz.timezone("Asia/Tokyo")


def to_tokyo(value, *, storable: bool = False):
    """``value`` (a datetime or a Zope DateTime) as an aware datetime in Asia/Tokyo.

    Naive input is taken as Tokyo time, aware input is converted; None stays None.
    With ``storable=True`` the time zone is pytz's, for values written to the ZODB.
    A plain date is refused (TypeError): which moment of the day it means is the
    caller's decision.
    """
    if value is None:
        return None
    if hasattr(value, "asdatetime"):  # Zope's DateTime
        value = value.asdatetime()
    if not isinstance(value, datetime):
        raise TypeError(f"expected a datetime, got {type(value).__name__}")
    naive = value.tzinfo is None or value.utcoffset() is None
    if storable:
        if naive:
            return TOKYO_PYTZ.localize(value.replace(tzinfo=None))
        return TOKYO_PYTZ.normalize(value.astimezone(TOKYO_PYTZ))
    return value.replace(tzinfo=TOKYO) if naive else value.astimezone(TOKYO)


def to_tokyo_date(d: date) -> date:
    """The calendar date of ``d`` in Tokyo; a plain date is used as is."""
    if isinstance(d, datetime) or hasattr(d, "asdatetime"):
        if hasattr(d, "asdatetime"):
            d = d.asdatetime()
        if d.tzinfo is not None and d.utcoffset() is not None:
            d = d.astimezone(TOKYO)
        return d.date()
    if isinstance(d, date):
        return d
    raise TypeError(f"expected a date or a datetime, got {type(d).__name__}")
