"""Sphinx configuration of the sklearn-ssl documentation.

Build it with ``make docs`` (warnings are errors). The API reference is written
from ``sklearn_ssl.__all__`` at each build (``sphinxext/api_page.py``), and the
gallery runs every example in ``examples/`` whose ``sklearn_ssl`` imports
resolve (``sphinxext/gallery_guard.py``), so estimators merged later appear in
both without an edit here.
"""

import re
import sys
from pathlib import Path

import torch

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "sphinxext"))

from api_page import write_api_pages  # noqa: E402
from gallery_guard import examples_missing_names, ignore_pattern  # noqa: E402

import sklearn_ssl  # noqa: E402

torch.set_num_threads(1)  # small models on a shared CPU: one thread is fastest

project = "sklearn-ssl"
author = "the sklearn-ssl developers"
copyright = "2026, " + author
release = sklearn_ssl.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
root_doc = "index"
default_role = "literal"

# -- API reference -------------------------------------------------------------

write_api_pages(HERE / "api")
autosummary_generate = True
autodoc_typehints = "none"
numpydoc_show_class_members = False  # the class template lists members instead
numpydoc_class_members_toctree = False

# -- gallery -------------------------------------------------------------------

EXAMPLES = HERE.parent / "examples"
SKIPPED_EXAMPLES = examples_missing_names(EXAMPLES)

sphinx_gallery_conf = {
    "examples_dirs": str(EXAMPLES),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "ignore_pattern": ignore_pattern(SKIPPED_EXAMPLES),
    "doc_module": ("sklearn_ssl",),
    "backreferences_dir": "api/generated/backreferences",
    "within_subsection_order": "FileNameSortKey",
    "remove_config_comments": True,
    "show_memory": False,
    "min_reported_time": 5,
    "download_all_examples": False,
    "plot_gallery": "True",
    "abort_on_example_error": False,
}

# -- HTML ----------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"sklearn-ssl {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_static_path = ["_static"]
html_css_files = ["wide_code.css"]
html_show_sourcelink = False


#: A numpydoc "name : type" line; types such as ``(n_samples, n_components_)``
#: name fitted attributes, whose trailing underscore reST reads as a link.
TYPE_LINE = re.compile(r"^(\s*[\w*][\w*, ]*\s:\s)(.+)$")
FITTED_NAME = re.compile(r"(?<![`\w])([A-Za-z]\w*_)(?![`\w])")


def quote_fitted_names_in_types(app, what, name, obj, options, lines):
    """Write ``n_components_`` in parameter types as a literal, as scikit-learn does."""
    for i, line in enumerate(lines):
        match = TYPE_LINE.match(line)
        if match:
            lines[i] = match.group(1) + FITTED_NAME.sub(r"`\1`", match.group(2))


def unlink_scikit_learn_labels(app, env, node, contnode):
    """Show references to scikit-learn's own guide, in inherited docstrings, as text."""
    if node.get("refdomain") == "std" and "docstring of sklearn." in (node.source or ""):
        return contnode
    return None


def setup(app):
    app.connect("autodoc-process-docstring", quote_fitted_names_in_types, priority=400)
    app.connect("missing-reference", unlink_scikit_learn_labels)
    if SKIPPED_EXAMPLES:
        from sphinx.util import logging

        logger = logging.getLogger(__name__)
        for example, names in sorted(SKIPPED_EXAMPLES.items()):
            logger.info(f"gallery: skipping {example} (sklearn_ssl lacks {', '.join(names)})")
