"""Content types of the recruitment site."""
