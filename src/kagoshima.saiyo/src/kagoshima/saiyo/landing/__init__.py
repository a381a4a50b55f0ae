"""Landing pages composed in the Mosaic editor: this site's tiles, content layouts, their cache purge."""
