"""What every public estimator of sklearn-ssl is, besides a scikit-learn estimator."""

from ._doc_links import DocLinkMixin
from ._parameters import SharedDocs
from ._persistence import VersionedPickleMixin


class EstimatorMixin(SharedDocs, DocLinkMixin, VersionedPickleMixin):
    """Docs completed from the shared declarations, the HTML repr's link, versioned pickles.

    The first base of every public estimator's class: the self-supervised
    transformers, the fine-tuning estimators and the semi-supervised classifier.
    """
