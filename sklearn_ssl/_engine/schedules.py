"""Learning-rate schedules the engine's callers attach as skorch callbacks."""


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
