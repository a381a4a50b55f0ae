"""Inside Zope (zconsole, ``app`` bound): add the stock reference site of benchmarks.render.

    zconsole run <etc>/zope.conf benchmarks/render_stock_site.py <site id>

A plain Plone 6 ``classic`` site with Plone's own example content (its front page is the
reference page), Japanese and Asia/Tokyo like ours, created next to the demo site in the same
database, so that both are rendered by the same Zope process with the same packages loaded.
kagoshima.saiyo is not installed in it.
"""

from AccessControl.SecurityManagement import newSecurityManager
from plone.distribution.api import site as site_api

import sys
import transaction


def main(app, site_id: str) -> None:
    if site_id in app.objectIds():
        print(f"{site_id} exists")
        return
    user = app.acl_users.getUserById("admin")
    newSecurityManager(None, user.__of__(app.acl_users))
    answers = {
        "site_id": site_id,
        "title": "Plone site",
        "description": "",
        "default_language": "ja",
        "portal_timezone": "Asia/Tokyo",
        "setup_content": True,
    }
    site_api.create(app, "classic", answers)
    transaction.commit()
    print(f"created {site_id}")


main(app, sys.argv[-1])  # noqa: F821 - zconsole binds app
