"""Label-free and few-label measures of representation quality.

One criterion per module: :func:`rankme`, :func:`alpha_req` and
:func:`lidar` (the spread of the embeddings' spectrum; LiDAR on the
:func:`view_embeddings` of augmented rows), :func:`alignment`
and :func:`uniformity` (geometry on the unit sphere), :func:`pretext_loss`
(the method's own loss on held-out rows), the label-free scorers of
:func:`label_free_scorer`, and the few-label probe scorers
:func:`linear_probe_score` and :func:`knn_probe_score`.
"""

from ._alpha_req import alpha_req
from ._label_free import label_free_scorer
from ._lidar import lidar
from ._pretext_loss import pretext_loss
from ._probes import knn_probe_score, linear_probe_score
from ._rankme import rankme
from ._sphere import alignment, uniformity
from ._views import view_embeddings

__all__ = [
    "alignment",
    "alpha_req",
    "knn_probe_score",
    "label_free_scorer",
    "lidar",
    "linear_probe_score",
    "pretext_loss",
    "rankme",
    "uniformity",
    "view_embeddings",
]
