"""ウェブアクセシビリティ: the JIS X 8341-3:2016 test results page.

checklist.yaml is the maintained manual checklist (one entry per WCAG 2.0 A/AA success
criterion); axe-results.json is written by ``make a11y-report`` (backend/a11y_report.py),
an axe-core run in Chromium over the checklist's pages. results.py merges the two.
"""
