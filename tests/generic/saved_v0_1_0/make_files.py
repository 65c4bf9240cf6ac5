"""Write the sklearn-ssl 0.1.0 save files that tests/generic/test_saved_files.py loads.

Run with sklearn-ssl 0.1.0 installed (``git checkout <0.1.0 commit>``, then
``python tests/generic/saved_v0_1_0/make_files.py``): each estimator is fitted on
small seeded data and saved with ``est.save``; the inputs and the embeddings
0.1.0 gave are kept in ``expected.npz`` for the comparison.
"""

from pathlib import Path

import numpy as np

import sklearn_ssl
from sklearn_ssl import BYOL, SCARF, VIME, MaskedAutoencoder, RotationPrediction, SimCLR

HERE = Path(__file__).parent
CPU = dict(device="cpu", random_state=0, max_epochs=2, batch_size=16)


def table(rng):
    centers = np.array([[3.0, -3.0, 0.0, 1.0, 2.0], [-3.0, 3.0, 1.0, 0.0, -2.0]])
    return centers[np.arange(40) % 2] + rng.normal(size=(40, 5))


def images(rng):
    pixels = rng.integers(0, 40, size=(40, 8, 8))
    pixels[::2, 3:5, :] += 200
    pixels[1::2, :, 3:5] += 200
    return pixels.clip(0, 255).astype(np.uint8).reshape(40, 64)


ESTIMATORS = {
    "scarf": (SCARF(n_components=4, hidden_layer_sizes=(8,), projection_size=8, **CPU), table),
    "vime": (VIME(n_components=4, hidden_layer_sizes=(8,), **CPU), table),
    "simclr": (SimCLR(n_components=4, projection_size=8, flip=False, **CPU), images),
    "byol": (BYOL(n_components=4, projection_size=8, hidden_size=8, **CPU), images),
    "rotation": (RotationPrediction(n_components=4, head_size=8, **CPU), images),
    "mae": (
        MaskedAutoencoder(n_components=8, patch_size=2, depth=1, n_heads=2, decoder_width=4, **CPU),
        images,
    ),
}


def main():
    assert sklearn_ssl.__version__ == "0.1.0", sklearn_ssl.__version__
    expected = {}
    for name, (estimator, make_X) in ESTIMATORS.items():
        X = make_X(np.random.default_rng(0))
        estimator.fit(X)
        estimator.save(HERE / f"{name}.safetensors")
        expected[f"{name}_X"] = X
        expected[f"{name}_embeddings"] = estimator.transform(X)
    np.savez(HERE / "expected.npz", **expected)


if __name__ == "__main__":
    main()
