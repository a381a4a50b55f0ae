"""plone.restapi adaptations for the recruitment types."""
