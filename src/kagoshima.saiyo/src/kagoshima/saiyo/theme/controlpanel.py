"""採用サイトの表示設定: the texts of the top page and the footer, edited in the browser."""

from kagoshima.saiyo.theme.interfaces import IDisplaySettings
from kagoshima.saiyo.theme.interfaces import REGISTRY_PREFIX
from kagoshima.saiyo.theme.keyvisual import KeyVisualForm
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.z3cform import layout


class DisplaySettingsForm(RegistryEditForm):
    schema = IDisplaySettings
    schema_prefix = REGISTRY_PREFIX
    label = "採用サイトの表示設定"
    description = (
        "トップページのメッセージ、フッターの問い合わせ先と SNS のリンクを設定します。"
        "トップページの各ブロックの並び順や表示・非表示は、トップページの「@@manage-viewlets」で変更できます。"
    )


DisplaySettingsView = layout.wrap_form(DisplaySettingsForm, ControlPanelFormWrapper)

KeyVisualView = layout.wrap_form(KeyVisualForm, ControlPanelFormWrapper)
