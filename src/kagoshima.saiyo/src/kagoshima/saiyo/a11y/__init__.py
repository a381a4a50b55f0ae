"""The editor's accessibility check over rich text (on save, on 承認依頼, on the page)."""
