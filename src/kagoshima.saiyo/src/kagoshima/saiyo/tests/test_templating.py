"""Template compilation is serialised (kagoshima/saiyo/templating.py): CPython 3.11's AST
constructor fails when two threads compile at once, which gave a visitor an error page on
a freshly started cluster client."""

from chameleon.template import BaseTemplate
from chameleon.zpt.template import PageTemplate
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import threading
import time
import unittest


class TestCompilationLock(unittest.TestCase):
    def test_templates_cooked_on_several_threads_are_cooked_one_at_a_time(self):
        original = BaseTemplate._cook
        state = {"now": 0, "most": 0}
        guard = threading.Lock()

        def slow_cook(template, *args, **kwargs):
            with guard:
                state["now"] += 1
                state["most"] = max(state["most"], state["now"])
            try:
                time.sleep(0.05)
                return original(template, *args, **kwargs)
            finally:
                with guard:
                    state["now"] -= 1

        def render(number):
            template = PageTemplate(
                f'<p tal:define="n python:{number} * 2" tal:content="string:試験 ${{n}}">x</p>'
            )
            return template()

        with mock.patch.object(BaseTemplate, "_cook", slow_cook):
            with ThreadPoolExecutor(max_workers=6) as pool:
                pages = list(pool.map(render, range(12)))
        self.assertEqual(pages[5].strip(), "<p>試験 10</p>")
        self.assertEqual(state["most"], 1)

    def test_the_wrapping_is_applied_once(self):
        from kagoshima.saiyo import templating

        wrapped = BaseTemplate.cook
        templating.serialise_compilation()
        self.assertIs(BaseTemplate.cook, wrapped)
        self.assertTrue(wrapped._saiyo_serialised)
