"""Everything that runs beside Zope: instance rendering, site creation, checks."""
