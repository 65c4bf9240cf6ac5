"""Hyper-parameter search over pretext settings with joblib backends (loky, dask)."""

import joblib
import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_validate
from skorch.callbacks import Callback

from sklearn_ssl import SCARF
from tests.registry import table_rows

TINY = dict(n_components=3, hidden_layer_sizes=(8,), projection_size=8, batch_size=64)


class RecordSetup(Callback):
    """Records the batches class and torch's thread count a fit trains with."""

    def on_train_begin(self, net, X=None, **kwargs):
        self.batches_ = type(X).__name__
        self.threads_ = torch.get_num_threads()


@pytest.mark.slow
def test_grid_search_over_pretext_settings_in_loky_workers():
    """n_jobs=2 (loky): large X reaches workers memory-mapped, trains resident, one thread each."""
    X = table_rows(2000, np.random.default_rng(0))  # 80 kB; joblib memmaps above max_nbytes
    est = SCARF(**TINY, max_epochs=1, device="cpu", random_state=0, callbacks=[RecordSetup()])
    with joblib.parallel_config(backend="loky", inner_max_num_threads=1, max_nbytes="10K"):
        search = GridSearchCV(est, {"corruption_rate": [0.2, 0.8]}, cv=2, n_jobs=2).fit(X)
        folds = cross_validate(est, X, cv=2, n_jobs=2, return_estimator=True)
    assert search.best_params_["corruption_rate"] in (0.2, 0.8)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()  # RankMe, label-free
    setups = {
        (f.net_.callbacks_[-1][1].batches_, f.net_.callbacks_[-1][1].threads_)
        for f in folds["estimator"]
    }
    assert setups == {("DeviceBatches", 1)}


@pytest.mark.slow
def test_grid_search_on_a_local_dask_cluster():
    """The dask backend: same results as serial; workers run torch with one thread."""
    distributed = pytest.importorskip("distributed")
    X = table_rows(200, np.random.default_rng(0))
    est = SCARF(**TINY, max_epochs=2, device="cpu", random_state=0, callbacks=[RecordSetup()])
    grid = {"corruption_rate": [0.2, 0.8]}
    serial = GridSearchCV(clone(est), grid, cv=2).fit(X)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
    ):
        with joblib.parallel_config(backend="dask"):
            on_dask = GridSearchCV(clone(est), grid, cv=2, n_jobs=-1).fit(X)
            folds = cross_validate(clone(est), X, cv=2, n_jobs=-1, return_estimator=True)
    np.testing.assert_array_equal(
        serial.cv_results_["mean_test_score"], on_dask.cv_results_["mean_test_score"]
    )
    np.testing.assert_array_equal(serial.transform(X), on_dask.transform(X))
    assert {f.net_.callbacks_[-1][1].threads_ for f in folds["estimator"]} == {1}
