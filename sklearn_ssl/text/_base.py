"""The input rule of strings and what the text methods share: tokenizer, padded id batches."""

from functools import partial
from numbers import Integral

import numpy as np
import torch
from sklearn.utils._param_validation import Interval

from .._engine import HostBatches, LengthBuckets, keep_resident
from .._parameters import SharedAttribute, SharedParameter, constraints
from ..base import SelfSupervisedTransformer
from .batches import LengthBucketBatches, trimmed_ids
from .tokenizer import PAD_ID, SPECIAL_TOKENS, encode, pad_ids, padded_array, train_tokenizer
from .validation import check_strings

#: The parameters of every text method: those of the tokenizer ``fit`` learns.
TEXT_PARAMETERS = {
    "vocab_size": SharedParameter(
        "int",
        """\
Largest subword vocabulary learned from the training strings, its four
special tokens included; a pretrained checkpoint brings its own.""",
        [Interval(Integral, len(SPECIAL_TOKENS) + 1, None, closed="left")],
        8000,
    ),
    "lowercase": SharedParameter(
        "bool",
        """\
Lowercase and strip accents before tokenising, with the vocabulary learned
from the training strings; a pretrained checkpoint's tokenizer keeps its
own rule.""",
        ["boolean"],
        True,
    ),
    "max_length": SharedParameter(
        "int",
        "Tokens kept per string, ``[CLS]`` included; longer strings are truncated.",
        [Interval(Integral, 2, None, closed="left")],
        64,
    ),
}

#: The fitted attributes of every text method.
TEXT_ATTRIBUTES = {
    "tokenizer_": SharedAttribute(
        "tokenizers.Tokenizer",
        """\
The subword tokenizer learned in ``fit``, or a pretrained checkpoint's own
(picklable; it truncates at ``max_length``).""",
    ),
}


class TextSelfSupervised(SelfSupervisedTransformer):
    """Base class of the methods for collections of strings.

    **Input rule.** ``X`` is a 1-D collection of strings: a list, a numpy
    array, a pandas or polars Series or a one-column DataFrame. Strings
    longer than ``max_length`` tokens (``[CLS]`` included) are truncated.
    Empty strings are valid and all map to the same vector (``[CLS]``
    alone); characters not seen in ``fit`` (emoji, other scripts) become the
    unknown token. A single string, bytes, missing values (None, NaN),
    non-string entries, numeric arrays, an empty collection, or a training
    set with no text at all raise a ``TypeError`` or ``ValueError`` that says
    what was expected.

    With ``reset`` (in ``fit``, and the first ``partial_fit``, which keeps
    it afterwards) the input rule learns the tokenizer ``tokenizer_``: a
    byte-pair encoding of at most ``vocab_size`` subwords from the training
    strings (``_fit_tokenizer``, which a method that reads a pretrained
    checkpoint overrides to take the checkpoint's). Each string becomes its
    token ids, ``[CLS]`` first; the encoder takes a padded ``(batch,
    length)`` int64 tensor of them, padded with ``_pad_id()``.

    Training batches group strings of similar length and are padded only to
    their longest member, resident on the device or streamed from host memory
    as ``data_on_device`` says; ``transform`` embeds strings in order of
    length, a batch at a time.

    Like scikit-learn's text vectorizers, a text method takes one document
    per sample rather than a 2-D table, so it sets neither ``n_features_in_``
    nor ``feature_names_in_``.
    """

    _shared_parameters = TEXT_PARAMETERS
    _shared_attributes = TEXT_ATTRIBUTES
    _parameter_constraints: dict = {
        **SelfSupervisedTransformer._parameter_constraints,
        **constraints(TEXT_PARAMETERS),
    }

    # -- the input rule ----------------------------------------------------------

    def _validate_input(self, X, reset):
        """Check the strings; with ``reset``, learn the tokenizer from them."""
        X = check_strings(X)
        if reset:
            if not any(text.strip() for text in X):
                raise ValueError(
                    "X has no text to learn from: all its strings are empty or whitespace; "
                    "pass strings that contain words."
                )
            self.tokenizer_ = self._fit_tokenizer(X)
        return X

    def _fit_tokenizer(self, X):
        """The tokenizer of training strings ``X``: a BPE vocabulary learned from them."""
        tokenizer = train_tokenizer(X, self.vocab_size, self.lowercase, self.max_length)
        self._check_vocabulary(tokenizer)
        return tokenizer

    def _check_vocabulary(self, tokenizer):
        """Refuse a vocabulary learned from ``X`` that holds the special tokens only.

        The tokenizer's normaliser removes whitespace, control characters and,
        with ``lowercase=True``, accents: strings of nothing else leave no token
        to learn from.
        """
        if tokenizer.get_vocab_size() <= len(SPECIAL_TOKENS):
            removed = "whitespace or control characters"
            if self.lowercase:
                removed = "whitespace, control characters or accents"
            raise ValueError(
                f"{type(self).__name__} found no token in X beyond the special tokens "
                f"{', '.join(SPECIAL_TOKENS)}: its strings hold only {removed}, which the "
                "tokenizer removes. X needs strings with words or other visible characters."
            )

    def _pad_id(self):
        """The id that pads token sequences to a common length."""
        return PAD_ID

    def _stub_input(self):
        """Strings from which ``_build_task`` rebuilds the task: only the tokenizer matters."""
        return np.array([""] * max(2, self._min_samples), dtype=object)

    # -- batches -------------------------------------------------------------------

    def _as_tensor(self, X, device):
        """Strings as their padded token ids on ``device``."""
        return pad_ids(encode(self.tokenizer_, X), device, self._pad_id())  # (n, longest)

    def _training_batches(
        self, X, device, generator, batch_size=None, data_on_device=None, targets=None
    ):
        """Batches of similar-length strings, resident or streamed as ``data_on_device``
        says, with their ``targets`` when given (fine-tuning)."""
        sequences = encode(self.tokenizer_, X)
        lengths = np.array([len(ids) for ids in sequences])
        ids = padded_array(sequences, self._pad_id())  # (n, longest)
        batch_size = batch_size or self.batch_size
        data_on_device = self.data_on_device if data_on_device is None else data_on_device
        if keep_resident(ids, device, data_on_device):
            ids = torch.from_numpy(ids).to(device)
            return LengthBucketBatches(ids, lengths, batch_size, generator, targets)
        plan = LengthBuckets(lengths, batch_size)
        trim = partial(trimmed_ids, pad_id=self._pad_id())
        return HostBatches(ids, batch_size, generator, trim, device, plan, targets)

    def _embedding_batches(self, X, device):
        """Strings of similar length together, each batch padded to its longest."""
        sequences = encode(self.tokenizer_, X)
        order = np.argsort([len(ids) for ids in sequences], kind="stable")
        for start in range(0, len(X), self.batch_size):
            rows = order[start : start + self.batch_size]
            batch = [sequences[row] for row in rows]
            yield rows, pad_ids(batch, device, self._pad_id())  # (batch, longest)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = []
        return tags
