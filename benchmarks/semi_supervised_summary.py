"""The README's few-label summary, generated from the committed semi-supervised results.

Reads every ``benchmarks/results/semi_supervised_*.json`` that
``semi_supervised.py`` wrote (with ``BENCHMARK_OUT=benchmarks/results``) and
tabulates, per data set and label budget, the best row that uses the
library's representation (its probe, a scikit-learn semi-supervised step on its
embeddings, fine-tuning with or without the unlabeled rows) against the best
row of the baseline without self-supervision given the same scikit-learn help.
"Best" is chosen per cell on the test accuracy, after the fact, for both sides
alike: it says what each side can reach, not which row a user would pick
without test labels.
The README holds the table between two markers; ``tests/docs`` checks that it
matches these files, so no number there is typed by hand.

    python benchmarks/semi_supervised_summary.py            # print the table
    python benchmarks/semi_supervised_summary.py --write    # put it in README.md
"""

import argparse
import json
import re
from pathlib import Path

import numpy as np

ROOT = Path(__file__).parents[1]
RESULTS = ROOT / "benchmarks" / "results"
README = ROOT / "README.md"
START, END = "<!-- semi-supervised summary: start -->", "<!-- semi-supervised summary: end -->"


def best_row(rows, budget):
    """``(name, mean accuracy)`` of the row with the best mean accuracy at ``budget``."""
    means = {
        row["row"]: float(np.mean(row["accuracy_per_seed"][budget]))
        for row in rows
        if budget in row["accuracy_per_seed"]
    }
    name = max(means, key=means.get)
    return name, means[name]


def summary_lines(results_dir=RESULTS):
    """The markdown table's lines, one per data set and budget (a data set's rows from
    several files are pooled, so a later run can add rows to it)."""
    lines = [
        "| data | labels / class | best row with self-supervision | accuracy | "
        "best baseline row, same help | accuracy | difference |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, (budgets, rows) in pooled_results(results_dir).items():
        ours = [row for row in rows if not row["key"].startswith("baseline")]
        theirs = [row for row in rows if row["key"].startswith("baseline")]
        for budget in budgets:
            row_name, accuracy = best_row(ours, budget)
            base_name, base_accuracy = best_row(theirs, budget)
            lines.append(
                f"| {name} | {budget} | {row_name} | {accuracy:.3f} | {base_name} | "
                f"{base_accuracy:.3f} | {accuracy - base_accuracy:+.3f} |"
            )
    return lines


def pooled_results(results_dir):
    """``{data set name: (budgets, rows)}`` over every results file, in file order."""
    pooled = {}
    for path in sorted(results_dir.glob("semi_supervised_*.json")):
        for result in json.loads(path.read_text())["datasets"]:
            budgets, rows = pooled.setdefault(result["name"], ([], []))
            budgets += [k for k in result["budgets"] if k not in budgets]
            rows += result["rows"]
    return pooled


def readme_block(readme_text):
    """The table between the README's markers, or None when the markers are missing."""
    found = re.search(re.escape(START) + r"\n(.*?)\n?" + re.escape(END), readme_text, re.S)
    return None if found is None else found.group(1)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="replace the README's table")
    args = parser.parse_args(argv)
    table = "\n".join(summary_lines())
    print(table)
    if args.write:
        text = README.read_text()
        if readme_block(text) is None:
            raise SystemExit(f"README.md has no {START} ... {END} block to replace.")
        pattern = re.escape(START) + r"\n.*?\n?" + re.escape(END)
        README.write_text(re.sub(pattern, lambda _: f"{START}\n{table}\n{END}", text, flags=re.S))
        print(f"wrote {README}")


if __name__ == "__main__":
    main()
