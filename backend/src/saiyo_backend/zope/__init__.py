"""Scripts run inside Zope on the site, all through ``runner`` (site, request, administrator, commit)."""
