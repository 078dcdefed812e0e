"""The examples in the package's docstrings run and print what they show."""

import doctest
import importlib
import pkgutil

import pytest

import dcai_course

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(dcai_course.__path__, prefix="dcai_course.")
    if not info.name.startswith("dcai_course.grading.labs")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
