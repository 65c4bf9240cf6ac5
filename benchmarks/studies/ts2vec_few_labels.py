"""TS2Vec at one and five labels per class: training settings and poolings tried.

Each *setting* changes one parameter of the paper's TS2Vec
(``methods.series_methods``, ``random_state=0``) and fits it on the
archive's train split; each *pooling* turns the per-timestamp states of the
paper's fitted model (``encoder_.network``, the whole series, no masking)
into one vector per series another way than TS2Vec's max over time. Every
representation is scored with the library's logistic probe at 1 and 5 labels
per class and with all labels (``protocol.py``), next to MiniRocket's
features under the same probe. Prints a table and writes JSON (see
``outputs.py``).

    python benchmarks/studies/ts2vec_few_labels.py --datasets gunpoint arrowhead
    python benchmarks/studies/ts2vec_few_labels.py --datasets gunpoint --skip-settings
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).parents[1]))  # benchmarks/
sys.path.insert(0, str(Path(__file__).parents[2]))  # the repository

from baselines import series_baselines  # noqa: E402
from data import LOADERS, SERIES_SETS, ready_for_series  # noqa: E402
from methods import series_methods  # noqa: E402
from outputs import output_path  # noqa: E402
from protocol import probe_scores  # noqa: E402

BUDGETS = [1, 5, "all"]

#: Name -> parameters changed from the paper's settings ("steps x3": three times the epochs).
SETTINGS = {
    "paper's settings": {},
    "alpha=0.9 (mostly instance-wise)": {"alpha": 0.9},
    "alpha=0.1 (mostly temporal)": {"alpha": 0.1},
    "n_components=64": {"n_components": 64},
    "mask_rate=0.25": {"mask_rate": 0.25},
    "steps x3": "steps x3",
}


def segment_max(states, n_segments):
    """Max over each of ``n_segments`` consecutive spans of time, concatenated."""
    spans = np.array_split(np.arange(states.shape[1]), n_segments)
    return np.concatenate([states[:, span].max(axis=1) for span in spans], axis=1)


#: Name -> states (n_series, n_timepoints, width) to one row per series.
POOLINGS = {
    "max (TS2Vec's)": lambda states: states.max(axis=1),
    "mean": lambda states: states.mean(axis=1),
    "max and mean": lambda states: np.concatenate([states.max(1), states.mean(1)], axis=1),
    "proportion of positive values": lambda states: (states > 0).mean(axis=1),
    "max over 2 halves": lambda states: segment_max(states, 2),
    "max over 4 quarters": lambda states: segment_max(states, 4),
    "max over 8 spans": lambda states: segment_max(states, 8),
}


def paper_ts2vec(dataset, change):
    """The benchmark's TS2Vec with one change of ``SETTINGS``."""
    ts2vec = series_methods(dataset, quick=False)["TS2Vec"].set_params(random_state=0)
    if change == "steps x3":
        return ts2vec.set_params(max_epochs=3 * ts2vec.max_epochs)
    return ts2vec.set_params(**change)


def timestamp_states(ts2vec, X):
    """States of whole, equal-length series: (n_series, n_timepoints, width)."""
    encoder = ts2vec.encoder_.eval()
    with torch.inference_mode():
        values, observed = encoder.inputs(torch.as_tensor(X, dtype=torch.float32))
        states, _ = encoder.network(values, observed)  # (n, T, width)
    return states.numpy()


def minirocket_features(dataset):
    """MiniRocket's features (aeon, ``random_state=0``) of the pool and the test series."""
    X_test, _ = dataset.test
    minirocket = series_baselines(dataset)["MiniRocket"].fit(dataset.X)
    return minirocket.transform(dataset.X), minirocket.transform(X_test)


def dataset_rows(dataset, settings):
    """Representation name -> probe accuracy by budget, for one data set."""
    X_test, y_test = dataset.test

    def scores(Z_pool, Z_test):
        return probe_scores(Z_pool, dataset.y, Z_test, y_test, BUDGETS)

    rows = {"MiniRocket features": scores(*minirocket_features(dataset))}
    for name, change in settings.items():
        ts2vec = paper_ts2vec(dataset, change).fit(dataset.X)
        rows[f"setting: {name}"] = scores(ts2vec.transform(dataset.X), ts2vec.transform(X_test))
        if not change:  # the paper's model: its states pooled every other way
            pool, test = timestamp_states(ts2vec, dataset.X), timestamp_states(ts2vec, X_test)
            for pooling, pool_states in POOLINGS.items():
                rows[f"pooling: {pooling}"] = scores(pool_states(pool), pool_states(test))
        print(dataset.name, name, rows[f"setting: {name}"], flush=True)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", choices=sorted(SERIES_SETS), required=True)
    parser.add_argument("--skip-settings", action="store_true", help="only the poolings")
    parser.add_argument("--out", default=None, help="JSON path (default: see outputs.py)")
    args = parser.parse_args(argv)
    if not ready_for_series():
        return None
    out = Path(args.out or output_path("ts2vec_few_labels.json"))
    report = {}
    settings = {"paper's settings": {}} if args.skip_settings else SETTINGS
    for key in args.datasets:
        dataset = LOADERS[key]()
        rows = dataset_rows(dataset, settings)
        report[dataset.name] = rows
        out.write_text(json.dumps(report, indent=2))
    for name, rows in report.items():
        print(f"\n**{name}** (logistic probe, labels per class)\n")
        print("| representation | 1 | 5 | all |\n|---|---|---|---|")
        for row, accuracy in rows.items():
            print(f"| {row} | " + " | ".join(f"{accuracy[str(k)]:.3f}" for k in BUDGETS) + " |")
    return report


if __name__ == "__main__":
    main()
