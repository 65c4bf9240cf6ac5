"""The results page's and the text guide's SetFit table, generated from the committed results.

Reads every ``benchmarks/results/text_setfit*.json`` that ``text_setfit.py``
wrote (with ``BENCHMARK_OUT=benchmarks/results``; runs of different rows,
budgets or seeds merge, a later file's draw replacing an earlier one's) and
tabulates each row's MR test accuracy (mean ± std over the label draws done,
their number, and the mean fit seconds) per budget. The documentation's results
page ``docs/results/text.rst`` and its text guide ``docs/user_guide/text.rst``
hold it as a list-table, each between two markers; ``tests/docs`` checks both
against these files, so no number there is typed by hand.

    python benchmarks/text_setfit_summary.py            # print the table
    python benchmarks/text_setfit_summary.py --write    # put it in both pages
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
PAGE = ROOT / "docs" / "results" / "text.rst"
GUIDE = ROOT / "docs" / "user_guide" / "text.rst"
RST_MARKERS = (".. text setfit summary: start", ".. text setfit summary: end")

#: Row order and names of the table.
ROWS = {
    "frozen": "frozen all-MiniLM-L6-v2 + logistic probe",
    "continued": "`MaskedLanguageModel(pretrained=...)` defaults (1 epoch) + probe",
    "setfit": "SetFit 1.2 (`setfit` package, its defaults)",
    "fine-tuned": "`FineTunedClassifier`, defaults (SetFit's recipe)",
    "distillation": "`FineTunedClassifier`, defaults + distilled onto the pool",
    "fewer-pairs": "`FineTunedClassifier`, `pair_rounds=5` (about SetFit's pair count at 8)",
    "more-pairs": "`FineTunedClassifier`, `pair_rounds=33` (about SetFit's pair count at 64)",
    "pool-student": "`FineTunedClassifier`, defaults, then its tuned network self-trained on "
    'the pool (`distill_student="tuned"`, `distill_targets="hard"`, 2 epochs)',
    "tuned self-training": "`FineTunedClassifier`, defaults; its embeddings of the pool "
    "+ `SelfTrainingClassifier`",
    "tuned label-spreading": "`FineTunedClassifier`, defaults; its embeddings of the pool "
    "+ `LabelSpreading`",
}


def merged_results(results_dir=RESULTS):
    """``(budgets, {row key: {budget: {seed: (accuracy, fit seconds)}}}, environments)``."""
    budgets, cells, environments = [], {}, []
    for path in sorted(results_dir.glob("text_setfit*.json")):
        report = json.loads(path.read_text())
        budgets += [k for k in report["budgets"] if k not in budgets]
        environments.append(report["environment"])
        for key, result in report["rows"].items():
            for k, accuracies in result["accuracy"].items():
                by_seed = cells.setdefault(key, {}).setdefault(int(k), {})
                draws = zip(accuracies, result["fit_seconds"][k], strict=True)
                by_seed.update(zip(report["seeds"], draws, strict=False))  # the draws done
    return sorted(budgets), cells, environments


def table_cells(results_dir=RESULTS):
    """The header and the rows of the table, as text cells."""
    budgets, cells, _ = merged_results(results_dir)
    header = ["row", *(f"{k} labels / class" for k in budgets)]
    rows = []
    for key, name in ROWS.items():
        if key not in cells:
            continue
        row = [name]
        for k in budgets:
            if k not in cells[key]:
                row.append("–")
                continue
            accuracies, seconds = np.array(list(cells[key][k].values())).T
            row.append(
                f"{np.mean(accuracies):.3f} ± {np.std(accuracies):.3f} "
                f"({len(accuracies)} draw{'s' * (len(accuracies) > 1)}, {np.mean(seconds):.0f} s)"
            )
        rows.append(row)
    return header, rows


def markdown_lines(results_dir=RESULTS):
    """The table as markdown lines (what the script prints)."""
    return markdown_table(*table_cells(results_dir))


def rst_lines(results_dir=RESULTS):
    """The table as a reST list-table (what the two pages hold)."""
    return list_table(*table_cells(results_dir))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="replace the two pages' tables")
    args = parser.parse_args(argv)
    print("\n".join(markdown_lines()))
    if args.write:
        for path in (PAGE, GUIDE):
            replace_block(path, RST_MARKERS, rst_lines())


if __name__ == "__main__":
    main()
