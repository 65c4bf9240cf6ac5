"""The training engine, private: everything between validated rows and a trained encoder.

The estimator shell (:mod:`sklearn_ssl.base`) enters it through
:func:`train` and :func:`embed` (:mod:`.training`); :func:`make_net` rebuilds
the engine of a loaded model. Inside:

* :mod:`.net`: :class:`PretextNet`, the skorch net with a fast data path;
* :mod:`.batches` and :mod:`.host_batches`: device-resident and streamed batches;
* :mod:`.distributed`: data-parallel training under ``torchrun`` / ``accelerate launch``;
* :mod:`.faults`: collapse warnings and out-of-memory advice;
* :mod:`.torch_context`: device, precision and seeding;
* :mod:`.callbacks`: the progress bar;
* :mod:`.finetune_net`: the skorch net of stage two.
"""

from .net import PretextNet
from .training import OPTIMIZERS, apply_in_batches, embed, make_net, train, training_batches

__all__ = [
    "OPTIMIZERS",
    "PretextNet",
    "apply_in_batches",
    "embed",
    "make_net",
    "train",
    "training_batches",
]
