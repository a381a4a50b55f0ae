"""HTTP caching of the public site: what plone.app.caching needs beyond its own parts."""
