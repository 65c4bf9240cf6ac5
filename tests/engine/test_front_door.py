"""The package reaches the engine through its entry only, and the kinds stay apart.

Code outside ``sklearn_ssl/_engine/`` imports what it needs from
``sklearn_ssl._engine`` (the names its ``__init__`` exports), never from a
submodule; the series methods share nothing with text but through the
engine. Both are read off the source with :mod:`ast`, without importing it.
"""

import ast
import sys
from pathlib import Path

import pytest

import sklearn_ssl

PACKAGE = Path(sklearn_ssl.__file__).parent
ENGINE = "sklearn_ssl._engine"
ENGINE_MODULES = {path.stem for path in (PACKAGE / "_engine").glob("*.py")} - {"__init__"}


def module_name(path):
    """The dotted name of the package module at ``path``."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path):
    """``(line, module)`` of each module an import statement of ``path`` names.

    Relative imports are resolved; ``from package import name`` yields
    ``package.name`` as well, which is a module when ``name`` is a submodule.
    """
    package = module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module) if part)
            yield node.lineno, module
            for alias in node.names:
                yield node.lineno, f"{module}.{alias.name}"


def sources(folder, exclude=None):
    return [
        path
        for path in sorted(folder.rglob("*.py"))
        if exclude is None or exclude not in path.parents
    ]


def offending(paths, forbidden):
    """``path:line module`` for each import statement in ``paths`` that ``forbidden`` flags."""
    found = {}
    for path in paths:
        for line, module in imported_modules(path):
            if forbidden(module):
                found.setdefault((path, line), module)  # a statement once, by its module
    return [
        f"{path.relative_to(PACKAGE.parent)}:{line} {module}"
        for (path, line), module in found.items()
    ]


def engine_submodule(module):
    prefix, _, rest = module.partition(ENGINE + ".")
    return not prefix and rest.split(".")[0] in ENGINE_MODULES


def from_text(module):
    return module == "sklearn_ssl.text" or module.startswith("sklearn_ssl.text.")


def test_code_outside_the_engine_imports_from_its_entry_only():
    found = offending(sources(PACKAGE, exclude=PACKAGE / "_engine"), engine_submodule)
    assert not found, "import these from sklearn_ssl._engine:\n" + "\n".join(found)


def test_the_series_do_not_import_from_text():
    found = offending(sources(PACKAGE / "timeseries"), from_text)
    assert not found, "shared parts belong in the engine:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source, flagged",
    [
        ("from .._engine.batches import n_batches", True),
        ("from .._engine import host_batches", True),
        ("import sklearn_ssl._engine.distributed", True),
        ("from sklearn_ssl._engine.net import PretextNet", True),
        ("from .._engine import HostBatches, n_batches", False),
        ("from sklearn_ssl._engine import PretextNet", False),
        ("from ..losses import nt_xent_loss", False),
    ],
)
def test_the_check_sees_every_form_of_import(tmp_path, monkeypatch, source, flagged):
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path / "sklearn_ssl")
    path = tmp_path / "sklearn_ssl" / "image" / "_example.py"
    path.parent.mkdir(parents=True)
    path.write_text(source + "\n")
    assert bool(offending([path], engine_submodule)) == flagged
