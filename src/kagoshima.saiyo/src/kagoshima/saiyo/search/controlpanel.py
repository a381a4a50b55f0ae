"""検索の同義語 (サイト設定): the synonym groups of the site search, one group per line.

The lines are checked before anything is saved: a faulty line is reported with its
number in Japanese and the stored list stays as it was.
"""

from kagoshima.saiyo.search.synonyms import ISearchSettings
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.z3cform import layout
from plone.z3cform.textlines import TextLinesFieldWidget


REGISTRY_PREFIX = "kagoshima.saiyo.search"


class SynonymsForm(RegistryEditForm):
    schema = ISearchSettings
    schema_prefix = REGISTRY_PREFIX
    label = "検索の同義語"
    description = (
        "サイト内検索で同じ意味として扱う語の組です。受験者が使いそうな言い方（例：「給料」「ボーナス」「家賃補助」）と、"
        "ページで使っている正式な言い方（「給与」「期末・勤勉手当」「住居手当」）を同じ行に書くと、"
        "どちらで検索しても同じページが見つかります。"
    )

    def updateFields(self):
        super().updateFields()
        self.fields["synonyms"].widgetFactory = TextLinesFieldWidget

    def updateWidgets(self):
        super().updateWidgets()
        widget = self.widgets["synonyms"]
        widget.rows = 20


SynonymsView = layout.wrap_form(SynonymsForm, ControlPanelFormWrapper)
