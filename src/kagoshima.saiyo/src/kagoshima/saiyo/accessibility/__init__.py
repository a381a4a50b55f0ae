"""ウェブアクセシビリティ: everything the site does for JIS X 8341-3:2016 in one place.

- checks.py, guard.py: the editor's check of rich text (on save, on 承認依頼, above the
  page), and which findings stop 承認依頼 (interfaces.py: the setting).
- results.py, views.py: the test results page. checklist.yaml is the maintained manual
  checklist (one entry per WCAG 2.0 A/AA success criterion); axe-results.json is written
  by ``make a11y-report``, an axe-core run in Chromium over the checklist's pages.
"""
