"""The self-supervised estimators the runner benchmarks, with their settings.

``quick`` settings fit a 2-core CPU in a few minutes; the full settings are for
a GPU. Every entry says which kinds of data it takes.
"""

from sklearn.pipeline import FeatureUnion

from sklearn_ssl import SCARF, VIME


def _with_raw(estimator):
    """Embeddings concatenated with the raw features (recovers all-label accuracy)."""
    return FeatureUnion([("ssl", estimator), ("raw", "passthrough")])


def methods(dataset, quick):
    """Name -> unfitted estimator for the methods that take ``dataset``."""
    epochs = 100 if quick else 300
    if dataset.kind == "table":
        return {
            "SCARF": SCARF(max_epochs=epochs, random_state=0),
            "VIME": VIME(max_epochs=epochs, random_state=0),
            "SCARF + raw": _with_raw(SCARF(max_epochs=epochs, random_state=0)),
        }
    return {}
