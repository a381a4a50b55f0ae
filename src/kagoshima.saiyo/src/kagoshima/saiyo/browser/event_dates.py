"""Dates of events in Plone's own listings (the events portlet) as the rest of the site writes them.

plone.app.event's portlet prints the start with Plone's localised format and the event's
time zone after it (「(Asia/Tokyo)」). This site writes dates in 和暦 with the weekday and
a 24-hour time (``kagoshima.saiyo.dates``) and every date is Tokyo time, so the zone says
nothing. ``event_start_text`` is the one function that decides the text; the content
provider below puts it into the portlet (registered for this site's layer, it replaces
plone.app.event's ``formatted_date`` provider of portlet renderers), and
``EventsPortletDates`` gives the portlet's renderer the template without the time zone.
"""

from datetime import datetime
from kagoshima.saiyo.dates import to_tokyo
from kagoshima.saiyo.dates import wareki
from markupsafe import escape
from plone.app.event.browser.formatted_date import FormattedStartDateProvider
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile


def event_start_text(start, whole_day: bool = False) -> str:
    """「令和7年12月7日（日）13時00分」, or 「令和7年12月7日（日）」 for a whole-day event."""
    if start is None:
        return ""
    return wareki.format_date(start, weekday=True) if whole_day else wareki.format_datetime(start)


class EventStartDateProvider(FormattedStartDateProvider):
    """``formatted_date`` of portlet renderers: the start of an event or occurrence in a <time>.

    Plone's ``__call__`` (its ``dates_for_display``) is kept; only the template is replaced.
    """

    def template(self, _view):
        start_iso = self.date_dict.get("start_iso")
        if not start_iso:
            return ""
        whole_day = bool(self.date_dict.get("whole_day"))
        start = to_tokyo(datetime.fromisoformat(start_iso))
        iso = start.date().isoformat() if whole_day else start.isoformat(timespec="minutes")
        text = event_start_text(start, whole_day)
        return f'<time class="saiyo-event-date" datetime="{escape(iso)}">{escape(text)}</time>'


class EventsPortletDates:
    """Mixin of the events portlet's renderer: plone.app.event's template minus 「(Asia/Tokyo)」."""

    _template = ViewPageTemplateFile("templates/portlet_events.pt")
