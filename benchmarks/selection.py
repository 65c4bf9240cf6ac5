"""Which label-free criterion ranks pretext settings the way few-label accuracy does?

Each setting of a grid is pretrained on the unlabeled pool of the protocol's
split. Its labeled score is the protocol's linear-probe test accuracy at
``--labels`` per class (mean over seeds 0..4); its label-free scores are the
criteria of ``score_criterion`` (``sklearn_ssl.metrics.label_free_scorer``),
computed on the held-out rows (the test part, without its labels), as a
``GridSearchCV`` computes them on its validation folds. For each method and
criterion the table gives Spearman's rho between criterion and accuracy over
the settings, and the regret: the accuracy of the best setting minus that of
the setting the criterion picks.

    python benchmarks/selection.py                  # SCARF and VIME on digits (CPU, minutes)
    python benchmarks/selection.py --data breast_cancer
"""

import time

import stage_two_common as common
from protocol import probe_scores, split
from rankme_selection import describe, grid_arguments
from scipy.stats import spearmanr

from sklearn_ssl.metrics import label_free_scorer
from sklearn_ssl.metrics._label_free import CRITERIA


def measure(estimator, data, labels):
    """``{setting, method, accuracy, <criterion>: score, seconds}`` of one setting."""
    X_pool, X_test, y_pool, y_test = data
    start = time.perf_counter()
    estimator.fit(X_pool)
    seconds = time.perf_counter() - start
    Z_pool, Z_test = estimator.transform(X_pool), estimator.transform(X_test)
    row = {
        "setting": describe(estimator),
        "method": type(estimator).__name__,
        "accuracy": probe_scores(Z_pool, y_pool, Z_test, y_test, [labels])[str(labels)],
        "seconds": seconds,
    }
    for criterion in CRITERIA:
        row[criterion] = float(label_free_scorer(criterion)(estimator, X_test))
    return row


def selection_quality(rows, criterion):
    """Spearman's rho of ``criterion`` with accuracy, and the regret of its pick."""
    rho = float(spearmanr([row[criterion] for row in rows], [row["accuracy"] for row in rows])[0])
    picked = max(rows, key=lambda row: row[criterion])
    best = max(row["accuracy"] for row in rows)
    return {"spearman": rho, "regret": best - picked["accuracy"], "picks": picked["setting"]}


def main():
    args = grid_arguments(__doc__.splitlines()[0])

    X, y = common.load(args.data)
    data = split(X, y)
    rows = []
    for estimator in common.make(args.grid):
        rows.append(measure(estimator, data, args.labels))
        scores = "  ".join(f"{c} {rows[-1][c]:+8.3f}" for c in CRITERIA)
        print(f"{rows[-1]['setting']:58s} acc {rows[-1]['accuracy']:.3f}  {scores}", flush=True)

    quality = {}
    print(f"\n{args.data}, {args.labels} labels per class: Spearman rho / regret")
    print("| method | " + " | ".join(CRITERIA) + " |")
    print("|---|" + "---|" * len(CRITERIA))
    for method in sorted({row["method"] for row in rows}):
        mine = [row for row in rows if row["method"] == method]
        quality[method] = {c: selection_quality(mine, c) for c in CRITERIA}
        cells = [f"{q['spearman']:+.2f} / {q['regret']:.3f}" for q in quality[method].values()]
        print(f"| {method} ({len(mine)} settings) | " + " | ".join(cells) + " |")

    report = {
        "data": args.data,
        "grid": args.grid,
        "labels_per_class": args.labels,
        "criteria_on": "held-out rows (the test part, without labels)",
        "rows": rows,
        "quality": quality,
        "environment": common.environment(),
    }
    print(f"\nwrote {common.write_json(report, f'selection_{args.data}')}")


if __name__ == "__main__":
    main()
