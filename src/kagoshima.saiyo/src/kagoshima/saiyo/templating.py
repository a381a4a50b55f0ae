"""One template compilation at a time.

CPython 3.11 keeps the recursion depth of its AST constructor in state shared by all
threads (gh-106905, gh-95185). Two threads that compile at the same moment can make
``compile()`` or ``ast.parse()`` fail with ``SystemError: AST constructor recursion depth
mismatch``. In Zope that happens when a freshly started client renders its first pages
on several threads: Chameleon cooks the page templates, RestrictedPython compiles their
Python expressions, and one visitor gets an error page (seen in the cluster tests).

Compiling is done once per template and process, so serialising it costs nothing after
start-up. Rendering is not serialised.
"""

from functools import wraps

import logging
import threading


logger = logging.getLogger("kagoshima.saiyo.templating")

COMPILE_LOCK = threading.RLock()


def _serialised(function):
    if getattr(function, "_saiyo_serialised", False):
        return function

    @wraps(function)
    def wrapper(*args, **kwargs):
        with COMPILE_LOCK:
            return function(*args, **kwargs)

    wrapper._saiyo_serialised = True
    return wrapper


def serialise_compilation() -> None:
    """Wrap Chameleon's template cooking and RestrictedPython's compiler in one lock."""
    from chameleon.template import BaseTemplate

    import RestrictedPython.compile

    BaseTemplate.cook = _serialised(BaseTemplate.cook)
    RestrictedPython.compile._compile_restricted_mode = _serialised(
        RestrictedPython.compile._compile_restricted_mode
    )
    logger.debug("template compilation serialised")
