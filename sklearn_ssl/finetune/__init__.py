"""Stage two: fine-tune a pretrained encoder on labels, or fit any classifier on its embeddings.

``y == -1`` marks an unlabeled row (the convention of
:mod:`sklearn.semi_supervised`): such rows take part in pretraining only.
"""

from ._classifier import FineTunedClassifier
from ._encoder_with_head import EncoderWithHead
from ._regressor import FineTunedRegressor
from ._seeded_kmeans import SeededKMeansClassifier
from ._semi_supervised import SelfSupervisedClassifier

__all__ = [
    "EncoderWithHead",
    "FineTunedClassifier",
    "FineTunedRegressor",
    "SeededKMeansClassifier",
    "SelfSupervisedClassifier",
]
