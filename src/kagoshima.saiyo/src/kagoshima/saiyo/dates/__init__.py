"""Date helpers of the recruitment site: 和暦 (Japanese era) formatting and fiscal years."""
