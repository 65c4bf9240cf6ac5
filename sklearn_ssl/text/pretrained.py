"""Pretrained Hugging Face checkpoints for :class:`~sklearn_ssl.MaskedLanguageModel`.

``pretrained`` names a checkpoint in one of three ways:

* a local folder as ``save_pretrained`` writes it (``config.json``, the
  weights, the tokenizer's files), read with ``local_files_only=True``, so it
  never touches the network;
* a Hugging Face hub name, which ``transformers`` downloads (or takes from its
  cache) where there is network access;
* a ``(model, tokenizer)`` pair of ``transformers`` objects already loaded.

``fit`` reads the checkpoint in two steps. :func:`read_checkpoint` checks it
and returns what the input rule needs before any weights: the checkpoint's own
tokenizer (its ``tokenizers.Tokenizer``, which the estimator encodes with as it
does with a tokenizer of its own) and a plain dict of facts (configuration,
padding, mask and special token ids). :func:`load_model` then loads the
weights, under the engine's seeding since a new MLM head may be drawn.
:func:`build_model` rebuilds the same architecture from the stored
configuration alone, for :func:`sklearn_ssl.load`, which then loads the saved
weights: a saved model needs neither the original folder nor the network.
"""

import contextlib
import copy
import json
import os

from torch import nn

#: What a checkpoint folder holds, for error messages.
EXPECTED_FOLDER = (
    "a folder with config.json, the weights (model.safetensors or pytorch_model.bin) and "
    "the tokenizer's files (tokenizer.json, or vocab.txt, ...), as save_pretrained writes them"
)
WEIGHT_FILES = (
    "model.safetensors",
    "model.safetensors.index.json",
    "pytorch_model.bin",
    "pytorch_model.bin.index.json",
)
TOKENIZER_FILES = (
    "tokenizer.json",
    "vocab.txt",
    "vocab.json",
    "spiece.model",
    "sentencepiece.bpe.model",
    "tokenizer.model",
)


def import_transformers():
    """The ``transformers`` module, or an ImportError that names the extra to install."""
    try:  # an optional dependency: the "text" extra
        import transformers
    except ImportError as exc:
        raise ImportError(
            "MaskedLanguageModel(pretrained=...) needs the 'transformers' package: "
            "pip install 'sklearn-ssl[text]' (or pip install transformers)."
        ) from exc
    return transformers


def describe(pretrained):
    """A short text naming ``pretrained`` in messages (a model's repr is long)."""
    if isinstance(pretrained, tuple):
        return "(" + ", ".join(type(item).__name__ for item in pretrained) + ")"
    return repr(os.fspath(pretrained) if isinstance(pretrained, os.PathLike) else pretrained)


def read_checkpoint(pretrained, max_length):
    """The checkpoint's tokenizer and facts, checked, without loading its weights.

    Parameters
    ----------
    pretrained : str, os.PathLike or tuple
        A folder, a hub name or a ``(model, tokenizer)`` pair.
    max_length : int
        Tokens kept per string; the tokenizer truncates there.

    Returns
    -------
    tokenizer : tokenizers.Tokenizer
        The checkpoint's tokenizer, truncating at ``max_length``, not padding.
    info : dict
        ``config`` (the configuration as a JSON-able dict), ``pad_id``,
        ``mask_id`` and ``special_ids`` (the ids never masked).
    """
    transformers = import_transformers()
    if isinstance(pretrained, tuple):
        model, hf_tokenizer = _checked_pair(pretrained, transformers)
        config = model.config
    else:
        source, local = _source(pretrained)
        with _quiet(transformers):
            config = _from_source(transformers.AutoConfig, source, local, "configuration")
            _check_text_config(config, pretrained)
            hf_tokenizer = _from_source(transformers.AutoTokenizer, source, local, "tokenizer")
    return _tokenizer(hf_tokenizer, pretrained, max_length), _facts(
        config, hf_tokenizer, pretrained, max_length
    )


def load_model(pretrained, info, mlm):
    """The checkpoint's model in float32: ``(base model, MLM head or None)``.

    With ``mlm``, a checkpoint whose architecture has a masked-LM class is
    loaded with it: its own head when the checkpoint has one, a new one
    (drawn from torch's global generator) when not. A ``(model, tokenizer)``
    pair's model is copied, never modified.
    """
    transformers = import_transformers()
    if isinstance(pretrained, tuple):
        return split_masked_lm(copy.deepcopy(pretrained[0]).float(), mlm)
    source, local = _source(pretrained)
    auto = _model_class(transformers, info, mlm)
    with _quiet(transformers):
        model = _from_source(auto, source, local, "weights")
    return split_masked_lm(model.float(), mlm)


def build_model(info, mlm):
    """The architecture :func:`load_model` gives for ``info``, freshly initialised."""
    transformers = import_transformers()
    config = transformers.AutoConfig.for_model(**info["config"])
    with _quiet(transformers):
        model = _model_class(transformers, info, mlm).from_config(config)
    return split_masked_lm(model.float(), mlm)


def split_masked_lm(model, mlm):
    """``(base model, head)`` of a model; the head is None without ``mlm``, or when
    the model is not a masked-LM model with a single head module (the task then
    adds a head of its own, tied to the input embeddings)."""
    base = model.base_model
    if not mlm or base is model or not type(model).__name__.endswith("ForMaskedLM"):
        return base, None
    heads = [child for child in model.children() if child is not base]
    heads = [child for child in heads if any(True for _ in child.parameters())]
    return base, heads[0] if len(heads) == 1 else None


def freeze_lower_layers(model, n_layers):
    """Freeze the input embeddings and the lowest ``n_layers`` transformer layers of ``model``.

    The layers are the model's ``nn.ModuleList`` of ``config.num_hidden_layers``
    blocks (BERT's ``encoder.layer``); every parameter registered before the
    first of them (the embeddings) is frozen too. Frozen parameters get no
    gradient, so backpropagation stops at the lowest trained layer: the cost
    of training falls with the frozen share of the model.

    Raises
    ------
    ValueError
        When the model has no such layer list, or fewer than ``n_layers`` layers.
    """
    count = getattr(model.config, "num_hidden_layers", None)
    stacks = [
        (name, module)
        for name, module in model.named_modules()
        if isinstance(module, nn.ModuleList) and len(module) == count
    ]
    if not stacks:
        raise ValueError(
            f"freeze_layers needs the transformer layers of the checkpoint, but "
            f"{type(model).__name__} has no list of its {count} layers; use freeze_layers=0."
        )
    if n_layers > count:
        raise ValueError(f"freeze_layers={n_layers} exceeds the {count} layers of the checkpoint.")
    prefix = stacks[0][0] + "."
    before_layers = True
    for name, parameter in model.named_parameters():
        if name.startswith(prefix):
            before_layers = False
            if int(name[len(prefix) :].split(".")[0]) < n_layers:
                parameter.requires_grad_(False)
        elif before_layers:
            parameter.requires_grad_(False)  # registered before the layers: the embeddings


# -- reading the checkpoint ------------------------------------------------------------


def _source(pretrained):
    """``(folder or hub name, is_local)``; a path that names no folder raises."""
    path = os.path.expanduser(os.fspath(pretrained))
    if os.path.isdir(path):
        _check_folder(path)
        return path, True
    looks_like_path = (
        isinstance(pretrained, os.PathLike)
        or os.path.exists(path)
        or os.path.isabs(path)
        or path.startswith((".", "~"))
        or path.count("/") > 1
        or "\\" in path
    )
    if looks_like_path:
        what = "is a file, not a folder" if os.path.exists(path) else "does not exist"
        raise ValueError(f"pretrained={describe(pretrained)} {what}; expected {EXPECTED_FOLDER}.")
    return path, False  # a hub name such as "sentence-transformers/all-MiniLM-L6-v2"


def _check_folder(path):
    files = set(os.listdir(path))
    for needed, what in [
        (("config.json",), "config.json"),
        (WEIGHT_FILES, "weights (" + " or ".join(WEIGHT_FILES[::2]) + ")"),
        (TOKENIZER_FILES, "tokenizer files (" + ", ".join(TOKENIZER_FILES[:3]) + ", ...)"),
    ]:
        if not files & set(needed):
            raise ValueError(
                f"pretrained={path!r} has no {what}; expected {EXPECTED_FOLDER}. "
                f"It holds {sorted(files)[:8]}."
            )


def _from_source(auto_class, source, local, what):
    """``auto_class.from_pretrained(source)``, with an error that says what was expected."""
    try:
        return auto_class.from_pretrained(source, local_files_only=local)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        where = (
            f"the folder {source!r} (expected {EXPECTED_FOLDER})"
            if local
            else f"{source!r} from the Hugging Face hub, which needs network access "
            "(a local folder does not)"
        )
        raise ValueError(f"pretrained: cannot load the {what} of {where}: {exc}") from exc


def _checked_pair(pretrained, transformers):
    """The ``(model, tokenizer)`` pair, checked to be a text model and a fast tokenizer."""
    if len(pretrained) != 2:
        raise ValueError(
            "pretrained as a tuple must be a (model, tokenizer) pair of transformers "
            f"objects, got {len(pretrained)} items {describe(pretrained)}."
        )
    model, tokenizer = pretrained
    if not isinstance(model, transformers.PreTrainedModel):
        raise TypeError(
            "pretrained[0] must be a transformers model (a PreTrainedModel such as "
            f"AutoModel.from_pretrained(...)), got {type(model).__name__}."
        )
    _check_text_config(model.config, pretrained)
    if getattr(tokenizer, "backend_tokenizer", None) is None:
        raise TypeError(
            "pretrained[1] must be the model's fast tokenizer (AutoTokenizer.from_pretrained"
            f"(...), which has a backend_tokenizer), got {type(tokenizer).__name__}."
        )
    return model, tokenizer


def _check_text_config(config, pretrained):
    if not isinstance(getattr(config, "vocab_size", None), int):
        kind = getattr(config, "model_type", "") or type(config).__name__
        raise ValueError(
            f"pretrained={describe(pretrained)} is a {kind!r} checkpoint without a token "
            "vocabulary (an image or audio model?); MaskedLanguageModel needs a text "
            "model such as BERT, with its tokenizer."
        )


def _tokenizer(hf_tokenizer, pretrained, max_length):
    """The checkpoint's ``tokenizers.Tokenizer``, truncating at ``max_length``, unpadded."""
    from tokenizers import Tokenizer

    backend = getattr(hf_tokenizer, "backend_tokenizer", None)
    if backend is None:
        raise ValueError(
            f"pretrained={describe(pretrained)} has only a slow (Python) tokenizer; "
            "MaskedLanguageModel needs a fast one: save the checkpoint with a "
            "tokenizer.json (AutoTokenizer.from_pretrained(..., use_fast=True))."
        )
    tokenizer = Tokenizer.from_str(backend.to_str())  # a copy: the user's is left alone
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length)
    return tokenizer


def _facts(config, hf_tokenizer, pretrained, max_length):
    for token in ("pad", "mask"):
        if getattr(hf_tokenizer, f"{token}_token_id", None) is None:
            raise ValueError(
                f"pretrained={describe(pretrained)}: its tokenizer has no {token} token, "
                "which MaskedLanguageModel needs (to pad batches and to mask tokens); "
                "expected a masked language model's tokenizer such as BERT's."
            )
    positions = getattr(config, "max_position_embeddings", None)
    if isinstance(positions, int) and max_length > positions:
        raise ValueError(
            f"max_length={max_length} exceeds the {positions} positions of "
            f"pretrained={describe(pretrained)}; set max_length={positions} or less."
        )
    return {
        "config": json.loads(config.to_json_string(use_diff=False)),
        "pad_id": int(hf_tokenizer.pad_token_id),
        "mask_id": int(hf_tokenizer.mask_token_id),
        "special_ids": sorted({int(i) for i in hf_tokenizer.all_special_ids}),
    }


def _model_class(transformers, info, mlm):
    """``AutoModelForMaskedLM`` when ``mlm`` and the architecture has one, else ``AutoModel``."""
    if mlm:
        config_class = transformers.AutoConfig.for_model(**info["config"]).__class__
        if config_class in transformers.MODEL_FOR_MASKED_LM_MAPPING:
            return transformers.AutoModelForMaskedLM
    return transformers.AutoModel


@contextlib.contextmanager
def _quiet(transformers):
    """Silence transformers' loading reports and progress bars (the docs say what a
    new MLM head means)."""
    logging = transformers.utils.logging
    verbosity, bars = logging.get_verbosity(), logging.is_progress_bar_enabled()
    logging.set_verbosity_error()
    logging.disable_progress_bar()
    try:
        yield
    finally:
        logging.set_verbosity(verbosity)
        if bars:
            logging.enable_progress_bar()
