"""The site's look for visitors: theme resources, header, footer, top page and SEO tags.

The visual language lives in static/saiyo.css as CSS custom properties layered over
Barceloneta (registered as the ``kagoshima-saiyo`` bundle in profiles/default/registry/theme.xml).
"""
