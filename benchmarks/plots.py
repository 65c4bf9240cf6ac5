"""Figures of a benchmark report: probe accuracy against labels per class."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def plot_report(report, path):
    """One panel per data set: logistic-probe accuracy vs labels per class."""
    datasets = report["datasets"]
    fig, axes = plt.subplots(1, len(datasets), figsize=(5 * len(datasets), 4), squeeze=False)
    for ax, entry in zip(axes[0], datasets.values(), strict=True):
        budgets = entry["budgets"]
        positions = range(len(budgets))
        for row in entry["rows"]:
            baseline = row["representation"] in {
                "raw features",
                "PCA",
                "random trees embedding",
                "autoencoder (MLP)",
            }
            ax.plot(
                positions,
                [row["linear"][k] for k in budgets],
                linestyle="--" if baseline else "-",
                marker="o",
                label=row["representation"],
            )
        ax.set_xticks(list(positions), budgets)
        ax.set_xlabel("labels per class")
        ax.set_ylabel("test accuracy (logistic probe)")
        ax.set_title(entry["name"])
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
