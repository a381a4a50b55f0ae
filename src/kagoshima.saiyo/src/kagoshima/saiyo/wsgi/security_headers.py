"""The safety net of headers.py: a WSGI filter that adds the security headers to responses
that never went through Zope's publication events — the error pages Zope's
``httpexceptions`` filter and the publisher make themselves (404 and 500 in debug mode,
errors before traversal). Headers a response already has are left as they are.

Its place in the pipeline: first (see the package docstring).
"""

from kagoshima.saiyo.security.headers import STATIC_HEADERS


def make_filter(global_conf, **local_conf):
    return lambda app: SecurityHeaders(app)


def default_policy() -> str:
    from kagoshima.saiyo.security.headers import default_policy as policy

    return policy()


class SecurityHeaders:
    def __init__(self, app):
        self.app = app
        self._policy = None

    @property
    def policy(self):
        if self._policy is None:
            self._policy = default_policy()
        return self._policy

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            extra = [(name, value) for name, value in STATIC_HEADERS.items() if name.lower() not in present]
            if "content-security-policy" not in present:
                extra.append(("Content-Security-Policy", self.policy))
            return start_response(status, list(headers) + extra, exc_info)

        return self.app(environ, start)
