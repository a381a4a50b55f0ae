"""Control panels of the site setup (サイト設定)."""
