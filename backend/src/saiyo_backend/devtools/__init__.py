"""Tools for developers and releases: the lock, buildout versions, translations, manuals, images, a11y report."""
