"""The HTML repr of every estimator links to its page of the API reference."""

import importlib.util
import inspect
from pathlib import Path

import pytest
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.utils import estimator_html_repr

import sklearn_ssl
from sklearn_ssl import SCARF, _doc_links
from sklearn_ssl.base import SelfSupervisedTransformer

DOCS = Path(__file__).parents[2] / "docs"  # the repository's docs/
API_ROOT = "https://sklearn-ssl.readthedocs.io/en/latest/api/generated/"

ESTIMATORS = [
    getattr(sklearn_ssl, name)
    for name in sklearn_ssl.__all__
    if inspect.isclass(getattr(sklearn_ssl, name))
    and issubclass(getattr(sklearn_ssl, name), BaseEstimator)
]


def _api_page_module():
    """docs/sphinxext/api_page.py, which writes the API reference."""
    spec = importlib.util.spec_from_file_location("api_page", DOCS / "sphinxext" / "api_page.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _bare(estimator_class):
    """An instance without calling ``__init__``: the link depends on the class only."""
    return estimator_class.__new__(estimator_class)


@pytest.fixture
def published(monkeypatch):
    """The docs as if published at the root of API_ROOT."""
    monkeypatch.setattr(_doc_links, "DOCS_URL", API_ROOT.removesuffix("api/generated/"))


@pytest.mark.parametrize("estimator_class", ESTIMATORS, ids=lambda cls: cls.__name__)
def test_every_estimator_links_to_its_api_page(estimator_class, published):
    link = _bare(estimator_class)._get_doc_link()
    assert link == f"{API_ROOT}sklearn_ssl.{estimator_class.__name__}.html"


@pytest.mark.parametrize("estimator_class", ESTIMATORS, ids=lambda cls: cls.__name__)
def test_no_link_while_the_docs_are_unpublished(estimator_class):
    """A "?" link to a site that does not exist would be a dead link."""
    assert _doc_links.DOCS_URL is None
    assert _bare(estimator_class)._get_doc_link() == ""


def test_api_pages_list_every_public_name():
    pages = _api_page_module().api_pages()
    listed = {
        line.strip() for page in pages.values() for line in page.splitlines() if line[:3] == "   "
    }
    public = {name for name in sklearn_ssl.__all__ if not name.startswith("__")}
    assert public <= listed
    # so that the estimators' pages are api/generated/sklearn_ssl.<name>.html
    assert ".. currentmodule:: sklearn_ssl\n" in pages["transformers"]
    assert "SelfSupervisedTransformer" in listed
    assert "PretextTask" in listed


def test_the_api_index_lists_groups_not_every_object():
    """The sidebar shows the index's toctree: a dozen groups, not 60 names."""
    pages = _api_page_module().api_pages()
    toctree = pages["index"].split(".. toctree::")[1]
    entries = [line.strip() for line in toctree.splitlines()[3:] if line.strip()]
    assert entries == [stem for stem in pages if stem != "index"]
    assert entries[:3] == ["transformers", "estimators", "functions"]
    assert "autosummary" not in pages["index"] and len(entries) < 20


def test_html_repr_of_a_pipeline_shows_the_link(published):
    pipe = make_pipeline(SCARF(n_components=4), LogisticRegression())
    html = estimator_html_repr(pipe)
    assert f'href="{API_ROOT}sklearn_ssl.SCARF.html"' in html
    assert "scikit-learn.org" in html  # LogisticRegression keeps scikit-learn's link


class _UserMethod(SelfSupervisedTransformer):
    """A method written outside the package: there is no page to link to."""

    def __init__(self):
        pass

    def _build_task(self, X):
        raise NotImplementedError


def test_subclass_outside_the_package_has_no_link(published):
    assert _UserMethod()._get_doc_link() == ""
