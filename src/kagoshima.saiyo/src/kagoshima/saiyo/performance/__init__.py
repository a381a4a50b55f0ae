"""Render cost of uncached pages (issue 15): cures kept apart so each can be dropped alone.

- ``bundle_hash``: the hash of each resource bundle is kept between requests (upstream fix
  proposed in docs/performance/webresource-bundle-hash.md; drop this module when Plone has it).
- ``events_portlet``: the rendered HTML of plone.app.event's events portlet is kept until an
  event or the site changes.
- ``viewlets``: the HTML of the global sections, the breadcrumbs and the site footer kept for
  anonymous visitors; Barceloneta's hidden footer portlets and the toolbar's viewlets for visitors
  not rendered at all.
- ``sitemap``: @@sitemap's tree HTML kept for anonymous visitors.

The FAQ list and its FAQPage JSON-LD share one computation per request
(``kagoshima.saiyo.browser.faq.faq_entries``).
"""
