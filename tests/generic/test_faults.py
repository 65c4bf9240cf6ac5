"""Training faults fail loudly and leave the estimator in a known state."""

import warnings

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted
from skorch.callbacks import Checkpoint, LoadInitState

from sklearn_ssl.exceptions import CollapseWarning
from tests.generic.faulty_encoders import ConstantEncoder, FaultyEncoder
from tests.registry import parametrize_cases

N_ROWS = 32  # with batch_size=16: two batches, so two encoder calls, per epoch


def _data(case, n_rows=N_ROWS):
    return case.make_X(n_rows, np.random.default_rng(0))


def _faulty(estimator):
    """The FaultyEncoder inside a fitted estimator's encoder_."""
    return next(m for m in estimator.encoder_.modules() if isinstance(m, FaultyEncoder))


@parametrize_cases()
def test_diverging_loss_raises_and_unfits(case):
    est = clone(case.estimator).set_params(lr=1e30, optimizer="sgd", max_epochs=5)
    with pytest.raises(FloatingPointError, match=r"loss became (nan|inf).*lr=1e\+30.*lower it"):
        est.fit(_data(case))
    with pytest.raises(NotFittedError):
        check_is_fitted(est)


@parametrize_cases(needs="encoder_swappable")
def test_collapsed_encoder_warns(case):
    est = clone(case.estimator).set_params(encoder=ConstantEncoder())
    with pytest.warns(CollapseWarning, match="collapsed.*nearly identical"):
        est.fit(_data(case))


@parametrize_cases()
def test_collapse_check_covers_the_built_in_encoder(case, monkeypatch):
    # also covers the estimators whose encoder cannot be swapped
    X = _data(case)
    fitted = clone(case.estimator).fit(X)
    encoder_class, width = type(fitted.encoder_), fitted.n_components_
    forward = encoder_class.forward

    def constant_in_eval(self, inputs, *args, **kwargs):
        if self.training:
            return forward(self, inputs, *args, **kwargs)
        return torch.ones(len(inputs), width)  # (batch, width): collapsed

    monkeypatch.setattr(encoder_class, "forward", constant_in_eval)
    with pytest.warns(CollapseWarning, match="collapsed.*nearly identical"):
        clone(case.estimator).fit(X)


@parametrize_cases()
def test_healthy_fit_does_not_warn_of_collapse(case):
    with warnings.catch_warnings():
        warnings.simplefilter("error", CollapseWarning)
        clone(case.estimator).fit(_data(case))


# epochs_independent: it compares with a max_epochs=2 fit
@parametrize_cases(needs=("encoder_swappable", "epochs_independent"))
def test_keyboard_interrupt_keeps_completed_epochs(case):
    X = _data(case)
    # the 5th training call is the first batch of epoch 3: two epochs are complete
    interrupt = FaultyEncoder(fault=KeyboardInterrupt(), fault_at=5)
    est = clone(case.estimator).set_params(encoder=interrupt, max_epochs=6)
    with pytest.raises(KeyboardInterrupt):
        est.fit(X)
    assert est.interrupted_ is True
    assert est.n_iter_ == 2
    assert len(est.history_[:, "train_loss"]) == 2
    two_epochs = clone(case.estimator).set_params(encoder=FaultyEncoder(), max_epochs=2).fit(X)
    np.testing.assert_array_equal(est.transform(X), two_epochs.transform(X))

    _faulty(est).fault = None  # the user continues training
    est.partial_fit(X)
    assert est.interrupted_ is False
    assert est.n_iter_ == 3


@parametrize_cases()
def test_early_stopping_is_not_an_interruption(case):
    # skorch's EarlyStopping stops by raising KeyboardInterrupt from a callback
    est = clone(case.estimator).set_params(max_epochs=20, n_iter_no_change=1, tol=1e9)
    est.fit(_data(case))
    assert est.interrupted_ is False
    assert est.n_iter_ == 2


# epochs_independent: the checkpoint comes from a max_epochs=2 fit
@parametrize_cases(needs="epochs_independent")
def test_checkpoint_and_resume_repeat_an_uninterrupted_fit(case, tmp_path):
    X = _data(case)
    uninterrupted = clone(case.estimator).set_params(max_epochs=4).fit(X)

    checkpoint = Checkpoint(dirname=str(tmp_path), monitor=None)  # save after every epoch
    clone(case.estimator).set_params(max_epochs=2, callbacks=[checkpoint]).fit(X)
    checkpoint = Checkpoint(dirname=str(tmp_path), monitor=None)
    resumed = clone(case.estimator).set_params(
        max_epochs=4, callbacks=[checkpoint, LoadInitState(checkpoint)]
    )
    resumed.fit(X)

    assert resumed.n_iter_ == 4  # two loaded epochs, two trained
    np.testing.assert_array_equal(resumed.transform(X), uninterrupted.transform(X))


@parametrize_cases(needs="encoder_swappable")
def test_out_of_memory_in_fit_suggests_smaller_batch_size(case):
    oom = torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB")
    est = clone(case.estimator).set_params(encoder=FaultyEncoder(fault=oom), batch_size=16)
    with pytest.raises(torch.OutOfMemoryError, match=r"batch_size=16.*batch_size=8") as info:
        est.fit(_data(case))
    assert str(info.value.__cause__) == str(oom)  # chained (the encoder was deep-copied)
    with pytest.raises(NotFittedError):
        check_is_fitted(est)


def _out_of_memory_in(module_class, training, monkeypatch):
    """Make ``module_class`` raise out-of-memory in training or in evaluation mode."""
    forward = module_class.forward

    def failing_forward(self, *args, **kwargs):
        if self.training == training:
            raise torch.OutOfMemoryError("CUDA out of memory.")
        return forward(self, *args, **kwargs)

    monkeypatch.setattr(module_class, "forward", failing_forward)


@parametrize_cases()
def test_out_of_memory_in_the_built_in_modules_is_explained(case, monkeypatch):
    # also covers the estimators whose encoder cannot be swapped, and their own transform
    X = _data(case)
    est = clone(case.estimator).fit(X)
    with monkeypatch.context() as patch:
        _out_of_memory_in(type(est.encoder_), False, patch)
        with pytest.raises(torch.OutOfMemoryError, match="embedding rows with batch_size=16"):
            est.transform(X)
    _out_of_memory_in(type(est.net_.module_), True, monkeypatch)  # the pretext task
    with pytest.raises(torch.OutOfMemoryError, match="while training with batch_size=16"):
        clone(case.estimator).fit(X)


@parametrize_cases(needs="encoder_swappable")
def test_out_of_memory_in_transform_suggests_smaller_batch_size(case):
    X = _data(case)
    est = clone(case.estimator).set_params(encoder=FaultyEncoder(), batch_size=16).fit(X)
    _faulty(est).fault = torch.OutOfMemoryError("CUDA out of memory.")
    _faulty(est).in_eval = True
    with pytest.raises(torch.OutOfMemoryError, match="while embedding rows with batch_size=16"):
        est.transform(X)
