"""One Zope instance: rendering it from a profile, running it, and the page-view collector beside it."""
