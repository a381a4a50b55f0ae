"""'make test' (tests/run_all.py) fails a suite that discovers fewer tests than it is known to
have, even when the test runner itself reports success, and accepts a suite that grew."""

from tests import run_all

import pytest


TRIVIAL_TESTS = """
def test_one():
    assert 1


def test_two():
    assert 2


def test_three():
    assert 3
"""


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """run_all pointed at an empty project in tmp_path."""
    (tmp_path / "src" / "kagoshima.saiyo" / "src").mkdir(parents=True)
    (tmp_path / "tests").mkdir()
    monkeypatch.setattr(run_all, "ROOT", tmp_path)
    monkeypatch.setattr(run_all, "OUTPUT", tmp_path / "test-output")
    return tmp_path


def test_addon_suite_that_finds_no_test_fails(elsewhere, capsys):
    # zope.testrunner itself says "Total: 0 tests, 0 failures" and exits 0 here.
    assert run_all.run_addon_tests() == (0, 1, 0)
    assert f"at least {run_all.ADDON_MINIMUM} expected" in capsys.readouterr().out


def test_project_suite_below_its_minimum_fails(elsewhere, capsys):
    (elsewhere / "tests" / "test_few.py").write_text(TRIVIAL_TESTS)
    assert run_all.run_project_tests([]) == (3, 1, 0)
    assert f"only 3 tests discovered, at least {run_all.PROJECT_MINIMUM} expected" in capsys.readouterr().out


def test_project_suite_at_or_above_its_minimum_passes(elsewhere, monkeypatch):
    (elsewhere / "tests" / "test_few.py").write_text(TRIVIAL_TESTS)
    monkeypatch.setattr(run_all, "PROJECT_MINIMUM", 2)
    assert run_all.run_project_tests([]) == (3, 0, 0)
