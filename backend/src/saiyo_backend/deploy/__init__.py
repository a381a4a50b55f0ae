"""Deployment into the prefecture's closed network: offline wheelhouse, vulnerability audit."""
