"""Figures of a benchmark report: accuracy curves and 2-D maps of embeddings."""

import matplotlib
from sklearn.manifold import TSNE
from sklearn.preprocessing import StandardScaler

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from baselines import BASELINE_NAMES  # noqa: E402


def plot_report(report, path):
    """One panel per data set: logistic-probe accuracy vs labels per class."""
    datasets = report["datasets"]
    fig, axes = plt.subplots(1, len(datasets), figsize=(5 * len(datasets), 4), squeeze=False)
    for ax, entry in zip(axes[0], datasets.values(), strict=True):
        budgets = entry["budgets"]
        positions = range(len(budgets))
        for row in entry["rows"]:
            baseline = row["representation"] in BASELINE_NAMES
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


def plot_maps(maps, path):
    """t-SNE maps of test embeddings coloured by class: raw features (tables and
    images) vs the best method.

    Parameters
    ----------
    maps : dict
        Data set name -> (embeddings by representation name, test labels, best method name).
    """
    fig, axes = plt.subplots(len(maps), 2, figsize=(9, 4.2 * len(maps)), squeeze=False)
    for row_axes, (name, (embeddings, y, best)) in zip(axes, maps.items(), strict=True):
        raw = "raw features" if "raw features" in embeddings else None  # text: none
        for ax, representation in zip(row_axes, [raw, best], strict=True):
            ax.set_axis_off()
            if representation is None:
                continue
            Z = StandardScaler().fit_transform(embeddings[representation])
            xy = TSNE(init="pca", random_state=0).fit_transform(Z)
            ax.scatter(xy[:, 0], xy[:, 1], c=y, cmap="tab10", s=6)
            ax.set_title(f"{name}: {representation}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
