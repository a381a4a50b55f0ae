"""試験日程: one table of every notice's dates, and the same as an .ics calendar."""

from datetime import date
from datetime import datetime
from datetime import timedelta
from kagoshima.saiyo.browser.exams import badge_class
from kagoshima.saiyo.browser.exams import query_notices
from kagoshima.saiyo.browser.exams import status_of_brain
from kagoshima.saiyo.content import exam_status
from kagoshima.saiyo.dates import to_tokyo
from kagoshima.saiyo.dates import TOKYO
from kagoshima.saiyo.dates import wareki
from Products.Five.browser import BrowserView

import icalendar


def _tokyo(value):
    return to_tokyo(value) if isinstance(value, datetime) else value


def milestones(notice):
    """[(label, start, end)] of one notice, dates or datetimes, in the exam's order."""
    items = []
    if notice.guide_release_date:
        items.append(("試験案内配布開始", notice.guide_release_date, None))
    if notice.application_start:
        items.append(("申込受付", _tokyo(notice.application_start), _tokyo(notice.application_end)))
    if notice.first_exam_date:
        items.append(("第1次試験", notice.first_exam_date, None))
    if notice.first_result_date:
        items.append(("第1次試験合格発表", notice.first_result_date, None))
    if notice.second_exam_start:
        items.append(("第2次試験", notice.second_exam_start, notice.second_exam_end))
    if notice.final_result_date:
        items.append(("最終合格発表", notice.final_result_date, None))
    return items


class ScheduleView(BrowserView):
    """A table per fiscal year of every published exam notice."""

    def notices(self):
        rows = []
        for brain in query_notices():
            notice = brain.getObject()
            status = status_of_brain(brain)
            rows.append(
                {
                    "title": brain.Title,
                    "url": brain.getURL(),
                    "fiscal_year": notice.fiscal_year,
                    "status": status,
                    "status_label": exam_status.label(status),
                    "badge_class": badge_class(status),
                    "application": self._period(notice.application_start, notice.application_end, time=True),
                    "first_exam": wareki.format_date(notice.first_exam_date, weekday=True)
                    if notice.first_exam_date
                    else "",
                    "second_exam": self._period(notice.second_exam_start, notice.second_exam_end),
                    "final_result": wareki.format_date(notice.final_result_date, weekday=True)
                    if notice.final_result_date
                    else (notice.final_result_note or ""),
                }
            )
        return rows

    def years(self):
        """[(label, rows)] newest fiscal year first."""
        by_year = {}
        for row in self.notices():
            by_year.setdefault(row["fiscal_year"], []).append(row)
        return [
            (wareki.fiscal_year_label(year), rows) for year, rows in sorted(by_year.items(), reverse=True)
        ]

    @staticmethod
    def _period(start, end, time=False):
        if not start:
            return ""
        text = wareki.format_datetime(start) if time else wareki.format_date(start, weekday=True)
        if end and end != start:
            text += " ～ " + (wareki.format_datetime(end) if time else wareki.format_date(end, weekday=True))
        return text


class ScheduleICalendar(BrowserView):
    """試験日程.ics: every milestone of every published notice, importable into any calendar."""

    def calendar(self) -> icalendar.Calendar:
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//Kagoshima Prefecture//saiyo exam schedule//JA")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", "鹿児島県職員採用試験 日程")
        calendar.add("x-wr-timezone", "Asia/Tokyo")
        stamp = datetime.now(TOKYO)
        for brain in query_notices():
            notice = brain.getObject()
            for number, (label, start, end) in enumerate(milestones(notice)):
                event = icalendar.Event()
                event.add("uid", f"{brain.UID}-{number}@saiyo.pref.kagoshima.jp")
                event.add("summary", f"{label}: {brain.Title}")
                event.add("dtstamp", stamp)
                event.add("url", brain.getURL())
                if isinstance(start, datetime):
                    event.add("dtstart", start)
                    event.add("dtend", end or start + timedelta(hours=1))
                else:
                    event.add("dtstart", start)
                    last = end if isinstance(end, date) else start
                    event.add("dtend", last + timedelta(days=1))  # DTEND of all-day events is exclusive
                calendar.add_component(event)
        return calendar

    def __call__(self):
        response = self.request.response
        response.setHeader("Content-Type", "text/calendar; charset=utf-8")
        response.setHeader("Content-Disposition", 'attachment; filename="saiyo-schedule.ics"')
        return self.calendar().to_ical()
