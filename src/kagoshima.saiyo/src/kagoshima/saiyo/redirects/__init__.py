"""Permanent redirects: plone.app.redirector answers stored old paths with 302; this site
answers them with 301.

Every path in the redirection storage is a page that moved for good — the old site's URLs
stored by the migration (saiyo migrate-import) and pages renamed or moved in Plone —
so search engines and bookmarks should follow them permanently. Requests other than GET
keep Plone's 307 (the client must repeat the same method).
"""

from plone.app.redirector.browser import FourOhFourView


class PermanentFourOhFourView(FourOhFourView):
    def attempt_redirect(self):
        response = self.request.response
        redirect = response.redirect

        def permanent(location, status=302, lock=0):
            return redirect(location, status=301 if status == 302 else status, lock=lock)

        response.redirect = permanent
        try:
            return super().attempt_redirect()
        finally:
            del response.redirect
