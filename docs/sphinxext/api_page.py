"""Write the API reference page from what the package exports.

The page lists every name in ``sklearn_ssl.__all__`` and the public names of
the submodules in :data:`SUBMODULES`, so estimators added to the package appear
in the reference with no edit here. ``conf.py`` calls :func:`write_api_page`
before Sphinx reads the sources; autosummary then writes one page per object
into ``api/generated/`` (the pages the estimators' HTML repr links to).
"""

import importlib
import inspect
from pathlib import Path

#: Submodules documented after the top-level names, with a title each; those
#: that do not exist (yet) are left out.
SUBMODULES = {
    "sklearn_ssl.base": "Base class",
    "sklearn_ssl.tabular": "Tables",
    "sklearn_ssl.image": "Images",
    "sklearn_ssl.text": "Text",
    "sklearn_ssl.timeseries": "Time series",
    "sklearn_ssl.finetune": "Stage two",
    "sklearn_ssl.tasks": "Pretext tasks",
    "sklearn_ssl.losses": "Losses",
    "sklearn_ssl.augment": "Augmentations",
    "sklearn_ssl.encoders": "Encoders",
    "sklearn_ssl.heads": "Heads",
    "sklearn_ssl.metrics": "Metrics",
    "sklearn_ssl.datasets": "Data sets",
    "sklearn_ssl.exceptions": "Exceptions and warnings",
}

#: The names of these submodules that belong in the reference (their
#: estimators are documented under their top-level import path): the base
#: classes a custom method derives from, the parts it reuses.
SELECTED_NAMES = {
    "sklearn_ssl.base": ["SelfSupervisedTransformer", "assign_parameters"],
    "sklearn_ssl.tabular": ["TabularSelfSupervised"],
    "sklearn_ssl.image": ["ImageSelfSupervised", "ViewsSelfSupervised"],
    "sklearn_ssl.text": ["TextSelfSupervised", "check_strings", "encode", "train_tokenizer"],
    "sklearn_ssl.timeseries": ["SeriesSelfSupervised"],
    "sklearn_ssl.finetune": ["EncoderWithHead"],
}


def public_names(module):
    """The documented names of ``module``: its ``__all__``, else what it defines."""
    names = getattr(module, "__all__", None)
    if names is None:
        names = [
            name
            for name, obj in vars(module).items()
            if not name.startswith("_")
            and (inspect.isclass(obj) or inspect.isfunction(obj))
            and obj.__module__ == module.__name__
        ]
    return sorted(name for name in names if not name.startswith("__"))


def _kind(obj):
    """Which top-level section an exported object goes to."""
    from sklearn_ssl.base import SelfSupervisedTransformer

    if inspect.isclass(obj) and issubclass(obj, SelfSupervisedTransformer):
        return "transformers"
    return "estimators" if inspect.isclass(obj) else "functions"


def _autosummary(names, template):
    lines = [".. autosummary::", "   :toctree: generated", f"   :template: {template}", ""]
    return lines + [f"   {name}" for name in names] + [""]


def _section(title, module_name, objects, intro=""):
    """An autosummary section for ``objects`` (name -> object) of ``module_name``."""
    lines = [title, "-" * len(title), "", f".. currentmodule:: {module_name}", ""]
    if intro:
        lines += [intro, ""]
    classes = sorted(name for name, obj in objects.items() if inspect.isclass(obj))
    others = sorted(name for name, obj in objects.items() if not inspect.isclass(obj))
    if classes:
        lines += _autosummary(classes, "class")
    if others:
        lines += _autosummary(others, "function")
    return lines


def api_page():
    """The reStructuredText of the API reference."""
    package = importlib.import_module("sklearn_ssl")
    top = {name: getattr(package, name) for name in public_names(package)}
    by_kind = {"transformers": {}, "estimators": {}, "functions": {}}
    for name, obj in top.items():
        by_kind[_kind(obj)][name] = obj
    lines = [
        ".. This page is written by docs/sphinxext/api_page.py at each build; do not edit.",
        "",
        "API reference",
        "=============",
        "",
        ".. automodule:: sklearn_ssl",
        "   :no-members:",
        "",
    ]
    lines += _section(
        "Self-supervised transformers",
        "sklearn_ssl",
        by_kind["transformers"],
        "``fit(X)`` learns an encoder without labels; ``transform(X)`` returns embeddings.",
    )
    if by_kind["estimators"]:
        lines += _section("Estimators", "sklearn_ssl", by_kind["estimators"])
    if by_kind["functions"]:
        lines += _section("Functions", "sklearn_ssl", by_kind["functions"])
    for module_name, title in SUBMODULES.items():
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        names = SELECTED_NAMES.get(module_name) or public_names(module)
        objects = {name: getattr(module, name) for name in names}
        heading = f":mod:`{module_name}`: {title}"
        lines += _section(heading, module_name, objects, f".. automodule:: {module_name}")
    return "\n".join(lines)


def write_api_page(path):
    """Write :func:`api_page` to ``path`` unless it already holds that text."""
    path = Path(path)
    text = api_page()
    if not path.is_file() or path.read_text() != text:  # keeps incremental builds
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
