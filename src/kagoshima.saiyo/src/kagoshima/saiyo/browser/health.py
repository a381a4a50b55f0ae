"""@@health: a cheap liveness answer for monitoring and load balancers.

Reads (never writes) the database: opening the site root proves that this Zope client
reaches its storage (ZEO server or PostgreSQL). Answers JSON, never cached.
"""

from Products.Five.browser import BrowserView

import json
import os
import time


class HealthView(BrowserView):
    def __call__(self):
        started = time.monotonic()
        response = self.request.response
        response.setHeader("Content-Type", "application/json; charset=utf-8")
        response.setHeader("Cache-Control", "no-store")
        try:
            database = self.context._p_jar.db()
            answer = {
                "status": "ok",
                "client": os.environ.get("SAIYO_CLIENT", ""),
                "database": database.database_name,
                "database_bytes": database.getSize(),
            }
        except Exception as error:  # storage unreachable: tell the monitor, do not raise
            response.setStatus(503)
            answer = {
                "status": "error",
                "client": os.environ.get("SAIYO_CLIENT", ""),
                "error": type(error).__name__,
            }
        answer["milliseconds"] = round((time.monotonic() - started) * 1000, 1)
        return json.dumps(answer)
