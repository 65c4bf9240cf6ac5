"""Which label-free criterion ranks pretext settings the way few-label accuracy does?

Each setting of a grid is pretrained on the unlabeled pool of the protocol's
split (the archive's train split for the UCR/UEA sets). Its labeled score is
the protocol's linear-probe test accuracy at ``--labels`` per class (mean over
seeds 0..4); its label-free scores are the criteria of ``score_criterion``
(``sklearn_ssl.metrics.label_free_scorer``), computed on the held-out rows (the
test part, without its labels), as a ``GridSearchCV`` computes them on its
validation folds. For each method and criterion the table gives Spearman's rho
between criterion and accuracy over the settings, and the regret: the accuracy
of the best setting minus that of the setting the criterion picks.

``--grid`` is a family of :data:`GRIDS` (by default the one of the data set's
kind) or a Python list of estimators. Fitted settings are kept in
``benchmarks/runs/selection_fits/`` so that a rerun (a new criterion, another
label budget) scores them again without training; ``--refit`` trains anew.

    python benchmarks/selection.py                       # SCARF and VIME on digits (CPU, 10 min)
    python benchmarks/selection.py --data breast_cancer
    python benchmarks/selection.py --data digits-images  # SimCLR, VICReg, BYOL, BarlowTwins
    python benchmarks/selection.py --data mnist --grid simclr-short
    python benchmarks/selection.py --data mr --labels 10 100
    python benchmarks/selection.py --data gunpoint       # TS2Vec and the masked autoencoder
"""

import argparse
import hashlib
import math
import time

import joblib
import stage_two_common as common
import torch
from data import LOADERS
from outputs import RUNS
from protocol import probe_scores
from scipy.stats import spearmanr
from stage_two_common import DEFAULT_GRID, describe

from sklearn_ssl.metrics import label_free_scorer
from sklearn_ssl.metrics._label_free import CRITERIA

#: The main pretext settings and training length of each family of methods.
#: ``input_shape`` is the data set's image shape.
GRIDS = {
    "tables": DEFAULT_GRID,
    "views": (
        "[SimCLR(input_shape=input_shape, temperature=t, augmentation=a, max_epochs=e,"
        " random_state=0) for t in (0.1, 0.5) for a in ('auto', 'natural') for e in (5, 20)]"
        " + [VICReg(input_shape=input_shape, invariance_weight=w, augmentation=a,"
        " max_epochs=e, random_state=0)"
        " for w in (10.0, 25.0) for a in ('auto', 'natural') for e in (5, 20)]"
        " + [BYOL(input_shape=input_shape, base_momentum=m, augmentation=a, max_epochs=e,"
        " random_state=0) for m in (0.99, 0.996) for a in ('auto', 'natural') for e in (5, 20)]"
        " + [BarlowTwins(input_shape=input_shape, redundancy_weight=w, augmentation=a,"
        " max_epochs=e, random_state=0)"
        " for w in (0.005, 0.02) for a in ('auto', 'natural') for e in (5, 20)]"
    ),
    "simclr-short": (
        "[SimCLR(input_shape=input_shape, temperature=t, augmentation=a, max_epochs=e,"
        " random_state=0) for t in (0.1, 0.5) for a in ('auto', 'natural') for e in (2, 6)]"
    ),
    "text": (
        "[MaskedLanguageModel(objective=o, mask_rate=m, max_epochs=e, random_state=0)"
        " for o in ('mlm', 'mlm+simcse') for m in (0.15, 0.4) for e in (1, 4)]"
    ),
    "series": (
        "[TS2Vec(mask_rate=m, n_components=c, max_epochs=e, random_state=0)"
        " for m in (0.25, 0.5) for c in (64, 320) for e in (10, 50)]"
        " + [MaskedTimeSeriesAutoencoder(mask_rate=r, patch_size=p, max_epochs=e,"
        " random_state=0) for r in (0.25, 0.5) for p in (4, 8) for e in (20, 100)]"
    ),
}

#: The family a data set of each kind is measured with unless ``--grid`` says otherwise.
KIND_GRIDS = {"table": "tables", "image": "views", "text": "text", "series": "series"}


def arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="digits", choices=sorted(LOADERS))
    parser.add_argument("--grid", help=f"one of {', '.join(GRIDS)}, or a Python list of estimators")
    parser.add_argument(
        "--labels", type=int, nargs="+", default=[10], help="labels per class of the probe"
    )
    parser.add_argument("--threads", type=int, default=1, help="torch threads (CPU)")
    parser.add_argument("--refit", action="store_true", help="train every setting anew")
    return parser.parse_args(argv)


def fitted(estimator, X_pool, data_name, refit):
    """``(estimator fitted on X_pool, fit seconds)``, from the cache of earlier runs if there."""
    settings = sorted(estimator.get_params(deep=False).items())
    key = hashlib.sha1(f"{data_name} {type(estimator).__name__} {settings}".encode()).hexdigest()
    path = RUNS / "selection_fits" / f"{key[:16]}.joblib"
    if path.exists() and not refit:
        return joblib.load(path)
    start = time.perf_counter()
    estimator.fit(X_pool)
    result = (estimator, time.perf_counter() - start)
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(result, path)
    return result


def measure(estimator, seconds, data, budgets):
    """``{setting, method, accuracy: {k: acc}, <criterion>: score, seconds}`` of one setting.

    A criterion that the method cannot compute (LiDAR without views) scores NaN.
    """
    X_pool, X_test, y_pool, y_test = data
    Z_pool, Z_test = estimator.transform(X_pool), estimator.transform(X_test)
    row = {
        "setting": describe(estimator),
        "method": type(estimator).__name__,
        "accuracy": probe_scores(Z_pool, y_pool, Z_test, y_test, budgets),
        "seconds": seconds,
    }
    for criterion in CRITERIA:
        try:
            row[criterion] = float(label_free_scorer(criterion)(estimator, X_test))
        except NotImplementedError:
            row[criterion] = math.nan
    return row


def selection_quality(rows, criterion, labels):
    """Spearman's rho of ``criterion`` with accuracy at ``labels``, and the regret of its pick.

    None where the method has no score for the criterion.
    """
    rows = [row for row in rows if not math.isnan(row[criterion])]
    if len(rows) < 3:
        return None
    accuracy = [row["accuracy"][str(labels)] for row in rows]
    rho = float(spearmanr([row[criterion] for row in rows], accuracy)[0])
    picked = max(range(len(rows)), key=lambda i: rows[i][criterion])
    regret = max(accuracy) - accuracy[picked]
    return {"spearman": rho, "regret": regret, "picks": rows[picked]["setting"]}


def main(argv=None):
    args = arguments(argv)
    torch.set_num_threads(args.threads)
    dataset = LOADERS[args.data]()
    grid = args.grid or KIND_GRIDS[dataset.kind]
    expression = GRIDS.get(grid, grid)
    data = dataset.pool_and_test()
    rows = []
    for estimator in common.make(expression, input_shape=dataset.input_shape):
        estimator, seconds = fitted(estimator, data[0], args.data, args.refit)
        rows.append(measure(estimator, seconds, data, args.labels))
        accuracy = "  ".join(f"@{k} {a:.3f}" for k, a in rows[-1]["accuracy"].items())
        scores = "  ".join(f"{c} {rows[-1][c]:+8.3f}" for c in CRITERIA)
        print(f"{rows[-1]['setting'][:70]:70s} {accuracy}  {scores}", flush=True)

    quality = {}
    for labels in args.labels:
        print(f"\n{args.data}, {labels} labels per class: Spearman rho / regret")
        print("| method | " + " | ".join(CRITERIA) + " |")
        print("|---|" + "---|" * len(CRITERIA))
        for method in sorted({row["method"] for row in rows}):
            mine = [row for row in rows if row["method"] == method]
            measured = {c: selection_quality(mine, c, labels) for c in CRITERIA}
            quality.setdefault(str(labels), {})[method] = measured
            cells = [
                "-" if q is None else f"{q['spearman']:+.2f} / {q['regret']:.3f}"
                for q in measured.values()
            ]
            print(f"| {method} ({len(mine)} settings) | " + " | ".join(cells) + " |")

    report = {
        "data": args.data,
        "grid": expression,
        "labels_per_class": args.labels,
        "criteria_on": "held-out rows (the test part, without labels)",
        "rows": rows,
        "quality": quality,
        "environment": common.environment(),
    }
    print(f"\nwrote {common.write_json(report, f'selection_{args.data}')}")


if __name__ == "__main__":
    main()
