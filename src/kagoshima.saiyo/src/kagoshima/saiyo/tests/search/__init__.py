"""Tests of the site search and the assistant."""
