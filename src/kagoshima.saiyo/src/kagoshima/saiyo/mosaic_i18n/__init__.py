"""The Mosaic editor in Japanese.

plone.app.mosaic 4.2 shows its toolbar, menus and tile buttons in English whatever the site's
language: the labels of the toolbar and menus are registry data (translated in
profiles/default/registry/mosaic_i18n.xml, upgrade 1018), and the rest are string literals of its
script, which has no translation. static/mosaic-i18n.js translates those with the catalog of the
domain ``plone.app.mosaic`` (locales/ja/LC_MESSAGES/plone.app.mosaic.po), read through Plone's
@@plonejsi18n like mockup's own patterns read theirs. The editor's プロパティ (plone.app.blocks'
レイアウト tab) is Plone's domain: locales/ja/LC_MESSAGES/plone.po.
"""
