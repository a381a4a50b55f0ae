"""Upgrade steps: the readable history of the add-on's configuration.

Each step gets a dated folder (``vYYYYMMDDNNN``) with its own small GenericSetup profile
when it touches configuration, and a registration in ``configure.zcml``; the default
profile's ``metadata.xml`` version is raised to the newest step.
"""
