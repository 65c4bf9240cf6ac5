"""The parameters and fitted attributes the fine-tuning estimators share, declared once."""

from numbers import Integral, Real

from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from .._parameters import SharedAttribute, SharedParameter
from ..base import TRAINING_PARAMETERS

#: The hooks a self-supervised transformer of this library offers.
SHELL_HOOKS = [
    "fit",
    "transform",
    "_validate_input",
    "_as_tensor",
    "_augment_rows",
    "_starts_from_checkpoint",
]

#: The parameters of every fine-tuning estimator.
FINE_TUNING_PARAMETERS = {
    "estimator": SharedParameter(
        "self-supervised transformer of sklearn_ssl",
        """\
The pretrained representation, e.g. ``SCARF(...)``. If it is already
fitted (or wrapped in :class:`sklearn.frozen.FrozenEstimator`, which keeps
it fitted through ``clone`` and so through ``GridSearchCV``), its encoder is
fine-tuned as it is; otherwise a clone is first pretrained on all rows of
``X``, labeled or not. The estimator itself is never modified.""",
        [HasMethods(SHELL_HOOKS)],
    ),
    "max_epochs": SharedParameter(
        "int", "Passes over the labeled rows.", [Interval(Integral, 1, None, closed="left")], 50
    ),
    "freeze_epochs": SharedParameter(
        'int or "auto"',
        """\
The encoder is frozen (evaluation mode, no gradients) during the first
``freeze_epochs`` epochs, so that the new head is fitted before it sends
gradients into the encoder: linear probing, then fine-tuning (LP-FT, Kumar
et al. 2022). 0 fine-tunes from the first epoch; a value of ``max_epochs``
or more trains the head only, on embeddings computed once. ``"auto"`` is 10,
or ``max_epochs`` when the encoder comes from a checkpoint trained elsewhere
(``MaskedLanguageModel(pretrained=...)``), whose weights a few labeled rows
would wear away (the classifier's contrastive step then tunes it);
``freeze_epochs_`` records the value used.""",
        [Interval(Integral, 0, None, closed="left"), StrOptions({"auto"})],
        "auto",
    ),
    "encoder_lr_scale": SharedParameter(
        "float",
        """\
The encoder's learning rate is ``lr * encoder_lr_scale``: pretrained layers
move less than the new head (discriminative learning rates, Howard and
Ruder 2018). 0 keeps the encoder's weights fixed.""",
        [Interval(Real, 0, None, closed="left")],
        0.1,
    ),
    "warmup": SharedParameter(
        "float",
        """\
Fraction of the training steps over which the learning rates rise linearly
from 0; they then fall linearly to 0 at the last step, the schedule of
BERT's fine-tuning (Devlin et al. 2019), which pretrained transformers
want. 0 keeps them constant.""",
        [Interval(Real, 0, 1, closed="left")],
        0.0,
    ),
    "augment": SharedParameter(
        "bool",
        """\
Apply the estimator's pretext augmentation (``SCARF``'s and ``VIME``'s
feature corruption, the image recipes, series gain and noise, the text
model's token masking) to every training batch, as a regulariser for the few
labeled rows. Methods without an augmentation of rows (``MaskedAutoencoder``,
``RotationPrediction``) warn that it has no effect.""",
        ["boolean"],
        False,
    ),
    "batch_size": SharedParameter(
        'int or "auto"',
        """\
Labeled rows (or pairs of rows) per training batch. ``"auto"`` is 64, or 16
(SetFit's, within BERT's 16 to 32) when the encoder comes from a checkpoint
trained elsewhere; ``batch_size_`` records the value used.""",
        [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "auto",
    ),
    "lr": SharedParameter(
        "float",
        "Learning rate of the head (AdamW).",
        [Interval(Real, 0, None, closed="neither")],
        1e-2,
    ),
    "weight_decay": SharedParameter(
        "float", "AdamW weight decay.", [Interval(Real, 0, None, closed="left")], 1e-4
    ),
    "device": TRAINING_PARAMETERS["device"],
    "data_on_device": TRAINING_PARAMETERS["data_on_device"],
    "precision": TRAINING_PARAMETERS["precision"],
    "callbacks": TRAINING_PARAMETERS["callbacks"],
    "n_iter_no_change": SharedParameter(
        "int or None",
        """\
Stop when the loss on a held-out ``validation_fraction`` of the labeled rows
has not improved by ``tol`` for this many epochs, and keep the weights of
the best epoch (scikit-learn's ``early_stopping``); None trains for
``max_epochs`` on every labeled row.""",
        [Interval(Integral, 1, None, closed="left"), None],
        None,
    ),
    "validation_fraction": SharedParameter(
        "float",
        """\
Share of the labeled rows held out (stratified for classes) to watch with
``n_iter_no_change``; at least one row.""",
        [Interval(Real, 0, 1, closed="neither")],
        0.1,
    ),
    "tol": TRAINING_PARAMETERS["tol"],
    "random_state": SharedParameter(
        "int, RandomState instance or None",
        """\
Seeds the head's initialisation, batch order and augmentation, and the
pretraining when the estimator is unfitted and has no seed of its own.""",
        ["random_state"],
        None,
    ),
    "verbose": TRAINING_PARAMETERS["verbose"],
    "n_jobs": TRAINING_PARAMETERS["n_jobs"],
}

#: The fitted attributes of every fine-tuning estimator.
FINE_TUNING_ATTRIBUTES = {
    "estimator_": SharedAttribute(
        "self-supervised transformer",
        """\
The fitted transformer whose encoder was fine-tuned (``estimator`` itself
when it came fitted); its own ``encoder_`` is left as pretrained, the
fine-tuned copy is ``net_.module_.encoder``.""",
    ),
    "net_": SharedAttribute(
        "sklearn_ssl._engine.PretextNet",
        """\
The skorch net that trained the fine-tuning task ``net_.module_``;
``net_.module_.network`` is the fine-tuned encoder plus head.""",
    ),
    "history_": SharedAttribute(
        "skorch.History", 'Per-epoch training loss (``history_[:, "train_loss"]``) and timings.'
    ),
    "n_iter_": SharedAttribute("int", "Epochs trained."),
    "batch_size_": SharedAttribute(
        "int", 'Rows per training batch (``batch_size``, resolved when "auto").'
    ),
    "freeze_epochs_": SharedAttribute(
        "int", 'The epochs the encoder stayed frozen (``freeze_epochs``, resolved when "auto").'
    ),
    "n_features_in_": SharedAttribute(
        "int", "Number of features seen during fit (for inputs that have features)."
    ),
    "feature_names_in_": SharedAttribute(
        "ndarray of shape (n_features_in_,)",
        "Names of features seen during fit, when X has string feature names.",
    ),
}


#: The parameters with which the classifier uses the unlabeled rows a second time.
SEMI_SUPERVISED_PARAMETERS = {
    "consistency_weight": SharedParameter(
        "float",
        """\
Weight of FixMatch's unlabeled loss (Sohn et al. 2020): where the
prediction on a clean unlabeled row reaches ``confidence_threshold``, its
class is the target for the row under the method's augmentation (feature
corruption for tables, the image recipe, series gain and noise). 0 uses the
labeled rows only; the paper's value is 1. With it, an epoch is one pass
over all rows of ``X`` (the unlabeled pool), the labeled batches cycling
alongside. Methods without an augmentation of rows refuse it.""",
        [Interval(Real, 0, None, closed="left")],
        0.0,
    ),
    "confidence_threshold": SharedParameter(
        "float",
        "The smallest class probability that makes a pseudo-label (FixMatch: 0.95).",
        [Interval(Real, 0, 1, closed="neither")],
        0.95,
    ),
    "unlabeled_ratio": SharedParameter(
        "int",
        "Unlabeled rows per labeled row in a batch (FixMatch's mu: 7).",
        [Interval(Integral, 1, None, closed="left")],
        7,
    ),
    "distill_epochs": SharedParameter(
        "int",
        """\
After fine-tuning, train a student for this many passes over all rows of
``X`` on the fine-tuned network's predictions (the teacher's softened
probabilities for unlabeled rows, the labels for labeled ones): SimCLRv2's
distillation (Chen et al. 2020). 0 skips it.""",
        [Interval(Integral, 0, None, closed="left")],
        0,
    ),
    "distill_temperature": SharedParameter(
        "float",
        "Temperature of the teacher's and the student's softmax in distillation.",
        [Interval(Real, 0, None, closed="neither")],
        1.0,
    ),
    "distill_targets": SharedParameter(
        '{"soft", "hard"}',
        """\
What the student learns for an unlabeled row: ``"soft"``, the teacher's
softened probabilities (SimCLRv2); ``"hard"``, its most probable class
(pseudo-labels, Lee 2013), which sharpens where the teacher hesitates.""",
        [StrOptions({"soft", "hard"})],
        "soft",
    ),
    "distill_student": SharedParameter(
        '{"same", "head", "tuned"}',
        """\
The student: ``"same"`` is the pretrained encoder with a new head, all
trained (the fine-tuning settings apply); ``"head"`` a new head on the
frozen pretrained encoder; ``"tuned"`` the teacher's fine-tuned encoder with
a new head, the encoder frozen for the first epoch (the head learns the
targets first) and then trained on them at the rate it was tuned at
(``contrastive_lr_`` after the contrastive step, else ``lr *
encoder_lr_scale``): self-training of the whole network on the pool.""",
        [StrOptions({"same", "head", "tuned"})],
        "same",
    ),
}


#: The parameters of the classifier's contrastive step on pairs of labeled rows (SetFit).
CONTRASTIVE_PARAMETERS = {
    "contrastive_epochs": SharedParameter(
        'int or "auto"',
        """\
Before the head is trained, tune the encoder for this many passes over pairs
of labeled rows, so that rows of one class embed alike (cosine similarity
regressed on 1 for a pair of one class, 0 otherwise): SetFit's recipe
(Tunstall et al. 2022; its default is 1). 0 skips it. ``"auto"`` is 1 when
the encoder comes from a checkpoint trained elsewhere
(``MaskedLanguageModel(pretrained=...)``), else 0; ``contrastive_epochs_``
records the value used.""",
        [Interval(Integral, 0, None, closed="left"), StrOptions({"auto"})],
        "auto",
    ),
    "pair_rounds": SharedParameter(
        "int",
        """\
Rounds of pairs: each gives every labeled row one partner of its class and
one of another class (SetFit: 20).""",
        [Interval(Integral, 1, None, closed="left")],
        20,
    ),
    "contrastive_lr": SharedParameter(
        'float, "auto" or None',
        """\
Learning rate of the contrastive step; None is ``lr * encoder_lr_scale``.
``"auto"`` is SetFit's 2e-5 for an encoder from a checkpoint trained
elsewhere, which wants a small one, else ``lr * encoder_lr_scale``.""",
        [Interval(Real, 0, None, closed="neither"), StrOptions({"auto"}), None],
        "auto",
    ),
}
