"""The training engine, private: everything between validated rows and a trained network.

One training path serves every caller: :func:`make_net` builds the skorch
engine around a task and :func:`fit_net` trains it, from a
:class:`TrainingConfig` (no estimator). Callers:

* :mod:`.pretraining`: the estimator shell's :func:`train` and :func:`embed`
  (:mod:`sklearn_ssl.base`), and :func:`net_for` for a loaded model;
* :mod:`sklearn_ssl.finetune`: stage two.

Inside:

* :mod:`.net`: :class:`PretextNet`, the skorch net with a fast data path;
* :mod:`.batches` and :mod:`.host_batches`: device-resident and streamed batches;
* :mod:`.distributed`: data-parallel training under ``torchrun`` / ``accelerate launch``;
* :mod:`.faults`: collapse warnings and out-of-memory advice;
* :mod:`.torch_context`: device, precision and seeding;
* :mod:`.callbacks` and :mod:`.schedules`: the progress bar, learning-rate schedules.
"""

from .config import TrainingConfig
from .net import PretextNet
from .pretraining import embed, initialize, net_for, train, training_batches
from .training import (
    OPTIMIZERS,
    apply_in_batches,
    fit_net,
    make_net,
    row_batches,
)

__all__ = [
    "OPTIMIZERS",
    "PretextNet",
    "TrainingConfig",
    "apply_in_batches",
    "embed",
    "fit_net",
    "initialize",
    "make_net",
    "net_for",
    "row_batches",
    "train",
    "training_batches",
]
