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
        """Train a student on the teacher's softened probabilities for every row of ``X``."""
        device = resolve_device(self.device)
        soft_targets = self._teacher_probabilities(teacher, X, device)  # (n, n_classes)
        soft_targets[labeled] = np.eye(n_outputs, dtype=soft_targets.dtype)[targets]
        student = self._new_network(n_outputs, device, seed)
        criterion = SoftTargetCrossEntropy(self.distill_temperature)
        frozen = self.distill_epochs if self.distill_student == "head" else None
        if frozen is not None and self._head_only(frozen, self.distill_epochs):
            return self._train_head(
                student, criterion, X, soft_targets, None, seed, self.distill_epochs
            )
        generator = make_generator(seed, device)
        batches = self._batches(X, soft_targets, device, generator)
        task = FineTuningTask(
            student,
            criterion,
            augment=self.estimator_._augment_rows if self.augment else None,
        )
        config = self._config(seed, device, (), freeze_epochs=frozen)
        return self._run(task, batches, config, generator, epochs=self.distill_epochs)

    def _teacher_probabilities(self, teacher, X, device):
        """``softmax(logits / distill_temperature)`` of the teacher for the rows of ``X``."""
        logits = self._outputs(teacher.module_.network, X, device)  # (n, n_classes)
        return torch.softmax(torch.from_numpy(logits) / self.distill_temperature, 1).numpy()
