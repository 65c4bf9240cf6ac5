"""The ``>>>`` examples of the documentation's pages run and give what they show."""

import doctest
from pathlib import Path

import pytest

DOCS = Path(__file__).parents[2] / "docs"  # the repository's docs/
GENERATED = ("_build", "auto_examples", "api")  # written by the docs build
PAGES = sorted(
    page for page in DOCS.rglob("*.rst") if page.relative_to(DOCS).parts[0] not in GENERATED
)


def test_pages_are_found():
    assert {"index.rst", "custom_pretext_task.rst", "few_labels.rst"} <= {p.name for p in PAGES}


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(DOCS).as_posix())
def test_page_examples(page):
    result = doctest.testfile(
        str(page),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        raise_on_error=False,
    )
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed"
