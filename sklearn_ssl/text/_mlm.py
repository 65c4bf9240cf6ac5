"""MaskedLanguageModel: BERT-style pretraining on raw strings, from scratch or from a checkpoint."""

import os
from inspect import signature
from numbers import Integral, Real

from sklearn.utils._param_validation import Interval, StrOptions

from .._parameters import SharedAttribute, assign_parameters
from .._persistence import loadable
from .._renamed import deprecated_option, renamed_value
from ..augment import BertMasking
from ..encoders import PretrainedTextEncoder, TextTransformer
from ..heads import projection_head
from ..tasks import MaskedTokenTask
from ._base import TextSelfSupervised
from .pretrained import (
    build_model,
    describe,
    freeze_lower_layers,
    load_model,
    read_checkpoint,
)
from .tokenizer import MASK_ID, PAD_ID, SPECIAL_TOKENS

#: The parameters that define a model from scratch; a checkpoint brings its own.
FROM_SCRATCH = ("vocab_size", "lowercase", "depth", "n_components", "n_heads", "dropout")

#: What ``lr="auto"`` and ``max_epochs="auto"`` resolve to from scratch ...
SCRATCH_LR, SCRATCH_EPOCHS = 1e-3, 20
#: ... and from a pretrained checkpoint, which a long or fast training wears away.
CHECKPOINT_LR, CHECKPOINT_EPOCHS = 2e-5, 1


@loadable
class MaskedLanguageModel(TextSelfSupervised):
    """BERT-style masked language model that embeds raw strings.

    ``fit`` learns a subword tokenizer (byte-pair encoding with BERT's
    normalisation, ``vocab_size`` tokens) from the training strings, tokenises
    them once, and trains a small Transformer encoder from scratch. With
    ``objective="mlm"`` the encoder learns masked language modelling (Devlin
    et al. 2019): a fraction ``mask_rate`` of each sentence's tokens is chosen
    afresh every epoch, 80% of them replaced by ``[MASK]``, 10% by a random
    token and 10% left unchanged, and an output layer tied to the input
    embeddings predicts the originals. ``"simcse"`` trains a sentence-level
    contrastive objective instead: two independently masked, dropout-noised
    encodings of each sentence must find each other in the batch (Gao et al.
    2021); ``"mlm+simcse"`` sums both on the same views. ``transform`` returns
    one vector per string, the mean of its token states (``pooling="mean"``)
    or the state of its leading ``[CLS]`` token (``pooling="cls"``).

    **From a pretrained checkpoint.** With ``pretrained`` (a Hugging Face
    model folder or hub name, or a loaded ``(model, tokenizer)`` pair; needs
    the ``transformers`` package) the encoder is that text model and the
    tokenizer its own, instead of ones learned from the training strings:
    ``fit`` continues its self-supervised training on the user's strings with
    ``objective`` (domain-adaptive pretraining). For ``"mlm"`` objectives the
    checkpoint's masked-LM head is used when it has one; a checkpoint without
    one (a sentence encoder, say) gets a new head, tied to its token
    embeddings. ``max_epochs=0`` keeps the checkpoint's weights as they are
    (``fit`` only prepares the model), so frozen and continued pretraining
    are two values of one parameter for a grid search. Pretrained models
    want a small learning rate and few passes: ``lr="auto"`` and
    ``max_epochs="auto"`` resolve to 2e-5 and 1 epoch from a checkpoint (BERT
    is usually trained further with ``lr`` around 1e-5 to 5e-5), to 1e-3 and
    20 epochs from scratch, and ``lr_`` and ``max_epochs_`` record what
    ``fit`` used. The vocabulary,
    sizes and dropout come from the checkpoint: ``vocab_size``, ``lowercase``,
    ``depth``, ``n_components``, ``n_heads`` and ``dropout`` must keep their
    defaults. ``encoder_.model`` is the ``transformers`` model, which
    ``save_pretrained`` exports after continued pretraining.

    Input is a 1-D collection of strings (a list, a numpy array, a pandas or
    polars Series or a one-column DataFrame), one document per sample;
    :class:`~sklearn_ssl.text.TextSelfSupervised` gives the input rule in full
    (truncation at ``max_length``, empty strings, unseen characters, what
    raises). Training batches group strings of similar length and are padded
    only to their longest member; padding is masked out of attention and
    pooling, so a string's embedding does not depend on the other strings in
    its batch.

    Parameters
    ----------
    pretrained : str, os.PathLike, (model, tokenizer) or None, default=None
        None trains a model from scratch. Otherwise the checkpoint to start
        from: a local folder as ``save_pretrained`` writes it (``config.json``,
        the weights, the tokenizer files; read without network access), a
        Hugging Face hub name (downloaded by ``transformers``, where there is
        network access), or a ``transformers`` model with its fast tokenizer.
    objective : {"mlm", "simcse", "mlm+simcse"}, default="mlm+simcse"
        The pretext objective: masked-token prediction, the contrastive
        sentence objective, or their sum. The sum gave the best linear probe
        on the MR reviews of the documented benchmarks.
    mask_rate : float, default=0.15
        Fraction of each string's tokens chosen as MLM targets (BERT's 15%);
        the same masking makes the contrastive views. In (0, 1).
    depth : int, default=2
        Transformer blocks (from scratch).
    n_components : int, default=64
        Width of the token states and of the embeddings (from scratch). On MR
        with a fixed 3-minute CPU budget, 64 probed as well as 128.
    n_heads : int, default=4
        Attention heads; must divide ``n_components`` (from scratch).
    pooling : {"mean", "cls"}, default="mean"
        Mean of the non-padding token states, or the ``[CLS]`` state.
    freeze_layers : int, default=0
        With ``pretrained``: the token embeddings and the lowest
        ``freeze_layers`` transformer layers keep the checkpoint's weights in
        continued pretraining (and in fine-tuning), which cuts the cost of
        training, since gradients stop at the lowest trained layer. 0 trains
        every layer.
    dropout : float, default=0.1
        Dropout in the encoder during training (BERT's and SimCSE's 0.1; from
        scratch).
    temperature : float, default=0.05
        Temperature of the contrastive loss (SimCSE's 0.05).
    d_model : int, default="deprecated"
        .. deprecated:: 0.2
           ``d_model`` was renamed ``n_components`` and will be removed in 0.3;
           a value given here sets the width in place of ``n_components``.
    n_layers : int, default="deprecated"
        .. deprecated:: 0.2
           ``n_layers`` was renamed ``depth`` and will be removed in 0.3;
           a value given here sets the blocks in place of ``depth``.
    max_epochs : int or "auto", default="auto"
        Passes over the training rows in ``fit``; ``"auto"`` is 1 from a
        ``pretrained`` checkpoint, whose weights more passes over a small
        corpus would wear away, and 20 from scratch. 0 prepares the model
        without training it (the tokenizer, the checkpoint's weights as they are).
    lr : float or "auto", default="auto"
        Learning rate; ``"auto"`` is 2e-5 (BERT's range) from a ``pretrained``
        checkpoint and 1e-3 from scratch.

    Attributes
    ----------
    lr_ : float
        The learning rate ``fit`` trained with (``lr``, resolved when ``"auto"``).
    max_epochs_ : int
        The epochs ``fit`` trained for (``max_epochs``, resolved when ``"auto"``).

    See Also
    --------
    sklearn.feature_extraction.text.TfidfVectorizer : Sparse bag-of-n-grams
        features; concatenating them with these embeddings in a
        :class:`~sklearn.pipeline.FeatureUnion` helps when labels are plenty.

    Notes
    -----
    Like scikit-learn's text vectorizers, the estimator takes one document per
    sample rather than a 2-D table, so it sets neither ``n_features_in_`` nor
    ``feature_names_in_``. ``partial_fit`` learns the tokenizer from the
    strings of its first call and keeps it afterwards.

    References
    ----------
    .. [1] J. Devlin, M.-W. Chang, K. Lee and K. Toutanova, "BERT: Pre-training
       of Deep Bidirectional Transformers for Language Understanding", NAACL 2019.
    .. [2] T. Gao, X. Yao and D. Chen, "SimCSE: Simple Contrastive Learning of
       Sentence Embeddings", EMNLP 2021.
    .. [3] R. Sennrich, B. Haddow and A. Birch, "Neural Machine Translation of
       Rare Words with Subword Units", ACL 2016.
    .. [4] S. Gururangan, A. Marasović, S. Swayamdipta, K. Lo, I. Beltagy, D.
       Downey and N. A. Smith, "Don't Stop Pretraining: Adapt Language Models
       to Domains and Tasks", ACL 2020.

    Examples
    --------
    >>> from sklearn_ssl import MaskedLanguageModel
    >>> texts = ["a fine film", "a dull film", "fine acting", "dull plot"] * 4
    >>> mlm = MaskedLanguageModel(n_components=16, n_heads=2, depth=1, max_epochs=2,
    ...                           random_state=0).fit(texts)
    >>> mlm.transform(["a fine plot"]).shape
    (1, 16)

    From a checkpoint folder, frozen (``max_epochs=0``) or trained further::

        frozen = MaskedLanguageModel(pretrained="path/to/all-MiniLM-L6-v2", max_epochs=0)
        adapted = MaskedLanguageModel(pretrained="path/to/all-MiniLM-L6-v2",
                                      objective="simcse")  # 1 epoch at lr=2e-5: "auto"
    """

    _shared_attributes = {
        "encoder_": SharedAttribute(
            "sklearn_ssl.encoders.TextTransformer or PretrainedTextEncoder",
            """\
The trained encoder: maps a padded (batch, length) int64 id tensor to
(batch, n_components_) sentence vectors; a ``PretrainedTextEncoder`` (with
``pretrained``) holds the ``transformers`` model as ``encoder_.model``.""",
        ),
    }
    _renamed_parameters = {"d_model": "n_components", "n_layers": "depth"}
    _parameter_constraints: dict = {
        **TextSelfSupervised._parameter_constraints,
        "pretrained": [None, str, os.PathLike, tuple],
        "objective": [StrOptions({"mlm", "simcse", "mlm+simcse"})],
        "mask_rate": [Interval(Real, 0, 1, closed="neither")],
        "depth": [Interval(Integral, 1, None, closed="left")],
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "n_heads": [Interval(Integral, 1, None, closed="left")],
        "pooling": [StrOptions({"mean", "cls"})],
        "freeze_layers": [Interval(Integral, 0, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "temperature": [Interval(Real, 0, None, closed="neither")],
        "d_model": [Interval(Integral, 1, None, closed="left"), deprecated_option()],
        "n_layers": [Interval(Integral, 1, None, closed="left"), deprecated_option()],
        "max_epochs": [Interval(Integral, 0, None, closed="left"), StrOptions({"auto"})],
        "lr": [Interval(Real, 0, None, closed="neither"), StrOptions({"auto"})],
    }

    def __init__(
        self,
        *,
        pretrained=None,
        objective="mlm+simcse",
        mask_rate=0.15,
        vocab_size=8000,
        lowercase=True,
        max_length=64,
        depth=2,
        n_components=64,
        n_heads=4,
        pooling="mean",
        freeze_layers=0,
        dropout=0.1,
        temperature=0.05,
        d_model="deprecated",
        n_layers="deprecated",
        # shared by every method (base.py)
        max_epochs="auto", batch_size=128, lr="auto", weight_decay=0.01, optimizer="adamw",
        device="auto", data_on_device="auto", precision="auto", random_state=None, verbose=0,
        callbacks=None, n_iter_no_change=None, tol=1e-4, compile=False, n_jobs=None,
        score_criterion="rankme",
    ):  # fmt: skip
        assign_parameters(self, locals())

    def _validate_input(self, X, reset):
        """The strings, checked; with ``reset``, also the tokenizer, and ``lr_`` and
        ``max_epochs_`` resolved."""
        X = super()._validate_input(X, reset)
        if reset:
            self.lr_, self.max_epochs_ = self._training_lr(), self._training_epochs()
        return X

    def _fit_tokenizer(self, X):
        """A vocabulary learned from ``X``, or the ``pretrained`` checkpoint's tokenizer
        (its facts kept in ``_checkpoint``; its weights are read by ``_build_task``)."""
        if self.pretrained is None:
            if self.freeze_layers:
                raise ValueError(
                    f"freeze_layers={self.freeze_layers} keeps layers of a pretrained "
                    "checkpoint; without pretrained, every layer is new: use "
                    "freeze_layers=0."
                )
            return super()._fit_tokenizer(X)
        self._check_pretrained_parameters()
        tokenizer, self._checkpoint = read_checkpoint(self.pretrained, self.max_length)
        return tokenizer

    def _training_lr(self):
        if self.lr != "auto":
            return self.lr
        return SCRATCH_LR if self.pretrained is None else CHECKPOINT_LR

    def _training_epochs(self):
        if self.max_epochs != "auto":
            return self.max_epochs
        return SCRATCH_EPOCHS if self.pretrained is None else CHECKPOINT_EPOCHS

    def _starts_from_checkpoint(self):
        return self.pretrained is not None

    def _check_pretrained_parameters(self):
        defaults = self._defaults()
        values = {name: getattr(self, name) for name in FROM_SCRATCH}
        values["n_components"], values["depth"] = self._n_components(), self._depth()
        changed = [f"{name}={value!r}" for name, value in values.items() if value != defaults[name]]
        if changed:
            raise ValueError(
                f"pretrained={describe(self.pretrained)} brings its own vocabulary, sizes "
                f"and dropout, but {', '.join(changed)} describe a model from scratch: "
                f"leave {', '.join(FROM_SCRATCH)} at their defaults, or set pretrained=None."
            )

    @classmethod
    def _defaults(cls):
        """``{name: default}`` of the ``__init__`` parameters."""
        return {
            name: parameter.default
            for name, parameter in signature(cls.__init__).parameters.items()
        }

    def _n_components(self):
        """The width: ``n_components``, or the deprecated ``d_model`` when it is set."""
        return renamed_value(self, "d_model", "n_components")

    def _depth(self):
        """The blocks: ``depth``, or the deprecated ``n_layers`` when it is set."""
        return renamed_value(self, "n_layers", "depth")

    def _pad_id(self):
        return PAD_ID if self.pretrained is None else self._checkpoint["pad_id"]

    def _build_task(self, X):
        """The task around a new Transformer, or around the checkpoint's model with its
        weights (read under the engine's seed, which draws a new MLM head)."""
        if self.pretrained is None:
            return super()._build_task(X)
        model, head = load_model(self.pretrained, self._checkpoint, "mlm" in self.objective)
        return self._checkpoint_task(model, head, X)

    def _restore_task(self):
        """The task for :func:`sklearn_ssl.load`: with ``pretrained``, the checkpoint's
        architecture from its stored configuration, which needs neither the
        checkpoint nor the network; the saved weights then fill it."""
        if self.pretrained is None:
            return super()._restore_task()
        model, head = build_model(self._checkpoint, "mlm" in self.objective)
        return self._checkpoint_task(model, head, self._stub_input())

    def _checkpoint_task(self, model, head, X):
        """The task around a checkpoint's ``model`` (and MLM ``head`` or None)."""
        if self.freeze_layers:
            freeze_lower_layers(model, self.freeze_layers)
        encoder = PretrainedTextEncoder(model, self._pad_id(), self.pooling)
        return self._masked_token_task(encoder, self._embedding_width(encoder, X, "cpu"), head)

    def _build_encoder(self, X):
        """The Transformer over the fitted tokenizer's vocabulary."""
        width = self._n_components()
        if width % self.n_heads:
            raise ValueError(f"n_heads={self.n_heads} must divide n_components={width}.")
        return TextTransformer(
            self.tokenizer_.get_vocab_size(),
            self.max_length,
            width,
            self.n_heads,
            self._depth(),
            self.dropout,
            PAD_ID,
            self.pooling,
        )

    def _task(self, encoder, width, X):
        return self._masked_token_task(encoder, width)

    def _masked_token_task(self, encoder, width, predictor=None):
        """Masked-token prediction and the contrastive objective, as ``objective`` says."""
        contrastive = "simcse" in self.objective
        return MaskedTokenTask(
            encoder,
            self._masking(),
            self.objective,
            projection_head(width, width, width) if contrastive else None,
            self.temperature,
            predictor,
        )

    def _augment_rows(self, X_batch, generator):
        """BERT's masking of ``mask_rate`` of each row's tokens (80% ``[MASK]``, 10% a
        random token, 10% kept): the augmentation of rows that fine-tuning
        (``augment``, FixMatch's strong view) and the label-free views use."""
        corrupted, _, _ = self.net_.module_.masking(X_batch, generator)  # (B, L)
        return corrupted

    def _masking(self):
        """BERT's masking over the tokenizer's vocabulary, sparing its special tokens."""
        n_tokens = self.tokenizer_.get_vocab_size()
        if self.pretrained is None:
            return BertMasking(self.mask_rate, MASK_ID, len(SPECIAL_TOKENS), n_tokens)
        checkpoint = self._checkpoint
        n_tokens = min(n_tokens, checkpoint["config"]["vocab_size"])
        return BertMasking(
            self.mask_rate, checkpoint["mask_id"], 0, n_tokens, checkpoint["special_ids"]
        )
