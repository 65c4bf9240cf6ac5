"""What every public estimator of sklearn-ssl is, besides a scikit-learn estimator."""

import warnings
from inspect import Parameter, signature

from ._doc_links import DocLinkMixin
from ._parameters import SharedDocs
from ._renamed import under_new_names
from ._version import __version__
from .exceptions import InconsistentVersionWarning


class VersionedPickleMixin:
    """Pickles record the sklearn-ssl version that wrote them; another version warns.

    scikit-learn's policy: a pickle is for the version that wrote it, and
    unpickling it elsewhere warns with
    :class:`~sklearn_ssl.exceptions.InconsistentVersionWarning`.
    """

    def __getstate__(self):
        return {**super().__getstate__(), "_sklearn_ssl_version": __version__}

    def __setstate__(self, state):
        # a parameter added since the pickle was written takes the value that reproduces
        # it, else its default (parameters exist only in the signature: no other fallback);
        # one renamed since takes the value stored under its old name
        defaults = {
            name: parameter.default
            for name, parameter in signature(type(self).__init__).parameters.items()
            if parameter.default is not Parameter.empty
        }
        older = getattr(type(self), "_values_for_older_files", {})
        state = {**defaults, **older, **under_new_names(type(self), state)}
        version = state.pop("_sklearn_ssl_version", "unknown")
        if version != __version__:
            warnings.warn(
                InconsistentVersionWarning(
                    estimator_name=type(self).__name__,
                    current_sklearn_version=__version__,
                    original_sklearn_version=version,
                ),
                stacklevel=2,
            )
        super().__setstate__(state)


class EstimatorMixin(SharedDocs, DocLinkMixin, VersionedPickleMixin):
    """Docs completed from the shared declarations, the HTML repr's link, versioned pickles.

    The first base of every public estimator's class: the self-supervised
    transformers, the fine-tuning estimators and the semi-supervised classifier.
    """
