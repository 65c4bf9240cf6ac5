"""The self-supervised estimators the runner benchmarks, with their settings.

``quick`` settings fit a 2-core CPU in a few minutes; the full settings are for
a GPU. Every entry says which kinds of data it takes.
"""

import sklearn_ssl


def table_methods(quick):
    """SCARF and VIME as they come (embeddings, then encoded input); SCARF's embeddings alone."""
    epochs = 100 if quick else 300
    return {
        "SCARF": sklearn_ssl.SCARF(max_epochs=epochs, random_state=0),
        "VIME": sklearn_ssl.VIME(max_epochs=epochs, random_state=0),
        "SCARF (passthrough=False)": sklearn_ssl.SCARF(
            max_epochs=epochs, random_state=0, passthrough=False
        ),
    }


#: The quick CPU setting for 8x8 digits: no flips (digits are not symmetric),
#: milder crops than ImageNet's (0.08, 1), small rotations, noise, batches of
#: 128 (more steps per epoch than 256, and better at equal time).
DIGITS_VIEWS = dict(
    input_shape=(1, 8, 8),
    flip=False,
    crop_scale=(0.3, 1.0),
    rotation=10.0,
    jitter=0.4,
    noise=0.05,
    batch_size=128,
    device="cpu",
    random_state=0,
)


def image_methods(dataset, quick):
    """Views, rotation and masking methods with settings for small gray digits.

    Digits are not mirror-symmetric, so flips are off; small rotations, crops
    that keep most of the digit, noise and (full setting) elastic warps are the
    views that worked in the prototypes of DESIGN.md.
    """
    side = dataset.input_shape[-1]
    views = dict(flip=False, crop_scale=(0.3, 1.0), rotation=10.0, jitter=0.4, noise=0.05)
    if not quick:
        views.update(elastic=1.0)
    common = dict(input_shape=dataset.input_shape, random_state=0)
    epochs = 40 if quick else 300
    batch = 128 if quick else 256
    candidates = {
        "SimCLR": ("SimCLR", views),
        "BYOL": ("BYOL", {**views, "base_momentum": 0.99, "hidden_size": 512}),
        "VICReg": ("VICReg", {**views, "projection_size": 512}),
        "BarlowTwins": ("BarlowTwins", {**views, "projection_size": 512}),
        "RotationPrediction": ("RotationPrediction", {}),
        "MaskedAutoencoder": ("MaskedAutoencoder", {"patch_size": 2 if side <= 8 else 4}),
    }
    return {
        name: getattr(sklearn_ssl, cls)(**common, **params, max_epochs=epochs, batch_size=batch)
        for name, (cls, params) in candidates.items()
        if hasattr(sklearn_ssl, cls)
    }


def text_methods(quick):
    """The masked language model: 3 epochs for a smoke run, else its defaults."""
    settings = {"max_epochs": 3} if quick else {}
    return {"MaskedLanguageModel": sklearn_ssl.MaskedLanguageModel(**settings, random_state=0)}


def series_methods(dataset, quick):
    """TS2Vec with the paper's settings, its untrained encoder, and the masked series autoencoder.

    TS2Vec: 320-wide embeddings, hidden width 64, 10 dilated blocks, batch 8,
    lr 1e-3, 200 optimizer steps (the paper's budget for data sets of at most
    100,000 values); ``quick`` halves the steps. ``TS2Vec (untrained)`` is
    the same network with the same random initial weights and no training
    step (``max_epochs=0``): what the pretraining adds. The masked autoencoder:
    patches of 8 timestamps (4 for series shorter than 64), 40% hidden, a
    3-block transformer, 100 epochs of batch 16 (50 when quick).
    """
    n_cases, _, length = dataset.X.shape
    steps = 100 if quick else 200
    ts2vec_epochs = -(-steps // max(1, n_cases // 8))
    return {
        "TS2Vec": sklearn_ssl.TS2Vec(max_epochs=ts2vec_epochs, random_state=0),
        "TS2Vec (untrained)": sklearn_ssl.TS2Vec(max_epochs=0, random_state=0),
        "MaskedTimeSeriesAutoencoder": sklearn_ssl.MaskedTimeSeriesAutoencoder(
            patch_size=8 if length >= 64 else 4,
            batch_size=16,
            max_epochs=50 if quick else 100,
            random_state=0,
        ),
    }


def methods(dataset, quick):
    """Name -> unfitted estimator for the methods that take ``dataset``."""
    if dataset.kind == "table":
        return table_methods(quick)
    if dataset.kind == "image":
        return image_methods(dataset, quick)
    if dataset.kind == "text":
        return text_methods(quick)
    if dataset.kind == "series":
        return series_methods(dataset, quick)
    return {}
