"""Save and load fitted estimators without pickle.

``est.save(path)`` writes one safetensors file: the pretext task's weights and
buffers as tensors, and, in the file's string metadata, JSON for everything
else. ``sklearn_ssl.load(path)`` checks the metadata, rebuilds the estimator
from its parameters, rebuilds the task with the estimator's own
``_restore_task`` (``_build_task`` from stub rows of the fitted shape, unless
a method builds the architecture alone there), and loads the tensors into
it. Reading the file parses JSON and raw tensor bytes only: unlike pickle, it
never imports or runs code named by the file.

Metadata keys (all strings, as safetensors requires):

``format``
    ``"sklearn-ssl"``.
``format_version``
    ``"1"``; a file from a newer format is refused.
``library_version``
    The ``sklearn_ssl.__version__`` that wrote the file (informative).
``estimator``
    The class name; only the public estimators of :mod:`sklearn_ssl`, each
    marked :func:`loadable` where it is defined, load.
``params``
    JSON object of ``get_params(deep=False)``.
``fitted``
    JSON object of the other instance attributes (``n_features_in_``,
    ``feature_names_in_``, ``n_components_``, ``n_iter_``, ``history_``, ...),
    everything but the skorch engine ``net_``, plus ``_seed``, the seed its
    epochs are drawn from (so that ``partial_fit`` continues the same streams).

JSON values are plain JSON, or one-key objects tagging other types:
``{"__tuple__": [...]}``, ``{"__dict__": {...}}``, ``{"__ndarray__": [...],
"dtype": "float64"}``, ``{"__history__": [...]}`` (skorch History),
``{"__device__": "cuda:0"}``, ``{"__tokenizer__": "..."}`` (a Hugging Face
``tokenizers.Tokenizer`` in its own JSON form, ``Tokenizer.to_str``) and
``{"__path__": "..."}`` (a ``pathlib.Path``, e.g. the ``pretrained`` folder
of a text model: recorded, never read by ``load``). Tensors
are named as in the task's ``state_dict``; a tensor shared under several
names is stored once, under its first name.

A fine-tuning estimator's file (``FineTunedClassifier``, ``FineTunedRegressor``)
has one more key, ``transformer``: the JSON of its pretrained transformer's
own metadata (the keys above); its tensors are the transformer's task's under
the prefix ``estimator_.`` and each fine-tuned network's task under ``net_.``
(and ``teacher_net_.`` after distillation). Its ``params`` leave out the
``estimator`` parameter, which ``load`` sets to the loaded transformer in a
:class:`sklearn.frozen.FrozenEstimator`.
"""

import json
import os
import pathlib
import warnings

import numpy as np
import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import load_file, save_file
from sklearn.frozen import FrozenEstimator
from sklearn.utils.validation import check_is_fitted
from skorch.history import History

from ._engine import is_main_process, net_for, resolve_device, seeded_torch
from ._renamed import under_new_names
from ._version import __version__

FORMAT = "sklearn-ssl"
FORMAT_VERSION = 1
METADATA_KEYS = {"format", "format_version", "library_version", "estimator", "params", "fitted"}
#: The extra metadata key of a fine-tuning estimator's file: its transformer's header.
STAGE_TWO_KEY = "transformer"
#: The fine-tuning estimators' networks a file holds, in this order.
STAGE_TWO_NETS = ("net_", "teacher_net_")
_ARRAY_KINDS = {"b", "i", "u", "f"}
_PICKLE_HINT = "save it with pickle or joblib instead (and load only pickles you trust)"
#: The estimators ``load`` rebuilds, by the class name a file holds: filled by :func:`loadable`.
LOADABLE = {}


def loadable(cls):
    """Class decorator: let :func:`load` rebuild ``cls`` from a file that names it.

    Every public estimator with ``save`` is marked so where it is defined;
    ``load`` then finds it by name, never importing what a file names.
    """
    LOADABLE[cls.__name__] = cls
    return cls


def save(estimator, path):
    """Write fitted ``estimator`` to ``path`` from the main process; see the module docstring."""
    check_is_fitted(estimator)
    if not is_main_process():  # in a data-parallel run, the others hold the same model
        return
    if hasattr(estimator, "estimator_"):  # stage two: the transformer and the fine-tuned nets
        metadata, tensors = _stage_two_contents(estimator)
    else:
        metadata, tensors = _header(estimator), _unique_tensors(estimator.net_.module_)
    save_file(tensors, os.fspath(path), metadata=metadata)


def _header(estimator, exclude=()):
    """The metadata of a fitted estimator: its parameters and fitted attributes as JSON."""
    params = {k: v for k, v in estimator.get_params(deep=False).items() if k not in exclude}
    fitted = {
        name: value
        for name, value in vars(estimator).items()
        if name not in params and name not in exclude
    }
    fitted["_seed"] = fitted.pop("net_").seed
    return {
        "format": FORMAT,
        "format_version": str(FORMAT_VERSION),
        "library_version": __version__,
        "estimator": type(estimator).__name__,
        "params": _dumps(params, "parameter"),
        "fitted": _dumps(fitted, "fitted attribute"),
    }


def _stage_two_contents(estimator):
    """Metadata and tensors of a fine-tuning estimator: its own header, its transformer's
    header under ``"transformer"``, and the tensors of each under a prefix."""
    transformer = _unfrozen(estimator.estimator_)
    networks = [name for name in STAGE_TWO_NETS if name in vars(estimator)]
    metadata = _header(estimator, exclude=("estimator", "estimator_", *networks[1:]))
    metadata[STAGE_TWO_KEY] = json.dumps(_header(transformer))
    tensors = {
        f"estimator_.{name}": tensor
        for name, tensor in _unique_tensors(transformer.net_.module_).items()
    }
    for network in networks:
        module = vars(estimator)[network].module_
        tensors.update({f"{network}.{name}": t for name, t in _unique_tensors(module).items()})
    return metadata, tensors


def _unfrozen(estimator):
    """The estimator inside a :class:`sklearn.frozen.FrozenEstimator`, or ``estimator``."""
    return estimator.estimator if isinstance(estimator, FrozenEstimator) else estimator


def load(path, *, device=None):
    """Load an estimator saved with ``est.save(path)``, without executing code.

    Parameters
    ----------
    path : str or os.PathLike
        A file written by :meth:`SelfSupervisedTransformer.save`.
    device : str, torch.device or None, default=None
        Where to put the model. None uses the estimator's ``device``
        parameter, falling back to the CPU (with a warning) when that asks
        for CUDA and there is none.

    Returns
    -------
    estimator : SelfSupervisedTransformer, FineTunedClassifier or FineTunedRegressor
        The fitted estimator, ready for ``transform`` (``predict`` for stage
        two); ``partial_fit`` continues training with a fresh optimizer state.

    Raises
    ------
    ValueError
        When the file is not an sklearn-ssl file, comes from a newer format
        version, or holds unexpected content.

    Examples
    --------
    >>> import os, tempfile
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_ssl import SCARF, load
    >>> X, _ = load_iris(return_X_y=True)
    >>> scarf = SCARF(n_components=4, max_epochs=2, device="cpu", random_state=0).fit(X)
    >>> path = os.path.join(tempfile.mkdtemp(), "scarf.safetensors")
    >>> scarf.save(path)
    >>> (load(path).transform(X) == scarf.transform(X)).all()
    np.True_
    """
    path = os.fspath(path)
    try:
        with safe_open(path, framework="pt") as file:
            metadata = file.metadata()
    except SafetensorError as exc:
        raise ValueError(
            f"{path!r} is not an sklearn-ssl model file (a safetensors file written by "
            f"est.save): {exc}"
        ) from exc
    estimator_class = _check_metadata(metadata, path)
    tensors = load_file(path)
    if STAGE_TWO_KEY in metadata:
        return _load_stage_two(estimator_class, metadata, tensors, path, device)
    return _rebuild(estimator_class, metadata, tensors, path, device)


def _rebuild(estimator_class, metadata, tensors, path, device):
    """A fitted self-supervised transformer from its metadata and its task's tensors."""
    estimator = estimator_class()
    # a parameter added since the file was written takes the value that reproduces it
    older = getattr(estimator_class, "_values_for_older_files", {})
    params = under_new_names(estimator_class, _loads(metadata["params"], "params"))
    estimator.set_params(**{**older, **params})
    estimator._validate_params()
    seed = _set_fitted(estimator, metadata, path)
    device = _load_device(estimator, device)
    with seeded_torch(0, device):
        task = estimator._restore_task()
    _load_tensors(task, tensors, path)
    estimator.net_ = net_for(estimator, task.to(device).eval(), seed, device)
    if isinstance(getattr(estimator, "history_", None), History):
        estimator.net_.history = estimator.history_
    return estimator


def _load_stage_two(estimator_class, metadata, tensors, path, device):
    """A fitted fine-tuning estimator: its transformer first, then its fine-tuned nets.

    Its ``estimator`` parameter becomes the loaded transformer in a
    :class:`sklearn.frozen.FrozenEstimator`, so that a new ``fit`` fine-tunes
    the same pretraining.
    """
    try:
        inner = json.loads(metadata[STAGE_TWO_KEY])
    except ValueError as exc:
        raise ValueError(f"{path!r}: the {STAGE_TWO_KEY!r} metadata is not valid JSON.") from exc
    if not isinstance(inner, dict) or not all(isinstance(v, str) for v in inner.values()):
        raise ValueError(f"{path!r}: the {STAGE_TWO_KEY!r} metadata is not a header.")
    parts = _split_tensors(tensors, path)
    transformer = _rebuild(
        _check_metadata(inner, path), inner, parts.pop("estimator_", {}), path, device
    )
    estimator = estimator_class(FrozenEstimator(transformer))
    estimator.set_params(**under_new_names(estimator_class, _loads(metadata["params"], "params")))
    estimator._validate_params()
    seed = _set_fitted(estimator, metadata, path)
    estimator.estimator_ = transformer
    device = _load_device(estimator, device)
    if "net_" not in parts or set(parts) - set(STAGE_TWO_NETS):
        raise ValueError(
            f"{path!r} holds the networks {sorted(parts)}, expected net_ (and teacher_net_)."
        )
    for name, network_tensors in parts.items():
        net = estimator._net_to_load(_n_outputs(network_tensors, path), seed, device)
        _load_tensors(net.module_, network_tensors, path)
        net.module_.eval()
        setattr(estimator, name, net)
    if isinstance(getattr(estimator, "history_", None), History):
        estimator.net_.history = estimator.history_
    return estimator


def _set_fitted(estimator, metadata, path):
    """Set the file's fitted attributes on ``estimator``; return the seed of its epochs."""
    fitted = _loads(metadata["fitted"], "fitted")
    seed = fitted.pop("_seed", 0)
    for name, value in fitted.items():
        _check_attribute_name(estimator, name, path)
        setattr(estimator, name, value)
    return seed


def _split_tensors(tensors, path):
    """``{prefix: {name: tensor}}`` of a stage-two file's ``prefix.name`` tensors."""
    parts = {}
    for key, tensor in tensors.items():
        prefix, _, name = key.partition(".")
        if not name:
            raise ValueError(f"{path!r} has an unexpected tensor {key!r}; refusing to load.")
        parts.setdefault(prefix, {})[name] = tensor
    return parts


def _n_outputs(network_tensors, path):
    """The head's output width, read off its last linear layer's bias."""
    biases = [t for name, t in network_tensors.items() if name.startswith("network.head.")]
    biases = [t for t in biases if t.ndim == 1]
    if not biases:
        raise ValueError(f"{path!r} holds no head for a fine-tuned network.")
    return int(biases[-1].shape[0])


# -- tensors ------------------------------------------------------------------


def _unique_tensors(module):
    """``module``'s state dict on the CPU, each shared tensor under its first name."""
    tensors, seen = {}, set()
    for name, tensor in module.state_dict().items():
        key = (tensor.data_ptr(), tuple(tensor.shape), tensor.dtype)
        if key not in seen:
            seen.add(key)
            tensors[name] = tensor.detach().cpu().contiguous()
    return tensors


def _load_tensors(task, tensors, path):
    expected = set(_unique_tensors(task))
    if set(tensors) != expected:
        missing = sorted(expected - set(tensors))
        unexpected = sorted(set(tensors) - expected)
        raise ValueError(
            f"{path!r} does not hold the tensors this estimator's task has: missing "
            f"{missing[:5]}, unexpected {unexpected[:5]}. It was not written by est.save "
            "of this estimator, or has been altered."
        )
    state = task.state_dict()
    for name, tensor in state.items():
        if name in tensors:
            if tensors[name].shape != tensor.shape or tensors[name].dtype != tensor.dtype:
                raise ValueError(
                    f"{path!r}: tensor {name!r} has shape {tuple(tensors[name].shape)} and "
                    f"dtype {tensors[name].dtype}, expected {tuple(tensor.shape)} and "
                    f"{tensor.dtype}; the file has been altered."
                )
            tensor.copy_(tensors[name])  # aliases of a shared tensor follow


# -- metadata -------------------------------------------------------------------


def _check_metadata(metadata, path):
    """Validate the header and return the estimator class it names."""
    if not metadata or metadata.get("format") != FORMAT:
        raise ValueError(
            f"{path!r} is a safetensors file but not an sklearn-ssl model (no "
            f"format={FORMAT!r} in its metadata); load it with safetensors directly."
        )
    try:
        version = int(metadata.get("format_version", ""))
    except ValueError:
        version = None
    if version != FORMAT_VERSION:
        raise ValueError(
            f"{path!r} uses sklearn-ssl file format version "
            f"{metadata.get('format_version')!r} (written by sklearn-ssl "
            f"{metadata.get('library_version')!r}); this sklearn-ssl reads version "
            f"{FORMAT_VERSION}. Load it with the sklearn-ssl version that wrote it."
        )
    if set(metadata) - {STAGE_TWO_KEY} != METADATA_KEYS:
        raise ValueError(
            f"{path!r} has unexpected metadata keys {sorted(set(metadata) ^ METADATA_KEYS)}; "
            "the file has been altered."
        )
    if metadata["estimator"] not in LOADABLE:
        raise ValueError(
            f"{path!r} holds a {metadata['estimator']!r}, which is not an estimator of "
            f"this sklearn-ssl; expected one of {sorted(LOADABLE)}."
        )
    return LOADABLE[metadata["estimator"]]


def _check_attribute_name(estimator, name, path):
    """Refuse attribute names that could shadow methods or Python internals."""
    valid = name.isidentifier() and not name.startswith("__")
    valid = valid and (name.endswith("_") or name.startswith("_"))
    if not valid or hasattr(type(estimator), name):
        raise ValueError(f"{path!r} sets an unexpected attribute {name!r}; refusing to load.")


def _load_device(estimator, device):
    if device is not None:
        return resolve_device(device)
    try:
        return resolve_device(estimator.device)
    except ValueError:
        warnings.warn(
            f"The model was saved with device={estimator.device!r}, which is not "
            "available here; loading it on the CPU.",
            UserWarning,
            stacklevel=3,
        )
        return torch.device("cpu")


# -- JSON with tagged values --------------------------------------------------------


def _dumps(values, kind):
    return json.dumps({name: _encode(value, f"{kind} {name}") for name, value in values.items()})


def _loads(text, key):
    try:
        values = json.loads(text)
        if not isinstance(values, dict):
            raise TypeError("not a JSON object")
        return {name: _decode(value) for name, value in values.items()}
    except (ValueError, TypeError, KeyError) as exc:
        raise ValueError(f"The {key!r} metadata of the file is not valid: {exc}") from exc


def _encode(value, where):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, np.generic) and value.dtype.kind in _ARRAY_KINDS:
        return value.item()
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(item, where) for item in value]}
    if isinstance(value, History):
        return {"__history__": _encode(list(value), where)}
    if isinstance(value, list):
        return [_encode(item, where) for item in value]
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return {"__dict__": {key: _encode(item, where) for key, item in value.items()}}
    if isinstance(value, torch.device):
        return {"__device__": str(value)}
    if isinstance(value, os.PathLike):
        return {"__path__": os.fspath(value)}
    if type(value).__module__.startswith("tokenizers") and hasattr(value, "to_str"):
        return {"__tokenizer__": value.to_str()}
    if isinstance(value, np.ndarray) and value.ndim >= 1:
        if value.dtype.kind in _ARRAY_KINDS:
            return {"__ndarray__": value.tolist(), "dtype": value.dtype.str}
        if value.dtype.kind in "OU" and all(isinstance(item, str) for item in value.flat):
            return {"__ndarray__": value.tolist(), "dtype": value.dtype.kind}
    what = "torch module (code)" if isinstance(value, torch.nn.Module) else type(value).__name__
    raise TypeError(
        f"The {where} is a {what}, which est.save cannot store without pickle; "
        f"{_PICKLE_HINT}, or set it to a plain value first."
    )


def _decode(value):
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    tag = next(iter(value), None)
    if tag == "__tuple__" and len(value) == 1:
        return tuple(_decode(item) for item in value[tag])
    if tag == "__dict__" and len(value) == 1:
        return {key: _decode(item) for key, item in value[tag].items()}
    if tag == "__history__" and len(value) == 1:
        return History(_decode(value[tag]))
    if tag == "__device__" and len(value) == 1:
        return torch.device(value[tag])
    if tag == "__path__" and len(value) == 1:
        return pathlib.Path(value[tag])
    if tag == "__tokenizer__" and len(value) == 1:
        from tokenizers import Tokenizer  # the "text" extra, there since it wrote the file

        return Tokenizer.from_str(value[tag])
    if tag == "__ndarray__" and set(value) == {"__ndarray__", "dtype"}:
        if value["dtype"] in ("O", "U"):
            return np.array(value[tag], dtype=object if value["dtype"] == "O" else str)
        dtype = np.dtype(value["dtype"])
        if dtype.kind not in _ARRAY_KINDS:
            raise ValueError(f"array dtype {value['dtype']!r} is not allowed")
        return np.array(value[tag], dtype=dtype)
    raise ValueError(f"unexpected object with keys {sorted(value)[:5]}")
