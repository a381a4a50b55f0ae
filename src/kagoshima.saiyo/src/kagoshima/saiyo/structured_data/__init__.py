"""JSON-LD structured data (schema.org) written into the page head."""
