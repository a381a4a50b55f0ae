"""The recruitment facts of an Event (対象・形式・定員・申込締切・申込ボタン) below its body."""

from datetime import datetime
from kagoshima.saiyo.behaviors.recruitment_event import IRecruitmentEvent
from kagoshima.saiyo.dates import to_tokyo
from kagoshima.saiyo.dates import TOKYO
from kagoshima.saiyo.dates import wareki
from kagoshima.saiyo.vocabularies import term_title
from plone.app.layout.viewlets import ViewletBase


class RecruitmentEventViewlet(ViewletBase):
    def update(self):
        self.facts = IRecruitmentEvent(self.context, None)

    def rows(self):
        facts = self.facts
        rows = []
        if facts.audiences:
            labels = [term_title("kagoshima.saiyo.Audiences", token) for token in facts.audiences]
            rows.append(("対象", "、".join(labels)))
        if facts.event_format:
            rows.append(("開催形式", term_title("kagoshima.saiyo.EventFormats", facts.event_format)))
        if facts.capacity is not None:
            rows.append(("定員", f"{facts.capacity}人"))
        if facts.application_deadline:
            rows.append(("申込締切", wareki.format_datetime(facts.application_deadline)))
        return rows

    @property
    def accepting(self):
        facts = self.facts
        if not facts.application_url:
            return False
        deadline = facts.application_deadline
        if deadline is None:
            return True
        return datetime.now(TOKYO) <= to_tokyo(deadline)

    def render(self):
        if self.facts is None or not (self.rows() or self.facts.application_url):
            return ""
        return self.index()
