"""Every date form of the old site (../shared/design/old-site.md) to aware Asia/Tokyo datetimes."""

from datetime import datetime
from migration import dates

import pytest
import pytz


TOKYO = pytz.timezone("Asia/Tokyo")


def at(*args):
    return TOKYO.localize(datetime(*args))


@pytest.mark.parametrize(
    "text, start, end",
    [
        # 和暦, half-width digits, weekday with 曜日, range end omitting year and month
        ("令和3年8月4日(水曜日)~20日(金曜日)", at(2021, 8, 4), at(2021, 8, 20, 23, 59, 59)),
        # full-width digits and the full-width tilde, short weekday marks
        ("令和３年８月４日（水）～８月２０日（金）", at(2021, 8, 4), at(2021, 8, 20, 23, 59, 59)),
        # the wave dash, end omitting only the year
        ("平成30年9月3日(月)〜10月1日(月)", at(2018, 9, 3), at(2018, 10, 1, 23, 59, 59)),
        # 元年
        ("令和元年7月1日(月曜日)~7月12日(金曜日)", at(2019, 7, 1), at(2019, 7, 12, 23, 59, 59)),
        ("平成元年6月5日(月)", at(1989, 6, 5), None),
        # end in the next calendar year without its year
        ("令和6年12月20日(金)~1月10日(金)", at(2024, 12, 20), at(2025, 1, 10, 23, 59, 59)),
        # end with its own era and year
        ("平成31年4月1日(月)~令和元年5月10日(金)", at(2019, 4, 1), at(2019, 5, 10, 23, 59, 59)),
        # times of day
        ("令和3年8月4日(水)午前9時~8月19日(木)午後5時", at(2021, 8, 4, 9), at(2021, 8, 19, 17)),
        ("令和7年5月1日(木)9:00~5月20日(火)17:15", at(2025, 5, 1, 9), at(2025, 5, 20, 17, 15)),
        ("令和7年5月1日(木)8時30分", at(2025, 5, 1, 8, 30), None),
        # Western year, full-width
        ("２０２５年６月１５日（日）", at(2025, 6, 15), None),
        # から … まで, slashes, noon
        ("令和3年8月4日(水)から8月20日(金)まで", at(2021, 8, 4), at(2021, 8, 20, 23, 59, 59)),
        ("2021/8/4(水)~2021/8/20(金)正午", at(2021, 8, 4), at(2021, 8, 20, 12)),
        ("R3年8月4日(水)", at(2021, 8, 4), None),
    ],
)
def test_dates(text, start, end):
    parsed = dates.parse(text)
    assert parsed.start == start
    assert parsed.end == end
    assert parsed.warnings == []
    assert parsed.start.tzinfo is not None and parsed.start.utcoffset().total_seconds() == 9 * 3600


def test_places_single_and_several():
    one = dates.parse("令和3年9月26日(日曜日)〔鹿児島市〕")
    assert one.start == at(2021, 9, 26) and one.places == ["鹿児島市"]
    several = dates.parse("令和3年9月26日(日曜日)〔鹿児島市,東京都〕")
    assert several.places == ["鹿児島市", "東京都"]
    japanese_comma = dates.parse("令和３年９月２６日（日）〔鹿児島市、東京都，大阪市〕")
    assert japanese_comma.places == ["鹿児島市", "東京都", "大阪市"]


def test_range_with_places():
    parsed = dates.parse("令和3年10月18日(月曜日)~10月29日(金曜日)のうち指定する日〔鹿児島市〕")
    assert parsed.start == at(2021, 10, 18) and parsed.end == at(2021, 10, 29, 23, 59, 59)
    assert parsed.places == ["鹿児島市"]


def test_tentative():
    parsed = dates.parse("令和3年10月8日(金曜日)(予定)")
    assert parsed.start == at(2021, 10, 8) and parsed.tentative


def test_inner_internet_period_is_kept_as_note():
    parsed = dates.parse(
        "令和3年8月4日(水曜日)~20日(金曜日)〔インターネット申込受付期間:令和3年8月4日(水曜日)~19日(木曜日)〕"
    )
    assert parsed.end == at(2021, 8, 20, 23, 59, 59)
    assert parsed.notes == ["インターネット申込受付期間:令和3年8月4日(水曜日)~19日(木曜日)"]


@pytest.mark.parametrize("text", ["令和3年11月下旬(予定)", "11月下旬", "令和4年1月中旬~下旬", "未定"])
def test_vague_values_are_not_dates(text):
    parsed = dates.parse(text)
    assert parsed.start is None and parsed.end is None
    assert parsed.text == text
    assert parsed.warnings and "原文のまま" in parsed.warnings[0]


def test_wrong_weekday_is_warned_not_dropped():
    parsed = dates.parse("令和3年9月26日(土)")
    assert parsed.start == at(2021, 9, 26)
    assert "曜日" in parsed.warnings[0]


def test_year_missing_uses_default_with_warning():
    parsed = dates.parse("9月26日(日)", default_year=2021)
    assert parsed.start == at(2021, 9, 26)
    assert parsed.warnings
    assert dates.parse("9月26日(日)").start is None


def test_impossible_date():
    parsed = dates.parse("令和3年2月30日")
    assert parsed.start is None and parsed.warnings


@pytest.mark.parametrize(
    "title, year",
    [
        ("令和3年度:鹿児島県職員採用試験(短大卒業程度)(概要)", 2021),
        ("令和元年度 鹿児島県職員採用試験", 2019),
        ("平成３０年度　民間企業等職務経験者", 2018),
        ("2024年度 選考", 2024),
        ("試験の概要", None),
    ],
)
def test_fiscal_year_of_text(title, year):
    assert dates.fiscal_year_of_text(title) == year


@pytest.mark.parametrize(
    "url, year",
    [
        ("/info/about_test/intermediate_test/intermediate_test_r03", 2021),
        ("/info/about_test/minkan_test/minkan_test_h30/", 2018),
        ("/info/about_test/minkan_test/minkan_test_r01.html", 2019),
        ("/test_guide/87183", None),
    ],
)
def test_fiscal_year_of_url(url, year):
    assert dates.fiscal_year_of_url(url) == year


@pytest.mark.parametrize(
    "label, key",
    [
        ("第一次試験日〔試験地〕", "第1次試験日〔試験地〕"),
        ("1次試験 合格発表日", "第1次試験合格発表日"),
        ("第２次試験", "第2次試験"),
    ],
)
def test_schedule_labels(label, key):
    from migration import exam

    assert exam.schedule_key(label) == key
