"""Is this a visitor's request? One answer for everything that serves only readers.

Analytics (counting, Google Analytics) and the reader (音声読み上げ) appear on the pages
visitors read, never on forms and management screens. The answer is decided by the names
traversed, not by who is logged in: login and password forms are open to anonymous users
but are not pages to read.
"""

import re


# Traversal steps of forms and management screens: never tracked, even when an
# anonymous visitor can reach them (login, password reset, registration). Exact names,
# so that content whose id merely starts like one ("login-guide") is still a page.
NOT_PUBLIC_NAMES = frozenset(
    """edit base_edit folder_contents content_status_history sharing delete_confirmation object_rename
    login login_form login-help logout logged_out require_login insufficient-privileges
    mail_password mail_password_form passwordreset register personal-information change-password
    overview-controlpanel plone_control_panel manage manage_main manage_workspace
    saiyo-pageviews saiyo-analytics-settings saiyo-vocabularies""".split()
)
NOT_PUBLIC_PATTERN = re.compile(r"^\+\+add\+\+|-controlpanel$|^prefs_|^manage_|^portal_factory$")


def is_public_request(request) -> bool:
    """False for forms and management screens (by the names traversed)."""
    for name in getattr(request, "steps", None) or ():
        name = str(name).removeprefix("@@")
        if name in NOT_PUBLIC_NAMES or NOT_PUBLIC_PATTERN.search(name):
            return False
    return True
