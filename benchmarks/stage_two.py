"""Stage two with few labels: linear probe vs fine-tuning vs training from scratch.

A self-supervised estimator is pretrained once on the unlabeled pool of the
protocol's split (``protocol.py``). Then, for k labels per class (seeds 0..4):

* linear probe: standardisation + logistic regression on the frozen embeddings;
* fine-tuned: :class:`sklearn_ssl.FineTunedClassifier` on the pretrained encoder;
* from scratch: the same classifier and encoder architecture, randomly
  initialised, trained on the k labels alone (no freezing, one learning rate);
* raw features: the protocol's linear probe on the input itself, for reference.

Prints a table, writes JSON and a PNG plot to ``benchmarks/runs/`` (see ``outputs.py``).

    python benchmarks/stage_two.py                      # digits table, SCARF, ~1 min on CPU
    python benchmarks/stage_two.py --data mnist --budgets 10 \\
        --estimator "SimCLR(input_shape=(1, 28, 28), max_epochs=50, random_state=0)"
"""

import argparse
import time
from pathlib import Path

import numpy as np
import stage_two_common as common
import torch
from outputs import output_path
from protocol import SEEDS, few_label_rows, linear_probe, split
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator

from sklearn_ssl import FineTunedClassifier
from sklearn_ssl._engine import initialize


def untrained(estimator, X):
    """A clone of ``estimator`` with its encoder initialised but not pretrained.

    Uses the engine's private ``initialize`` step (weights, and for tables the
    feature standardisation statistics of ``X``), so that fine-tuning it is
    training the same architecture from scratch.
    """
    estimator = clone(estimator)
    initialize(estimator, estimator._validate_input(X, reset=True))
    return estimator


def accuracies(make_model, Z_or_X_pool, y_pool, Z_or_X_test, y_test, k):
    """Test accuracy of ``make_model(seed)`` trained on k labels per class, per seed."""
    scores = []
    for seed in SEEDS:
        rows = few_label_rows(y_pool, k, seed)
        model = make_model(seed).fit(Z_or_X_pool[rows], y_pool[rows])
        scores.append(float(model.score(Z_or_X_test, y_test)))
    return scores


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="digits", help="digits, breast_cancer or mnist")
    parser.add_argument(
        "--estimator",
        default="SCARF(max_epochs=100, random_state=0)",
        help="a self-supervised estimator, as a Python expression over sklearn_ssl's names",
    )
    parser.add_argument(
        "--finetune",
        default="max_epochs=50, freeze_epochs=10",
        help="keyword arguments of FineTunedClassifier, e.g. 'max_epochs=50, augment=True'",
    )
    parser.add_argument("--budgets", type=int, nargs="+", default=[1, 5, 10])
    parser.add_argument("--threads", type=int, default=1, help="torch threads (CPU)")
    parser.add_argument("--tag", default="", help="suffix of the output file names")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)

    X, y = common.load(args.data)
    X_pool, X_test, y_pool, y_test = split(X, y)
    estimator = common.make(args.estimator)
    finetune = common.make(f"dict({args.finetune})")
    scratch_finetune = {**finetune, "freeze_epochs": 0, "encoder_lr_scale": 1.0}

    start = time.perf_counter()
    pretrained = clone(estimator).fit(X_pool)
    pretrain_seconds = time.perf_counter() - start
    Z_pool, Z_test = pretrained.transform(X_pool), pretrained.transform(X_test)
    scratch = untrained(estimator, X_pool)

    arms = {
        "raw features, linear probe": lambda seed: linear_probe(),
        "linear probe (frozen embeddings)": lambda seed: linear_probe(),
        "fine-tuned": lambda seed: FineTunedClassifier(
            FrozenEstimator(pretrained), random_state=seed, **finetune
        ),
        "from scratch (labels only)": lambda seed: FineTunedClassifier(
            FrozenEstimator(scratch), random_state=seed, **scratch_finetune
        ),
    }
    results, seconds = {}, {}
    for arm, make_model in arms.items():
        start = time.perf_counter()
        on_embeddings = arm.startswith("linear probe")
        pool, test = (Z_pool, Z_test) if on_embeddings else (X_pool, X_test)
        if arm.startswith("raw"):
            pool = np.asarray(X_pool, dtype=np.float64)
            test = np.asarray(X_test, dtype=np.float64)
        results[arm] = {
            str(k): accuracies(make_model, pool, y_pool, test, y_test, k) for k in args.budgets
        }
        seconds[arm] = time.perf_counter() - start

    header = f"{'representation':36s}" + "".join(f"{k:>16d}" for k in args.budgets)
    print(f"\n{args.data}: {args.estimator}; fine-tuning {args.finetune}")
    print(f"pretraining {pretrain_seconds:.1f} s on {len(X_pool)} unlabeled rows\n")
    print(header + "   seconds")
    for arm, by_budget in results.items():
        cells = "".join(f"{np.mean(s):>10.3f} ± {np.std(s):.3f}" for s in by_budget.values())
        print(f"{arm:36s}{cells}   {seconds[arm]:7.1f}")

    stem = f"stage_two_{args.data}_{type(estimator).__name__}{args.tag}"
    report = {
        "data": args.data,
        "estimator": args.estimator,
        "finetune": args.finetune,
        "budgets": args.budgets,
        "seeds": list(SEEDS),
        "pretrain_seconds": pretrain_seconds,
        "accuracy_per_seed": results,
        "mean_accuracy": {
            arm: {k: float(np.mean(s)) for k, s in by_budget.items()}
            for arm, by_budget in results.items()
        },
        "seconds": seconds,
        "environment": common.environment(),
    }
    print(f"\nwrote {common.write_json(report, stem)}")
    print(f"wrote {plot(report, output_path(f'{stem}.png'))}")


def plot(report, path):
    """Accuracy against labels per class, one line per arm, error bars over seeds."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    budgets = report["budgets"]
    for arm, by_budget in report["accuracy_per_seed"].items():
        scores = [by_budget[str(k)] for k in budgets]
        ax.errorbar(
            budgets,
            [np.mean(s) for s in scores],
            yerr=[np.std(s) for s in scores],
            marker="o",
            capsize=3,
            linestyle="--" if arm.startswith("raw") else "-",
            label=arm,
        )
    ax.set_xscale("log")
    ax.set_xticks(budgets, [str(k) for k in budgets])
    ax.set_xlabel("labels per class")
    ax.set_ylabel("test accuracy (mean over 5 seeds)")
    ax.set_title(f"{report['data']}: {report['estimator']}", fontsize=8)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return Path(path)


if __name__ == "__main__":
    main()
