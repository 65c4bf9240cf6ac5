"""Warnings raised by sklearn-ssl estimators."""

__all__ = ["CollapseWarning"]


class CollapseWarning(UserWarning):
    """The fitted encoder maps different rows to (nearly) the same embedding.

    A collapsed representation carries no information about its input; it is
    the classic failure of self-supervised training (e.g. a too-high learning
    rate, a too-low temperature, or heads that let the loss be solved by a
    constant). Raised by ``fit`` when the embeddings of the training rows have
    almost no spread compared with their size.
    """
