"""HTTP caching of the public site (issue 8): what plone.app.caching needs beyond its own parts."""
