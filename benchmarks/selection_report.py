"""Every family's label-free selection in one table and one plot.

Reads the ``selection_<data>.json`` files that ``benchmarks/selection.py``
wrote, prints one markdown row per method and data set (Spearman's rho of
each criterion with the probe's accuracy, and the regret of its pick) and
plots each criterion against the accuracy, one row of panels per family.

    python benchmarks/selection_report.py                       # the runs in benchmarks/runs/
    python benchmarks/selection_report.py --runs benchmarks/results --labels 10
"""

import argparse
import json
from pathlib import Path

from outputs import OUT, output_path

from sklearn_ssl.metrics._label_free import CRITERIA

#: The order of the data sets in the table and the plot.
DATA_ORDER = ["digits", "breast_cancer", "digits-images", "mnist", "mr", "gunpoint"]


def families(reports, labels):
    """``[(data, method, rows, quality)]`` of every method of every report, at ``labels``."""
    found = []
    for report in reports:
        for method, quality in sorted(report["quality"].get(str(labels), {}).items()):
            rows = [row for row in report["rows"] if row["method"] == method]
            found.append((report["data"], method, rows, quality))
    order = {name: i for i, name in enumerate(DATA_ORDER)}
    return sorted(found, key=lambda family: (order.get(family[0], len(order)), family[0]))


def markdown(found, criteria, labels):
    """The table: one row per family, ``rho / regret`` per criterion."""
    lines = [
        f"Spearman's rho with the {labels}-label probe accuracy / regret of the pick",
        "",
        "| data | method | settings | accuracy | " + " | ".join(criteria) + " |",
        "|---|---|---|---|" + "---|" * len(criteria),
    ]
    for data, method, rows, quality in found:
        accuracy = [row["accuracy"][str(labels)] for row in rows]
        cells = [cell(quality.get(criterion)) for criterion in criteria]
        spread = f"{min(accuracy):.3f}-{max(accuracy):.3f}"
        lines.append(f"| {data} | {method} | {len(rows)} | {spread} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def cell(quality):
    """``rho / regret``, or ``-`` where the method has no score for the criterion."""
    return "-" if quality is None else f"{quality['spearman']:+.2f} / {quality['regret']:.3f}"


def plot(found, criteria, labels, path):
    """Criterion (x) against probe accuracy (y): a row of panels per family.

    The setting each criterion picks is circled.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(
        len(found), len(criteria), figsize=(2.1 * len(criteria), 1.7 * len(found)), squeeze=False
    )
    for (data, method, rows, quality), panels in zip(found, axes, strict=True):
        for criterion, ax in zip(criteria, panels, strict=True):
            measured = quality.get(criterion)
            if measured is None:
                ax.text(0.5, 0.5, "no views", ha="center", va="center", fontsize=8)
                ax.set_axis_off()
                continue
            points = [(row[criterion], row["accuracy"][str(labels)]) for row in rows]
            ax.scatter(*zip(*points, strict=True), s=12)
            picked = max(points, key=lambda point: point[0])
            ax.scatter(*picked, s=40, facecolors="none", edgecolors="tab:red")
            ax.set_title(
                f"rho {measured['spearman']:+.2f}, regret {measured['regret']:.3f}", fontsize=8
            )
            ax.tick_params(labelsize=6)
        panels[0].set_ylabel(f"{method}\n{data}", fontsize=7)
    for criterion, ax in zip(criteria, axes[-1], strict=True):
        ax.set_xlabel(criterion, fontsize=8)
    fig.suptitle(
        f"label-free criterion (x) against {labels}-label probe accuracy (y); circled: its pick",
        fontsize=9,
    )
    fig.tight_layout(rect=(0, 0, 1, 0.99))
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=Path, default=OUT, help="folder of selection_*.json")
    parser.add_argument("--labels", type=int, default=10, help="labels per class")
    args = parser.parse_args(argv)
    reports = [json.loads(path.read_text()) for path in sorted(args.runs.glob("selection_*.json"))]
    found = families(reports, args.labels)
    criteria = list(CRITERIA)
    table = markdown(found, criteria, args.labels)
    print(table)
    output_path(f"selection_{args.labels}.md").write_text(table + "\n")
    figure = plot(found, criteria, args.labels, output_path(f"selection_{args.labels}.png"))
    print(f"\nwrote {figure}")


if __name__ == "__main__":
    main()
