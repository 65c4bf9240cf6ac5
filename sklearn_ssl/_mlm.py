"""MaskedLanguageModel: BERT-style pretraining on raw strings."""

from numbers import Integral, Real

import numpy as np
import torch
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._faults import explain_out_of_memory
from .augment import BertMasking
from .base import SelfSupervisedTransformer
from .heads import projection_head
from .tasks import MaskedTokenTask
from .text import LengthBucketBatches, TextTransformer, check_strings, encode, pad_ids
from .text.tokenizer import MASK_ID, PAD_ID, SPECIAL_TOKENS, train_tokenizer


class MaskedLanguageModel(SelfSupervisedTransformer):
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

    Training batches group strings of similar length and are padded only to
    their longest member; padding is masked out of attention and pooling, so a
    string's embedding does not depend on the other strings in its batch.

    Input is a 1-D collection of strings: a list, a numpy array, a pandas or
    polars Series or a one-column DataFrame. Strings longer than
    ``max_length`` tokens (``[CLS]`` included) are truncated. Empty strings
    are valid and all map to the same vector (``[CLS]`` alone); characters not
    seen in ``fit`` (emoji, other scripts) become the unknown token. A single
    string, bytes, missing values (None, NaN), non-string entries, numeric
    arrays, an empty collection, or a training set with no text at all raise a
    ``TypeError`` or ``ValueError`` that says what was expected.

    Parameters
    ----------
    objective : {"mlm", "simcse", "mlm+simcse"}, default="mlm+simcse"
        The pretext objective: masked-token prediction, the contrastive
        sentence objective, or their sum. The sum gave the best linear probe
        on MR (benchmarks/text_mr.py).
    mask_rate : float, default=0.15
        Fraction of each string's tokens chosen as MLM targets (BERT's 15%);
        the same masking makes the contrastive views. In (0, 1).
    vocab_size : int, default=8000
        Largest subword vocabulary, four special tokens included.
    lowercase : bool, default=True
        Lowercase and strip accents before tokenising.
    max_length : int, default=64
        Tokens kept per string, ``[CLS]`` included; longer strings are truncated.
    n_layers : int, default=2
        Transformer blocks.
    d_model : int, default=64
        Width of the token states and of the embeddings. On MR with a fixed
        3-minute CPU budget, 64 probed as well as 128 (benchmarks/text_mr.py).
    n_heads : int, default=4
        Attention heads; must divide ``d_model``.
    pooling : {"mean", "cls"}, default="mean"
        Mean of the non-padding token states, or the ``[CLS]`` state.
    dropout : float, default=0.1
        Dropout in the encoder during training (BERT's and SimCSE's 0.1).
    temperature : float, default=0.05
        Temperature of the contrastive loss (SimCSE's 0.05).
    max_epochs : int, default=20
        Passes over the data.
    batch_size : int, default=128
        Strings per batch; the contrastive negatives are the batch's other strings.
    lr : float, default=1e-3
        Learning rate.
    weight_decay : float, default=0.01
        Weight decay of AdamW (BERT's 0.01).
    optimizer : {"adamw", "adam", "sgd"} or torch optimizer class, default="adamw"
        The optimizer.
    device : str or torch.device, default="auto"
        ``"auto"`` trains on CUDA when available, else on the CPU.
    data_on_device : {"auto", True, False}, default="auto"
        Keep the training data on the device (True) or stream batches from
        host memory (False; for an ``np.memmap`` larger than memory).
        ``"auto"`` streams memory-mapped data and data over half the
        device's free memory.
    precision : {"auto", "float32", "bfloat16"}, default="auto"
        bfloat16 autocast on CUDA and float32 on CPU for ``"auto"``.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, batch order, masks and dropout.
    verbose : int, default=0
        1 shows a progress bar over epochs.
    callbacks : list of skorch callbacks or None, default=None
        Extra callbacks for the skorch engine.
    n_iter_no_change : int or None, default=None
        Stop early when the loss has not improved by ``tol`` for this many epochs.
    tol : float, default=1e-4
        Smallest loss improvement that counts for early stopping.

    Attributes
    ----------
    tokenizer_ : tokenizers.Tokenizer
        The subword tokenizer learned in ``fit`` (picklable).
    encoder_ : sklearn_ssl.text.TextTransformer
        The trained encoder: maps a ``[PAD]``-padded (batch, length) int64 id
        tensor to (batch, d_model) sentence vectors.
    net_ : sklearn_ssl._engine.PretextNet
        The skorch net that trained the pretext task.
    history_ : skorch.History
        Per-epoch pretext loss (``history_[:, "train_loss"]``) and timings.
    n_components_ : int
        Width of the embeddings, ``d_model``.
    n_iter_ : int
        Epochs trained.

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

    Examples
    --------
    >>> from sklearn_ssl import MaskedLanguageModel
    >>> texts = ["a fine film", "a dull film", "fine acting", "dull plot"] * 4
    >>> mlm = MaskedLanguageModel(d_model=16, n_heads=2, n_layers=1, max_epochs=2,
    ...                           random_state=0).fit(texts)
    >>> mlm.transform(["a fine plot"]).shape
    (1, 16)
    """

    _parameter_constraints: dict = {
        **{
            name: constraint
            for name, constraint in SelfSupervisedTransformer._parameter_constraints.items()
            if name not in ("n_components", "encoder")
        },
        "objective": [StrOptions({"mlm", "simcse", "mlm+simcse"})],
        "mask_rate": [Interval(Real, 0, 1, closed="neither")],
        "vocab_size": [Interval(Integral, len(SPECIAL_TOKENS) + 1, None, closed="left")],
        "lowercase": ["boolean"],
        "max_length": [Interval(Integral, 2, None, closed="left")],
        "n_layers": [Interval(Integral, 1, None, closed="left")],
        "d_model": [Interval(Integral, 1, None, closed="left")],
        "n_heads": [Interval(Integral, 1, None, closed="left")],
        "pooling": [StrOptions({"mean", "cls"})],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "temperature": [Interval(Real, 0, None, closed="neither")],
    }

    def __init__(
        self,
        *,
        objective="mlm+simcse",
        mask_rate=0.15,
        vocab_size=8000,
        lowercase=True,
        max_length=64,
        n_layers=2,
        d_model=64,
        n_heads=4,
        pooling="mean",
        dropout=0.1,
        temperature=0.05,
        max_epochs=20,
        batch_size=128,
        lr=1e-3,
        weight_decay=0.01,
        optimizer="adamw",
        device="auto",
        data_on_device="auto",
        precision="auto",
        random_state=None,
        verbose=0,
        callbacks=None,
        n_iter_no_change=None,
        tol=1e-4,
    ):
        # The embedding width is d_model and the encoder is always the text
        # Transformer, so the shell's n_components and encoder are not parameters.
        self.objective = objective
        self.mask_rate = mask_rate
        self.vocab_size = vocab_size
        self.lowercase = lowercase
        self.max_length = max_length
        self.n_layers = n_layers
        self.d_model = d_model
        self.n_heads = n_heads
        self.pooling = pooling
        self.dropout = dropout
        self.temperature = temperature
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.weight_decay = weight_decay
        self.optimizer = optimizer
        self.device = device
        self.data_on_device = data_on_device
        self.precision = precision
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol

    def _validate_input(self, X, reset):
        X = check_strings(X)
        if reset and not any(text.strip() for text in X):
            raise ValueError(
                "X has no text to learn from: all its strings are empty or whitespace; "
                "pass strings that contain words."
            )
        return X

    def transform(self, X):
        """Embed each string of ``X`` with the trained encoder.

        The strings are tokenised once and embedded in batches of
        ``batch_size`` strings of similar length, in evaluation mode and
        without gradients; padding is masked, so each string's vector does not
        depend on the others (up to float rounding).

        Parameters
        ----------
        X : 1-D collection of str
            A list, numpy array, pandas or polars Series or one-column DataFrame.

        Returns
        -------
        X_new : ndarray of shape (n_samples, d_model), dtype float32
            One vector per string.
        """
        check_is_fitted(self)
        X = self._validate_input(X, reset=False)
        sequences = encode(self.tokenizer_, X)
        order = np.argsort([len(ids) for ids in sequences], kind="stable")
        device = torch.device(self.net_.device)
        embeddings = np.empty((len(X), self.n_components_), dtype=np.float32)
        with torch.inference_mode(), explain_out_of_memory(self, "embedding rows"):
            for start in range(0, len(X), self.batch_size):
                rows = order[start : start + self.batch_size]
                ids = pad_ids([sequences[row] for row in rows], device)  # (batch, longest)
                embeddings[rows] = self.encoder_(ids).float().cpu().numpy()
        return embeddings

    def _as_tensor(self, X, device):
        return pad_ids(encode(self.tokenizer_, X), device)  # (n, longest)

    def _training_batches(self, X, device, generator):
        return LengthBucketBatches(encode(self.tokenizer_, X), self.batch_size, device, generator)

    def _build_task(self, X):
        if self.d_model % self.n_heads:
            raise ValueError(f"n_heads={self.n_heads} must divide d_model={self.d_model}.")
        self.tokenizer_ = train_tokenizer(X, self.vocab_size, self.lowercase, self.max_length)
        n_tokens = self.tokenizer_.get_vocab_size()
        encoder = TextTransformer(
            n_tokens,
            self.max_length,
            self.d_model,
            self.n_heads,
            self.n_layers,
            self.dropout,
            PAD_ID,
            self.pooling,
        )
        contrastive = "simcse" in self.objective
        return MaskedTokenTask(
            encoder,
            BertMasking(self.mask_rate, MASK_ID, len(SPECIAL_TOKENS), n_tokens),
            self.objective,
            projection_head(self.d_model, self.d_model, self.d_model) if contrastive else None,
            self.temperature,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = []
        return tags
