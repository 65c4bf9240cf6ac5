"""The classifier's second use of the unlabeled rows: FixMatch consistency, then distillation.

Both run on the engine's one training path, as fine-tuning does:

* consistency (Sohn et al. 2020): fine-tuning batches carry
  ``unlabeled_ratio`` times as many rows of ``X`` as labeled rows, and a
  confident prediction on a clean row is the target of its augmented view;
* distillation (Chen et al. 2020, SimCLRv2): the fine-tuned network (the
  teacher) labels every row of ``X`` with its softened probabilities, and a
  student learns them, the labeled rows keeping their labels.
"""

import numpy as np
import torch

from .._engine import make_generator, resolve_device
from ..losses import SoftTargetCrossEntropy
from ._base import augments_rows
from ._task import FineTuningTask, WithUnlabeled


class UnlabeledRowsMixin:
    """Steps of :class:`FineTunedClassifier` that use the rows of ``X`` a second time."""

    def _check_unlabeled_objectives(self, estimator):
        """Refuse a consistency objective the method cannot serve."""
        if self.consistency_weight > 0 and not augments_rows(estimator):
            raise ValueError(
                f"consistency_weight={self.consistency_weight} needs an augmentation of "
                f"rows, and {type(estimator).__name__} has none (FixMatch trains an "
                "augmented view of each unlabeled row on the clean row's pseudo-label). "
                "Use distill_epochs instead, or a method with an augmentation (SCARF, "
                "VIME, SimCLR, BYOL, VICReg, BarlowTwins, TS2Vec, ...)."
            )

    def _train(self, X, targets, labeled, n_outputs, seed):
        self._check_unlabeled_objectives(self.estimator_)
        for name in ("teacher_net_", "contrastive_history_"):  # from an earlier fit
            vars(self).pop(name, None)
        encoder = None
        if self.contrastive_epochs_:
            encoder = self._contrastive_encoder(X[labeled], targets, seed + 2)
        unlabeled = X if self.consistency_weight > 0 else None
        net = self._fine_tune(X[labeled], targets, n_outputs, seed, unlabeled, encoder)
        if self.distill_epochs == 0:
            return net
        self.teacher_net_ = net
        return self._distill(net, X, targets, labeled, n_outputs, seed + 1)

    def _with_unlabeled(self, batches, X_unlabeled, n_labeled, device, generator):
        """Pair each labeled batch with ``unlabeled_ratio`` times its rows of unlabeled rows."""
        rows_per_batch = min(self.batch_size_, n_labeled)
        unlabeled = self.estimator_._training_batches(
            X_unlabeled,
            device,
            generator,
            self.unlabeled_ratio * rows_per_batch,
            self.data_on_device,
        )
        return WithUnlabeled(batches, unlabeled)

    def _consistency_settings(self, unlabeled):
        if unlabeled is None:
            return {}
        return {
            "strong_augment": self.estimator_._augment_rows,
            "consistency_weight": self.consistency_weight,
            "confidence_threshold": self.confidence_threshold,
        }

    def _distill(self, teacher, X, targets, labeled, n_outputs, seed):
        """Train a student on the teacher's softened probabilities (or its classes, with
        ``distill_targets="hard"``) for every row of ``X``, the labeled rows' own labels kept."""
        device = resolve_device(self.device)
        teacher_targets = self._teacher_probabilities(teacher, X, device)  # (n, n_classes)
        one_hot = np.eye(n_outputs, dtype=teacher_targets.dtype)
        if self.distill_targets == "hard":
            teacher_targets = one_hot[teacher_targets.argmax(axis=1)]
        teacher_targets[labeled] = one_hot[targets]
        tuned = self.distill_student == "tuned"
        encoder = teacher.module_.network.encoder if tuned else None
        student = self._new_network(n_outputs, device, seed, encoder)
        criterion = SoftTargetCrossEntropy(self.distill_temperature)
        frozen = {"head": self.distill_epochs, "tuned": 1, "same": None}[self.distill_student]
        if frozen is not None and self._head_only(frozen, self.distill_epochs):
            return self._train_head(
                student, criterion, X, teacher_targets, None, seed, self.distill_epochs
            )
        generator = make_generator(seed, device)
        batches = self._batches(X, teacher_targets, device, generator)
        task = FineTuningTask(
            student,
            criterion,
            augment=self.estimator_._augment_rows if self.augment else None,
        )
        # the tuned encoder goes on at the rate it was tuned at (2e-5 from a checkpoint)
        encoder_lr = self.contrastive_lr_ if tuned and self.contrastive_epochs_ else None
        config = self._config(seed, device, (), freeze_epochs=frozen, encoder_lr=encoder_lr)
        return self._run(task, batches, config, generator, epochs=self.distill_epochs)

    def _teacher_probabilities(self, teacher, X, device):
        """``softmax(logits / distill_temperature)`` of the teacher for the rows of ``X``."""
        logits = self._outputs(teacher.module_.network, X, device)  # (n, n_classes)
        return torch.softmax(torch.from_numpy(logits) / self.distill_temperature, 1).numpy()
