"""Warnings raised by sklearn-ssl estimators."""

from sklearn.exceptions import InconsistentVersionWarning as _SklearnInconsistentVersionWarning

__all__ = ["CollapseWarning", "ImageShapeWarning", "InconsistentVersionWarning"]


class CollapseWarning(UserWarning):
    """The fitted encoder maps different rows to (nearly) the same embedding.

    A collapsed representation carries no information about its input; it is
    the classic failure of self-supervised training (e.g. a too-high learning
    rate, a too-low temperature, or heads that let the loss be solved by a
    constant). Raised by ``fit`` when the embeddings of the training rows have
    almost no spread compared with their size.
    """


class ImageShapeWarning(UserWarning):
    """An image method guessed the shape of flattened rows as one-pixel-high images.

    Raised by ``fit`` of an image method given 2-D rows without
    ``input_shape`` whose width is not a square number: such rows are read as
    images of shape ``(1, 1, n_features)``, which is rarely what a user means.
    """


class InconsistentVersionWarning(_SklearnInconsistentVersionWarning):
    """An estimator is unpickled by another sklearn-ssl version than the one that pickled it.

    Pickles are for the version that wrote them, scikit-learn's policy; the
    code-free ``est.save`` / :func:`sklearn_ssl.load` format is the one meant
    to cross versions. A subclass of scikit-learn's warning, so one filter
    covers both.
    """

    def __str__(self):
        return (
            f"Trying to unpickle estimator {self.estimator_name} from sklearn-ssl version "
            f"{self.original_sklearn_version} when using version "
            f"{self.current_sklearn_version}. This might lead to breaking code or invalid "
            "results; save it with est.save and load it with sklearn_ssl.load to move a "
            "model between versions."
        )
