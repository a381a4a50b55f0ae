"""和暦 (Japanese era) helper: the only place of the project that knows the eras.

Pure Python, standard library only.

Every function accepts a ``datetime.date`` or a ``datetime.datetime``:

* a datetime is taken in Asia/Tokyo by ``dates.tokyo`` (naive means Tokyo, aware
  converts: 2025-03-31T15:30Z is 2025-04-01 here);
* a date is used as is.

The first year of an era is written 「元年」 in formatted output (令和元年5月1日).

Fiscal years (年度) run from April 1 to March 31 and are identified by the Western
year in which they start (fiscal 2025 = 2025-04-01 .. 2026-03-31).
"""

from datetime import date
from datetime import datetime
from datetime import MAXYEAR
from kagoshima.saiyo.dates.tokyo import to_tokyo
from kagoshima.saiyo.dates.tokyo import to_tokyo_date
from kagoshima.saiyo.dates.tokyo import TOKYO
from typing import NamedTuple

import unicodedata


__all__ = [
    "ERAS",
    "TOKYO",
    "Era",
    "era_year",
    "era_year_text",
    "fiscal_year",
    "fiscal_year_label",
    "format_date",
    "format_datetime",
    "parse_era_year",
    "to_tokyo_date",
    "year_label",
]


class Era(NamedTuple):
    name: str  # 「令和」
    code: str  # one-letter romaji code used in old URLs and JIS X 0301: "r"
    start: date  # first day of the era
    end: date | None  # last day of the era, None for the current one


# Oldest first. The start of 明治 is the Gregorian date of 慶応4年1月1日, from
# which the era was counted retroactively.
ERAS: tuple[Era, ...] = (
    Era("明治", "m", date(1868, 1, 25), date(1912, 7, 29)),
    Era("大正", "t", date(1912, 7, 30), date(1926, 12, 24)),
    Era("昭和", "s", date(1926, 12, 25), date(1989, 1, 7)),
    Era("平成", "h", date(1989, 1, 8), date(2019, 4, 30)),
    Era("令和", "r", date(2019, 5, 1), None),
)

_ERAS_BY_KEY = {key: era for era in ERAS for key in (era.name, era.code)}

# Monday is 0, as in date.weekday().
_WEEKDAYS = "月火水木金土日"


def _to_tokyo_datetime(dt: datetime) -> datetime:
    if not isinstance(dt, datetime):
        raise TypeError(f"expected a datetime, got {type(dt).__name__}")
    return to_tokyo(dt)


def _era_of(d: date) -> Era:
    for era in reversed(ERAS):
        if d >= era.start:
            return era
    raise ValueError(f"{d.isoformat()} is before the Meiji era (1868-01-25), which is not supported")


def _year_text(number: int) -> str:
    return "元" if number == 1 else str(number)


def era_year_text(d: date) -> str:
    """「令和元年」, 「令和7年」: the era and era year of a day, the first year written 元年."""
    name, number = era_year(d)
    return f"{name}{_year_text(number)}年"


def era_year(d: date) -> tuple[str, int]:
    """The era name and the era year of a day: ``era_year(date(2025, 5, 1)) == ("令和", 7)``."""
    d = to_tokyo_date(d)
    era = _era_of(d)
    return era.name, d.year - era.start.year + 1


def _format_day(d: date, weekday: bool) -> str:
    name, number = era_year(d)
    text = f"{name}{_year_text(number)}年{d.month}月{d.day}日"
    if weekday:
        text += f"（{_WEEKDAYS[d.weekday()]}）"
    return text


def format_date(d: date, weekday: bool = False) -> str:
    """「令和7年5月1日」, or with ``weekday=True`` 「令和7年5月1日（木）」."""
    return _format_day(to_tokyo_date(d), weekday)


def format_datetime(dt: datetime) -> str:
    """「令和7年5月1日（木）9時00分」: 24-hour clock, always with the weekday.

    A plain ``date`` is refused (TypeError): it has no time of day, and printing
    0時00分 for it would state a time nobody entered.
    """
    dt = _to_tokyo_datetime(dt)
    return f"{_format_day(dt.date(), True)}{dt.hour}時{dt.minute:02d}分"


def fiscal_year(d: date) -> int:
    """The fiscal year (April 1 – March 31) of a day, as its Western start year.

    2026-03-31 → 2025, 2026-04-01 → 2026.
    """
    d = to_tokyo_date(d)
    return d.year if d.month >= 4 else d.year - 1


def _check_year(year: int) -> None:
    if isinstance(year, bool) or not isinstance(year, int):
        raise TypeError(f"expected an int year, got {type(year).__name__}")


def fiscal_year_label(year: int, western: bool = True) -> str:
    """「令和7年度（2025年度）」 for the fiscal year that starts on April 1 of ``year``;
    「令和7年度」 with ``western=False``.

    Which era names a fiscal year is a matter of custom, not of the calendar.
    The custom reproduced here: the fiscal year takes the era in force at the end
    of the calendar year in which it starts (December 31), and its number is that
    era's year number of the start year. This gives

    * 2019 → 令和元年度: on 2019-04-01 it was still 平成31年, but the government
      calls fiscal 2019 令和元年度 (the era changed on May 1, early in the year);
    * 2018 → 平成30年度;
    * 1989 → 平成元年度 and 1988 → 昭和63年度 (昭和 ended on 1989-01-07, in the
      last quarter of fiscal 1988, which nevertheless stays 昭和63年度).

    "The era in force on the last day of the fiscal year" (March 31 of the next
    year) gives the same answer for every era change except one falling between
    January 1 and March 31, as 平成 did: it would call fiscal 1988 平成0年度.
    """
    _check_year(year)
    label = f"{_calendar_year_era(year)}度"
    return f"{label}（{year}年度）" if western else label


def year_label(year: int) -> str:
    """「令和8年（2026年）」 for a calendar year, named after the era of its December 31.

    2019 → 「令和元年（2019年）」.
    """
    _check_year(year)
    return f"{_calendar_year_era(year)}（{year}年）"


def _calendar_year_era(year: int) -> str:
    """「令和元年」: the era of December 31 of ``year`` with its year number."""
    return era_year_text(date(year, 12, 31))


def parse_era_year(era: str, year: str | int) -> int:
    """The Western year of an era year: ``parse_era_year("令和", "元") == 2019``.

    ``era`` is an era name (「平成」) or its one-letter romaji code as used in old
    URLs (``r``, ``h``, ``s``, also ``t`` and ``m``; either case). ``year`` is an
    int or a string of ASCII or full-width digits (「３０」, "03"), or 「元」.

    Raises ValueError for an unknown era, a malformed year, or a year the era
    never reached (平成32 does not exist: 平成 ended in its 31st year).
    """
    if not isinstance(era, str):
        raise TypeError(f"expected the era as a str, got {type(era).__name__}")
    key = unicodedata.normalize("NFKC", era).strip()
    found = _ERAS_BY_KEY.get(key) or _ERAS_BY_KEY.get(key.lower())
    if found is None:
        raise ValueError(f"unknown era: {era!r}")
    number = _parse_year_number(year)
    last = found.end.year - found.start.year + 1 if found.end else MAXYEAR - found.start.year + 1
    if not 1 <= number <= last:
        raise ValueError(f"year {number} is out of range for the era {found.name} (1..{last})")
    return found.start.year + number - 1


def _parse_year_number(year: str | int) -> int:
    if isinstance(year, bool):
        raise TypeError("expected the year as an int or a str, got bool")
    if isinstance(year, int):
        return year
    if not isinstance(year, str):
        raise TypeError(f"expected the year as an int or a str, got {type(year).__name__}")
    text = unicodedata.normalize("NFKC", year).strip()
    if text == "元":
        return 1
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"not an era year: {year!r}")
    return int(text)
