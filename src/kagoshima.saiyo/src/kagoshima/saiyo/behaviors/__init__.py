"""Behaviours added to Plone's own types."""
