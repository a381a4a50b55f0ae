"""Dates as the old site wrote them, to aware Asia/Tokyo datetimes.

The old pages mix 和暦 (令和, 平成, 元年), Western years, full-width and half-width
digits, ``~`` ``〜`` ``～`` as range marks whose end omits the year or the month,
weekday marks (「(水曜日)」「(水)」), times (「午前9時」「17時15分」「17:15」),
places in 〔…〕 and 「(予定)」. This module turns such a value into a
:class:`Schedule`; a value that names no day (「11月下旬」) gives no date and a
warning, and its text is kept verbatim by the caller: nothing is guessed.
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import time
from kagoshima.saiyo.dates import to_tokyo
from kagoshima.saiyo.dates import wareki

import re
import unicodedata


WEEKDAYS = "月火水木金土日"
RANGE_MARKS = "~〜～∼〜－"

_ERA = r"(?:令和|平成|昭和|[RrHhSs](?=\d|元))"
_DAY = re.compile(
    r"(?:(?P<era>" + _ERA + r")\s*(?P<ey>元|\d{1,2})\s*年|(?P<y>\d{4})\s*年)?\s*"
    r"(?:(?P<m>\d{1,2})\s*月)?\s*(?P<d>\d{1,2})\s*日"
    r"(?:\s*\(\s*(?P<wd>[月火水木金土日])(?:曜日?)?\s*\))?"
    r"(?:\s*(?P<ampm>午前|午後)?\s*(?P<hh>\d{1,2})\s*(?:時\s*(?:(?P<mm>\d{1,2})\s*分|半)?|:\s*(?P<mm2>\d{2})))?"
)
_VAGUE = re.compile(r"(?:\d{1,2}\s*月\s*)?(?:上旬|中旬|下旬|頃|ごろ|以降|予定日未定|未定)")
_PLACES = re.compile(r"〔([^〔〕]*)〕")
_TENTATIVE = re.compile(r"\(\s*予定\s*\)")


@dataclass
class Schedule:
    """One parsed schedule value."""

    text: str  # the value as written (whitespace collapsed)
    start: datetime | None = None  # aware, Asia/Tokyo
    end: datetime | None = None  # aware, Asia/Tokyo; None for a single day
    start_has_time: bool = False
    end_has_time: bool = False
    places: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # inner 〔…〕 texts that are not places
    tentative: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def is_date(self) -> bool:
        return self.start is not None


def normalize(text: str) -> str:
    """NFKC (full-width digits and brackets to ASCII), one kind of range mark, single spaces."""
    text = unicodedata.normalize("NFKC", text or "")
    for mark in RANGE_MARKS:
        text = text.replace(mark, "~")
    text = text.replace("，", ",").replace("、", ",")
    # 「8月4日から8月20日まで」 is a range as well; 2021/8/4 and 2021.8.4 are days
    text = re.sub(r"(?<=[日)\d分時])\s*から\s*", "~", text).replace("まで", "")
    text = re.sub(r"(?<!\d)(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?!\d)", r"\1年\2月\3日", text)
    text = text.replace("正午", "12時")
    return re.sub(r"\s+", " ", text).strip()


def _year(match) -> int | None:
    if match.group("era"):
        era = match.group("era")
        return wareki.parse_era_year(era if len(era) == 2 else era.lower(), match.group("ey"))
    if match.group("y"):
        return int(match.group("y"))
    return None


def _time(match) -> time | None:
    if match.group("hh") is None:
        return None
    hour = int(match.group("hh"))
    minute_text = match.group("mm") or match.group("mm2")
    minute = int(minute_text) if minute_text else (30 if "半" in match.group(0) else 0)
    if match.group("ampm") == "午後" and hour < 12:
        hour += 12
    if not (0 <= hour <= 24 and 0 <= minute < 60):
        raise ValueError(f"not a time of day: {match.group(0)}")
    if hour == 24:
        return time(23, 59, 59)
    return time(hour, minute)


def _day(match, year: int | None, month: int | None, warnings: list[str]):
    """(date, time or None) of one match; ``year``/``month`` fill what the text omits."""
    y = _year(match) or year
    m = int(match.group("m")) if match.group("m") else month
    if y is None or m is None:
        raise LookupError(match.group(0))
    day = date(y, m, int(match.group("d")))
    weekday = match.group("wd")
    if weekday and WEEKDAYS[day.weekday()] != weekday:
        warnings.append(
            f"曜日が日付と合いません: 「{match.group(0).strip()}」は{WEEKDAYS[day.weekday()]}曜日です（日付を採用）"
        )
    return day, _time(match)


def _aware(day: date, at: time | None, end: bool) -> datetime:
    if at is None:
        at = time(23, 59, 59) if end else time(0, 0)
    return to_tokyo(datetime.combine(day, at), storable=True)


def parse(text: str, default_year: int | None = None) -> Schedule:
    """Parse one value of the 試験日程 table.

    ``default_year`` is used only when the value has no year at all (the fiscal year's
    calendar year of that month, worked out by the caller); it is reported as a warning.
    """
    raw = re.sub(r"\s+", " ", text or "").strip()
    result = Schedule(text=raw)
    value = normalize(raw)
    # 〔…〕: places, or inner periods such as 〔インターネット申込受付期間:…〕
    for inner in _PLACES.findall(value):
        if _DAY.search(inner) or ":" in inner:
            result.notes.append(inner.strip())
        else:
            result.places.extend(p.strip() for p in re.split(r"[,・/]", inner) if p.strip())
    value = _PLACES.sub(" ", value)
    if _TENTATIVE.search(value):
        result.tentative = True
        value = _TENTATIVE.sub(" ", value)
    value = value.strip()
    parts = value.split("~", 1)
    first = _DAY.search(parts[0])
    if first is None or _VAGUE.search(value):
        result.warnings.append(f"日付として読めません（原文のまま残します）: 「{raw}」")
        return result
    try:
        year = _year(first)
        if year is None:
            if default_year is None:
                raise LookupError(first.group(0))
            result.warnings.append(f"年が書かれていないため、年度から{default_year}年としました: 「{raw}」")
            year = default_year
        start_day, start_time = _day(first, year, None, result.warnings)
        result.start = _aware(start_day, start_time, end=False)
        result.start_has_time = start_time is not None
        if len(parts) == 2:
            second = _DAY.search(parts[1])
            if second is None:
                result.warnings.append(f"期間の終わりが日付として読めません（原文のまま残します）: 「{raw}」")
                return result
            end_year = _year(second)
            end_month = int(second.group("m")) if second.group("m") else start_day.month
            if end_year is None:
                end_year = start_day.year + (1 if end_month < start_day.month else 0)
            end_day, end_time = _day(second, end_year, start_day.month, result.warnings)
            result.end = _aware(end_day, end_time, end=True)
            result.end_has_time = end_time is not None
            if result.end < result.start:
                result.warnings.append(f"期間の終わりが始まりより前です: 「{raw}」")
        elif first.group("hh") is None and _DAY.search(parts[0][first.end() :]):
            # several single days ("9月26日,10月3日"): the first is the date, the rest is noted
            result.notes.append(parts[0][first.end() :].strip(" ,"))
    except LookupError as error:
        result.start = result.end = None
        result.warnings.append(
            f"年または月が書かれていないため日付にできません（原文のまま残します）: 「{error}」"
        )
    except ValueError as error:
        result.start = result.end = None
        result.warnings.append(f"日付として正しくありません（原文のまま残します）: 「{raw}」（{error}）")
    return result


def fiscal_year_of_text(text: str) -> int | None:
    """The fiscal year named in a title: 「令和3年度」→2021, 「平成30年度」→2018, 「2024年度」→2024."""
    value = normalize(text)
    match = re.search(r"(令和|平成)\s*(元|\d{1,2})\s*年度", value)
    if match:
        return wareki.parse_era_year(match.group(1), match.group(2))
    match = re.search(r"(\d{4})\s*年度", value)
    return int(match.group(1)) if match else None


def fiscal_year_of_url(url: str) -> int | None:
    """The fiscal year of an old URL ending in ``_r03`` / ``_h30``."""
    match = re.search(r"_([rh])(\d{2})(?:\.html?)?/?$", url)
    if not match:
        return None
    return wareki.parse_era_year(match.group(1), match.group(2))
