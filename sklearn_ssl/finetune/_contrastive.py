"""The classifier's contrastive step on pairs of labeled rows, before the head (SetFit).

SetFit (Tunstall et al. 2022) tunes a sentence encoder on pairs of labeled
sentences, so that the sentences of one class embed alike, and only then fits
a classifier on the embeddings. Here the step serves every data kind: any
encoder of the library, the rows' own tensors, the engine's one training path.
"""

import copy
from dataclasses import replace

import numpy as np

from .._engine import make_generator, resolve_device
from ._pairs import PairBatches, sample_pairs
from ._task import PairTask

#: SetFit's learning rate of the contrastive step, ``contrastive_lr="auto"`` for an
#: encoder from a checkpoint trained elsewhere.
CHECKPOINT_CONTRASTIVE_LR = 2e-5


class ContrastivePairsMixin:
    """The step of :class:`FineTunedClassifier` that ``contrastive_epochs`` turns on."""

    def _resolve_auto(self, from_checkpoint):
        """Also ``contrastive_epochs_`` and ``contrastive_lr_``: SetFit's step for a
        checkpoint, none for an encoder pretrained here."""
        super()._resolve_auto(from_checkpoint)
        epochs = self.contrastive_epochs
        self.contrastive_epochs_ = int(from_checkpoint) if epochs == "auto" else epochs
        if self.contrastive_lr == "auto" and from_checkpoint:
            self.contrastive_lr_ = CHECKPOINT_CONTRASTIVE_LR
        elif self.contrastive_lr in ("auto", None):
            self.contrastive_lr_ = self.lr * self.encoder_lr_scale
        else:
            self.contrastive_lr_ = self.contrastive_lr

    def _contrastive_encoder(self, X_labeled, targets, seed):
        """A copy of the pretrained encoder, tuned on pairs of the labeled rows."""
        device = resolve_device(self.device)
        first, second, same = sample_pairs(targets, self.pair_rounds, np.random.default_rng(seed))
        generator = make_generator(seed, device)
        as_tensor = self.estimator_._as_tensor
        batches = PairBatches(
            X_labeled, first, second, same, self.batch_size_, generator, as_tensor, device
        )
        config = replace(
            self._config(seed, device, ()),
            lr=self.contrastive_lr_,
            param_groups=(),
            callbacks=tuple(self.callbacks or ()),
            n_iter_no_change=None,
        )
        task = PairTask(copy.deepcopy(self.estimator_.encoder_))
        net = self._run(task, batches, config, generator, epochs=self.contrastive_epochs_)
        self.contrastive_history_ = net.history
        return net.module_.encoder
