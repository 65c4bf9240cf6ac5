"""The results page's few-label summary, generated from the committed semi-supervised results.

Reads every ``benchmarks/results/semi_supervised_*.json`` that
``semi_supervised.py`` wrote (with ``BENCHMARK_OUT=benchmarks/results``) and
tabulates, per data set and label budget, the best row that uses the
library's representation (its probe, a scikit-learn semi-supervised step on its
embeddings, fine-tuning with or without the unlabeled rows) against the best
row of the baseline without self-supervision given the same scikit-learn help.
"Best" is chosen per cell on the test accuracy, after the fact, for both sides
alike: it says what each side can reach, not which row a user would pick
without test labels.
The documentation's results page ``docs/results/semi_supervised.rst`` holds the
table, as a list-table, between two markers; ``tests/docs`` checks that it
matches these files, so no number there is typed by hand.

    python benchmarks/semi_supervised_summary.py            # print the table
    python benchmarks/semi_supervised_summary.py --write    # put it in the results page
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from generated_blocks import list_table, markdown_table, replace_block  # noqa: E402

ROOT = Path(__file__).parents[1]
RESULTS = ROOT / "benchmarks" / "results"
PAGE = ROOT / "docs" / "results" / "semi_supervised.rst"
MARKERS = (".. semi-supervised summary: start", ".. semi-supervised summary: end")


def best_row(rows, budget):
    """``(name, mean accuracy)`` of the row with the best mean accuracy at ``budget``."""
    means = {
        row["row"]: float(np.mean(row["accuracy_per_seed"][budget]))
        for row in rows
        if budget in row["accuracy_per_seed"]
    }
    name = max(means, key=means.get)
    return name, means[name]


def table_cells(results_dir=RESULTS):
    """The header and the rows of the table, one row per data set and budget, as text
    cells (a data set's rows from several files are pooled, so a later run can add rows
    to it)."""
    header = [
        "data", "labels / class", "best row with self-supervision", "accuracy",
        "best baseline row, same help", "accuracy", "difference",
    ]  # fmt: skip
    rows = []
    for name, (budgets, results) in pooled_results(results_dir).items():
        ours = [row for row in results if not row["key"].startswith("baseline")]
        theirs = [row for row in results if row["key"].startswith("baseline")]
        for budget in budgets:
            row_name, accuracy = best_row(ours, budget)
            base_name, base_accuracy = best_row(theirs, budget)
            rows.append([
                name, str(budget), row_name, f"{accuracy:.3f}", base_name,
                f"{base_accuracy:.3f}", f"{accuracy - base_accuracy:+.3f}",
            ])  # fmt: skip
    return header, rows


def summary_lines(results_dir=RESULTS):
    """The table as markdown lines (what the script prints)."""
    return markdown_table(*table_cells(results_dir))


def rst_lines(results_dir=RESULTS):
    """The table as a reST list-table (what the results page holds)."""
    return list_table(*table_cells(results_dir))


def pooled_results(results_dir):
    """``{data set name: (budgets, rows)}`` over every results file, in file order."""
    pooled = {}
    for path in sorted(results_dir.glob("semi_supervised_*.json")):
        for result in json.loads(path.read_text())["datasets"]:
            budgets, rows = pooled.setdefault(result["name"], ([], []))
            budgets += [k for k in result["budgets"] if k not in budgets]
            rows += result["rows"]
    return pooled


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="replace the results page's table")
    args = parser.parse_args(argv)
    print("\n".join(summary_lines()))
    if args.write:
        replace_block(PAGE, MARKERS, rst_lines())


if __name__ == "__main__":
    main()
