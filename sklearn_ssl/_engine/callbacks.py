"""skorch callbacks the estimator shell adds to its engine."""

from skorch.callbacks import Callback
from tqdm.auto import tqdm


class EpochProgressBar(Callback):
    """A tqdm progress bar over epochs that shows the pretext loss.

    Parameters
    ----------
    description : str
        Text shown before the bar, usually the estimator's name.
    """

    def __init__(self, description):
        self.description = description

    def on_train_begin(self, net, **kwargs):
        self.bar_ = tqdm(
            total=net.max_epochs,
            initial=len(net.history),
            desc=self.description,
            unit="epoch",
            leave=False,
        )

    def on_epoch_end(self, net, **kwargs):
        self.bar_.update(1)
        self.bar_.set_postfix(loss=f"{net.history[-1, 'train_loss']:.4f}")

    def on_train_end(self, net, **kwargs):
        self.bar_.close()
        del self.bar_
