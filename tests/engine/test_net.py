"""PretextNet: the skorch net that trains a pretext task, driven directly."""

import math
import pickle

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback
from torch import nn

from sklearn_ssl._engine.batches import DeviceBatches
from sklearn_ssl._engine.net import PretextNet
from sklearn_ssl.tasks import PretextTask

N_ROWS, BATCH_SIZE = 48, 16  # three batches per epoch


class ToyTask(PretextTask):
    """Pulls a linear encoder's outputs towards noise drawn from the generator.

    ``interrupt_at`` raises KeyboardInterrupt on that forward call (1-based);
    ``scale`` multiplies the loss (``inf`` makes it diverge).
    """

    def __init__(self, scale=1.0, interrupt_at=None):
        super().__init__(nn.Linear(3, 2))
        self.scale, self.interrupt_at = scale, interrupt_at
        self.calls = self.steps = 0

    def forward(self, X, generator=None):
        self.calls += 1
        if self.calls == self.interrupt_at:
            raise KeyboardInterrupt
        z = self.encoder(X)  # (batch, 2)
        noise = torch.rand(z.shape, generator=generator)
        return {"loss": self.scale * (z - noise).pow(2).mean()}

    def after_optimizer_step(self):
        self.steps += 1


class RecordBatchLosses(Callback):
    def initialize(self):
        self.losses = []
        return self

    def on_batch_end(self, net, loss=None, training=False, **kwargs):
        self.losses.append(loss.item())


class StopAfter(Callback):
    """Stops training the way skorch's EarlyStopping does: KeyboardInterrupt from a callback."""

    def __init__(self, epochs):
        self.epochs = epochs

    def on_epoch_end(self, net, **kwargs):
        if len(net.history) >= self.epochs:
            raise KeyboardInterrupt


def rows(seed=0):
    return torch.randn(N_ROWS, 3, generator=torch.Generator().manual_seed(seed))


def make_net(task=None, seed=None, **kwargs):
    if task is None:
        torch.manual_seed(0)
        task = ToyTask()
    kwargs = {"max_epochs": 3, "lr": 0.1, "optimizer": torch.optim.SGD, **kwargs}
    return PretextNet(task, seed=seed, device="cpu", **kwargs).initialize()


def train(net, X=None, seed=0):
    generator = torch.Generator().manual_seed(seed)
    X = rows() if X is None else X
    return net.partial_fit(DeviceBatches(X, BATCH_SIZE, generator), generator=generator)


def test_one_recorded_loss_per_epoch_the_mean_of_its_batches():
    recorder = RecordBatchLosses()
    net = train(make_net(callbacks=[recorder]))
    losses = net.history[:, "train_loss"]
    assert len(net.history) == len(losses) == 3
    assert net.history[:, "train_batch_count"] == [3, 3, 3]
    batch_losses = np.reshape(recorder.losses, (3, 3))
    np.testing.assert_allclose(losses, batch_losses.mean(axis=1), rtol=1e-6)
    best = net.history[:, "train_loss_best"]
    assert best[0] is True
    assert best[1:] == [losses[i] < min(losses[:i]) for i in (1, 2)]


def test_the_task_updates_after_every_optimizer_step():
    net = train(make_net())
    assert net.module_.steps == 3 * 3


def test_non_finite_loss_raises_with_the_lr_advice():
    net = make_net(ToyTask(scale=math.inf), lr=0.25)
    with pytest.raises(
        FloatingPointError,
        match=r"loss became (inf|nan) in epoch 1\. .*\(lr=0\.25\) is probably too high.*lower it",
    ):
        train(net)


def test_keyboard_interrupt_from_outside_a_callback_is_recorded():
    # the 8th forward call is the 2nd batch of epoch 3: two epochs are complete
    net = train(make_net(ToyTask(interrupt_at=8), max_epochs=5))  # skorch swallows it
    assert net.interrupted_ is True
    assert len(net.history) == 2  # the unfinished epoch's row is dropped
    assert all("train_loss" in row for row in net.history)


def test_keyboard_interrupt_from_a_callback_is_a_stop_not_an_interruption():
    net = train(make_net(max_epochs=5, callbacks=[StopAfter(2)]))
    assert net.interrupted_ is False
    assert len(net.history) == 2 and "train_loss" in net.history[-1]


def test_max_epochs_counts_the_epochs_already_in_the_history():
    net = train(make_net(max_epochs=2))
    assert len(net.history) == 2
    train(net)  # max_epochs reached: nothing more
    assert len(net.history) == 2
    net.max_epochs = 5
    train(net)
    assert len(net.history) == 5


def test_a_seed_makes_epochs_repeatable_however_they_are_split():
    full = train(make_net(seed=7, max_epochs=3))
    stepwise = make_net(seed=7, max_epochs=1)
    for epochs in (1, 2, 3):
        stepwise.max_epochs = epochs
        train(stepwise, seed=epochs)  # the generator is reseeded from (seed, epoch)
    assert stepwise.history[:, "train_loss"] == full.history[:, "train_loss"]
    for name, value in full.module_.state_dict().items():
        assert torch.equal(value, stepwise.module_.state_dict()[name]), name


def test_the_task_is_pickled_once_and_restored_as_the_module():
    net = train(make_net())
    restored = pickle.loads(pickle.dumps(net))
    assert restored.module is restored.module_
    X = rows(1)
    with torch.no_grad():
        torch.testing.assert_close(restored.module_.encoder(X), net.module_.encoder(X))
