"""Does RankMe rank pretext settings like few-label accuracy does?

Each setting of a grid is pretrained on the unlabeled pool of the protocol's
split; its label-free score is RankMe of the pool embeddings (what
``estimator.score(X)`` returns and ``GridSearchCV(estimator, grid).fit(X)``
maximises), its labeled score is the protocol's linear-probe test accuracy at
``--labels`` per class (mean over seeds 0..4). The Spearman correlation between
the two, over all settings and within each method, says how far label-free
selection can be trusted (Garrido et al. 2023).

    python benchmarks/studies/rankme_selection.py          # SCARF and VIME on digits, ~2 min
    python benchmarks/studies/rankme_selection.py --data mnist \\
        --grid "[SimCLR(input_shape=(1, 28, 28), temperature=t, max_epochs=20) for t in (0.1, 0.5)]"
"""

import argparse
import sys
import time
from pathlib import Path

import torch
from scipy.stats import spearmanr

sys.path.insert(0, str(Path(__file__).parents[1]))  # benchmarks/

import stage_two_common as common  # noqa: E402
from outputs import output_path  # noqa: E402
from protocol import probe_scores, split  # noqa: E402
from stage_two_common import DEFAULT_GRID, describe  # noqa: E402

from sklearn_ssl.metrics import rankme  # noqa: E402


def grid_arguments(description):
    """The command line of a selection benchmark: data, grid, labels, threads.

    Also sets torch's thread count.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--data", default="digits", help="digits, breast_cancer or mnist")
    parser.add_argument("--grid", default=DEFAULT_GRID, help="a Python list of estimators")
    parser.add_argument("--labels", type=int, default=10, help="labels per class of the probe")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (CPU)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    return args


def main():
    args = grid_arguments(__doc__.splitlines()[0])

    X, y = common.load(args.data)
    X_pool, X_test, y_pool, y_test = split(X, y)
    rows = []
    for estimator in common.make(args.grid):
        start = time.perf_counter()
        estimator.fit(X_pool)
        Z_pool, Z_test = estimator.transform(X_pool), estimator.transform(X_test)
        accuracy = probe_scores(Z_pool, y_pool, Z_test, y_test, [args.labels])[str(args.labels)]
        rows.append(
            {
                "setting": describe(estimator),
                "method": type(estimator).__name__,
                "max_epochs": estimator.get_params().get("max_epochs"),
                "rankme": rankme(Z_pool),
                "accuracy": accuracy,
                "seconds": time.perf_counter() - start,
            }
        )
        print(f"{rows[-1]['setting']:58s} RankMe {rows[-1]['rankme']:7.2f}  acc {accuracy:.3f}")

    correlations = {"all": spearman(rows)}
    for method in sorted({row["method"] for row in rows}):
        correlations[method] = spearman([row for row in rows if row["method"] == method])
    for epochs in sorted({row["max_epochs"] for row in rows if row["max_epochs"] is not None}):
        same_length = [row for row in rows if row["max_epochs"] == epochs]
        correlations[f"max_epochs={epochs}"] = spearman(same_length)
    print(f"\nSpearman correlation of RankMe with {args.labels}-label probe accuracy:")
    for group, (rho, p_value, n) in correlations.items():
        print(f"  {group:14s} rho = {rho:+.3f}  (p = {p_value:.3f}, {n} settings)")
    best_by_rankme = max(rows, key=lambda row: row["rankme"])
    best_by_accuracy = max(rows, key=lambda row: row["accuracy"])
    print(
        f"RankMe picks {best_by_rankme['setting']} (acc {best_by_rankme['accuracy']:.3f}); "
        f"the best is {best_by_accuracy['setting']} (acc {best_by_accuracy['accuracy']:.3f})"
    )

    stem = f"rankme_selection_{args.data}"
    report = {
        "data": args.data,
        "grid": args.grid,
        "labels_per_class": args.labels,
        "rows": rows,
        "spearman": {group: list(values) for group, values in correlations.items()},
        "environment": common.environment(),
    }
    print(f"\nwrote {common.write_json(report, stem)}")
    print(f"wrote {plot(rows, correlations, args, output_path(f'{stem}.png'))}")


def spearman(rows):
    """Spearman's rho, its p-value and the number of settings."""
    if len(rows) < 3:
        return (float("nan"), float("nan"), len(rows))
    result = spearmanr([row["rankme"] for row in rows], [row["accuracy"] for row in rows])
    return (float(result.statistic), float(result.pvalue), len(rows))


def plot(rows, correlations, args, path):
    """Probe accuracy against RankMe, one colour per method."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for method in sorted({row["method"] for row in rows}):
        mine = [row for row in rows if row["method"] == method]
        rho = correlations[method][0]
        ax.scatter(
            [row["rankme"] for row in mine],
            [row["accuracy"] for row in mine],
            label=f"{method} (Spearman {rho:+.2f})",
        )
    ax.set_xlabel("RankMe of the pool embeddings (no labels)")
    ax.set_ylabel(f"linear probe accuracy, {args.labels} labels/class")
    ax.set_title(f"{args.data}: all settings Spearman {correlations['all'][0]:+.2f}")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


if __name__ == "__main__":
    main()
