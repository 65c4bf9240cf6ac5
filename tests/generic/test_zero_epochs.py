"""``max_epochs=0``: every method's fit prepares its model without training it.

Frozen and continued pretraining are then two values of one parameter, e.g. for
a pretrained checkpoint (tests/text/test_pretrained.py, tests/image/test_backbones.py).
"""

import warnings

import numpy as np
import torch
from sklearn.base import clone

from sklearn_ssl import load
from tests.registry import parametrize_cases


def fit_zero(case, n_samples=40):
    X = case.make_X(n_samples, np.random.default_rng(0))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no collapse warning: nothing was trained
        est = clone(case.estimator).set_params(max_epochs=0).fit(X)
    return est, X


@parametrize_cases()
def test_a_zero_epoch_fit_prepares_the_model_without_training_it(case):
    est, X = fit_zero(case)
    assert est.n_iter_ == 0 and len(est.history_) == 0 and not est.interrupted_
    Z = est.transform(X)
    assert Z.shape == (len(X), len(est.get_feature_names_out())) and np.isfinite(Z).all()
    np.testing.assert_array_equal(Z, est.transform(X))


@parametrize_cases(needs="epochs_independent")
def test_a_zero_epoch_fit_is_the_start_of_every_fit(case):
    """Its weights are the seeded initial ones: one more epoch gives the 1-epoch fit."""
    est, X = fit_zero(case)
    est.partial_fit(X)
    once = clone(case.estimator).set_params(max_epochs=1).fit(X)
    for (name, a), (_, b) in zip(
        est.net_.module_.state_dict().items(), once.net_.module_.state_dict().items(), strict=True
    ):
        torch.testing.assert_close(a, b, msg=name)


@parametrize_cases(needs="saveable")
def test_a_zero_epoch_fit_saves_and_loads(case, tmp_path):
    est, X = fit_zero(case)
    est.save(tmp_path / "model.safetensors")
    loaded = load(tmp_path / "model.safetensors")
    assert loaded.n_iter_ == 0
    np.testing.assert_allclose(loaded.transform(X), est.transform(X), rtol=1e-6, atol=1e-6)
