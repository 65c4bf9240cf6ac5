"""The fine-tuning engine: encoder plus head, trained on labels through skorch.

It reuses :class:`~sklearn_ssl._engine.net.PretextNet`'s fast data path
(batches sliced from tensors already on the device, the loss read once per
epoch) and changes what a step computes: the module maps a batch to
predictions and the criterion compares them with the batch's targets.
"""

from skorch import NeuralNet

from .net import PretextNet


class FineTuneNet(PretextNet):
    """skorch net that trains an encoder with a head on labels.

    Parameters
    ----------
    module : sklearn_ssl.finetune.EncoderWithHead
        The network to train; its ``freeze_encoder`` is set every epoch.
    freeze_epochs : int, default=0
        The encoder is frozen during the first ``freeze_epochs`` epochs.
    **kwargs
        Passed on to :class:`~sklearn_ssl._engine.net.PretextNet`; ``criterion``
        is the supervised loss.
    """

    def __init__(self, module, *, freeze_epochs=0, **kwargs):
        super().__init__(module, **kwargs)
        self.freeze_epochs = freeze_epochs

    def on_epoch_begin(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        super().on_epoch_begin(net, dataset_train, dataset_valid, **kwargs)
        self.module_.freeze_encoder = len(self.history) <= self.freeze_epochs
        self._set_training(True)  # once per epoch; a frozen encoder stays in eval mode

    def train_step_single(self, batch, **fit_params):
        Xi, yi = batch  # (batch, ...), (batch,) or (batch, n_targets)
        y_pred = self.infer(Xi, **fit_params)
        loss = self.get_loss(y_pred, yi, X=Xi, training=True)
        loss.backward()
        return {"loss": loss, "y_pred": y_pred}

    def get_loss(self, y_pred, y_true, X=None, training=False):
        return NeuralNet.get_loss(self, y_pred, y_true, X=X, training=training)


class WarmupThenLinearDecay:
    """Learning-rate factor of BERT's fine-tuning: linear warm-up, then linear decay to 0.

    A picklable ``lr_lambda`` for :class:`torch.optim.lr_scheduler.LambdaLR`,
    stepped once per batch.

    Parameters
    ----------
    total_steps : int
        Optimizer steps of the whole training.
    warmup_steps : float
        Steps over which the factor rises from 0 to 1.
    """

    def __init__(self, total_steps, warmup_steps):
        self.total_steps = total_steps
        self.warmup_steps = warmup_steps

    def __call__(self, step):
        if step < self.warmup_steps:
            return (step + 1) / (self.warmup_steps + 1)
        return max(0.0, (self.total_steps - step) / max(1.0, self.total_steps - self.warmup_steps))
