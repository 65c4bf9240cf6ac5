"""Write the API reference page from what the package exports.

The page lists every name in ``sklearn_ssl.__all__`` and the public names of
the submodules in :data:`SUBMODULES`, so estimators added to the package appear
in the reference with no edit here. ``conf.py`` calls :func:`write_api_pages`
before Sphinx reads the sources: an index and one page per group (the
estimators by kind, then each submodule), so the sidebar shows the groups;
autosummary then writes one page per object into ``api/generated/`` (the
pages the estimators' HTML repr links to).
"""

import importlib
import inspect
from pathlib import Path

#: Submodules documented after the top-level names, a page each with its
#: title; those that do not exist (yet) are left out.
SUBMODULES = {
    "sklearn_ssl.base": "Base class of every method",
    "sklearn_ssl.tabular": "Table methods: base class",
    "sklearn_ssl.image": "Image methods: base classes",
    "sklearn_ssl.text": "Text methods: base class and tokenizer",
    "sklearn_ssl.timeseries": "Series methods: base class",
    "sklearn_ssl.finetune": "Stage two: encoder with head",
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
    """An autosummary section for ``objects`` (name -> object) of ``module_name``;
    a ``title`` of None gives no heading."""
    heading = [] if title is None else [title, "-" * len(title), ""]
    lines = heading + [f".. currentmodule:: {module_name}", ""]
    if intro:
        lines += [intro, ""]
    classes = sorted(name for name, obj in objects.items() if inspect.isclass(obj))
    others = sorted(name for name, obj in objects.items() if not inspect.isclass(obj))
    if classes:
        lines += _autosummary(classes, "class")
    if others:
        lines += _autosummary(others, "function")
    return lines


#: The pages of the reference, in the sidebar's order: (file stem, title, what
#: it holds). The top-level names go to the first three by kind.
TOP_LEVEL_PAGES = {
    "transformers": (
        "Self-supervised transformers",
        "``fit(X)`` learns an encoder without labels; ``transform(X)`` returns embeddings.",
    ),
    "estimators": (
        "Stage two: classifiers and regressors",
        "Fine-tuning, semi-supervised training and probes on a self-supervised encoder.",
    ),
    "functions": ("Functions", "Saving and loading fitted estimators, and helpers."),
}


def _page(title, sections, intro=""):
    lines = [
        ".. This page is written by docs/sphinxext/api_page.py at each build; do not edit.",
        "",
        title,
        "=" * len(title),
        "",
    ]
    if intro:
        lines += [intro, ""]
    for section in sections:
        lines += section
    return "\n".join(lines)


def api_pages():
    """``{file stem: reStructuredText}``: the index, then one page per group."""
    package = importlib.import_module("sklearn_ssl")
    top = {name: getattr(package, name) for name in public_names(package)}
    by_kind = {kind: {} for kind in TOP_LEVEL_PAGES}
    for name, obj in top.items():
        by_kind[_kind(obj)][name] = obj
    pages = {}
    for kind, (title, intro) in TOP_LEVEL_PAGES.items():
        if by_kind[kind]:
            pages[kind] = _page(title, [_section(None, "sklearn_ssl", by_kind[kind])], intro)
    for module_name, title in SUBMODULES.items():
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        names = SELECTED_NAMES.get(module_name) or public_names(module)
        objects = {name: getattr(module, name) for name in names}
        heading = f":mod:`{module_name}`"
        pages[module_name.removeprefix("sklearn_ssl.")] = _page(
            title, [_section(heading, module_name, objects, f".. automodule:: {module_name}")]
        )
    toctree = [".. toctree::", "   :maxdepth: 1", ""] + [f"   {stem}" for stem in pages]
    index = _page(
        "API reference",
        [[".. automodule:: sklearn_ssl", "   :no-members:", ""] + toctree],
        "The estimators first, then the parts a custom method is built from.",
    )
    return {"index": index, **pages}


def write_api_pages(folder):
    """Write :func:`api_pages` into ``folder``, leaving files that already hold their text."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for stem, text in api_pages().items():
        path = folder / f"{stem}.rst"
        if not path.is_file() or path.read_text() != text:  # keeps incremental builds
            path.write_text(text)
