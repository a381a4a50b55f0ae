"""アクセス解析の設定: the Google Analytics 4 measurement ID (registry, validated).

A dedicated field rather than Plone's own "JavaScript for web statistics support"
(``plone.webstats_js``, サイト設定 → サイト): that one takes any HTML and puts it on
every page, for editors and in the edit interface too. Here the ID is checked
(``G-`` and at least four capitals or digits) with a Japanese message, and the snippet
is made by the add-on, only for anonymous visitors on public pages.
"""

from kagoshima.saiyo.analytics.interfaces import IAnalyticsSettings
from kagoshima.saiyo.analytics.interfaces import REGISTRY_PREFIX
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.z3cform import layout


class AnalyticsSettingsForm(RegistryEditForm):
    schema = IAnalyticsSettings
    schema_prefix = REGISTRY_PREFIX
    label = "アクセス解析の設定"
    description = (
        "Google アナリティクス 4 を使う場合に測定IDを設定します。設定すると、閲覧者の情報が Google LLC に"
        "送信されます。設定する前に、サイトポリシーの「外部送信に関する公表事項」が実際の送信内容と"
        "合っていることを確認してください。ページごとの閲覧数は、この設定にかかわらず「アクセス集計」で確認できます。"
    )


AnalyticsSettingsView = layout.wrap_form(AnalyticsSettingsForm, ControlPanelFormWrapper)
