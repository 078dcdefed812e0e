"""Fixtures shared by test files: the whole course's static site, built once per process."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def course_site(tmp_path_factory):
    """``build_site`` on the course itself: (the report, its folder). Built once per
    test process (tests/test_site.py checks it, tests/test_browser.py opens its decks)."""
    from dcai_course.site import build_site

    out = tmp_path_factory.mktemp("course_site")
    return build_site(ROOT, out), out
