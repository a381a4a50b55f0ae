"""Page views for administrators (アクセス集計) and the Google Analytics switch.

How a page view is counted
--------------------------
1. A published page viewed anonymously carries ``<meta name="saiyo-pv">`` with its UID
   and an HMAC of that UID (``token.py``), plus a tiny inline script (``static/pv.js``).
   Logged-in users never get them, so staff are not counted.
2. After ``load`` (and only once a prerendered page is really shown) the browser sends
   ``navigator.sendBeacon`` to ``<site>/@@pv``. The HTML may come from any cache: the
   beacon is sent by the visitor's browser, so cached pages are counted too.
3. ``collector.py`` decides (POST only, same origin, no prefetch, no crawler user agent,
   no login cookie, a valid signed token) and ``store.py`` adds one to the day's counter
   (day in Asia/Tokyo, UID, device class) in SQLite under the instance's var directory.
   It is served by the WSGI filter ``kagoshima.saiyo.wsgi.pageviews`` before Zope is entered, so a beacon
   never touches ZODB nor the Zope publisher; the same collector runs alone as
   ``saiyo collector`` for the reverse proxy to route ``/@@pv`` to (then the
   Zope processes spend nothing on beacons: see ``make bench``), and
   ``views.PageViewBeacon`` is the same collector as a Zope view, for instances without
   the middleware (the buildout one).
4. ``views.PageViewsView`` (サイト設定 → アクセス集計) joins the counters with the catalog
   by UID, so renamed and moved pages keep their history.

Nothing personal is stored: no IP address, cookie or user-agent string, only the day,
the page's UID and the class of device (mobile, tablet, desktop).
"""
