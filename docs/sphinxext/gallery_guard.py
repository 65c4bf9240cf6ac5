"""Leave out gallery examples that import names ``sklearn_ssl`` does not have.

An example is written once for an estimator that lands later (on another
branch): it enters the gallery at the first build where all of its
``from sklearn_ssl... import ...`` names resolve, with no edit to the docs. The
build log lists the examples left out and why.
"""

import ast
import importlib
import re
from pathlib import Path


def missing_names(path):
    """The ``sklearn_ssl`` names an example imports that cannot be imported now."""
    tree = ast.parse(Path(path).read_text(), filename=str(path))
    missing = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sklearn_ssl"):
            try:
                module = importlib.import_module(node.module)
            except ImportError:
                missing.append(node.module)
                continue
            missing += [
                f"{node.module}.{alias.name}"
                for alias in node.names
                if not hasattr(module, alias.name)
            ]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("sklearn_ssl"):
                    try:
                        importlib.import_module(alias.name)
                    except ImportError:
                        missing.append(alias.name)
    return missing


def examples_missing_names(examples_dir):
    """Map each example under ``examples_dir`` that cannot run to its missing names."""
    skipped = {}
    for path in sorted(Path(examples_dir).rglob("*.py")):
        names = missing_names(path)
        if names:
            skipped[path.relative_to(examples_dir).as_posix()] = names
    return skipped


def ignore_pattern(skipped):
    """sphinx-gallery's ``ignore_pattern``: ``__init__.py`` plus the skipped examples.

    sphinx-gallery matches it against file names without their folder (which
    it requires to be unique across the gallery).
    """
    names = [r"__init__\.py$"] + [
        "^" + re.escape(Path(example).name) + "$" for example in sorted(skipped)
    ]
    return "|".join(names)
