"""Which table-method settings keep few-label accuracy at or above the one-hot baseline.

For each table of ``tables_mixed.py`` and each setting, SCARF or VIME is
fitted once on the unlabeled pool; its embeddings are probed alone,
concatenated with the one-hot + impute + scale features, and with the
encoded input that ``passthrough=True`` appends (the same fit), with the
protocol's logistic probe (5 seeds). Prints one line per setting, writes JSON.

    python benchmarks/studies/table_defaults.py              # every table, the settings below
    python benchmarks/studies/table_defaults.py --tables cars --methods VIME
"""

import argparse
import contextlib
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).parents[1]))  # benchmarks/
sys.path.insert(0, str(Path(__file__).parents[2]))  # the repository

from outputs import output_path  # noqa: E402
from protocol import as_features, probe_scores, split  # noqa: E402
from run import environment  # noqa: E402
from tables_mixed import BUDGETS, TABLES, load_table, one_hot_impute_scale  # noqa: E402

import sklearn_ssl  # noqa: E402
import sklearn_ssl.tabular._base as tabular_base  # noqa: E402

#: Settings measured: name -> parameters on top of ``max_epochs`` and ``random_state``.
SETTINGS = {
    "128 wide (0.1 defaults)": {},
    "n_components=32": {"n_components": 32},
    "n_components=16": {"n_components": 16},
    "n_components=64": {"n_components": 64},
    "n_components=32, one hidden layer of 128": {
        "n_components": 32,
        "hidden_layer_sizes": (128,),
    },
    "robust scaling (median, IQR) instead of mean/std": {"scaling": "robust"},
    "n_components=8": {"n_components": 8},
    "early stopping (up to 400 epochs, n_iter_no_change=20)": {
        "max_epochs": 400,
        "n_iter_no_change": 20,
    },
    "n_components=32, batch_size=32 (8 times the steps)": {"n_components": 32, "batch_size": 32},
    "n_components=32, 400 epochs": {"n_components": 32, "max_epochs": 400},
}


def median_iqr(X, numeric):
    """Robust scaling: median and interquartile range / 1.349 (the std where that is 0)."""
    center, scale = np.zeros(X.shape[1]), np.ones(X.shape[1])
    values = X[:, numeric].astype(np.float32).astype(np.float64)
    q1, median, q3 = np.nanquantile(values, [0.25, 0.5, 0.75], axis=0)
    spread = (q3 - q1) / 1.349
    flat = ~(spread > np.finfo(np.float32).tiny)
    spread[flat] = np.nanstd(values[:, flat], axis=0)
    spread[~(spread > np.finfo(np.float32).tiny)] = 1.0
    center[numeric], scale[numeric] = np.nan_to_num(median), spread
    return center, scale


@contextlib.contextmanager
def scaling(name):
    """Train with robust scaling when ``name`` is "robust"."""
    default = tabular_base._center_scale
    if name == "robust":
        tabular_base._center_scale = median_iqr
    try:
        yield
    finally:
        tabular_base._center_scale = default


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", nargs="+", default=list(TABLES), choices=list(TABLES))
    parser.add_argument("--methods", nargs="+", default=["SCARF", "VIME"])
    parser.add_argument("--settings", nargs="+", default=list(SETTINGS), choices=list(SETTINGS))
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--random-state", type=int, default=0, help="of the methods' fits")
    parser.add_argument("--name", default="table_defaults", help="name of the JSON file")
    args = parser.parse_args()
    torch.set_num_threads(1)
    results = []
    for table in args.tables:
        found = load_table(table)
        if found is None:
            continue
        X, y = found
        X_pool, X_test, y_pool, y_test = split(X, y)
        smallest = np.unique(y_pool, return_counts=True)[1].min()
        budgets = [k for k in BUDGETS if k == "all" or k <= smallest]
        raw = one_hot_impute_scale().fit(X_pool)
        R_pool, R_test = raw.transform(X_pool), raw.transform(X_test)
        baseline = probe_scores(R_pool, y_pool, R_test, y_test, budgets)
        results.append({"table": table, "setting": "one-hot + impute + scale", "linear": baseline})
        print(f"{table:14s} {'one-hot + impute + scale':48s} {_fmt(baseline)}", flush=True)
        for method in args.methods:
            for setting in args.settings:
                params = dict(SETTINGS[setting])
                with scaling(params.pop("scaling", "mean/std")):
                    # the embeddings alone first; the same fit with passthrough below
                    est = getattr(sklearn_ssl, method)(
                        **{
                            "max_epochs": args.epochs,
                            "random_state": args.random_state,
                            "passthrough": False,
                            **params,
                        }
                    )
                    start = time.perf_counter()
                    Z_pool = as_features(est.fit(X_pool).transform(X_pool))
                    Z_test = as_features(est.transform(X_test))
                seconds = time.perf_counter() - start
                epochs = f" ({est.n_iter_} epochs)" if "n_iter_no_change" in params else ""
                alone = probe_scores(Z_pool, y_pool, Z_test, y_test, budgets)
                both = probe_scores(
                    np.hstack([Z_pool, R_pool]),
                    y_pool,
                    np.hstack([Z_test, R_test]),
                    y_test,
                    budgets,
                )
                est.set_params(passthrough=True)  # the same fit, the encoded input appended
                passed = probe_scores(
                    as_features(est.transform(X_pool)),
                    y_pool,
                    as_features(est.transform(X_test)),
                    y_test,
                    budgets,
                )
                est.set_params(passthrough=False)
                rows = (("", alone), (" + one-hot", both), (" passthrough", passed))
                for suffix, scores in rows:
                    name = f"{method} {setting}{suffix}"
                    results.append(
                        {"table": table, "setting": name, "linear": scores, "fit_seconds": seconds}
                    )
                    print(
                        f"{table:14s} {name:48s} {_fmt(scores)} {seconds:.1f}s{epochs}", flush=True
                    )
    payload = {
        "environment": environment(),
        "epochs": args.epochs,
        "random_state": args.random_state,
        "results": results,
    }
    output_path(f"{args.name}.json").write_text(json.dumps(payload, indent=1))


def _fmt(scores):
    return " ".join(f"{k}:{v:.3f}" for k, v in scores.items())


if __name__ == "__main__":
    main()
