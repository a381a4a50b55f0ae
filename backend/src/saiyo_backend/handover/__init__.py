"""The handover: everything in the site written out in open formats, and read back into another site."""
