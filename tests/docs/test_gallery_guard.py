"""The gallery leaves out exactly the examples whose sklearn_ssl imports fail."""

import importlib.util
import re
from pathlib import Path

DOCS = Path(__file__).parents[2] / "docs"  # the repository's docs/


def _guard():
    path = DOCS / "sphinxext" / "gallery_guard.py"
    spec = importlib.util.spec_from_file_location("gallery_guard", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_examples_with_missing_names_are_left_out(tmp_path):
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "plot_ok.py").write_text(
        "import sklearn_ssl\n"
        "from sklearn_ssl import SCARF\n"
        "from sklearn_ssl.metrics import rankme\n"
    )
    (tmp_path / "plot_later.py").write_text(
        "import numpy\nfrom sklearn_ssl import SCARF, NotYetMerged\n"
        "from sklearn_ssl.no_such_module import thing\n"
    )
    guard = _guard()
    skipped = guard.examples_missing_names(tmp_path)
    assert skipped == {"plot_later.py": ["sklearn_ssl.NotYetMerged", "sklearn_ssl.no_such_module"]}
    pattern = guard.ignore_pattern(skipped)
    assert re.search(pattern, "plot_later.py")
    assert re.search(pattern, "__init__.py")
    assert not re.search(pattern, "plot_ok.py")
    assert not re.search(pattern, "plot_later.py.bak")
