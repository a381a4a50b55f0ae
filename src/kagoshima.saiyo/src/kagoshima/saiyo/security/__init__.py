"""Hardening and the audit trail: lockout and password policy (PAS), security headers,
upload rules, no user enumeration, and the record of who did what (SQLite)."""
