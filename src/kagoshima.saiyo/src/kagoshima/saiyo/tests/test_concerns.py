"""Hands zope.testrunner the tests of this folder's sub-packages (one per concern of the source).

zope.testrunner reads ``test*`` modules only in folders named ``tests``; the modules in
``tests/content/``, ``tests/security/`` … are collected here, so the plain
``zope-testrunner --test-path src/kagoshima.saiyo/src`` runs every test. Each test keeps its own
module in its id, so ``-t content.test_exam_status`` or ``-t test_exam_status`` selects it (``-m``
sees only this module). Every ``test*`` module of a sub-package must import: a broken one fails the
run here instead of being left out.
"""

import importlib
import pkgutil
import unittest


def test_suite() -> unittest.TestSuite:
    suite = unittest.TestSuite()
    loader = unittest.defaultTestLoader
    tests = importlib.import_module(__package__)
    for package in pkgutil.iter_modules(tests.__path__):
        if not package.ispkg:
            continue
        sub_package = importlib.import_module(f"{__package__}.{package.name}")
        for module in pkgutil.iter_modules(sub_package.__path__):
            if module.ispkg or not module.name.startswith("test"):
                continue
            imported = importlib.import_module(f"{sub_package.__name__}.{module.name}")
            if hasattr(imported, "test_suite"):
                suite.addTest(imported.test_suite())
            else:
                suite.addTest(loader.loadTestsFromModule(imported))
    return suite
