"""Browser views of the site (visitor and editor pages)."""
