"""The exam statuses: the one place that knows them and how they are computed.

A status is never stored. It is computed at view time from the dates of an exam
notice, in Asia/Tokyo:

``preparing`` 準備中
    no application start yet, or the guide is not released yet
    (today < guide_release_date);
``upcoming`` 受付前
    now < application_start;
``open`` 受付中
    application_start <= now <= application_end (no end: open-ended);
``closed`` 受付終了
    now > application_end, and the last exam day is unknown or not past;
``finished`` 試験終了
    today > the last exam day, the latest of second_exam_end,
    second_exam_start and first_exam_date that is set.

The rules are applied in this order, so for example a guide release date in the
future gives ``preparing`` even if the application dates are already set.

Time zones: naive datetimes (what Plone stores for a site in Asia/Tokyo) are taken
as Tokyo time, aware ones are converted to Tokyo. Days (the guide release and
exam dates) are compared with today's date in Tokyo.
"""

from Acquisition import aq_base
from datetime import date
from datetime import datetime
from datetime import time
from kagoshima.saiyo.dates import to_tokyo
from kagoshima.saiyo.dates import TOKYO


__all__ = [
    "AHEAD",
    "CLOSED",
    "FIELDS",
    "FINISHED",
    "OPEN",
    "PAST",
    "PREPARING",
    "STATUSES",
    "UPCOMING",
    "compute_status",
    "is_accepting",
    "label",
    "status_of",
]


PREPARING = "preparing"
UPCOMING = "upcoming"
OPEN = "open"
CLOSED = "closed"
FINISHED = "finished"

# In the order an exam goes through them.
STATUSES: tuple[tuple[str, str], ...] = (
    (PREPARING, "準備中"),
    (UPCOMING, "受付前"),
    (OPEN, "受付中"),
    (CLOSED, "受付終了"),
    (FINISHED, "試験終了"),
)

_LABELS = dict(STATUSES)

# The two groups the pages show: exams an applicant can still take part in (受付中 first, then
# those whose application is yet to open: the order lists use), and exams that are over.
AHEAD: tuple[str, ...] = (OPEN, UPCOMING, PREPARING)
PAST: tuple[str, ...] = (CLOSED, FINISHED)

# The attributes of a content object that status_of() reads.
FIELDS = (
    "guide_release_date",
    "application_start",
    "application_end",
    "first_exam_date",
    "second_exam_start",
    "second_exam_end",
)


def label(token: str) -> str:
    """The Japanese label of a status token: ``label("open") == "受付中"``.

    Raises KeyError for an unknown token.
    """
    try:
        return _LABELS[token]
    except KeyError:
        raise KeyError(f"unknown exam status: {token!r}") from None


def _moment(value, end_of_day: bool) -> datetime | None:
    """An application start or end as an aware Tokyo datetime.

    A plain date is accepted too: as the start of that day, or for an end as
    its last moment (the whole day is included).
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return to_tokyo(value)
    if isinstance(value, date):
        return datetime.combine(value, time.max if end_of_day else time.min, tzinfo=TOKYO)
    raise TypeError(f"expected a datetime or a date, got {type(value).__name__}")


def _day(value) -> date | None:
    """A guide release or exam day; a datetime counts as its date in Tokyo."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return to_tokyo(value).date()
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date, got {type(value).__name__}")


def compute_status(
    *,
    guide_release_date: date | None = None,
    application_start: datetime | None = None,
    application_end: datetime | None = None,
    first_exam_date: date | None = None,
    second_exam_start: date | None = None,
    second_exam_end: date | None = None,
    now: datetime | None = None,
) -> str:
    """The status token of an exam with these dates, at ``now`` (default: the current time)."""
    now = datetime.now(TOKYO) if now is None else to_tokyo(now)
    today = now.date()

    start = _moment(application_start, end_of_day=False)
    end = _moment(application_end, end_of_day=True)
    release = _day(guide_release_date)
    exam_days = [_day(d) for d in (first_exam_date, second_exam_start, second_exam_end)]
    exam_days = [d for d in exam_days if d is not None]
    last_exam_day = max(exam_days) if exam_days else None

    if start is None or (release is not None and today < release):
        return PREPARING
    if now < start:
        return UPCOMING
    if end is None or now <= end:
        return OPEN
    if last_exam_day is None or today <= last_exam_day:
        return CLOSED
    return FINISHED


def status_of(obj, now: datetime | None = None) -> str:
    """The status token of a content object (an exam notice) at ``now``.

    Reads the attributes named in FIELDS; a missing one counts as not set.
    Acquisition is bypassed so that a container's dates never leak into an item.
    """
    base = aq_base(obj)
    values = {name: getattr(base, name, None) for name in FIELDS}
    return compute_status(now=now, **values)


def is_accepting(obj, now: datetime | None = None) -> bool:
    """True while applications are being accepted (status ``open``)."""
    return status_of(obj, now=now) == OPEN
