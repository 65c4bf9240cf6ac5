"""The main job: self-supervised methods against baselines, few labels per class.

For every data set, each representation is fitted on the unlabeled pool and
scored with the protocol of ``protocol.py`` (logistic probe at several labels
per class, kNN probe, k-means ARI). Prints one table per data set, writes JSON
(numbers plus environment), a markdown table and plots to ``--out``.

    python benchmarks/run.py --quick                 # a few minutes on 2 CPU cores
    python benchmarks/run.py --datasets digits mnist # full settings, for a GPU
    python benchmarks/run.py --datasets mr --mr-path ../shared/data/mr  # text
    python benchmarks/run.py --datasets arrowhead gunpoint italypowerdemand basicmotions
    python benchmarks/run.py --list-suites           # the named suites (suites.py)
    python benchmarks/run.py --suite tables --quick  # a suite of data sets, as --datasets
    python benchmarks/run.py --suite speed --gpu     # a script suite: speed.py --gpu

The series sets (UCR/UEA, bundled in aeon: the ``timeseries`` extra) keep
the archive's split: the train split is the unlabeled pool, the test split
scores. With all labels they also get the TS2Vec paper's protocol (an RBF
SVM, C searched), and classifier baselines (1-NN DTW, MiniRocket + ridge)
are scored with the same label draws. Without aeon they are skipped.
"""

import argparse
import datetime
import json
import os
import platform
import sys
import time
from pathlib import Path

import sklearn
import skorch
import torch
from tqdm.auto import tqdm

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1]))

from baselines import BASELINE_NAMES, baselines, series_classifiers  # noqa: E402
from data import LOADERS, MR_PATH, SERIES_SETS, has_aeon  # noqa: E402
from methods import methods  # noqa: E402
from outputs import OUT  # noqa: E402
from protocol import classifier_scores, evaluate  # noqa: E402
from suites import SUITES, describe_suites, run_script  # noqa: E402

QUICK_DATASETS = ["digits", "breast_cancer", "digits-images"]


def environment():
    """Where the numbers were measured."""
    device = torch.cuda.get_device_name() if torch.cuda.is_available() else "cpu"
    return {
        "date": datetime.date.today().isoformat(),
        "device": device,
        "cpu_threads": torch.get_num_threads(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "skorch": skorch.__version__,
        "scikit-learn": sklearn.__version__,
    }


def run_dataset(dataset, quick, skip_baselines=False):
    """Scores of every representation of one data set (a list of dicts), the
    test embeddings of each (name -> array) and the test labels."""
    X_pool, X_test, y_pool, y_test = dataset.pool_and_test()
    series = dataset.kind == "series"
    candidates = {} if skip_baselines else baselines(dataset)
    candidates.update(methods(dataset, quick))
    rows, embeddings = [], {}
    for name, representation in tqdm(candidates.items(), desc=dataset.name, unit="method"):
        start = time.perf_counter()
        scores = evaluate(
            representation,
            X_pool,
            y_pool,
            X_test,
            y_test,
            dataset.budgets,
            keep_embeddings=True,
            svm=series,
        )
        embeddings[name] = scores.pop("Z_test")
        scores.update(representation=name, wall_seconds=time.perf_counter() - start)
        rows.append(scores)
    classifiers = series_classifiers(dataset) if series and not skip_baselines else {}
    for name, classifier in classifiers.items():
        start = time.perf_counter()
        scores = classifier_scores(classifier, X_pool, y_pool, X_test, y_test, dataset.budgets)
        seconds = time.perf_counter() - start
        rows.append(
            {"representation": name, "linear": scores, "knn": None, "ari": None, "svm": None,
             "fit_seconds": seconds, "wall_seconds": seconds}
        )  # fmt: skip
    return rows, embeddings, y_test


def best_method(rows, dataset):
    """The self-supervised method with the best probe accuracy at the fewest labels."""
    fewest = str(dataset.budgets[0])
    ssl_rows = [row for row in rows if row["representation"] not in BASELINE_NAMES]
    return (
        max(ssl_rows, key=lambda row: row["linear"][fewest])["representation"] if ssl_rows else None
    )


def markdown_table(dataset, rows):
    budgets = [str(k) for k in dataset.budgets]
    series = dataset.kind == "series"
    what = (
        "accuracy by labels per class: logistic probe on the representation, or the "
        "classifier itself; SVM: the TS2Vec protocol with all labels"
        if series
        else "logistic probe accuracy by labels per class"
    )
    extra = ["SVM (all)"] if series else []
    lines = [
        f"**{dataset.name}** ({what}; kNN at 10/class; k-means ARI; fit seconds)",
        "",
        "| representation | " + " | ".join(budgets + extra) + " | kNN | ARI | fit s |",
        "|---|" + "---|" * (len(budgets) + len(extra) + 3),
    ]
    best = {k: max(row["linear"][k] for row in rows) for k in budgets}
    best_svm = max((row["svm"] for row in rows if row.get("svm") is not None), default=None)
    for row in rows:
        cells = [_cell(row["linear"][k], best[k]) for k in budgets]
        if series:
            cells.append(_cell(row.get("svm"), best_svm))
        cells += [_cell(row["knn"]), _cell(row["ari"]), f"{row['fit_seconds']:.1f}"]
        lines.append(f"| {row['representation']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(value, best=None):
    """A score to 3 decimals, bold when it is the column's best; empty for None."""
    if value is None:
        return ""
    return f"**{value:.3f}**" if value == best else f"{value:.3f}"


def suite_arguments(parser):
    """Add ``--suite`` and ``--list-suites`` to ``parser``."""
    parser.add_argument(
        "--suite",
        choices=list(SUITES),
        metavar="NAME",
        help="a named suite (see --list-suites); a script suite gets the other arguments",
    )
    parser.add_argument("--list-suites", action="store_true", help="print the suites and exit")
    return parser


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    # A script suite takes its own arguments: only --suite is read here.
    chosen, rest = suite_arguments(
        argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    ).parse_known_args(argv)
    if chosen.list_suites:
        print(describe_suites())
        return
    suite = SUITES.get(chosen.suite)
    if suite is not None and suite.script:
        return run_script(suite, rest)

    parser = argparse.ArgumentParser(description="sklearn-ssl benchmarks: SSL vs baselines")
    parser.add_argument("--quick", action="store_true", help="CPU-sized settings (a few minutes)")
    parser.add_argument("--datasets", nargs="+", choices=sorted(LOADERS), help="data sets to run")
    parser.add_argument("--out", default=str(OUT), help="output folder (default: see outputs.py)")
    parser.add_argument(
        "--tag", default=None, help="name of the output files (default: quick/full, or the suite)"
    )
    parser.add_argument("--no-plots", action="store_true", help="skip the matplotlib figures")
    parser.add_argument("--skip-baselines", action="store_true", help="only the SSL methods")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch threads on the CPU (default 1: small models on a shared 2-core machine)",
    )
    parser.add_argument(
        "--mr-path", default=str(MR_PATH), help="folder of rt-polarity.pos/.neg (data set mr)"
    )
    suite_arguments(parser)
    args = parser.parse_args(argv)
    if suite is not None and args.datasets:
        parser.error("give --suite or --datasets, not both")

    if not torch.cuda.is_available():
        torch.set_num_threads(args.threads)  # one thread beat two on a shared 2-core machine
        # numba's OpenMP layer (aeon's MiniRocket, DTW) would reset torch's thread count
        # to the core count: TS2Vec after MiniRocket then ran 8x slower on 2 busy cores
        os.environ.setdefault("NUMBA_NUM_THREADS", str(args.threads))
    available = [name for name in sorted(LOADERS) if name != "mr" or Path(args.mr_path).is_dir()]
    names = args.datasets or (QUICK_DATASETS if args.quick else available)
    if suite is not None:  # a suite of data sets: as --datasets, its name the files' default
        names, default_tag = list(suite.datasets), args.suite + ("_quick" if args.quick else "")
    else:
        default_tag = "quick" if args.quick else "full"
    if not has_aeon() and set(names) & set(SERIES_SETS):
        print(
            "Skipping the series sets: they ship with aeon, the optional `timeseries` "
            "extra (pip install sklearn-ssl[timeseries])."
        )
        names = [name for name in names if name not in SERIES_SETS]
    tag = args.tag or default_tag
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    report = {"environment": environment(), "quick": args.quick, "datasets": {}}
    tables, maps = [], {}
    start = time.perf_counter()
    for name in names:
        dataset = LOADERS[name](args.mr_path) if name == "mr" else LOADERS[name]()
        rows, embeddings, y_test = run_dataset(dataset, args.quick, args.skip_baselines)
        maps[dataset.name] = (embeddings, y_test, best_method(rows, dataset))
        report["datasets"][name] = {
            "name": dataset.name,
            "budgets": [str(k) for k in dataset.budgets],
            "rows": rows,
        }
        table = markdown_table(dataset, rows)
        tables.append(table)
        print("\n" + table + "\n", flush=True)
    report["wall_seconds"] = time.perf_counter() - start

    env = report["environment"]
    header = (
        f"Measured {env['date']} on {env['device']} (torch {env['torch']}, "
        f"{env['cpu_threads']} CPU thread(s)), {'quick' if args.quick else 'full'} settings, "
        f"{report['wall_seconds'] / 60:.1f} min in all."
    )
    (out / f"{tag}.json").write_text(json.dumps(report, indent=2, default=str))
    (out / f"{tag}.md").write_text(header + "\n\n" + "\n\n".join(tables) + "\n")
    if not args.no_plots:
        from plots import plot_maps, plot_report

        plot_report(report, out / f"{tag}_accuracy.png")
        plot_maps(maps, out / f"{tag}_maps.png")
    print(header)


if __name__ == "__main__":
    main()
