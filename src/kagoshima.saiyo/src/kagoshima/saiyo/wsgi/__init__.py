"""The WSGI filters of the add-on, and the order they run in.

``instance/templates/zope.ini.j2`` (every rendered instance) and ``buildout.cfg`` build the
same pipeline from them, outermost first::

    security_headers         security_headers.py: the security headers also on Zope's own
                             error pages (first, so that nothing leaves without them)
    compress                 compress.py: gzip for text responses
    egg:Zope#httpexceptions
    pageviews                pageviews.py: answers POST …/@@pv (page-view beacons) before
                             Zope and before the access log
    translogger              the access log
    site_at_root             site_at_root.py: the site at / without a front proxy
                             (zope.ini.j2 with instance.site_at_root: development and tests)
    zope

Each factory is also a ``paste.filter_factory`` entry point of the distribution
(``egg:kagoshima.saiyo#<name>``, src/kagoshima.saiyo/pyproject.toml). A new filter goes
into this package, this list, the template and buildout.cfg together.
"""
