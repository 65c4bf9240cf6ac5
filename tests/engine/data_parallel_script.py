"""A user script for ``tests/engine/test_distributed.py``, run by a launcher in 2 processes.

    PYTHONPATH=. torchrun --standalone --nproc_per_node 2 tests/engine/data_parallel_script.py OUT

(on GPUs, ``accelerate launch --multi_gpu --num_processes 2`` works the same way;
``accelerate launch --cpu`` starts a single process unless MPI is configured).

Each process fits the same SCARF on the same rows, with no data-parallel code,
and saves what the test checks to ``OUT_DIR/rank{RANK}.pt`` (rank 0 also
pickles the fitted estimator). It then checks NT-Xent's gathered gradients.
"""

import os
import pickle
import sys

import numpy as np
import torch
from skorch.callbacks import Callback


class RecordRows(Callback):
    """Keeps, per epoch, the rows of every training batch this process saw."""

    def __init__(self):
        self.epochs = []

    def on_epoch_begin(self, net, **kwargs):
        self.epochs.append([])

    def on_batch_begin(self, net, batch=None, training=False, **kwargs):
        self.epochs[-1].append(batch[0].numpy().copy())


def nt_xent_gradients(rank, world_size):
    """Loss and local gradients of NT-Xent on this process's part of a global batch."""
    from sklearn_ssl._engine.distributed import _SHARD
    from sklearn_ssl.losses import nt_xent_loss

    generator = torch.Generator().manual_seed(0)  # the same global batch everywhere
    z_a, z_b = torch.randn(2, 8 * world_size, 5, generator=generator)
    part = slice(8 * rank, 8 * (rank + 1))
    local_a = z_a[part].clone().requires_grad_()
    local_b = z_b[part].clone().requires_grad_()
    _SHARD.update(rank=rank, world_size=world_size)
    try:
        loss = nt_xent_loss(local_a, local_b, temperature=0.2, gather_distributed=True)
        loss.backward()
    finally:
        _SHARD.update(rank=0, world_size=1)
    return {"loss": loss.detach(), "grad_a": local_a.grad, "grad_b": local_b.grad}


def batch_statistics_loss(z):
    """A VICReg-style variance hinge over the batch: (batch, d) -> ()."""
    return torch.relu(1 - torch.sqrt(z.var(dim=0) + 1e-4)).mean()


def gathered_statistics_gradients(rank, world_size):
    """The recipe for batch-statistics losses: every process computes the global loss."""
    from sklearn_ssl._engine.distributed import _SHARD
    from sklearn_ssl.losses import gather_with_grad

    z = 0.3 * torch.randn(8 * world_size, 5, generator=torch.Generator().manual_seed(1))
    local = z[8 * rank : 8 * (rank + 1)].clone().requires_grad_()
    _SHARD.update(rank=rank, world_size=world_size)
    try:
        loss = batch_statistics_loss(gather_with_grad(local))  # the global batch's loss
        loss.backward()
    finally:
        _SHARD.update(rank=0, world_size=1)
    return {"loss": loss.detach(), "grad": local.grad}


def fine_tuned(classifier, pretrained, X):
    """Fine-tune ``pretrained`` data-parallel on 20 labels with FixMatch on every row."""
    y = np.where(np.arange(len(X)) < 20, np.arange(len(X)) % 2, -1)
    clf = classifier(
        pretrained, max_epochs=8, freeze_epochs=0, batch_size=8, consistency_weight=1.0,
        unlabeled_ratio=2, device="cpu", random_state=0,
    ).fit(X, y)  # fmt: skip
    return {
        "finetuned_state": clf.net_.module_.state_dict(),
        "finetuned_loss": clf.history_[:, "train_loss"],
        "finetuned_proba": clf.predict_proba(X),
        "finetuned_accuracy": clf.score(X, np.arange(len(X)) % 2),
    }


def main(out_dir):
    from sklearn_ssl import SCARF, FineTunedClassifier

    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    centers = np.array([[3.0, -3.0, 0.0, 1.0], [-3.0, 3.0, 1.0, 0.0]])
    X = (centers[np.arange(90) % 2] + rng.normal(size=(90, 4))).astype(np.float32)

    recorder = RecordRows()
    est = SCARF(
        n_components=4,
        hidden_layer_sizes=(16,),
        projection_size=8,
        max_epochs=6,
        batch_size=20,
        lr=3e-3,
        device="cpu",
        verbose=1,
        random_state=0,
        callbacks=[recorder],
    ).fit(X)

    rank, world_size = int(os.environ.get("RANK", 0)), int(os.environ.get("WORLD_SIZE", 1))
    result = {
        "rows": recorder.epochs,
        "state": est.net_.module_.state_dict(),
        "module_type": type(est.net_.module_).__name__,
        "loss": est.history_[:, "train_loss"],
        "callbacks": [name for name, _ in est.net_.callbacks_],
        "embeddings": est.transform(X),
        "X": X,
        "nt_xent": nt_xent_gradients(rank, world_size),
        "statistics": gathered_statistics_gradients(rank, world_size),
        **fine_tuned(FineTunedClassifier, est, X),
    }
    torch.save(result, os.path.join(out_dir, f"rank{rank}.pt"))
    if rank == 0:
        with open(os.path.join(out_dir, "scarf.pkl"), "wb") as file:
            pickle.dump(est, file)
    est.set_params(callbacks=None)  # a code-free file cannot hold the callback
    est.save(os.path.join(out_dir, f"saved_by_rank{rank}.safetensors"))  # the main one writes


if __name__ == "__main__":
    # run from the importable module, so the pickled callback unpickles elsewhere
    from tests.engine.data_parallel_script import main as importable_main

    importable_main(sys.argv[1])
